"""The warme fase in the browser: an incident with two action cards, steps worked, a
cross-reference followed, a decision logged and corrected."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from weerbaar.crisis.models import LogEntry, StepProgress
from weerbaar.organisations.models import Role

from ..factories import LocationFactory, OrganisationFactory, RegionFactory, enable_mfa, member
from .conftest import login_as, screenshot

pytestmark = pytest.mark.browser


@pytest.fixture
def hospital(transactional_db):
    region = RegionFactory(name="Acute Zorgregio Oost", code="azo")
    organisation = OrganisationFactory(region=region, name="Ziekenhuis IJsselvallei")
    LocationFactory(organisation=organisation, name="Locatie Kampen")
    admin = member(
        Role.ORG_ADMIN, organisation, email="crisis@ijsselvallei.test", full_name="Kees Crisis"
    )
    enable_mfa(admin)
    return {"organisation": organisation, "admin": admin}


def test_a_crisis_advisor_runs_an_incident_with_two_cards(page, hospital) -> None:
    organisation = hospital["organisation"]
    login_as(page, hospital["admin"])
    page.goto(f"/organisaties/{organisation.pk}/")
    page.locator("#main").get_by_role("link", name="Incidenten").click()
    page.get_by_role("link", name="Incident openen").click()
    page.get_by_label("Titel").fill("Stroomuitval door sabotage")
    page.get_by_label("D5 · Uitval nutsvoorzieningen").check()
    page.get_by_label("D1 · Sluiting van (delen van) de locatie").check()
    page.get_by_label("Locatie Kampen").check()
    page.get_by_role("button", name="Incident openen").click()
    expect(page.get_by_role("heading", name="Stroomuitval door sabotage")).to_be_visible()
    cards = page.locator("section.action-card")
    expect(cards).to_have_count(2)
    # Work a step without reloading the page.
    page.evaluate("window.notReloaded = true")
    first = cards.first.locator("li.step").first
    code = first.get_attribute("id").removeprefix("step-")
    first.get_by_role("button", name="Gedaan").click()
    expect(
        page.locator(f'[id="step-{code}"]').get_by_role("button", name="Weer open")
    ).to_be_visible()
    assert page.evaluate("window.notReloaded") is True
    expect(cards.first.locator("h2")).to_contain_text("1/")  # its count went along
    assert "1/" not in first.locator("xpath=following-sibling::li[1]").inner_text()
    assert StepProgress.objects.get(step_code=code).state == "gedaan"
    screenshot(page, "incident")
    # "Zie Disbalans 4" leads to that card (not active yet): activate it in the incident.
    see = page.locator("a.see", has_text="zie D4").first
    see.click()
    expect(page.locator("li#card-D4")).to_be_in_viewport()
    page.locator("li#card-D4").get_by_role("button").click()
    expect(page.locator("section#card-D4")).to_be_visible()
    expect(page.get_by_text("Disbalans D4 is actief.")).to_be_visible()
    # Log a decision and correct it.
    log = page.locator("#logboek")
    log.get_by_label("Soort").select_option("besluit")
    log.get_by_label("Tekst").fill("Vleugel B ontruimen om 03:30")
    log.get_by_role("button", name="In het logboek").click()
    expect(page.get_by_text("In het logboek gezet.")).to_be_visible()
    entry = LogEntry.objects.get(text="Vleugel B ontruimen om 03:30")
    row = page.locator(f"#log-{entry.pk}")
    row.get_by_text("Corrigeren").click()
    row.get_by_label("Correctie").fill("Vleugel B blijft: noodstroom houdt het")
    row.get_by_role("button", name="Correctie toevoegen").click()
    expect(page.locator(f"#log-{entry.pk}")).to_contain_text("gecorrigeerd")
    expect(page.locator("#logboek")).to_contain_text("correctie van de regel van")
    assert LogEntry.objects.get(pk=entry.pk).text == "Vleugel B ontruimen om 03:30"
    page.locator("#logboek").scroll_into_view_if_needed()
    screenshot(page, "logbook")


def test_an_exercise_is_labelled_on_its_screens(page, hospital) -> None:
    from weerbaar.crisis.incidents import incident_open

    incident = incident_open(
        organisation=hospital["organisation"],
        title="Regionale oefening stroomuitval",
        codes=["D5"],
        by=hospital["admin"],
        is_exercise=True,
    )
    login_as(page, hospital["admin"])
    page.goto(f"/incidenten/{incident.pk}/")
    expect(page.get_by_role("note")).to_contain_text("OEFENING")
    page.goto(f"/organisaties/{hospital['organisation'].pk}/incidenten/")
    expect(page.locator("main")).to_contain_text("oefening")
    # Beside the self-assessment, as evidence of exercising.
    import datetime

    from weerbaar.assessments.rounds import round_open
    from weerbaar.frameworks.export import get_framework

    coordinator = member(Role.COORDINATOR, hospital["organisation"], email="coby@azo.test")
    round_ = round_open(
        region=hospital["organisation"].region,
        framework=get_framework("kader-weerbare-zorg"),
        organisations=[hospital["organisation"]],
        title="Uitvraag 2026",
        opens_on=datetime.date(2026, 11, 1),
        deadline=datetime.date(2026, 12, 31),
        by=coordinator,
    )
    page.goto(f"/zelfevaluaties/{round_.assessments.get().pk}/")
    expect(page.locator("#exercises")).to_contain_text("Regionale oefening stroomuitval")


def test_closing_puts_the_lessons_in_the_improvement_plan(page, hospital) -> None:
    from weerbaar.crisis.incidents import incident_open

    incident = incident_open(
        organisation=hospital["organisation"],
        title="Uitval drinkwater",
        codes=["D5"],
        by=hospital["admin"],
    )
    login_as(page, hospital["admin"])
    page.goto(f"/incidenten/{incident.pk}/")
    page.get_by_role("link", name="Incident sluiten").click()
    expect(page.get_by_role("heading", name="Incident sluiten")).to_be_visible()
    page.get_by_label("Evaluatie: wat ging goed, wat kan beter?").fill(
        "Waterwagens waren na zes uur ter plaatse; de noodvoorraad hield het."
    )
    page.get_by_label("Lessen voor het verbeterplan").fill("Afspraak met waterbedrijf vastleggen")
    screenshot(page, "incident-close")
    page.get_by_role("button", name="Incident sluiten").click()
    expect(page.get_by_text("Incident gesloten. 1 les staat in het verbeterplan.")).to_be_visible()
    expect(page.get_by_role("heading", name="Evaluatie")).to_be_visible()
    page.goto(f"/organisaties/{hospital['organisation'].pk}/verbeterplan/")
    expect(page.locator("main")).to_contain_text("Afspraak met waterbedrijf vastleggen")
