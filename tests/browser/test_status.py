"""Status reports and the regional crisis picture in the browser: a hospital reports, the
GHOR sees it appear (and an old report go stale) without reloading, answers a support
request that the hospital then sees, and an exercise stays out of the real picture."""

from __future__ import annotations

import datetime
import shutil
import subprocess
import tempfile
from pathlib import Path

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from weerbaar.crisis import incidents
from weerbaar.crisis.models import StatusReport, SupportRequest
from weerbaar.organisations.models import Role
from weerbaar.scoring.models import Norm

from ..factories import OrganisationFactory, RegionFactory, enable_mfa, member
from .conftest import SCREENSHOTS, login_as, screenshot


def pdf_page_screenshot(pdf: bytes, number: int, name: str) -> None:
    """Page ``number`` of a PDF as a PNG for the docs (with WEERBAAR_SCREENSHOTS)."""
    pdftoppm = shutil.which("pdftoppm")
    if not SCREENSHOTS or not pdftoppm:
        return
    with tempfile.TemporaryDirectory() as folder:
        source = Path(folder) / "pack.pdf"
        source.write_bytes(pdf)
        out = Path(SCREENSHOTS) / name
        subprocess.run(
            [
                pdftoppm,
                "-png",
                "-r",
                "80",
                "-f",
                str(number),
                "-l",
                str(number),
                "-singlefile",
                str(source),
                str(out),
            ],
            check=True,
        )


pytestmark = pytest.mark.browser


@pytest.fixture
def region(transactional_db):
    region = RegionFactory(name="Acute Zorgregio Oost", code="azo")
    hospital = OrganisationFactory(region=region, name="Ziekenhuis IJsselvallei")
    home = OrganisationFactory(region=region, name="Verpleeghuis De Linde")
    admin = member(
        Role.ORG_ADMIN, hospital, email="crisis@ijsselvallei.test", full_name="Kees Crisis"
    )
    linde = member(Role.ORG_ADMIN, home, email="zorg@delinde.test", full_name="Lies Linde")
    ghor = member(Role.REGION_READER, hospital, email="ghor@azo.test", full_name="Gert GHOR")
    for user in (admin, linde):
        enable_mfa(user)
    return {
        "region": region,
        "hospital": hospital,
        "home": home,
        "admin": admin,
        "linde": linde,
        "ghor": ghor,
    }


@pytest.fixture
def ghor_page(browser, page):
    """A second browser, the GHOR officer's, beside the hospital's ``page``."""
    context = browser.new_context(
        base_url=page.live_url, viewport={"width": 1280, "height": 900}, locale="en-US"
    )
    other = context.new_page()
    errors: list[str] = []
    other.on("pageerror", lambda exc: errors.append(str(exc)))
    other.on("console", lambda msg: errors.append(msg.text) if msg.type == "error" else None)
    other.live_url = page.live_url
    other.console_errors = errors
    yield other
    context.close()
    assert errors == [], f"browser console errors: {errors}"


def test_a_report_appears_in_the_picture_and_an_old_one_goes_stale(
    page, ghor_page, region, settings
) -> None:
    settings.WEERBAAR_PICTURE_REFRESH_SECONDS = 1
    hospital, home = region["hospital"], region["home"]
    Norm.objects.create(
        region=region["region"], norm_key="noodstroom_uren", minimum=72, source="ROAZ-afspraak"
    )
    incidents.incident_open(
        organisation=hospital, title="Stroomuitval", codes=["D5"], by=region["admin"]
    )
    incidents.incident_open(
        organisation=home, title="Wateruitval", codes=["D5"], by=region["linde"]
    )
    # De Linde reported six hours ago; the region asks every four hours.
    StatusReport.objects.create(
        organisation=home,
        reported_by=region["linde"],
        reported_by_label="Lies Linde",
        reported_at=timezone.now() - datetime.timedelta(hours=6),
        beds_other=2,
    )
    login_as(ghor_page, region["ghor"])
    ghor_page.goto("/")
    ghor_page.get_by_role("link", name="Crisisbeeld").click()
    linde_row = ghor_page.locator(f"#org-{home.pk}")
    expect(linde_row).to_contain_text("verouderd")
    hospital_row = ghor_page.locator(f"#org-{hospital.pk}")
    expect(hospital_row).to_contain_text("nog geen rapport")

    login_as(page, region["admin"])
    page.goto(f"/organisaties/{hospital.pk}/incidenten/")
    page.get_by_role("link", name="Situatie en ondersteuning").click()
    page.locator("#main").get_by_role("link", name="Situatierapport doorgeven").click()
    expect(page.locator("#prefill")).to_contain_text("eerste rapport")
    page.get_by_label("IC:", exact=True).fill("-1")
    page.get_by_label("Draait de organisatie nu op noodstroom?").select_option("true")
    page.get_by_label("Uren noodstroom over").fill("30")
    page.get_by_label("Kritieke tekorten").fill("Diesel voor 30 uur")
    page.get_by_role("button", name="Rapport doorgeven").click()
    expect(page.get_by_text("Een aantal kan niet negatief zijn.")).to_be_visible()
    expect(page.get_by_label("Kritieke tekorten")).to_have_value("Diesel voor 30 uur")
    assert page.console_errors == [
        "Failed to load resource: the server responded with a status of 400 (Bad Request)"
    ]
    page.console_errors.clear()
    page.get_by_label("IC:", exact=True).fill("3")
    page.get_by_role("button", name="Rapport doorgeven").click()
    expect(page.get_by_text("Situatierapport doorgegeven aan de regio.")).to_be_visible()

    # The GHOR's page refreshes itself: the hospital's report is there, not stale.
    ghor_page.evaluate("window.notReloaded = true")
    expect(hospital_row).to_contain_text("Diesel voor 30 uur", timeout=5000)
    expect(hospital_row).not_to_contain_text("verouderd")
    expect(ghor_page.locator("table.beds")).to_contain_text("3")
    # A second report: the change since the previous one shows.
    page.locator("#main").get_by_role("link", name="Situatierapport doorgeven").click()
    expect(page.locator("#prefill")).to_contain_text("vorige rapport")
    expect(page.get_by_label("IC:", exact=True)).to_have_value("3")
    screenshot(page, "status-report")
    page.get_by_label("IC:", exact=True).fill("1")
    page.get_by_role("button", name="Rapport doorgeven").click()
    expect(hospital_row).to_contain_text("(-2)", timeout=5000)
    assert ghor_page.evaluate("window.notReloaded") is True
    expect(ghor_page.locator(".refreshed")).to_contain_text("Bijgewerkt om")
    assert StatusReport.objects.filter(organisation=hospital).count() == 2
    expect(ghor_page.locator(".under-norm[data-norm=power_hours]")).to_contain_text(
        "Ziekenhuis IJsselvallei"
    )
    ghor_page.evaluate("document.getElementById('status-heading').scrollIntoView()")
    screenshot(ghor_page, "crisis-picture")


def test_the_ghor_answers_a_support_request_and_the_hospital_sees_it(
    page, ghor_page, region
) -> None:
    hospital = region["hospital"]
    incidents.incident_open(
        organisation=hospital, title="Stroomuitval", codes=["D5"], by=region["admin"]
    )
    login_as(page, region["admin"])
    page.goto(f"/organisaties/{hospital.pk}/situatie/")
    page.get_by_role("link", name="Ondersteuning vragen").click()
    page.get_by_role("button", name="Verzoek versturen").click()
    expect(page.locator("#id_what_error")).to_be_visible()  # nothing filled in
    assert page.console_errors == [
        "Failed to load resource: the server responded with a status of 400 (Bad Request)"
    ]
    page.console_errors.clear()
    page.get_by_label("Wat is nodig").fill("Diesel voor de noodstroom")
    page.get_by_label("Hoeveel").fill("2.000 liter")
    page.get_by_role("button", name="Verzoek versturen").click()
    expect(page.get_by_text("Uw verzoek om ondersteuning staat bij de GHOR.")).to_be_visible()
    request = SupportRequest.objects.get()
    expect(page.locator(f"#support-{request.pk}")).to_contain_text("Ontvangen")

    login_as(ghor_page, region["ghor"])
    ghor_page.goto(f"/regio/{region['region'].pk}/crisisbeeld/")
    ghor_page.locator(f"#support-{request.pk}").get_by_role("link").click()
    ghor_page.get_by_label("Status").select_option("niet_mogelijk")
    ghor_page.get_by_role("button", name="Opslaan").click()
    expect(ghor_page.locator("#id_reply_error")).to_contain_text("waarom")
    ghor_page.console_errors.clear()  # the refused form came back as a 400
    ghor_page.get_by_label("Status").select_option("geregeld")
    ghor_page.get_by_label("Antwoord aan de organisatie").fill("Tankwagen om 14:00 bij de poort")
    ghor_page.get_by_role("button", name="Opslaan").click()
    expect(ghor_page.get_by_text("Verzoek bijgewerkt")).to_be_visible()
    expect(ghor_page.locator(f"#support-{request.pk}")).to_contain_text("Geregeld")

    page.reload()
    row = page.locator(f"#support-{request.pk}")
    expect(row).to_contain_text("Geregeld")
    expect(row).to_contain_text("Tankwagen om 14:00 bij de poort")
    screenshot(page, "support-request")


def test_an_exercise_stays_out_of_the_real_picture(page, region) -> None:
    home = region["home"]
    drill = incidents.incident_open(
        organisation=home,
        title="Oefening stroomuitval",
        codes=["D5"],
        by=region["linde"],
        is_exercise=True,
    )
    login_as(page, region["linde"])
    page.goto(f"/organisaties/{home.pk}/situatie/nieuw/")
    expect(page.locator(".exercise-banner")).to_contain_text("OEFENING")
    page.get_by_label("IC:", exact=True).fill("7")
    page.get_by_role("button", name="Rapport doorgeven").click()
    assert StatusReport.objects.get().incident == drill

    login_as(page, region["ghor"])
    page.goto(f"/regio/{region['region'].pk}/crisisbeeld/")
    expect(page.locator(f"#org-{home.pk}")).to_have_count(0)
    expect(page.locator("table.beds")).not_to_contain_text("7")
    page.get_by_role("link", name="Oefening", exact=True).click()
    expect(page.locator(".exercise-banner")).to_contain_text("oefenbeeld")
    expect(page.locator(f"#org-{home.pk}")).to_contain_text("Oefening stroomuitval")
    expect(page.locator("table.beds")).to_contain_text("7")


def test_a_regional_message_is_sent_and_acknowledged(page, ghor_page, region) -> None:
    hospital, home = region["hospital"], region["home"]
    login_as(ghor_page, region["ghor"])
    ghor_page.goto(f"/regio/{region['region'].pk}/crisisbeeld/")
    ghor_page.get_by_role("link", name="Regionale berichten").click()
    ghor_page.get_by_label("Onderwerp").fill("Beperk het waterverbruik")
    ghor_page.get_by_label("Handelingsperspectief").fill(
        "Stel niet-urgente zorg uit en vul de noodwatervoorraad aan."
    )
    ghor_page.get_by_label("Aan alle organisaties van de regio").check()
    ghor_page.get_by_role("button", name="Bericht versturen").click()
    expect(ghor_page.get_by_text("Bericht verstuurd.")).to_be_visible()
    expect(ghor_page.locator(f"#receipt-{hospital.pk}")).to_contain_text("nog niet bevestigd")
    expect(ghor_page.locator(f"#receipt-{home.pk}")).to_contain_text("nog niet bevestigd")

    login_as(page, region["admin"])
    page.goto(f"/organisaties/{hospital.pk}/incidenten/")
    unread = page.locator("#unread")
    expect(unread).to_contain_text("Beperk het waterverbruik")
    unread.get_by_role("link", name="Beperk het waterverbruik").click()
    expect(page.locator(".message-body")).to_contain_text("noodwatervoorraad")
    page.get_by_role("button", name="Gelezen en begrepen").click()
    expect(page.get_by_text("Bevestigd: de GHOR ziet")).to_be_visible()
    page.goto(f"/organisaties/{hospital.pk}/incidenten/")
    expect(page.locator("#unread")).to_have_count(0)

    ghor_page.reload()
    expect(ghor_page.locator(f"#receipt-{hospital.pk}")).to_contain_text("Kees Crisis")
    expect(ghor_page.locator(f"#receipt-{home.pk}")).to_contain_text("nog niet bevestigd")
    screenshot(ghor_page, "regional-message")


def test_reachability_is_kept_confirmed_and_seen_by_the_region(page, ghor_page, region) -> None:
    hospital, home = region["hospital"], region["home"]
    login_as(page, region["admin"])
    page.goto(f"/organisaties/{hospital.pk}/situatie/")
    page.get_by_role("link", name="Bereikbaarheid").click()
    expect(page.locator("#missing")).to_contain_text("Crisiscoördinator")
    page.get_by_role("link", name="Contact toevoegen").click()
    page.get_by_label("Functie:", exact=True).select_option("crisiscoordinator")
    page.get_by_label("Naam:", exact=True).fill("Anna de Vries")
    page.get_by_label("Telefoon:", exact=True).fill("bel de receptie")
    page.get_by_role("button", name="Opslaan").click()
    expect(page.locator(".has-error")).to_contain_text("telefoonnummer")
    page.console_errors.clear()  # the refused form came back as a 400
    expect(page.get_by_label("Naam:", exact=True)).to_have_value("Anna de Vries")
    page.get_by_label("Telefoon:", exact=True).fill("06 1234 5678")
    page.get_by_label("Alternatief kanaal:").fill("Satelliettelefoon +8816 3141 5926")
    page.get_by_label("Vervanger:", exact=True).fill("Bram Bakker")
    page.get_by_role("button", name="Opslaan").click()
    expect(page.get_by_text("Contact opgeslagen.")).to_be_visible()
    expect(page.locator("#missing")).not_to_contain_text("Crisiscoördinator")
    expect(page.locator("table.contacts").first).to_contain_text("Satelliettelefoon")
    screenshot(page, "contacts")
    # The offline pack comes down as a PDF, with an action card per page.
    with page.expect_download() as download:
        page.get_by_role("link", name="Offline pakket (PDF)").click()
    pdf = Path(download.value.path()).read_bytes()
    assert pdf.startswith(b"%PDF")
    pdf_page_screenshot(pdf, 4, "offline-pack-card")

    login_as(ghor_page, region["ghor"])
    ghor_page.goto(f"/regio/{region['region'].pk}/crisisbeeld/")
    ghor_page.get_by_role("link", name="Bereikbaarheid").click()
    expect(ghor_page.locator(f"#org-{hospital.pk}")).to_contain_text("06 1234 5678")
    expect(ghor_page.locator(f"#org-{hospital.pk}")).to_contain_text("geen 24/7")
    expect(ghor_page.locator(f"#org-{home.pk}")).to_contain_text("geen crisiscontacten bekend")
    expect(ghor_page.locator("#incomplete")).to_contain_text("2")
    expect(ghor_page.get_by_role("button", name="Afdrukken")).to_be_visible()
    screenshot(ghor_page, "region-contacts")
    ghor_page.emulate_media(media="print")
    expect(ghor_page.locator(".print-only")).to_contain_text("Stand van")
    expect(ghor_page.locator(".site-header nav")).to_be_hidden()
