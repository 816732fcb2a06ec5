"""Status reports, support requests and the regional crisis picture: what an organisation
tells and asks the region, and what the GHOR sees — every report kept, exercises apart."""

from __future__ import annotations

import datetime
import json
from decimal import Decimal

import pytest
from django.core import mail
from django.db import DatabaseError, connection, transaction
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from weerbaar.crisis import incidents
from weerbaar.crisis import status as domain
from weerbaar.crisis.models import AppendOnly, ReportReminder, StatusReport
from weerbaar.crisis.picture import picture
from weerbaar.organisations.access import NotAllowed
from weerbaar.scoring.models import Norm

from .conftest import World
from .factories import final_round


def client(user) -> Client:
    c = Client()
    c.force_login(user)
    return c


def figures(**given):
    data = dict.fromkeys(domain.FIGURES, "")
    data.update({k: str(v) for k, v in given.items()})
    return domain.clean_report(data)


@pytest.fixture
def incident(world: World):
    return incidents.incident_open(
        organisation=world.own, title="Stroomuitval", codes=["D5"], by=world.alice
    )


def test_a_report_is_validated_in_dutch_and_nothing_is_saved(world: World) -> None:
    with pytest.raises(domain.ReportInvalid) as refused:
        figures(beds_ic=-1, power_hours="3000", staff_shortage_pct=120, on_emergency_power="true")
    errors = refused.value.errors
    assert errors["beds_ic"] == ["Een aantal kan niet negatief zijn."]
    assert errors["power_hours"] == ["Hoogstens 2160 uur (90 dagen)."]
    assert errors["staff_shortage_pct"] == ["Een percentage ligt tussen 0 en 100."]
    with pytest.raises(domain.ReportInvalid) as refused:
        figures(on_emergency_power="true")
    assert "noodstroom" in refused.value.errors["power_hours"][0]
    assert figures(power_hours="36,5")["power_hours"] == Decimal("36.5")
    assert not StatusReport.objects.exists()


def test_every_report_is_kept_and_never_changed(world: World, incident) -> None:
    first = domain.report_add(
        organisation=world.own, by=world.alice, figures=figures(beds_ic=4, power_hours=40)
    )
    second = domain.report_add(
        organisation=world.own, by=world.bob, figures=figures(beds_ic=2, power_hours=30)
    )
    assert first.incident == incident and not first.is_exercise and not first.on_behalf
    assert list(StatusReport.objects.filter(organisation=world.own)) == [second, first]
    first.beds_ic = 9
    with pytest.raises(AppendOnly):
        first.save()
    with pytest.raises(AppendOnly):
        first.delete()
    with pytest.raises(AppendOnly):
        StatusReport.objects.filter(pk=first.pk).update(beds_ic=9)
    with pytest.raises(AppendOnly):
        StatusReport.objects.all().delete()
    # Around the ORM, the database itself refuses.
    with pytest.raises(DatabaseError), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("UPDATE crisis_statusreport SET beds_ic = 9 WHERE id = %s", [first.pk])
    with pytest.raises(DatabaseError), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("UPDATE crisis_logentry SET text = 'weg'")
    assert StatusReport.objects.get(pk=first.pk).beds_ic == 4


def test_who_reports_and_who_sees_the_reports(world: World, incident) -> None:
    domain.report_add(organisation=world.own, by=world.alice, figures=figures(beds_ic=1))
    phoned = domain.report_add(organisation=world.own, by=world.reader, figures=figures())
    assert phoned.on_behalf  # the GHOR entered it for the hospital
    for who in (world.charlie, world.outsider):
        with pytest.raises(NotAllowed):
            domain.report_add(organisation=world.own, by=who, figures=figures())
    # Region readers see reports even though Alfa does not share its answers; neighbours not.
    assert not world.own.shares_with_region_readers
    assert domain.reports_for(world.reader).count() == 2
    assert not domain.reports_for(world.charlie).exists()
    assert not domain.reports_for(world.outsider).exists()
    # Incident details stay with the team.
    assert not incidents.incidents_for(world.reader).exists()


def test_the_first_report_starts_from_the_established_answers_then_the_previous(
    world: World,
) -> None:
    assert domain.start(world.own, exercise=False).source == ""
    final_round(
        world,
        "kader-weerbare-zorg",
        {
            "ZC-02": {"values": {"bedden_ic": "6"}},
            "UV-01": {"values": {"noodstroom_uren": "48"}},
            "UV-03": {"values": {"drinkwater_uren": "12"}},
        },
    )
    begin = domain.start(world.own, exercise=False)
    assert begin.source == "antwoorden" and "eerste rapport" in begin.explanation
    assert begin.initial["beds_ic"] == 6 and begin.initial["power_hours"] == Decimal(48)
    assert begin.initial["water_hours"] == Decimal(12)
    domain.report_add(organisation=world.own, by=world.alice, figures=figures(beds_ic=3))
    begin = domain.start(world.own, exercise=False)
    assert begin.source == "vorig_rapport" and begin.initial["beds_ic"] == 3
    assert begin.initial["power_hours"] is None  # the previous report did not know it


def test_support_moves_forward_with_a_reply_and_is_never_silently_overwritten(
    world: World, incident
) -> None:
    with pytest.raises(domain.ReportInvalid) as refused:
        domain.support_ask(organisation=world.own, by=world.alice, what="", quantity="")
    assert set(refused.value.errors) == {"what", "quantity"}
    with pytest.raises(NotAllowed):
        domain.support_ask(organisation=world.own, by=world.reader, what="x", quantity="1")
    asked = domain.support_ask(
        organisation=world.own, by=world.bob, what="Diesel", quantity="2.000 liter"
    )
    assert asked.state == "ontvangen" and asked.incident == incident
    with pytest.raises(NotAllowed):  # the organisation does not move its own request
        domain.support_move(
            request=asked, by=world.alice, state="geregeld", reply="", expected_version=0
        )
    moved = domain.support_move(
        request=asked, by=world.reader, state="in_behandeling", reply="", expected_version=0
    )
    with pytest.raises(domain.StaleRequest):
        domain.support_move(
            request=asked, by=world.coordinator, state="geregeld", reply="", expected_version=0
        )
    with pytest.raises(domain.ReportInvalid) as refused:
        domain.support_move(
            request=moved, by=world.reader, state="niet_mogelijk", reply="", expected_version=1
        )
    assert "waarom" in refused.value.errors["reply"][0]
    domain.support_move(
        request=moved,
        by=world.reader,
        state="geregeld",
        reply="Tankwagen onderweg, 14:00.",
        expected_version=1,
    )
    with pytest.raises(domain.ReportInvalid, match="terug"):
        domain.support_move(
            request=moved, by=world.reader, state="ontvangen", reply="x", expected_version=2
        )
    asked.refresh_from_db()
    assert (asked.state, asked.reply, asked.handled_by) == (
        "geregeld",
        "Tankwagen onderweg, 14:00.",
        world.reader,
    )


def test_the_picture_shows_latest_status_change_staleness_totals_and_norms(
    world: World, incident
) -> None:
    region = world.own.region
    Norm.objects.create(region=region, norm_key="noodstroom_uren", minimum=72, source="regio")
    now = timezone.now()
    domain.report_add(
        organisation=world.own, by=world.alice, figures=figures(beds_ic=4, power_hours=50)
    )
    domain.report_add(
        organisation=world.own, by=world.alice, figures=figures(beds_ic=2, power_hours=40)
    )
    domain.report_add(organisation=world.other, by=world.charlie, figures=figures(beds_ic=5))
    seen = picture(region, now=now + datetime.timedelta(minutes=1))
    rows = {r.organisation: r for r in seen.rows}
    alfa = rows[world.own]
    assert alfa.incidents == [incident] and alfa.disbalansen == ["D5"]
    assert alfa.beds[0] == (2, -2) and alfa.power == (Decimal(40), Decimal(-10))
    assert alfa.under_norm == ["power_hours"] and not alfa.stale
    assert seen.beds["beds_ic"] == 7 and seen.beds_reported["beds_ic"] == 2
    assert seen.beds_reported["beds_trauma"] == 0  # unknown everywhere: not a zero of 2
    later = picture(region, now=now + datetime.timedelta(hours=5))  # interval: 4 hours
    assert all(r.stale for r in later.rows) and later.stale_count == 2


def test_an_exercise_stays_out_of_the_real_picture(world: World) -> None:
    drill = incidents.incident_open(
        organisation=world.other, title="Oefening", codes=["D1"], by=world.charlie, is_exercise=True
    )
    report = domain.report_add(
        organisation=world.other, by=world.charlie, figures=figures(beds_ic=9), incident=drill
    )
    ask = domain.support_ask(
        organisation=world.other, by=world.charlie, what="Water", quantity="1", incident=drill
    )
    assert report.is_exercise and ask.is_exercise
    real = picture(world.own.region)
    assert world.other not in [r.organisation for r in real.rows]
    assert real.beds["beds_ic"] == 0 and not real.support
    drill_picture = picture(world.own.region, exercise=True)
    assert [r.organisation for r in drill_picture.rows] == [world.other]
    assert drill_picture.beds["beds_ic"] == 9 and drill_picture.support == [ask]


def test_reminders_go_out_once_per_interval_while_a_report_is_due(
    world: World, incident, settings
) -> None:
    settings.WEERBAAR_BASE_URL = "https://weerbaar.test"
    now = incident.started_at
    assert domain.send_report_reminders(now=now + datetime.timedelta(hours=1)) == 0
    assert domain.send_report_reminders(now=now + datetime.timedelta(hours=4, minutes=1)) == 1
    assert mail.outbox[-1].to == ["alice@alfa.test"]
    assert "situatierapport" in mail.outbox[-1].body.lower()
    assert "https://weerbaar.test/organisaties/" in mail.outbox[-1].body
    assert domain.send_report_reminders(now=now + datetime.timedelta(hours=5)) == 0
    assert domain.send_report_reminders(now=now + datetime.timedelta(hours=8, minutes=2)) == 1
    assert ReportReminder.objects.count() == 2
    from django.core.management import call_command

    call_command("report-reminders", "--now")  # at the real time nothing is due yet
    assert ReportReminder.objects.count() == 2


def test_the_report_form_is_prefilled_says_so_and_keeps_bad_input(world: World, incident) -> None:
    c = client(world.alice)
    url = reverse("crisis:report_new", args=[world.own.pk])
    page = c.get(url)
    assert page.status_code == 200
    assert "geen vastgestelde antwoorden" in page.content.decode()
    bad = c.post(url, {"beds_ic": "-3", "notes": "Aggregaat 2 valt uit", "power_hours": "12"})
    body = bad.content.decode()
    assert bad.status_code == 400 and "Een aantal kan niet negatief zijn." in body
    assert "Aggregaat 2 valt uit" in body and not StatusReport.objects.exists()
    good = c.post(url, {"beds_ic": "3", "power_hours": "12,5", "on_emergency_power": "true"})
    assert good.status_code == 302
    report = StatusReport.objects.get()
    assert report.power_hours == Decimal("12.5") and report.on_emergency_power
    history = c.get(reverse("crisis:reports", args=[world.own.pk])).content.decode()
    assert "12,5" in history


def test_the_ghor_handles_a_request_on_its_page_and_the_organisation_sees_it(
    world: World, incident
) -> None:
    asked = domain.support_ask(
        organisation=world.own, by=world.alice, what="Zuurstof", quantity="20 cilinders"
    )
    url = reverse("crisis:support", args=[asked.pk])
    assert client(world.alice).post(url, {"state": "geregeld", "version": 0}).status_code == 403
    assert client(world.charlie).get(url).status_code == 404
    refused = client(world.reader).post(url, {"state": "niet_mogelijk", "version": 0})
    assert refused.status_code == 400 and "waarom" in refused.content.decode()
    done = client(world.reader).post(
        url, {"state": "geregeld", "reply": "Levering 16:00", "version": 0}
    )
    assert done.status_code == 302
    mine = client(world.alice).get(reverse("crisis:reports", args=[world.own.pk]))
    assert "Levering 16:00" in mine.content.decode() and "Geregeld" in mine.content.decode()


def test_the_picture_page_and_its_refresh_fragment(world: World, incident) -> None:
    domain.report_add(organisation=world.own, by=world.alice, figures=figures(beds_ic=3))
    url = reverse("crisis:picture", args=[world.own.region.pk])
    page = client(world.reader).get(url).content.decode()
    assert "Ziekenhuis Alfa" in page and 'hx-trigger="every 30s"' in page
    assert "Bijgewerkt om" in page
    assert reverse("crisis:incident", args=[incident.pk]) not in page  # readers: no details
    coordinator = client(world.coordinator).get(url).content.decode()
    assert reverse("crisis:incident", args=[incident.pk]) in coordinator
    fragment = client(world.reader).get(url, headers={"HX-Request": "true"})
    assert fragment.content.decode().lstrip().startswith('<div id="picture"')
    assert client(world.alice).get(url).status_code == 404
    assert client(world.outsider).get(url).status_code == 404


def test_the_interval_is_the_coordinators_and_bounded(world: World) -> None:
    url = reverse("crisis:interval", args=[world.own.region.pk])
    assert client(world.reader).post(url, {"hours": "2"}).status_code == 404
    client(world.coordinator).post(url, {"hours": "99"})
    world.own.region.refresh_from_db()
    assert world.own.region.sitrep_interval_hours == 4
    client(world.coordinator).post(url, {"hours": "2"})
    world.own.region.refresh_from_db()
    assert world.own.region.sitrep_interval_hours == 2


def _api(user, method, url, payload=None):
    return getattr(client(user), method)(
        url,
        data=json.dumps(payload) if payload is not None else None,
        content_type="application/json",
    )


def test_the_api_reports_asks_moves_and_shows_the_picture(world: World, incident) -> None:
    made = _api(
        world.alice,
        "post",
        "/api/v1/sitreps",
        {"organisation": world.own.pk, "beds_ic": 2, "power_hours": 30.5, "radio": "werkt"},
    )
    assert made.status_code == 201, made.content
    assert made.json()["power_hours"] == "30.5" and made.json()["incident"] == incident.pk
    bad = _api(
        world.alice, "post", "/api/v1/sitreps", {"organisation": world.own.pk, "beds_ic": -1}
    )
    assert bad.status_code == 422 and bad.json()["errors"]["beds_ic"]
    assert (
        _api(world.charlie, "post", "/api/v1/sitreps", {"organisation": world.own.pk}).status_code
        == 404
    )
    listed = _api(world.reader, "get", f"/api/v1/organisations/{world.own.pk}/sitreps")
    assert [r["beds_ic"] for r in listed.json()] == [2]
    asked = _api(
        world.bob,
        "post",
        "/api/v1/support",
        {"organisation": world.own.pk, "what": "Diesel", "quantity": "500 l"},
    ).json()
    moved = _api(
        world.reader,
        "put",
        f"/api/v1/support/{asked['id']}",
        {"version": 0, "state": "in_behandeling"},
    )
    assert moved.status_code == 200 and moved.json()["state"] == "in_behandeling"
    stale = _api(
        world.reader, "put", f"/api/v1/support/{asked['id']}", {"version": 0, "state": "geregeld"}
    )
    assert stale.status_code == 409
    seen = _api(world.reader, "get", f"/api/v1/regions/{world.own.region.pk}/picture").json()
    assert seen["beds"]["beds_ic"] == 2 and seen["rows"][0]["name"] == "Ziekenhuis Alfa"
    assert seen["support"][0]["state"] == "in_behandeling"
    assert (
        _api(world.outsider, "get", f"/api/v1/regions/{world.own.region.pk}/picture").status_code
        == 404
    )
    for method in ("put", "patch", "delete"):
        assert _api(world.alice, method, "/api/v1/sitreps", {}).status_code == 405


def test_a_regional_message_is_acknowledged_once_per_organisation(world: World) -> None:
    from weerbaar.crisis import messages

    with pytest.raises(NotAllowed):
        messages.message_send(region=world.own.region, by=world.alice, title="x", body="y")
    with pytest.raises(domain.ReportInvalid) as refused:
        messages.message_send(region=world.own.region, by=world.reader, title="", body="")
    assert set(refused.value.errors) == {"title", "body"}
    with pytest.raises(domain.ReportInvalid):
        messages.message_send(
            region=world.own.region,
            by=world.reader,
            title="x",
            body="y",
            organisations=[world.foreign],
        )
    to_all = messages.message_send(
        region=world.own.region,
        by=world.reader,
        title="Beperk het waterverbruik",
        body="Stel niet-urgente zorg uit.",
    )
    to_alfa = messages.message_send(
        region=world.own.region,
        by=world.reader,
        title="Alleen Alfa",
        body="b",
        organisations=[world.own],
    )
    assert set(messages.messages_for(world.bob)) == {to_all, to_alfa}
    assert set(messages.messages_for(world.charlie)) == {to_all}
    assert not messages.messages_for(world.outsider).exists()
    assert messages.unacknowledged(world.bob, world.own) == [to_alfa, to_all]
    with pytest.raises(NotAllowed):  # the region does not acknowledge for an organisation
        messages.message_acknowledge(message=to_all, organisation=world.own, by=world.reader)
    with pytest.raises(NotAllowed):  # nor another organisation
        messages.message_acknowledge(message=to_all, organisation=world.own, by=world.charlie)
    first = messages.message_acknowledge(message=to_all, organisation=world.own, by=world.bob)
    again = messages.message_acknowledge(message=to_all, organisation=world.own, by=world.alice)
    assert again == first and first.by == world.bob
    receipts = {r.organisation: r.acknowledgement for r in messages.receipts(to_all)}
    assert receipts == {world.own: first, world.other: None}
    assert messages.unacknowledged(world.alice, world.own) == [to_alfa]
    [newest, older] = messages.sent_in(world.own.region)
    assert (older.acknowledged, older.addressed) == (1, 2)
    assert (newest.acknowledged, newest.addressed) == (0, 1)


def test_the_no_incident_choice_and_an_exercise_choice(world: World, incident) -> None:
    drill = incidents.incident_open(
        organisation=world.own, title="Oefening", codes=["D1"], by=world.alice, is_exercise=True
    )
    none = domain.report_add(
        organisation=world.own,
        by=world.alice,
        figures=figures(),
        incident=domain.chosen_incident(world.own, "0"),
    )
    exercise = domain.report_add(
        organisation=world.own,
        by=world.alice,
        figures=figures(),
        incident=domain.chosen_incident(world.own, str(drill.pk)),
    )
    default = domain.report_add(organisation=world.own, by=world.alice, figures=figures())
    assert (none.incident, none.is_exercise) == (None, False)
    assert (exercise.incident, exercise.is_exercise) == (drill, True)
    assert default.incident == incident
    with pytest.raises(domain.ReportInvalid):
        domain.chosen_incident(world.own, "999999")


def test_a_sharing_organisations_incident_is_read_along_by_the_region(world: World) -> None:
    shared = incidents.incident_open(
        organisation=world.other, title="Wateruitval", codes=["D5"], by=world.charlie
    )
    assert world.other.shares_with_region_readers
    page = client(world.reader).get(reverse("crisis:incident", args=[shared.pk]))
    body = page.content.decode()
    assert page.status_code == 200 and "U leest mee" in body
    assert reverse("crisis:log", args=[shared.pk]) not in body  # no forms to work with
    step = reverse("crisis:step", args=[shared.pk, "D5-1.1"])
    assert client(world.reader).post(step, {"version": "0", "state": "gedaan"}).status_code == 403
    with pytest.raises(NotAllowed):
        incidents.log_add(incident=shared, kind="besluit", text="x", by=world.reader)
    own = incidents.incident_open(
        organisation=world.own, title="Stroom", codes=["D5"], by=world.alice
    )
    assert client(world.reader).get(reverse("crisis:incident", args=[own.pk])).status_code == 404


def test_the_first_report_shows_only_the_answers_its_maker_may_see(world: World) -> None:
    final_round(
        world,
        "kader-weerbare-zorg",
        {"ZC-02": {"values": {"bedden_ic": "6"}}, "UV-01": {"values": {"noodstroom_uren": "48"}}},
    )
    # The GHOR does not see Alfa's answers (not shared), let alone its casualty beds.
    by_reader = domain.start(world.own, exercise=False, user=world.reader)
    assert by_reader.source == "" and by_reader.initial == {}
    page = client(world.reader).get(reverse("crisis:report_new", args=[world.own.pk]))
    assert 'value="6"' not in page.content.decode()
    # Bob (a respondent) may not see the confidential beds; the coordinator may.
    assert "beds_ic" not in domain.start(world.own, exercise=False, user=world.bob).initial
    assert domain.start(world.own, exercise=False, user=world.coordinator).initial["beds_ic"] == 6


def test_odd_input_is_refused_cleanly(world: World, incident) -> None:
    log = reverse("crisis:log", args=[incident.pk])
    huge = client(world.alice).post(log, {"kind": "besluit", "text": "x", "corrects": "9" * 30})
    assert huge.status_code == 400
    naive = _api(
        world.alice,
        "post",
        "/api/v1/support",
        {
            "organisation": world.own.pk,
            "what": "Diesel",
            "quantity": "1",
            "needed_by": "2099-06-01T10:00",
        },
    )
    assert naive.status_code == 201 and naive.json()["needed_by"].startswith("2099-06-01T")
    seen = _api(world.reader, "get", f"/api/v1/regions/{world.own.region_id}/picture").json()
    assert seen["beds"]["beds_trauma"] is None  # nobody reported it: unknown, not 0


def test_a_quiet_organisation_in_a_long_incident_stays_in_the_picture_as_stale(
    world: World, incident
) -> None:
    StatusReport.objects.create(
        organisation=world.own,
        incident=incident,
        reported_by=world.alice,
        reported_by_label="Alice",
        reported_at=timezone.now() - datetime.timedelta(days=40),
        beds_ic=2,
    )
    row = next(r for r in picture(world.own.region).rows if r.organisation == world.own)
    assert row.latest is not None and row.stale and row.beds[0] == (2, None)


def test_a_step_post_by_a_reader_is_refused_before_anything_else(world: World) -> None:
    shared = incidents.incident_open(
        organisation=world.other, title="Wateruitval", codes=["D5"], by=world.charlie
    )
    step = reverse("crisis:step", args=[shared.pk, "D5-1.1"])
    response = client(world.reader).post(
        step, {"version": "0", "assignee": "424242"}, headers={"HX-Request": "true"}
    )
    assert response.status_code == 403
