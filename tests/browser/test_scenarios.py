"""Scenario data in the browser: a home-care organisation records its power-dependent
clients at home; a double entry is refused and keeps what was typed."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from weerbaar.organisations.models import Role
from weerbaar.scenarios.models import PowerDependentClients
from weerbaar.sectors import Sector

from ..factories import OrganisationFactory, RegionFactory, enable_mfa, member
from .conftest import login_as, screenshot

pytestmark = pytest.mark.browser


def test_home_care_records_its_power_dependent_clients(page, transactional_db) -> None:
    region = RegionFactory(name="Acute Zorgregio Oost", code="azo")
    home = OrganisationFactory(region=region, name="Thuiszorg IJsseldelta", sector=Sector.VVT)
    admin = member(Role.ORG_ADMIN, home, email="zorg@ijsseldelta.test", full_name="Ria Thuiszorg")
    enable_mfa(admin)
    login_as(page, admin)
    page.goto(f"/organisaties/{home.pk}/")
    page.get_by_role("link", name="Stroomafhankelijke cliënten").click()
    for place, device, count, hours in (
        ("Kampen", "thuisbeademing", "12", "8"),
        ("Zwolle", "zuurstofconcentrator", "31", "0"),
    ):
        page.get_by_label("Gemeente").fill(place)
        page.get_by_label("Apparaat").select_option(device)
        page.get_by_label("Aantal cliënten").fill(count)
        page.get_by_label("Uren op de accu").fill(hours)
        page.get_by_role("button", name="Opslaan").click()
        expect(page.get_by_text("Opgeslagen.")).to_be_visible()
    expect(page.locator("tfoot")).to_contain_text("43")
    page.get_by_label("Gemeente").fill("Kampen")
    page.get_by_label("Apparaat").select_option("thuisbeademing")
    page.get_by_label("Aantal cliënten").fill("20")
    page.get_by_label("Uren op de accu").fill("8")
    page.get_by_role("button", name="Opslaan").click()
    expect(page.get_by_text("verwijder het eerst")).to_be_visible()
    page.console_errors.clear()  # the refused form came back as a 400
    expect(page.get_by_label("Aantal cliënten")).to_have_value("20")
    assert PowerDependentClients.objects.get(municipality="Kampen").count == 12
    screenshot(page, "power-dependent-clients")


@pytest.fixture
def demo(transactional_db, settings):
    import io

    from django.core.management import call_command

    settings.DEMO_MODE = True
    call_command("demo", stdout=io.StringIO())


def _coordinator():
    from weerbaar.accounts.models import User

    return User.objects.get(email="coordinator@demo.weerbaar.test")


def test_coordinator_runs_a_preset_and_opens_the_report(page, demo) -> None:
    login_as(page, _coordinator())
    page.goto("/")
    page.get_by_role("navigation").get_by_role("link", name="Scenario's").click()
    page.get_by_role(
        "link", name="Sabotage op de stroom tijdens opvang van gewonde militairen"
    ).click()
    expect(page.locator("#endurance")).to_contain_text("uur 8 (dag 1)")
    weakest = page.locator("table.weakest tbody tr")
    expect(weakest.first).to_contain_text("Gelre Berkelland Ziekenhuis")
    expect(page.locator("svg#utilities, svg[aria-labelledby^='utilities']")).to_be_visible()
    expect(page.locator("table.beds")).to_contain_text("Heelkunde/trauma")
    page.locator("#utilities-heading").evaluate("e => e.scrollIntoView()")
    screenshot(page, "scenario-timeline")
    page.locator("#weakest-heading").evaluate("e => e.scrollIntoView()")
    screenshot(page, "scenario-weakest")
    weakest.first.get_by_role("link", name="Verbeterplan").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Verbeterplan")
    page.go_back()
    with page.expect_download() as download:
        page.get_by_role("link", name="PDF-rapport").click()
    path = download.value.path()
    with open(path, "rb") as pdf:
        assert pdf.read(5) == b"%PDF-"
    assert download.value.suggested_filename.startswith("scenario-sabotage")


def test_coordinator_edits_a_copy_and_compares_it_with_the_preset(page, demo) -> None:
    login_as(page, _coordinator())
    region = _coordinator().memberships.first().region_id
    page.goto(f"/regio/{region}/scenarios/")
    page.locator("#preset-stroomuitval-72-uur").get_by_role(
        "button", name="Kopie maken om aan te passen"
    ).click()
    expect(page.get_by_text("Kopie gemaakt")).to_be_visible()
    page.get_by_label("Naam").fill("Stroomuitval 120 uur")
    page.locator("#outage-0").get_by_label("Duur (uren)").fill("120")
    page.get_by_label("Horizon (dagen)").fill("1000")
    page.get_by_role("button", name="Opslaan en doorrekenen").click()
    expect(page.get_by_text("hoogstens 90")).to_be_visible()
    page.console_errors.clear()  # the refused form came back as a 400
    expect(page.get_by_label("Naam")).to_have_value("Stroomuitval 120 uur")  # nothing lost
    page.get_by_label("Horizon (dagen)").fill("7")
    screenshot(page, "scenario-edit")
    page.get_by_role("button", name="Opslaan en doorrekenen").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Stroomuitval 120 uur")
    page.get_by_role("link", name="Vergelijken met…").click()
    page.get_by_label("Scenario B").select_option(label="72 uur regionale stroomuitval")
    page.get_by_role("button", name="Vergelijken").click()
    table = page.locator("table.compare")
    expect(table).to_contain_text("Stroomuitval 120 uur")
    expect(table).to_contain_text("72 uur regionale stroomuitval")
    row = table.locator("tr", has_text="Organisaties die ergens zonder zitten")
    cells = row.locator("td")
    more, fewer = int(cells.nth(0).inner_text()), int(cells.nth(1).inner_text())
    assert more > fewer  # 120 hours without power: more organisations run out than in 72
    screenshot(page, "scenario-compare")
