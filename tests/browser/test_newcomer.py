"""What a newcomer trips over, tried as each role would in the demo region (issue 13)."""

from __future__ import annotations

import io
import re

import pytest
from django.core.management import call_command
from playwright.sync_api import expect

from weerbaar.accounts.models import User
from weerbaar.assessments.models import Assessment, AssessmentState, Evidence
from weerbaar.organisations.models import Organisation, Region

from .conftest import login_as, screenshot

pytestmark = pytest.mark.browser

PDF = b"%PDF-1.7\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
WIDER_THAN_THE_SCREEN = """() => [...document.querySelectorAll("body *")]
  .filter(e => e.getBoundingClientRect().right > window.innerWidth + 1
    && !e.closest(".table-scroll"))
  .slice(0, 8)
  .map(e => e.tagName + "." + e.className + " " + Math.round(e.getBoundingClientRect().right))"""


@pytest.fixture
def demo(transactional_db, settings):
    settings.DEMO_MODE = True
    call_command("demo", stdout=io.StringIO())
    return Region.objects.get(code="azo-demo")


def person(local: str) -> User:
    return User.objects.get(email=f"{local}@demo.weerbaar.test")


def open_assessment(name: str = "Ziekenhuis IJsselvallei") -> Assessment:
    return Assessment.objects.get(organisation__name=name, state=AssessmentState.CONCEPT)


def test_the_coordinators_home_is_a_list_of_work(page, demo) -> None:
    login_as(page, person("coordinator"))
    page.goto("/")
    work = page.get_by_role("region", name="Te doen")
    expect(work.get_by_role("heading", name="Uitvragen")).to_be_visible()
    rows = work.locator("table.worklist tbody tr")
    expect(rows.first).to_be_visible()
    waiting = Assessment.objects.filter(round__region=demo, state=AssessmentState.SUBMITTED).count()
    expect(work).to_contain_text(f"Wachten op beoordeling ({waiting})")
    screenshot(page, "home-worklist")
    if waiting:
        work.locator("ul.plain").first.get_by_role("link").first.click()
        expect(page.get_by_role("link", name="Goedkeuren")).to_be_visible()


def test_the_admins_home_counts_people_and_links_to_each_question(page, demo) -> None:
    admin = person("crisisadviseur01")
    organisation = admin.memberships.get(role="org_admin").organisation
    login_as(page, admin)
    page.goto("/")
    people = organisation.memberships.values("user").distinct().count()
    assert people > 1
    expect(page.get_by_role("region", name="Uw organisatie")).to_contain_text(f"{people} personen")
    mine = page.get_by_role("region", name="Mijn vragen")
    first = mine.locator("ol.questions a").first
    code = first.locator(".code").inner_text()
    first.click()
    assert page.url.endswith(f"#item-{code}")
    expect(page.locator(f"#item-{code}")).to_be_visible()


def test_context_where_people_answer(page, demo, tmp_path) -> None:
    assessment = open_assessment()
    login_as(page, person("crisisadviseur01"))
    page.goto(f"/zelfevaluaties/{assessment.pk}/")
    item = page.locator("#item-CY-01")
    item.get_by_text("Wat betekenen de niveaus?").click()
    expect(item.locator(".scale-help")).to_contain_text("in de afgelopen 12 maanden beoefend")
    # An implausible figure is saved, with a question.
    beds = page.locator("#item-ZC-02").get_by_label("IC", exact=True)
    beds.fill("999999999")
    page.locator("#status-ZC-02").get_by_text("Opgeslagen om").wait_for()
    expect(page.locator("#errors-ZC-02")).to_contain_text("ongebruikelijk veel. Klopt dit?")
    # A wrong figure is refused and its field says so to a screen reader.
    beds.fill("veel")
    expect(page.locator("#errors-ZC-02 li")).to_be_visible()
    expect(beds).to_have_attribute("aria-invalid", "true")
    described = beds.get_attribute("aria-describedby")
    expect(page.locator(f'[id="{described}"]')).to_contain_text("getal")
    assert page.console_errors == [
        "Failed to load resource: the server responded with a status of 422 (Unprocessable Entity)"
    ]
    page.console_errors.clear()
    beds.fill("12")
    page.locator("#status-ZC-02").get_by_text("Opgeslagen om").wait_for()
    expect(beds).not_to_have_attribute("aria-invalid", "true")
    # Evidence can be removed again.
    upload = tmp_path / "oefenverslag.pdf"
    upload.write_bytes(PDF)
    evidence = page.locator("#item-CY-01 .evidence")
    evidence.get_by_text("Bewijsstuk toevoegen", exact=True).click()
    evidence.locator('input[type="file"]').first.set_input_files(str(upload))
    evidence.get_by_role("button", name="Toevoegen", exact=True).click()
    expect(page.get_by_text("Bewijsstuk toegevoegd.")).to_be_visible()
    screenshot(page, "answer-context")
    page.locator("#item-CY-01").get_by_role("button", name="oefenverslag.pdf verwijderen").click()
    expect(page.get_by_text("Bewijsstuk verwijderd.")).to_be_visible()
    assert not Evidence.objects.filter(original_name="oefenverslag.pdf").exists()


def test_the_ghor_keeps_its_own_adviezen(page, demo) -> None:
    login_as(page, person("ghor"))
    page.goto(f"/regio/{demo.pk}/adviezen/")
    edits = page.get_by_role("link", name="Wijzigen")
    expect(edits.first).to_be_visible()
    assert all("(GHOR)" in text for text in edits.all_inner_texts())
    edits.first.click()
    page.get_by_label("Status").select_option("bezig")
    page.get_by_role("button", name="Opslaan").click()
    expect(page.get_by_text("Status opgeslagen.")).to_be_visible()


def test_small_things_dates_phones_english_and_exports(page, demo) -> None:
    login_as(page, person("coordinator"))
    page.goto(f"/regio/{demo.pk}/capaciteit/")
    dates = page.locator("main").inner_text()
    assert not any(month in dates for month in (" Dec ", " Nov ", "December"))
    # At 390 px nothing runs off the side, the capacity table included.
    page.set_viewport_size({"width": 390, "height": 844})
    for url in (f"/regio/{demo.pk}/capaciteit/", "/", f"/zelfevaluaties/{open_assessment().pk}/"):
        page.goto(url)
        width = page.evaluate("document.documentElement.scrollWidth")
        wide = page.evaluate(WIDER_THAN_THE_SCREEN)
        assert width <= 390, (url, width, wide)
    page.goto(f"/regio/{demo.pk}/capaciteit/")
    table = page.locator("table.capacity").first
    assert table.evaluate("t => t.scrollWidth <= t.parentElement.clientWidth")
    table.scroll_into_view_if_needed()
    screenshot(page, "capacity-phone")
    page.set_viewport_size({"width": 1280, "height": 860})
    # English: the chart legends and the units too.
    page.goto(f"/regio/{demo.pk}/normen/")
    page.locator("#language-select").select_option("en")
    page.get_by_role("button", name="Wissel").click()
    expect(page.locator("html")).to_have_attribute("lang", "en")
    svg = page.locator("figure svg").first.inner_html()
    assert "median" in svg and "mediaan" not in svg and "values" in svg
    text = " ".join(page.locator("dl.figures").all_inner_texts())
    # Units in English; the framework's own labels and the norms' sources stay as written.
    assert re.search(r"\d (hours|days)\b", text) and not re.search(r"\d (uur|dagen)\b", text)
    screenshot(page, "norms-english")
    page.locator("#language-select").select_option("nl")
    page.get_by_role("button", name="Switch").click()
    # "Uw exports" lists the download just made.
    page.goto(f"/regio/{demo.pk}/heatmap/")
    with page.expect_download():
        page.get_by_role("button", name="Excel-export").click()
    page.get_by_role("link", name="Uw exports").click()
    expect(page.locator("main")).to_contain_text("Regiobeeld (Excel)")
    assert Organisation.objects.filter(region=demo).exists()
