"""Scenarios on a region's real figures: read from the established answers (and, during a
crisis, the status reports), run from the command line as JSON."""

from __future__ import annotations

import json
import math

import pytest
from django.core.management import CommandError, call_command

from weerbaar.crisis import incidents
from weerbaar.crisis.status import clean_report, report_add
from weerbaar.organisations.models import Location
from weerbaar.scenarios.data import load
from weerbaar.scenarios.engine import run
from weerbaar.scenarios.presets import PRESETS, ScenarioInvalid, description, scenario_from

from .conftest import World
from .factories import final_round


@pytest.fixture
def answered(world: World):
    Location.objects.create(organisation=world.own, name="Hoofdlocatie", city="Zwolle")
    return final_round(
        world,
        "kader-weerbare-zorg",
        {
            "UV-01": {"values": {"noodstroom_uren": "48"}},
            "UV-02": {"values": {"maturity": "3"}},
            "UV-03": {"values": {"drinkwater_uren": "12"}},
            "ZC-02": {"values": {"bedden_ic": "6", "bedden_heelkunde_trauma": "20"}},
        },
    )


def test_the_region_is_read_from_the_established_answers(world: World, answered) -> None:
    loaded = load(world.own.region)
    r = loaded.region
    alfa = [o.pk for o in loaded.organisations].index(world.own.pk)
    beta = [o.pk for o in loaded.organisations].index(world.other.pk)
    assert r.power_hours[alfa] == 48 and r.rationing[alfa] == 3 and r.water_hours[alfa] == 12
    assert r.beds[alfa, 0] == 6 and r.beds[alfa, 1] == 20 and math.isnan(r.beds[alfa, 2])
    assert math.isnan(r.power_hours[beta])  # nothing established: unknown, not zero
    assert r.municipalities == ["Zwolle"] and r.municipality[alfa] == 0
    result = run(r, scenario_from(PRESETS["stroomuitval-72-uur"]))
    assert result.runs_out["power"][alfa] == math.inf  # 48 h × 1.5 (rationing) ≥ 72
    assert (beta, "power") in result.blind_spots


def test_during_a_crisis_the_latest_report_replaces_the_answers(world: World, answered) -> None:
    incidents.incident_open(organisation=world.own, title="Stroom", codes=["D5"], by=world.alice)
    report_add(
        organisation=world.own,
        by=world.alice,
        figures=clean_report({"power_hours": "10", "beds_ic": "1"}),
    )
    loaded = load(world.own.region, use_reports=True)
    alfa = [o.pk for o in loaded.organisations].index(world.own.pk)
    assert loaded.reports_used == 1
    assert 9.9 < loaded.region.power_hours[alfa] <= 10 and loaded.region.beds[alfa, 0] == 1


def test_the_command_line_runs_a_preset_as_json(world: World, answered, capsys) -> None:
    call_command("scenario", "run", "stroomuitval-72-uur", "--region", "oost")
    result = json.loads(capsys.readouterr().out)
    assert result["scenario"] == "72 uur regionale stroomuitval"
    names = {b["organisation"] for b in result["blind_spots"]}
    assert "Verpleeghuis Beta" in names and "Ziekenhuis Alfa" not in names
    assert {a["name"] for a in result["assumptions"]} >= {"rationing_stretch"}
    call_command("scenario", "presets")
    assert "medicijnstop-2-weken" in capsys.readouterr().out
    with pytest.raises(CommandError, match="Geen scenario"):
        call_command("scenario", "run", "bestaat-niet", "--region", "oost")


def test_a_scenario_file_is_checked_in_dutch(world: World, tmp_path) -> None:
    with pytest.raises(ScenarioInvalid, match="kies stroom"):
        scenario_from({"outages": [{"kind": "vulkaan"}]})
    with pytest.raises(ScenarioInvalid, match="horizon_days"):
        scenario_from({"horizon_days": 1000})
    with pytest.raises(ScenarioInvalid, match="onbekende gemeente"):
        scenario_from({"outages": [{"kind": "power", "municipalities": ["Atlantis"]}]})
    broken = tmp_path / "kapot.json"
    broken.write_text("{niet: json")
    with pytest.raises(ScenarioInvalid, match="geen leesbare JSON"):
        description(str(broken))


def test_an_old_status_report_says_nothing_about_now(world: World, answered) -> None:
    import datetime

    from django.utils import timezone

    from weerbaar.crisis.models import StatusReport

    StatusReport.objects.create(
        organisation=world.own,
        reported_by=world.alice,
        reported_by_label="Alice",
        reported_at=timezone.now() - datetime.timedelta(days=30),
        power_hours=5,
    )
    loaded = load(world.own.region, use_reports=True)
    alfa = [o.pk for o in loaded.organisations].index(world.own.pk)
    assert loaded.reports_used == 0 and loaded.region.power_hours[alfa] == 48


def test_the_api_runs_a_scenario_for_the_coordinators(world: World, answered) -> None:
    from django.test import Client

    def post(user, body):
        c = Client()
        c.force_login(user)
        return c.post("/api/v1/scenarios/run", json.dumps(body), content_type="application/json")

    region = world.own.region_id
    ran = post(world.coordinator, {"region": region, "preset": "stroomuitval-72-uur"})
    assert ran.status_code == 200
    assert ran.json()["scenario"] == "72 uur regionale stroomuitval"
    own = post(
        world.coordinator,
        {
            "region": region,
            "scenario": {"name": "Eigen", "outages": [{"kind": "power", "duration_hours": 100}]},
        },
    )
    assert own.json()["weakest"][0] == {
        "id": world.own.pk,
        "organisation": "Ziekenhuis Alfa",
        "resource": "power",
        "hour": 72.0,
        "below_norm": False,  # the region has no norm for it
    }
    # A region reader runs it too, on what they may see: Alfa does not share its answers.
    seen = post(world.reader, {"region": region, "preset": "stroomuitval-72-uur"})
    assert seen.status_code == 200
    assert seen.json()["hidden_organisations"] == 1 and "Alfa" not in seen.content.decode()
    assert post(world.alice, {"region": region, "preset": "stroomuitval-72-uur"}).status_code == 404
    assert post(world.coordinator, {"region": region}).status_code == 422
    saved = _copy(world, world.reader)  # a reader's copy runs by its id
    by_id = post(world.coordinator, {"region": region, "saved": saved.pk})
    assert by_id.status_code == 200 and by_id.json()["scenario"] == saved.name
    foreign = post(world.coordinator, {"region": region, "saved": saved.pk + 1000})
    assert foreign.status_code == 422 and "Onbekend scenario" in foreign.json()["detail"]
    bad = post(world.coordinator, {"region": region, "scenario": {"outages": [{"kind": "x"}]}})
    assert bad.status_code == 422 and "kies stroom" in bad.json()["detail"]


def test_power_dependent_clients_are_kept_and_counted_in_a_power_cut(world: World) -> None:
    from django.test import Client
    from django.urls import reverse

    from weerbaar.scenarios.models import PowerDependentClients

    def client(user):
        c = Client()
        c.force_login(user)
        return c

    url = reverse("scenarios:clients", args=[world.other.pk])
    data = {
        "municipality": "Kampen",
        "device": "thuisbeademing",
        "count": "12",
        "battery_hours": "8",
    }
    assert client(world.reader).post(url, data).status_code == 403  # Beta shares: reader sees
    assert client(world.alice).get(url).status_code == 404
    bad = client(world.charlie).post(url, {**data, "count": "-3", "battery_hours": "99999"})
    assert bad.status_code == 400 and not PowerDependentClients.objects.exists()
    assert client(world.charlie).post(url, data).status_code == 302
    again = client(world.charlie).post(url, {**data, "count": "20"})
    assert again.status_code == 400 and "verwijder het eerst" in again.content.decode()
    assert PowerDependentClients.objects.get().count == 12  # never silently overwritten
    page = client(world.reader).get(url).content.decode()
    assert "Kampen" in page and "Verwijderen" not in page

    loaded = load(world.own.region)
    assert "Kampen" in loaded.region.municipalities
    result = run(loaded.region, scenario_from(PRESETS["stroomuitval-72-uur"]))
    kampen = loaded.region.municipalities.index("Kampen")
    assert result.clients_in_need[7, kampen] == 0 and result.clients_in_need[8, kampen] == 12

    group = PowerDependentClients.objects.get()
    remove = reverse("scenarios:clients_remove", args=[group.pk])
    assert client(world.outsider).post(remove).status_code == 404
    assert client(world.reader).post(remove).status_code == 403
    assert client(world.charlie).post(remove).status_code == 302
    assert not PowerDependentClients.objects.exists()


def test_the_api_keeps_the_power_dependent_clients(world: World) -> None:
    from django.test import Client

    def api(user, method, url, body=None):
        c = Client()
        c.force_login(user)
        if method == "get":
            return c.get(url)
        return getattr(c, method)(url, json.dumps(body or {}), content_type="application/json")

    url = f"/api/v1/organisations/{world.other.pk}/power-dependent-clients"
    body = {"municipality": "Kampen", "device": "thuisbeademing", "count": 12, "battery_hours": 8}
    made = api(world.charlie, "post", url, body)
    assert made.status_code == 201 and made.json()["count"] == 12
    twice = api(world.charlie, "post", url, {**body, "count": 20})
    assert twice.status_code == 422 and "verwijder het eerst" in twice.json()["detail"]
    bad = api(world.charlie, "post", url, {**body, "municipality": "Zwolle", "count": -1})
    assert bad.status_code == 422 and bad.json()["errors"]["count"]
    assert api(world.reader, "post", url, {**body, "municipality": "Zwolle"}).status_code == 403
    assert [g["municipality"] for g in api(world.reader, "get", url).json()] == ["Kampen"]
    assert api(world.alice, "get", url).status_code == 404
    remove = f"{url}/{made.json()['id']}"
    assert api(world.alice, "delete", remove).status_code == 404
    assert api(world.charlie, "delete", remove).status_code == 204
    assert api(world.charlie, "get", url).json() == []


def _reader_run(world: World, body: dict, **options):
    from weerbaar.scenarios.summary import summary

    loaded = load(world.own.region, viewer=world.reader, **options)
    return loaded, summary(loaded, run(loaded.region, scenario_from(body, index=loaded.index)))


INFLOW = {
    "horizon_days": 5,
    "outages": [{"kind": "power", "duration_hours": 100}],
    "inflow": {"days": 5, "per_day": {"ic": 10}, "length_of_stay": {"ic": 10}},
}


def test_a_region_reader_gets_no_figure_of_an_organisation_that_does_not_share(
    world: World, answered
) -> None:
    from weerbaar.scenarios.clients import clients_add

    clients_add(
        organisation=world.own,
        by=world.alice,
        values={
            "municipality": "Zwolle",
            "device": "thuisbeademing",
            "count": 7,
            "battery_hours": 4,
        },
    )
    loaded, seen = _reader_run(world, INFLOW)
    assert loaded.hidden == 1 and math.isnan(loaded.region.power_hours[0])
    text = json.dumps(seen, ensure_ascii=False)
    assert "Ziekenhuis Alfa" not in text and "Zwolle" not in text  # 1 organisation: too few
    assert seen["endurance_hours"] is None and seen["clients_withheld"] is True
    assert [o["name"] for o in seen["organisations"]] == ["Verpleeghuis Beta"]
    assert seen["beds"]["ic"]["capacity"] == [0.0] * 5  # nothing released: no beds known
    # The coordinator sees the same run with every figure.
    everything = load(world.own.region, viewer=world.coordinator)
    assert everything.hidden == 0 and not everything.clients_withheld


def test_a_sharing_organisation_shows_its_utilities_but_never_its_casualty_beds(
    world: World, answered
) -> None:
    world.own.shares_with_region_readers = True
    world.own.save()
    loaded, seen = _reader_run(world, INFLOW)
    alfa = [o.pk for o in loaded.organisations].index(world.own.pk)
    assert loaded.region.power_hours[alfa] == 48  # UV: shared
    assert math.isnan(loaded.region.beds[alfa, 0])  # ZC-02 is confidential
    assert seen["weakest"][0]["organisation"] == "Ziekenhuis Alfa"
    assert seen["beds"]["ic"]["first_shortfall_day"] == 0  # no beds the reader may know of


def test_a_region_reader_runs_on_the_released_capacity_as_one_pool(world: World, answered) -> None:
    from weerbaar.disclosure.models import CapacityRelease
    from weerbaar.frameworks.models import AnswerPart

    part = AnswerPart.objects.get(
        key="bedden_ic", item__section__framework_id=answered.round.framework_id
    )
    CapacityRelease.objects.create(
        round=answered.round,
        released_by=world.coordinator,
        figures={
            "total": {
                "key": "regio",
                "organisations": 3,
                "values": {str(part.pk): "30"},
                "withheld": [],
            },
            "sectors": [],
        },
        contributors={},
    )
    loaded, seen = _reader_run(world, INFLOW)
    assert loaded.pooled and seen["released_capacity"] is True
    assert seen["beds"]["ic"]["capacity"][0] == 30.0  # the released sum, not Alfa's 6
    assert seen["beds"]["ic"]["first_shortfall_day"] == 3  # 10 a day for 10 days: day 4 is full
    assert all(o["name"] != str(loaded.region.names[-1]) for o in seen["organisations"])
    assert not [b for b in seen["blind_spots"] if b["organisation"] == loaded.region.names[-1]]


def test_during_a_crisis_a_reader_sees_what_the_status_reports_say(world: World, answered) -> None:
    incidents.incident_open(organisation=world.own, title="Stroom", codes=["D5"], by=world.alice)
    report_add(
        organisation=world.own,
        by=world.alice,
        figures=clean_report({"power_hours": "10", "beds_ic": "2"}),
    )
    body = {**INFLOW, "supply_stop": {"days": 30}, "assumptions": {"power_loss_closes_beds": False}}
    _loaded, seen = _reader_run(world, body, use_reports=True)
    alfa = next(o for o in seen["organisations"] if o["name"] == "Ziekenhuis Alfa")
    assert 9 < alfa["runs_out"]["power"] <= 10  # the report's hours less the time since
    assert alfa["runs_out"]["medication"] == "niet gedeeld"  # its answers stay hidden
    assert seen["beds"]["ic"]["capacity"][0] == 2.0
    assert not [b for b in seen["blind_spots"] if b["organisation"] == "Ziekenhuis Alfa"]


# --- Saved scenarios and the screens ----------------------------------------------------------


def _client(user):
    from django.test import Client

    c = Client()
    c.force_login(user)
    return c


def _copy(world: World, user, key: str = "stroomuitval-72-uur"):
    from weerbaar.scenarios.models import Scenario

    response = _client(user).post(
        f"/regio/{world.own.region_id}/scenarios/kopie/", {"van": f"preset:{key}"}
    )
    assert response.status_code == 302
    return Scenario.objects.latest("pk")


def test_a_copy_of_a_preset_is_edited_and_run(world: World, answered) -> None:
    from weerbaar.audit.models import AuditEvent

    from .matrix_warm import scenario_form

    saved = _copy(world, world.coordinator)
    assert saved.name == "Kopie van 72 uur regionale stroomuitval" and saved.version == 1
    edit = f"/scenarios/{saved.pk}/bewerken/"
    coordinator = _client(world.coordinator)
    assert coordinator.get(edit).status_code == 200
    response = coordinator.post(
        edit, scenario_form(name="Stroom 100 uur", **{"uitval-0-duration_hours": "100"})
    )
    assert response.status_code == 302 and response["Location"] == f"/scenarios/{saved.pk}/"
    saved.refresh_from_db()
    assert saved.version == 2 and saved.description["outages"][0]["duration_hours"] == 100
    assert AuditEvent.objects.filter(action="scenario.save", object_id=str(saved.pk)).exists()
    page = coordinator.get(f"/scenarios/{saved.pk}/").content.decode()
    assert "Stroom 100 uur" in page and "uur 72 (dag 4)" in page  # Alfa: 48 × 1.5 = 72
    assert f'href="/organisaties/{world.own.pk}/verbeterplan/"' in page  # weakest → plan


def test_an_edit_on_a_stale_copy_is_refused_and_nothing_is_lost(world: World) -> None:
    from .matrix_warm import scenario_form

    saved = _copy(world, world.coordinator)
    edit = f"/scenarios/{saved.pk}/bewerken/"
    first = _client(world.coordinator).post(edit, scenario_form(name="Eerste"))
    assert first.status_code == 302
    late = _client(world.coordinator).post(edit, scenario_form(name="Tweede"))  # read at 1
    assert late.status_code == 400 and "Iemand anders heeft dit scenario" in late.content.decode()
    assert 'value="Tweede"' in late.content.decode()  # what was typed comes back
    # Removing asks first, showing the scenario as it is now, with that version.
    ask = _client(world.coordinator).get(f"/scenarios/{saved.pk}/verwijderen/").content.decode()
    assert "Eerste" in ask and '<input type="hidden" name="version" value="2">' in ask
    garbled = _client(world.coordinator).post(f"/scenarios/{saved.pk}/verwijderen/", {})
    assert garbled.status_code == 302 and type(saved).objects.filter(pk=saved.pk).exists()
    saved.refresh_from_db()
    assert saved.name == "Eerste" and saved.version == 2


def test_bad_input_gets_a_dutch_message_and_saves_nothing(world: World) -> None:
    from .matrix_warm import scenario_form

    saved = _copy(world, world.coordinator)
    edit = f"/scenarios/{saved.pk}/bewerken/"
    for changes, message in (
        ({"horizon_days": "1000"}, "hoogstens 90"),
        ({"uitval-0-duration_hours": ""}, "Hoe lang duurt de uitval?"),
        ({"uitval-0-kind": "vulkaan"}, "geen beschikbare keuze"),
        ({"a_plan_level": "9"}, "hoogstens 4"),
        ({"version": ""}, "verouderd of beschadigd"),
        ({"per_day_ic": "5"}, "Hoeveel dagen komen er slachtoffers binnen?"),  # days still 0
        ({"uitval-0-start_hour": "200"}, "Binnen de horizon: hoogstens uur 168"),
        ({"supply_days": "3", "supply_start_day": "9"}, "Niet later dan de horizon (7 dagen)"),
    ):
        response = _client(world.coordinator).post(edit, scenario_form(**changes))
        assert response.status_code == 400, changes
        assert message in response.content.decode(), changes
    saved.refresh_from_db()
    assert saved.version == 1 and saved.name == "Kopie van 72 uur regionale stroomuitval"


def test_a_region_reader_edits_their_own_copy_but_not_the_coordinators(world: World) -> None:
    from .matrix_warm import scenario_form

    theirs = _copy(world, world.coordinator)
    mine = _copy(world, world.reader, "uitbraak-20-procent")
    reader = _client(world.reader)
    assert reader.post(f"/scenarios/{mine.pk}/bewerken/", scenario_form()).status_code == 302
    assert reader.post(f"/scenarios/{theirs.pk}/bewerken/", scenario_form()).status_code == 403
    assert reader.post(f"/scenarios/{theirs.pk}/verwijderen/", {"version": "1"}).status_code == 403
    assert _client(world.alice).get(f"/scenarios/{mine.pk}/").status_code == 404
    removed = reader.post(f"/scenarios/{mine.pk}/verwijderen/", {"version": "2"})
    assert removed.status_code == 302 and not type(mine).objects.filter(pk=mine.pk).exists()


def test_a_readers_screen_and_report_hold_nothing_of_an_organisation_that_does_not_share(
    world: World, answered
) -> None:
    from weerbaar.scenarios.report import report_data
    from weerbaar.scenarios.saved import evaluate, preset_source

    region = world.own.region
    url = f"/regio/{region.pk}/scenarios/preset/sabotage-stroom-militairen/"
    coordinators = _client(world.coordinator).get(url).content.decode()
    assert "Ziekenhuis Alfa" in coordinators
    # Alfa's 6 IC beds are full on the first day (6 casualties a day), before its rationed
    # diesel (48 × 1.5 = 72 hours) would close it on day 4; it has no neurosurgery beds.
    row = coordinators.split('<th scope="row">Ziekenhuis Alfa</th><td class="num">')[1]
    assert row.startswith('vol dag 1</td><td class="num">vol dag 1</td><td class="num"></td>')
    page = _client(world.reader).get(url).content.decode()
    assert "Ziekenhuis Alfa" not in page and "delen hun antwoorden niet" not in page
    assert "deelt haar antwoorden niet met regiolezers" in page  # 1 organisation
    source = preset_source("sabotage-stroom-militairen")
    evaluation = evaluate(world.reader, region, source, round_=None, reports=False)
    assert "Ziekenhuis Alfa" not in json.dumps(report_data(world.reader, region, evaluation))
    pdf = _client(world.reader).get(url + "rapport.pdf")
    assert pdf.status_code == 200 and pdf.content.startswith(b"%PDF")


def test_two_scenarios_are_compared_on_the_same_figures(world: World, answered) -> None:
    saved = _copy(world, world.coordinator, "sabotage-stroom-militairen")
    url = f"/regio/{world.own.region_id}/scenarios/vergelijk/"
    page = _client(world.coordinator).get(url, {"a": "preset:stroomuitval-72-uur", "b": saved.pk})
    text = page.content.decode()
    assert page.status_code == 200
    assert "72 uur regionale stroomuitval" in text and saved.name in text
    assert "Eerste kritieke uitval" in text and "houdt stand" in text  # 72 h: Alfa holds
    wrong = _client(world.coordinator).get(url, {"a": "preset:bestaat-niet", "b": saved.pk})
    assert wrong.status_code == 400 and "Kies twee scenario" in wrong.content.decode()
    elsewhere = _copy(world, world.coordinator)
    type(elsewhere).objects.filter(pk=elsewhere.pk).update(region=world.foreign.region)
    other = _client(world.coordinator).get(url, {"a": elsewhere.pk, "b": saved.pk})
    assert other.status_code == 400  # another region's scenario is not a choice


def test_the_saved_description_runs_on_the_command_line(world: World, answered, tmp_path, capsys):
    saved = _copy(world, world.coordinator)
    download = _client(world.coordinator).get(f"/scenarios/{saved.pk}/scenario.json")
    assert download["Content-Disposition"].endswith('.json"')
    path = tmp_path / "scenario.json"
    path.write_bytes(download.content)
    call_command("scenario", "run", str(path), "--region", "oost")
    assert json.loads(capsys.readouterr().out)["scenario"] == saved.name


def test_gas_and_telecom_come_from_the_answers(world: World) -> None:
    final_round(
        world,
        "kader-weerbare-zorg",
        {"UV-05": {"values": {"maturity": "1"}}, "CY-03": {"values": {"maturity": "4"}}},
    )
    loaded = load(world.own.region)
    alfa = [o.pk for o in loaded.organisations].index(world.own.pk)
    assert loaded.region.gas_fallback[alfa] == 1 and loaded.region.telecom_fallback[alfa] == 4
    outages = {"outages": [{"kind": "gas", "duration_hours": 24}, {"kind": "telecom"}]}
    result = run(loaded.region, scenario_from(outages, index=loaded.index))
    assert result.runs_out["gas"][alfa] == 0 and result.runs_out["telecom"][alfa] == math.inf


def test_every_assumption_and_resource_has_its_dutch_words() -> None:
    from weerbaar.scenarios import labels
    from weerbaar.scenarios.engine import RESOURCES, Assumptions
    from weerbaar.scenarios.presets import ASSUMPTION_LIMITS

    fields = set(Assumptions.__dataclass_fields__)
    assert set(labels.ASSUMPTIONS) == set(labels.REASONS) == fields
    numeric = {n for n in fields if not isinstance(getattr(Assumptions, n), bool)}
    assert set(ASSUMPTION_LIMITS) == numeric  # every number a user may set has its range
    assert set(labels.RESOURCES) == set(labels.SOURCES) == set(RESOURCES)
    with pytest.raises(ScenarioInvalid, match="onbekende aanname"):
        scenario_from({"assumptions": {"secret_constant": 1}})
    with pytest.raises(ScenarioInvalid, match="true of false"):
        scenario_from({"assumptions": {"power_loss_closes_beds": "ja"}})
    with pytest.raises(ScenarioInvalid, match="verwacht een getal"):
        scenario_from({"inflow": {"days": 2, "per_day": {"ic": ["veel"]}}})


def test_on_day_two_the_crisis_picture_asks_what_48_more_hours_would_do(
    world: World, answered
) -> None:
    incidents.incident_open(organisation=world.own, title="Stroom", codes=["D5"], by=world.alice)
    report_add(organisation=world.own, by=world.alice, figures=clean_report({"power_hours": "30"}))
    picture = _client(world.reader).get(f"/regio/{world.own.region_id}/crisisbeeld/")
    link = f"/regio/{world.own.region_id}/scenarios/preset/nog-48-uur-zonder-stroom/?meldingen=1"
    assert link in picture.content.decode()
    page = _client(world.coordinator).get(link).content.decode()
    assert "Van 1 organisatie geldt het laatste situatierapport." in page
    assert "uur 30 (dag 2)" in page or "uur 29" in page  # the report's 30 hours, not 72
    without = _client(world.coordinator).get(link.split("?")[0]).content.decode()
    assert "houdt stand" in without  # on the answers, 48 h × 1.5 holds through 48 hours


def test_hidden_clients_at_home_are_only_ever_one_sum_per_municipality(world: World) -> None:
    from weerbaar.organisations.models import Role
    from weerbaar.scenarios.clients import clients_add

    from .factories import OrganisationFactory, member

    for count, battery in ((10, 2), (20, 5), (30, 10)):  # three that do not share
        org = OrganisationFactory(region=world.own.region)
        clients_add(
            organisation=org,
            by=member(Role.ORG_ADMIN, org),
            values={
                "municipality": "Deventer",
                "device": "pomp",
                "count": count,
                "battery_hours": battery,
            },
        )
    clients_add(
        organisation=world.own,
        by=world.alice,
        values={"municipality": "Zwolle", "device": "pomp", "count": 4, "battery_hours": 1},
    )
    everything = load(world.own.region)
    assert sorted(everything.region.clients[:, 1]) == [4, 10, 20, 30]
    seen = load(world.own.region, viewer=world.reader)
    assert seen.region.clients[:, 1:].tolist() == [[60.0, round((20 + 100 + 300) / 60, 1)]]
    assert seen.clients_withheld  # Zwolle: one organisation, too few to sum
    # A scenario on Zwolle still runs for the reader: no "unknown municipality" that would
    # say a hidden organisation has clients there.
    body = {"outages": [{"kind": "power", "duration_hours": 12, "municipalities": ["Zwolle"]}]}
    result = run(seen.region, scenario_from(body, index=seen.index))
    assert not result.clients_in_need.any()


def test_numbers_beyond_any_range_are_refused_not_a_crash(world: World) -> None:
    for body in (
        {"horizon_days": 10**400},
        {"horizon_days": float("inf")},
        {"outages": [{"kind": "power", "organisations": [1e400]}]},
        {"outages": [{"kind": "power", "organisations": [True]}]},
        {"outages": [{"kind": "power", "organisations": [1.9]}]},
        {"inflow": {"days": 1, "per_day": {"ic": 10**400}}},
    ):
        with pytest.raises(ScenarioInvalid):
            scenario_from(body, index={"organisations": {1: 0}})
    c = _client(world.coordinator)
    huge = "1" + "0" * 400
    raw = f'{{"region": {world.own.region_id}, "scenario": {{"horizon_days": {huge}}}}}'
    response = c.post("/api/v1/scenarios/run", raw, content_type="application/json")
    assert response.status_code == 422
    other = final_round(world, "zorgcontinuiteit-in-balans", {}).round
    wrong_round = c.post(
        "/api/v1/scenarios/run",
        json.dumps(
            {"region": world.own.region_id, "preset": "stroomuitval-72-uur", "round": other.pk}
        ),
        content_type="application/json",
    )
    assert wrong_round.status_code == 422  # only a round of the Kader has these figures


def test_the_result_says_what_the_regional_norms_would_change(world: World, answered) -> None:
    from weerbaar.scoring.models import Norm

    Norm.objects.create(region=world.own.region, norm_key="noodstroom_uren", minimum=96, source="x")
    ran = (
        _client(world.coordinator)
        .post(
            "/api/v1/scenarios/run",
            json.dumps(
                {
                    "region": world.own.region_id,
                    "scenario": {"outages": [{"kind": "power", "duration_hours": 100}]},
                }
            ),
            content_type="application/json",
        )
        .json()
    )
    assert ran["weakest"][0]["below_norm"] is True  # Alfa: 48 hours, the norm 96
    assert ran["endurance_hours"] == 72.0
    assert ran["at_norm"]["endurance_hours"] is None  # 96 × 1.5 holds through 100 hours
    assert ran["at_norm"]["norms"] == {"noodstroom_uren": 96.0}
    page = _client(world.coordinator).get(
        f"/regio/{world.own.region_id}/scenarios/preset/sabotage-stroom-militairen/"
    )
    assert "onder de norm" in page.content.decode()
    assert "Als iedereen aan de regionale normen voldoet" in page.content.decode()


def test_the_figures_chosen_stay_chosen_through_copy_and_edit(world: World) -> None:
    from .matrix_warm import scenario_form

    coordinator = _client(world.coordinator)
    copied = coordinator.post(
        f"/regio/{world.own.region_id}/scenarios/kopie/",
        {"van": "preset:nog-48-uur-zonder-stroom", "meldingen": "1"},
    )
    edit = copied["Location"]
    assert edit.endswith("/bewerken/?meldingen=1")
    saved = coordinator.post(edit, scenario_form())
    assert saved.status_code == 302 and saved["Location"].endswith("/?meldingen=1")
    page = coordinator.get(saved["Location"]).content.decode()
    assert 'name="meldingen" value="1" checked' in page


def test_an_outage_naming_a_municipality_that_is_gone_is_said_in_the_editor(world: World) -> None:
    from weerbaar.scenarios.models import Scenario

    saved = _copy(world, world.coordinator)
    Scenario.objects.filter(pk=saved.pk).update(
        description={
            **saved.description,
            "outages": [{"kind": "power", "duration_hours": 24, "municipalities": ["Atlantis"]}],
        }
    )
    page = _client(world.coordinator).get(f"/scenarios/{saved.pk}/bewerken/").content.decode()
    assert "die de regio niet meer heeft" in page
    run = _client(world.coordinator).get(f"/scenarios/{saved.pk}/")
    assert run.status_code == 400 and "onbekende gemeente Atlantis" in run.content.decode()


def test_casualties_isolated_first_who_find_no_unit_are_a_row_of_their_own(
    world: World, answered
) -> None:
    page = _client(world.coordinator).get(
        f"/regio/{world.own.region_id}/scenarios/preset/sabotage-stroom-militairen/"
    )
    text = page.content.decode()
    assert "Eerst isoleren (24 uur): geen unit vrij" in text  # Alfa has no isolation units
    compare = _client(world.coordinator).get(
        f"/regio/{world.own.region_id}/scenarios/vergelijk/",
        {"a": "preset:sabotage-stroom-militairen", "b": "preset:stroomuitval-72-uur"},
    )
    assert "Eerst isoleren (24 uur): geen unit vrij" in compare.content.decode()


def test_the_latest_established_self_assessment_of_each_organisation_counts(world: World) -> None:
    import datetime

    from django.utils import timezone

    from weerbaar.assessments.models import Assessment

    older = final_round(
        world, "kader-weerbare-zorg", {"UV-01": {"values": {"noodstroom_uren": "48"}}}
    )
    newer = final_round(
        world, "kader-weerbare-zorg", {"UV-01": {"values": {"noodstroom_uren": "20"}}}
    )
    now = timezone.now()
    Assessment.all_objects.filter(pk=older.pk).update(finalised_at=now)
    Assessment.all_objects.filter(pk=newer.pk).update(finalised_at=now - datetime.timedelta(days=1))
    loaded = load(world.own.region)
    alfa = [o.pk for o in loaded.organisations].index(world.own.pk)
    assert loaded.region.power_hours[alfa] == 48  # established last, whatever round came later
    Assessment.all_objects.filter(pk=newer.pk).update(finalised_at=now)  # a tie: the newer one
    assert load(world.own.region).region.power_hours[alfa] == 20
