"""Malformed, oversized and racing input to the insight screens and the API: a clear Dutch
answer, nothing half-saved, never a 500 (on SQLite or PostgreSQL)."""

from __future__ import annotations

import sys
from unittest import mock

import pytest
from django.db import connection
from django.test import Client
from django.urls import reverse

from weerbaar.audit.models import AuditEvent
from weerbaar.dependencies import register as dependencies_module
from weerbaar.dependencies.models import Dependency
from weerbaar.frameworks.models import Item
from weerbaar.plan.models import ImprovementAction
from weerbaar.recommendations import status as recommendations_module
from weerbaar.recommendations.models import RecommendationStatus

from .conftest import World
from .factories import open_round


def signed_in(user) -> Client:
    client = Client(raise_request_exception=False)
    client.force_login(user)
    return client


def actions_url(world: World) -> str:
    return reverse("api:action_create", args=[world.own.pk])


@pytest.mark.parametrize("body", ['"hello world"', "[1, 2]", "42", "null"])
def test_api_bodies_must_be_json_objects(world: World, body: str) -> None:
    response = signed_in(world.alice).post(
        actions_url(world), body, content_type="application/json"
    )
    assert response.status_code == 422
    assert response.json()["detail"] == "De invoer is ongeldig."
    assert not ImprovementAction.objects.exists()


def test_api_schema_errors_are_dutch_per_field(world: World) -> None:
    response = signed_in(world.alice).post(
        actions_url(world), {"due_on": "2026-13-45"}, content_type="application/json"
    )
    assert response.status_code == 422
    messages = {tuple(e["loc"][-1:]): e["message"] for e in response.json()["errors"]}
    assert messages[("title",)] == "Dit veld is verplicht."
    assert messages[("due_on",)] == "Ongeldige datum (gebruik JJJJ-MM-DD)."


def test_api_refuses_nul_characters_before_the_database(world: World) -> None:
    seen: list[str] = []

    def spy(execute, sql, params, many, context):
        rows = params if not many else [value for row in params for value in row]
        seen.extend(v for v in (rows or ()) if isinstance(v, str) and "\x00" in v)
        return execute(sql, params, many, context)

    alice = signed_in(world.alice)
    with connection.execute_wrapper(spy):
        for body in ('{"title": "a\\u0000b"}', '{"title": "a", "owner_email": "a\\u0000b"}'):
            response = alice.post(actions_url(world), body, content_type="application/json")
            assert response.status_code == 422
            assert response.json()["errors"][0]["message"] == "Tekst mag geen NUL-teken bevatten."
        trend = signed_in(world.coordinator).get(
            reverse("api:region_trend", args=[world.own.region_id]), {"framework": "a\x00b"}
        )
        assert trend.status_code == 400
        assessment = open_round(world).assessments.get()
        page = alice.get(
            reverse("plan:action_new", args=[world.own.pk]),
            {"zelfevaluatie": assessment.pk, "hiaat": "a\x00b"},
        )
        assert page.status_code == 400 and "NUL" in page.content.decode()
    assert seen == []
    assert not ImprovementAction.objects.exists()


def test_api_item_code_needs_its_assessment(world: World) -> None:
    response = signed_in(world.alice).post(
        actions_url(world),
        {"title": "Oefenen", "item_code": "CY-01"},
        content_type="application/json",
    )
    assert response.status_code == 422
    assert "zelfevaluatie" in response.json()["detail"]
    assert not ImprovementAction.objects.exists()


def test_linked_codes_that_do_not_fit_are_a_form_error(world: World) -> None:
    codes = Item.objects.filter(section__framework__slug="kader-weerbare-zorg").values_list(
        "code", flat=True
    )
    text = ""
    for code in codes:  # just under the form's 300 characters, without spaces
        if len(text) + len(code) + 1 > 300:
            break
        text = f"{text},{code}" if text else code
    advies = Item.objects.filter(section__framework__slug="zorgrisicoprofiel-adviezen").first()
    role = advies.responsible_links.first().role
    url = reverse(
        "recommendations:recommendation_edit", args=[world.own.region_id, advies.pk, role.key]
    )
    response = signed_in(world.coordinator).post(
        url, {"state": "bezig", "linked_codes": text, "version": 0}
    )
    assert response.status_code == 400
    assert "Te veel vraagcodes: samen hoogstens 300 tekens." in response.content.decode()
    assert not RecommendationStatus.objects.exists()


def test_a_tampered_version_field_says_what_to_do(world: World) -> None:
    advies = Item.objects.filter(section__framework__slug="zorgrisicoprofiel-adviezen").first()
    role = advies.responsible_links.first().role
    url = reverse(
        "recommendations:recommendation_edit", args=[world.own.region_id, advies.pk, role.key]
    )
    response = signed_in(world.coordinator).post(url, {"state": "bezig", "version": "abc"})
    assert response.status_code == 400
    assert "Laad de pagina opnieuw" in response.content.decode()
    assert not RecommendationStatus.objects.exists()


def test_two_coordinators_recording_the_same_status_at_once(world: World) -> None:
    """The other coordinator's row appears between our check and our insert: we get the
    'someone else changed this' message and the current version, not a 500."""
    advies = Item.objects.filter(section__framework__slug="zorgrisicoprofiel-adviezen").first()
    role = advies.responsible_links.first().role
    real_now = recommendations_module.timezone.now

    def other_coordinator_first():
        caller = sys._getframe(1).f_code.co_name
        if caller == "recommendation_set" and not RecommendationStatus.objects.exists():
            RecommendationStatus.objects.create(
                region=world.own.region, item=advies, role=role, version=1, owner="GHOR"
            )
        return real_now()

    url = reverse(
        "recommendations:recommendation_edit", args=[world.own.region_id, advies.pk, role.key]
    )
    with mock.patch.object(recommendations_module.timezone, "now", other_coordinator_first):
        response = signed_in(world.coordinator).post(
            url, {"state": "bezig", "version": 0}, follow=True
        )
    assert response.status_code == 200
    assert "iemand anders heeft deze status intussen gewijzigd" in response.content.decode()
    # Ours was not saved. (The simulated colleague wrote inside our transaction, so their
    # row is rolled back with ours here; in real life it stands.)
    assert not RecommendationStatus.objects.filter(state="bezig").exists()


def test_two_colleagues_adding_the_same_supplier_at_once(world: World) -> None:
    real_now = dependencies_module.timezone.now

    def colleague_first():
        caller = sys._getframe(1).f_code.co_name
        if caller == "dependency_save" and not Dependency.objects.exists():
            Dependency.objects.create(
                organisation=world.own, category="cloud", supplier="Azure", supplier_key="azure"
            )
        return real_now()

    with mock.patch.object(dependencies_module.timezone, "now", colleague_first):
        response = signed_in(world.alice).post(
            reverse("dependencies:dependency_new", args=[world.own.pk]),
            {"category": "cloud", "supplier": "Azure", "origin": "nl"},
        )
    assert response.status_code == 400
    assert "Deze leverancier staat al in deze categorie." in response.content.decode()
    assert not AuditEvent.objects.filter(action="dependency.create").exists()  # nothing half


def test_nul_in_the_path_or_a_multipart_form_is_refused(world: World) -> None:
    assessment = open_round(world).assessments.get()
    alice = signed_in(world.alice)
    for url in (
        "/api/v1/frameworks/kader%00x",
        f"/zelfevaluaties/{assessment.pk}/vragen/CY%0001/",
    ):
        response = alice.get(url)
        assert response.status_code == 400, url
    multipart = alice.post(
        reverse("plan:action_new", args=[world.own.pk]),
        {"title": "Oefenen", "hiaat": "CY\x0001"},  # the test client sends multipart
    )
    assert multipart.status_code == 400
    assert not ImprovementAction.objects.exists()


def test_deeply_nested_json_is_a_422_not_a_crash(world: World) -> None:
    body = '{"title": "x", "description": ' + "[" * 500 + "]" * 500 + "}"
    response = signed_in(world.alice).post(
        actions_url(world), body, content_type="application/json"
    )
    assert response.status_code == 422
    assert not ImprovementAction.objects.exists()
