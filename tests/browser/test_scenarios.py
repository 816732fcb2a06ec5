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
