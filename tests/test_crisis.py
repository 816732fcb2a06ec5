"""The warme fase: incidents with live action cards from the library, and a logbook that is
never changed or removed — not through the ORM, the admin or the API."""

from __future__ import annotations

import json

import pytest
from django.test import Client
from django.urls import reverse

from weerbaar.crisis import incidents as domain
from weerbaar.crisis.models import AppendOnly, LogEntry, StepProgress
from weerbaar.frameworks.models import Step
from weerbaar.organisations.access import NotAllowed

from .conftest import World
from .factories import final_round


def client(user) -> Client:
    c = Client()
    c.force_login(user)
    return c


@pytest.fixture
def incident(world: World):
    return domain.incident_open(
        organisation=world.own, title="Stroomuitval Kampen", codes=["D5", "D8"], by=world.alice
    )


def test_an_incident_carries_exactly_the_steps_of_its_cards(world: World, incident) -> None:
    cards = domain.cards(incident)
    assert [c.section.code for c in cards] == ["D5", "D8"]
    library = list(
        Step.objects.filter(phase__section__framework=incident.framework, phase__section__code="D5")
        .order_by("phase__order", "order")
        .values_list("code", flat=True)
    )
    assert [s.step.code for p in cards[0].phases for s in p.steps] == library
    assert [p.phase.title for p in cards[0].phases] == list(
        cards[0].section.phases.order_by("order").values_list("title", flat=True)
    )
    first = incident.log.get()
    assert first.text.startswith("Incident geopend met D5 ") and first.author == world.alice


def test_only_the_admin_opens_and_only_the_team_works(world: World, incident) -> None:
    for who in (world.coordinator, world.bob, world.reader, world.charlie):
        with pytest.raises(NotAllowed):
            domain.incident_open(organisation=world.own, title="Nog een", codes=["D1"], by=who)
    with pytest.raises(NotAllowed):
        domain.log_add(incident=incident, kind="besluit", text="x", by=world.reader)
    code = domain.cards(incident)[0].phases[0].steps[0].step.code
    for who in (world.coordinator, world.bob):  # the team: coordinators and its own people
        domain.step_set(
            incident=incident,
            code=code,
            by=who,
            expected_version=0 if who is world.coordinator else 1,
            state="gedaan" if who is world.coordinator else "open",
        )
    assert set(domain.incidents_for(world.bob)) == {incident}
    assert not domain.incidents_for(world.reader).exists()
    assert not domain.incidents_for(world.charlie).exists()


def test_steps_are_done_skipped_with_a_reason_and_never_silently_overwritten(
    world: World, incident
) -> None:
    code = domain.cards(incident)[0].phases[0].steps[0].step.code
    done = domain.step_set(
        incident=incident, code=code, by=world.alice, expected_version=0, state="gedaan"
    )
    assert (done.state, done.done_by, done.version) == ("gedaan", world.alice, 1)
    with pytest.raises(domain.StaleStep):
        domain.step_set(incident=incident, code=code, by=world.bob, expected_version=0, note="x")
    with pytest.raises(domain.IncidentInvalid, match="reden"):
        domain.step_set(
            incident=incident, code=code, by=world.bob, expected_version=1, state="overgeslagen"
        )
    skipped = domain.step_set(
        incident=incident,
        code=code,
        by=world.bob,
        expected_version=1,
        state="overgeslagen",
        skip_reason="Geen noodstroom op deze locatie",
        assignee=world.alice,
    )
    assert (skipped.state, skipped.assignee, skipped.version) == ("overgeslagen", world.alice, 2)
    with pytest.raises(domain.IncidentInvalid):  # D1 is not active
        domain.step_set(incident=incident, code="D1-1.1", by=world.alice, expected_version=0)
    with pytest.raises(domain.IncidentInvalid):  # not a colleague
        domain.step_set(
            incident=incident,
            code=code,
            by=world.alice,
            expected_version=2,
            assignee=world.charlie,
        )


def test_see_disbalans_n_activates_that_card_in_the_same_incident(world: World, incident) -> None:
    step = (
        Step.objects.filter(phase__section__framework=incident.framework, links__code="D4")
        .select_related("phase__section")
        .first()
    )
    assert step is not None
    domain.disbalans_activate(incident=incident, code=step.phase.section.code, by=world.alice)
    page = client(world.alice).get(reverse("crisis:incident", args=[incident.pk])).content.decode()
    assert 'href="#card-D4"' in page  # the cross-reference
    response = client(world.alice).post(
        reverse("crisis:activate", args=[incident.pk]), {"code": "D4"}
    )
    assert response.status_code == 302
    assert "D4" in set(incident.disbalansen.values_list("code", flat=True))
    assert not domain.disbalans_activate(incident=incident, code="D4", by=world.alice)


def test_the_logbook_is_append_only_through_the_orm(world: World, incident) -> None:
    entry = domain.log_add(
        incident=incident, kind="besluit", text="Evacueren vleugel B", by=world.alice
    )
    entry.text = "Niet evacueren"
    with pytest.raises(AppendOnly):
        entry.save()
    with pytest.raises(AppendOnly):
        entry.delete()
    with pytest.raises(AppendOnly):
        LogEntry.objects.filter(pk=entry.pk).update(text="weg")
    with pytest.raises(AppendOnly):
        LogEntry.objects.filter(pk=entry.pk).delete()
    with pytest.raises(AppendOnly):
        LogEntry.objects.bulk_update([entry], ["text"])
    entry.refresh_from_db()
    assert entry.text == "Evacueren vleugel B"
    correction = domain.log_add(
        incident=incident, kind="besluit", text="Vleugel B blijft", by=world.alice, corrects=entry
    )
    assert correction.corrects == entry and list(entry.corrections.all()) == [correction]


def test_the_logbook_is_append_only_through_the_admin(world: World, incident) -> None:
    entry = domain.log_add(incident=incident, kind="actie", text="Diesel besteld", by=world.alice)
    admin = client(world.coordinator)
    change = reverse("admin:crisis_logentry_change", args=[entry.pk])
    assert admin.get(change).status_code == 200  # readable
    admin.post(change, {"text": "Niets besteld", "kind": "actie"})
    assert admin.post(reverse("admin:crisis_logentry_delete", args=[entry.pk])).status_code == 403
    entry.refresh_from_db()
    assert entry.text == "Diesel besteld" and LogEntry.objects.filter(pk=entry.pk).exists()


def test_the_logbook_is_append_only_through_the_api(world: World, incident) -> None:
    api = client(world.alice)
    url = f"/api/v1/incidents/{incident.pk}/log"
    made = api.post(
        url,
        json.dumps({"kind": "melding_ghor", "text": "GHOR gebeld"}),
        content_type="application/json",
    )
    assert made.status_code == 201
    entry = made.json()["id"]
    for method in ("put", "patch", "delete"):
        response = getattr(api, method)(
            f"{url}/{entry}", json.dumps({"text": "weg"}), content_type="application/json"
        )
        assert response.status_code in (404, 405)
        assert (
            getattr(api, method)(
                url, json.dumps({"text": "weg"}), content_type="application/json"
            ).status_code
            == 405
        )
    assert LogEntry.objects.get(pk=entry).text == "GHOR gebeld"
    corrected = api.post(
        url,
        json.dumps({"kind": "melding_ghor", "text": "GHOR gebeld om 3:10", "corrects": entry}),
        content_type="application/json",
    )
    assert corrected.status_code == 201 and corrected.json()["corrects"] == entry
    detail = api.get(f"/api/v1/incidents/{incident.pk}").json()
    assert [c["code"] for c in detail["cards"]] == ["D5", "D8"]
    assert len(detail["log"]) == 3
    assert client(world.reader).get(f"/api/v1/incidents/{incident.pk}").status_code == 404


def test_the_api_opens_an_incident_and_works_a_step(world: World) -> None:
    api = client(world.alice)
    made = api.post(
        "/api/v1/incidents",
        json.dumps(
            {
                "organisation": world.own.pk,
                "title": "Ransomware",
                "disbalansen": ["D8"],
                "exercise": True,
            }
        ),
        content_type="application/json",
    )
    assert made.status_code == 201 and made.json()["exercise"] is True
    code = made.json()["cards"][0]["steps"][0]["code"]
    step = api.put(
        f"/api/v1/incidents/{made.json()['id']}/steps/{code}",
        json.dumps({"version": 0, "state": "gedaan"}),
        content_type="application/json",
    )
    assert step.status_code == 200 and step.json()["state"] == "gedaan"
    stale = api.put(
        f"/api/v1/incidents/{made.json()['id']}/steps/{code}",
        json.dumps({"version": 0, "note": "later"}),
        content_type="application/json",
    )
    assert stale.status_code == 409
    refused = client(world.coordinator).post(
        "/api/v1/incidents",
        json.dumps({"organisation": world.own.pk, "title": "X", "disbalansen": ["D8"]}),
        content_type="application/json",
    )
    assert refused.status_code == 403
    assert StepProgress.objects.get(step_code=code).state == "gedaan"


def test_beside_each_card_its_preparation_and_figures_unknown_shown_as_unknown(
    world: World, incident
) -> None:
    from weerbaar.crisis.context import card_context

    empty = card_context(incident, "D5")
    assert empty.prepared_in is None and not any(p.known for p in empty.preparation)
    assert empty.preparation and all(f.value is None for f in empty.figures)

    final_round(world, "kader-weerbare-zorg", {"UV-01": {"values": {"noodstroom_uren": "48"}}})
    final_round(
        world,
        "zorgcontinuiteit-in-balans",
        {"D5-P01": {"values": {"maturity": "3"}}, "D5-P02": {"values": {"maturity": "unknown"}}},
    )
    context = card_context(incident, "D5")
    levels = {p.item.code: p.level for p in context.preparation}
    assert levels["D5-P01"] == "3 · Geregeld"
    assert levels["D5-P02"] is None and levels["D5-P03"] is None  # unknown, not fine
    figures = {f.label: f.value for f in context.figures}
    assert [str(v) for v in figures.values() if v is not None] == ["48.000"]
    assert sum(1 for v in figures.values() if v is None) == 2  # water and stock: unknown
    page = client(world.alice).get(reverse("crisis:incident", args=[incident.pk])).content.decode()
    assert "3 · Geregeld" in page and "onbekend" in page and "48 uur" in page


def test_closing_evaluates_and_turns_lessons_into_improvement_actions(
    world: World, incident
) -> None:
    from weerbaar.plan.models import ImprovementAction

    with pytest.raises(NotAllowed):
        domain.incident_close(incident=incident, by=world.coordinator, evaluation="Goed")
    with pytest.raises(domain.IncidentInvalid):
        domain.incident_close(incident=incident, by=world.alice, evaluation="  ")
    open_steps = domain.open_normalising_steps(incident)
    assert open_steps and all(s.state == "open" for s in open_steps)
    page = client(world.alice).get(reverse("crisis:close", args=[incident.pk])).content.decode()
    assert "stappen van Normaliseren open" in page
    response = client(world.alice).post(
        reverse("crisis:close", args=[incident.pk]),
        {
            "evaluatie": "Noodstroom hield 30 uur; de dieselbevoorrading liep vast.",
            "lessen": "Tweede dieselleverancier contracteren\n\nSatelliettelefoon testen\n",
        },
    )
    assert response.status_code == 302
    incident.refresh_from_db()
    assert (incident.state, incident.closed_by) == ("gesloten", world.alice)
    actions = ImprovementAction.objects.filter(organisation=world.own).order_by("pk")
    assert [a.title for a in actions] == [
        "Tweede dieselleverancier contracteren",
        "Satelliettelefoon testen",
    ]
    assert "Stroomuitval Kampen" in actions[0].description
    assert incident.log.last().text.startswith("Incident gesloten; 2 lessen")
    with pytest.raises(NotAllowed):  # closed: nothing is added any more
        domain.log_add(incident=incident, kind="actie", text="Nog iets", by=world.alice)


def test_exercises_of_the_last_year_stand_beside_the_self_assessment(world: World) -> None:
    import datetime

    from django.utils import timezone

    from weerbaar.crisis.models import Incident

    from .factories import open_round

    url = reverse("crisis:exercises", args=[world.own.pk])
    assert "Geen oefening vastgelegd" in client(world.alice).get(url).content.decode()
    exercise = domain.incident_open(
        organisation=world.own,
        title="Oefening stroomuitval",
        codes=["D5"],
        by=world.alice,
        is_exercise=True,
    )
    domain.incident_open(
        organisation=world.own, title="Echte storing", codes=["D8"], by=world.alice
    )
    old = domain.incident_open(
        organisation=world.own,
        title="Oefening 2024",
        codes=["D1"],
        by=world.alice,
        is_exercise=True,
    )
    Incident.objects.filter(pk=old.pk).update(
        started_at=timezone.now() - datetime.timedelta(days=400)
    )
    page = client(world.alice).get(url).content.decode()
    assert "Oefening stroomuitval" in page
    assert "Echte storing" not in page and "Oefening 2024" not in page
    assert f'href="/incidenten/{exercise.pk}/"' in page
    assert client(world.reader).get(url).status_code == 404
    assessment = open_round(world).assessments.get()
    detail = client(world.alice).get(reverse("assessments:detail", args=[assessment.pk]))
    assert f'hx-get="{url}"' in detail.content.decode()
