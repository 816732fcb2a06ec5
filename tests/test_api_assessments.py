"""/api/v1/assessments: scoped like the browser, 409 on an outdated version."""

from __future__ import annotations

import json

import pytest
from django.test import Client

from weerbaar.assessments.models import Answer, AnswerRevision, AssessmentState

from .conftest import World
from .factories import open_round
from .test_api import api, token_for


@pytest.fixture
def assessment(world: World):
    round_ = open_round(world, world.own, world.other)
    return round_.assessments.get(organisation=world.own)


def put(client: Client, url: str, body: dict):
    return client.put(url, data=json.dumps(body), content_type="application/json")


def test_api_assessment_list_is_scoped(assessment, world: World) -> None:
    alice = api(token_for("alice@alfa.test"))
    data = alice.get("/api/v1/assessments").json()
    assert [(a["organisation_name"], a["state"], a["items"]) for a in data] == [
        ("Ziekenhuis Alfa", "concept", 69)
    ]
    coordinator = api(token_for("coby@azo.test"))
    names = [
        a["organisation_name"]
        for a in coordinator.get(f"/api/v1/assessments?round={assessment.round_id}").json()
    ]
    assert names == ["Verpleeghuis Beta", "Ziekenhuis Alfa"]
    assert (
        api(token_for("charlie@beta.test")).get(f"/api/v1/assessments/{assessment.pk}").status_code
        == 404
    )


def test_api_respondent_sees_only_routed_answers(assessment, world: World) -> None:
    bob = api(token_for("bob@alfa.test"))
    codes = [a["item_code"] for a in bob.get(f"/api/v1/assessments/{assessment.pk}/answers").json()]
    assert codes == [f"CY-{n:02d}" for n in range(1, 11)]
    response = put(bob, f"/api/v1/assessments/{assessment.pk}/answers/UV-01", {"version": 0})
    assert response.status_code == 404


def test_api_put_answer_then_conflict_on_outdated_version(assessment, world: World) -> None:
    bob = api(token_for("bob@alfa.test"))
    url = f"/api/v1/assessments/{assessment.pk}/answers/CY-01"
    first = put(
        bob,
        url,
        {"version": 0, "values": {"maturity": "4"}, "evidence_link": "https://intranet/nis2"},
    )
    assert first.status_code == 200
    assert (first.json()["version"], first.json()["values"], first.json()["complete"]) == (
        1,
        {"maturity": "4"},
        True,
    )
    alice = api(token_for("alice@alfa.test"))
    stale = put(alice, url, {"version": 0, "values": {"maturity": "2"}})
    assert stale.status_code == 409
    assert stale.json()["version"] == 1
    assert stale.json()["current"]["values"] == {"maturity": "4"}
    assert Answer.objects.get(item__code="CY-01").version == 1
    assert AnswerRevision.objects.get().source == "api"


def test_api_put_invalid_answer_is_422_with_dutch_errors(assessment, world: World) -> None:
    alice = api(token_for("alice@alfa.test"))
    response = put(
        alice,
        f"/api/v1/assessments/{assessment.pk}/answers/ZC-06",
        {"version": 0, "values": {"bezettingsgraad_isolatie_units": 140}},
    )
    assert response.status_code == 422
    assert response.json()["errors"] == {
        "values.bezettingsgraad_isolatie_units": "Vul maximaal 100 % in."
    }
    assert not Answer.objects.exists()


def test_api_submit_only_by_org_admin(assessment, world: World) -> None:
    url = f"/api/v1/assessments/{assessment.pk}/submit"
    assert api(token_for("bob@alfa.test")).post(url).status_code == 403
    assert api(token_for("coby@azo.test")).post(url).status_code == 403
    response = api(token_for("alice@alfa.test")).post(url)
    assert response.status_code == 200
    assert response.json()["state"] == AssessmentState.SUBMITTED
    assert api(token_for("alice@alfa.test")).post(url).status_code == 409
    locked = put(
        api(token_for("alice@alfa.test")),
        f"/api/v1/assessments/{assessment.pk}/answers/CY-01",
        {"version": 0},
    )
    assert locked.status_code == 403


def test_api_session_put_requires_csrf(assessment, world: World) -> None:
    client = Client(enforce_csrf_checks=True)
    client.force_login(world.alice)
    response = put(
        client,
        f"/api/v1/assessments/{assessment.pk}/answers/CY-01",
        {"version": 0, "values": {"maturity": "1"}},
    )
    assert response.status_code == 403
    assert not Answer.objects.exists()
