"""The improvement plan: actions linked to gaps, versions, overdue, access, audit."""

from __future__ import annotations

import datetime

import pytest
from django.test import Client
from django.urls import reverse

from weerbaar.assessments.answering import answer_save
from weerbaar.audit.models import AuditEvent
from weerbaar.frameworks.models import Item
from weerbaar.plan.actions import StaleAction, action_create, action_update, gap_states
from weerbaar.plan.models import ActionStatus, ImprovementAction

from .conftest import World
from .factories import open_round


@pytest.fixture
def assessment(world: World):
    return open_round(world).assessments.get()


def item(code: str) -> Item:
    return Item.objects.get(section__framework__slug="kader-weerbare-zorg", code=code)


def test_an_action_is_added_from_the_gap_list_and_shown_there(world: World, assessment) -> None:
    client = Client()
    client.force_login(world.alice)
    gaps = client.get(reverse("insights:gaps", args=[assessment.pk]))
    new_url = reverse("plan:action_new", args=[world.own.pk])
    assert f"{new_url}?zelfevaluatie={assessment.pk}&amp;hiaat=CY-01".encode() in gaps.content
    form = client.get(new_url, {"zelfevaluatie": assessment.pk, "hiaat": "CY-01"})
    assert item("CY-01").text.encode() in form.content
    response = client.post(
        new_url,
        {
            "zelfevaluatie": assessment.pk,
            "hiaat": "CY-01",
            "title": "Crisisplan cyber opstellen en oefenen",
            "owner": world.bob.pk,
            "due_on": "2027-03-01",
            "status": "open",
        },
    )
    assert response.status_code == 302
    action = ImprovementAction.objects.get()
    assert (action.item.code, action.assessment, action.owner) == ("CY-01", assessment, world.bob)
    event = AuditEvent.objects.get(action="improvement_action.create")
    assert event.actor == world.alice and event.new["title"] == action.title
    gaps = client.get(reverse("insights:gaps", args=[assessment.pk]))
    assert b"Crisisplan cyber opstellen en oefenen" in gaps.content


def test_bad_input_is_refused_in_dutch_and_nothing_is_saved(world: World) -> None:
    client = Client()
    client.force_login(world.alice)
    response = client.post(
        reverse("plan:action_new", args=[world.own.pk]),
        {"title": "", "due_on": "morgen", "status": "open", "owner": world.charlie.pk},
    )
    assert response.status_code == 400
    assert "Beschrijf de actie in een zin." in response.content.decode()
    assert "Vul een geldige datum in" in response.content.decode()
    assert "Kies een collega van deze organisatie." in response.content.decode()
    assert not ImprovementAction.objects.exists()


def test_a_stale_edit_is_refused_and_audited_changes_keep_old_and_new(world: World) -> None:
    action = action_create(organisation=world.own, title="Brandstofcontract", by=world.alice)
    action_update(action=action, expected_version=1, by=world.coordinator, status="bezig")
    with pytest.raises(StaleAction):
        action_update(action=action, expected_version=1, by=world.alice, status="afgerond")
    action.refresh_from_db()
    assert (action.status, action.version) == ("bezig", 2)
    event = AuditEvent.objects.get(action="improvement_action.update")
    assert (event.old["status"], event.new["status"]) == ("open", "bezig")
    client = Client()
    client.force_login(world.alice)
    url = reverse("plan:action_edit", args=[world.own.pk, action.pk])
    response = client.post(url, {"title": "Brandstofcontract", "status": "afgerond", "version": 1})
    assert response.status_code == 302 and response["Location"] == url
    action.refresh_from_db()
    assert action.status == "bezig"  # not overwritten


def test_finishing_the_actions_does_not_close_the_gap(world: World, assessment) -> None:
    action = action_create(
        organisation=world.own,
        title="Noodcommunicatie testen",
        item=item("CY-03"),
        assessment=assessment,
        by=world.alice,
    )
    action_update(action=action, expected_version=1, by=world.alice, status=ActionStatus.DONE)
    assert gap_states(world.own, {"CY-03"})["CY-03"].open
    answer_save(
        assessment=assessment,
        item=item("CY-03"),
        data={"values": {"maturity": "4"}},
        expected_version=0,
        by=world.alice,
    )
    assert not gap_states(world.own, {"CY-03"})["CY-03"].open


def test_overdue_actions_stand_out(world: World) -> None:
    yesterday = datetime.date.today() - datetime.timedelta(days=1)
    late = action_create(organisation=world.own, title="Te laat", due_on=yesterday, by=world.alice)
    done = action_create(
        organisation=world.own, title="Klaar", due_on=yesterday, status="afgerond", by=world.alice
    )
    assert late.is_overdue and not done.is_overdue
    client = Client()
    client.force_login(world.alice)
    page = client.get(reverse("plan:plan", args=[world.own.pk])).content.decode()
    assert 'class="overdue"' in page and "1 over de datum" in page


def test_readers_of_a_sharing_organisation_read_but_cannot_change(world: World) -> None:
    action = action_create(organisation=world.other, title="Waterplan", by=world.charlie)
    reader = Client()
    reader.force_login(world.reader)
    assert reader.get(reverse("plan:plan", args=[world.other.pk])).status_code == 200
    assert reader.get(reverse("api:action_list", args=[world.other.pk])).status_code == 200
    url = reverse("plan:action_edit", args=[world.other.pk, action.pk])
    assert reader.post(url, {"title": "x", "status": "open", "version": 1}).status_code == 404
    put = reader.put(
        reverse("api:action_put", args=[world.other.pk, action.pk]),
        {"version": 1, "title": "x", "status": "open"},
        content_type="application/json",
    )
    assert put.status_code == 404
    # Another organisation's action is not found through one's own organisation either.
    alice = Client()
    alice.force_login(world.alice)
    wrong = reverse("plan:action_edit", args=[world.own.pk, action.pk])
    assert alice.get(wrong).status_code == 404


def test_the_api_creates_lists_and_updates_with_versions(world: World, assessment) -> None:
    client = Client()
    client.force_login(world.alice)
    url = reverse("api:action_create", args=[world.own.pk])
    created = client.post(
        url,
        {
            "title": "Diesel voor 72 uur",
            "owner_email": world.bob.email,
            "due_on": "2027-01-31",
            "assessment": assessment.pk,
            "item_code": "UV-01",
        },
        content_type="application/json",
    )
    assert created.status_code == 201
    body = created.json()
    assert body["item_code"] == "UV-01" and body["owner_email"] == world.bob.email
    listed = client.get(reverse("api:action_list", args=[world.own.pk])).json()
    assert listed[0]["gap_open"] is True
    put_url = reverse("api:action_put", args=[world.own.pk, body["id"]])
    ok = client.put(
        put_url,
        {"version": 1, "title": "Diesel voor 72 uur", "status": "bezig"},
        content_type="application/json",
    )
    assert ok.status_code == 200 and ok.json()["version"] == 2
    stale = client.put(
        put_url,
        {"version": 1, "title": "Anders", "status": "open"},
        content_type="application/json",
    )
    assert stale.status_code == 409 and stale.json()["current"]["status"] == "bezig"
    bad = client.post(
        url, {"title": "x", "owner_email": world.charlie.email}, content_type="application/json"
    )
    assert bad.status_code == 422
    assert ImprovementAction.objects.count() == 1


def test_a_reader_does_not_learn_whether_a_confidential_gap_is_open(world: World) -> None:
    from .factories import OrganisationFactory

    umc = OrganisationFactory(
        region=world.own.region, name="UMC", sector="umc", shares_with_region_readers=True
    )
    round_ = open_round(world, umc)
    action_create(
        organisation=umc,
        title="Opvang slachtoffers regelen",
        item=Item.objects.get(section__framework__slug="kader-weerbare-zorg", code="ZC-01"),
        assessment=round_.assessments.get(),
        by=world.coordinator,
    )
    reader = Client()
    reader.force_login(world.reader)
    listed = reader.get(reverse("api:action_list", args=[umc.pk])).json()
    assert listed[0]["gap_open"] is None
    coordinator = Client()
    coordinator.force_login(world.coordinator)
    listed = coordinator.get(reverse("api:action_list", args=[umc.pk])).json()
    assert listed[0]["gap_open"] is True
