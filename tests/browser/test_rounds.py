"""A coordinator opens a round for many organisations: it opens in the background, and the
progress page keeps itself up to date, also after leaving it and coming back."""

from __future__ import annotations

from playwright.sync_api import expect

from weerbaar.assessments.models import RoundOpening
from weerbaar.assessments.rounds import round_opening_run
from weerbaar.organisations.models import Role, Sector

from ..factories import OrganisationFactory, RegionFactory, enable_mfa, member
from .conftest import login_as, screenshot


def test_a_large_round_opens_in_the_background_with_a_progress_bar(page, settings) -> None:
    settings.ROUND_INLINE_LIMIT = 1  # more than one organisation: in the background
    region = RegionFactory(name="Acute Zorgregio Oost", code="azo")
    hospital = OrganisationFactory(region=region, name="Ziekenhuis IJsselvallei")
    OrganisationFactory(region=region, name="Zorggroep De Hoven", sector=Sector.VVT)
    coordinator = member(Role.COORDINATOR, hospital, email="coby@azo.test", full_name="Coby")
    enable_mfa(coordinator)
    login_as(page, coordinator)
    page.goto("/uitvragen/nieuw/")
    page.get_by_label("Titel").fill("Uitvraag 2027")
    page.get_by_label("Kader:").select_option(label="Kader weerbare zorg (2025-11)")
    page.get_by_label("Ziekenhuis", exact=True).check()
    page.get_by_label("VVT (verpleging, verzorging en thuiszorg)").check()
    page.get_by_role("button", name="Uitvraag openen").click()
    expect(page.get_by_role("heading", name="Uitvraag openen: Uitvraag 2027")).to_be_visible()
    expect(page.get_by_text("Wacht op de achtergrondtaak…")).to_be_visible()
    expect(page.get_by_text("0 van 2 organisaties (0%)")).to_be_visible()

    # The worker reports halfway: the page shows it by itself, without a reload.
    opening = RoundOpening.objects.get()
    RoundOpening.objects.filter(pk=opening.pk).update(status="bezig", done=1)
    expect(page.get_by_text("1 van 2 organisaties (50%)")).to_be_visible(timeout=10_000)
    expect(page.get_by_text("Bezig met openen…")).to_be_visible()
    screenshot(page, "round-opening")

    # Leaving and coming back: the list of rounds shows it, and leads back to it.
    page.get_by_role("link", name="Uitvragen").first.click()
    expect(page.get_by_role("heading", name="Wordt geopend")).to_be_visible()
    page.get_by_role("link", name="Uitvraag 2027").click()
    expect(page.get_by_text("1 van 2 organisaties (50%)")).to_be_visible()

    RoundOpening.objects.filter(pk=opening.pk).update(status="wacht", done=0)
    round_opening_run(opening.pk)  # what `weerbaar worker` runs
    expect(page.get_by_text("De uitvraag is open voor 2 organisaties.")).to_be_visible(
        timeout=10_000
    )
    page.get_by_role("link", name="Naar de uitvraag").click()
    expect(page.get_by_role("link", name="Ziekenhuis IJsselvallei")).to_be_visible()
    expect(page.get_by_role("link", name="Zorggroep De Hoven")).to_be_visible()
