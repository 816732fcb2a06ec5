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
    assert r.power_hours[alfa] == 48 and r.rationing[alfa] == 1 and r.water_hours[alfa] == 12
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
        "organisation": "Ziekenhuis Alfa",
        "resource": "power",
        "hour": 72.0,
    }
    assert (
        post(world.reader, {"region": region, "preset": "stroomuitval-72-uur"}).status_code == 403
    )
    assert post(world.alice, {"region": region, "preset": "stroomuitval-72-uur"}).status_code == 404
    assert post(world.coordinator, {"region": region}).status_code == 422
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
