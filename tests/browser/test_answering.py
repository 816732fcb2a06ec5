"""Answering in the browser: autosave, offline retry, conflict, submit and review."""

from __future__ import annotations

import datetime

import pytest
from playwright.sync_api import expect

from weerbaar.assessments.models import Answer, AssessmentState
from weerbaar.assessments.rounds import round_open
from weerbaar.frameworks.export import get_framework
from weerbaar.organisations.models import Role

from ..factories import OrganisationFactory, RegionFactory, enable_mfa, functionary, member
from .conftest import login_as, screenshot

pytestmark = pytest.mark.browser


@pytest.fixture
def setting(transactional_db):
    region = RegionFactory(name="Acute Zorgregio Oost", code="azo")
    hospital = OrganisationFactory(region=region, name="Ziekenhuis IJsselvallei")
    admin = member(
        Role.ORG_ADMIN, hospital, email="admin@ijsselvallei.test", full_name="Anna Admin"
    )
    enable_mfa(admin)
    ciso = member(Role.RESPONDENT, hospital, email="ciso@ijsselvallei.test", full_name="Carla CISO")
    functionary(hospital, "ciso", ciso)
    coordinator = member(Role.COORDINATOR, hospital, email="coby@azo.test", full_name="Coby")
    enable_mfa(coordinator)
    round_ = round_open(
        region=region,
        framework=get_framework("kader-weerbare-zorg"),
        organisations=[hospital],
        title="Uitvraag 2026",
        opens_on=datetime.date(2026, 11, 1),
        deadline=datetime.date(2026, 12, 31),
        by=coordinator,
    )
    return {
        "assessment": round_.assessments.get(),
        "admin": admin,
        "ciso": ciso,
        "coordinator": coordinator,
    }


def test_respondent_answers_and_autosaves(page, setting) -> None:
    login_as(page, setting["ciso"])
    page.goto("/mijn-vragen/")
    page.get_by_role("link", name="Vragen beantwoorden").click()
    item = page.locator("#item-CY-03")
    item.get_by_label("3 · Geregeld").check()
    status = page.locator("#status-CY-03")
    status.get_by_text("Opgeslagen om").wait_for()
    item.get_by_label("Hoe redundant is de noodcommunicatievoorziening?").fill(
        "Portofoons en satelliettelefoon"
    )
    expect(page.locator("#version-CY-03")).to_have_value("2")
    expect(status).to_have_attribute("data-state", "saved")
    answer = Answer.objects.get(item__code="CY-03")
    assert answer.version == 2
    assert [v.text or v.maturity for v in answer.values.order_by("part__order")] == [
        "3",
        "Portofoons en satelliettelefoon",
    ]
    item.scroll_into_view_if_needed()
    screenshot(page, "answering")
    # Only the CISO's ten questions are on the page.
    expect(page.locator("article.answer-item")).to_have_count(10)


def test_input_survives_a_dropped_network_and_is_saved_on_retry(page, setting) -> None:
    login_as(page, setting["ciso"])
    page.goto(f"/zelfevaluaties/{setting['assessment'].pk}/")
    page.route("**/vragen/CY-09/", lambda route: route.abort())
    item = page.locator("#item-CY-09")
    item.get_by_label("2 · Deels geregeld").check()
    page.locator("#status-CY-09").get_by_text("geen verbinding").wait_for()
    assert item.get_by_label("2 · Deels geregeld").is_checked()  # what was typed stays
    assert not Answer.objects.filter(item__code="CY-09").exists()
    page.unroute("**/vragen/CY-09/")
    page.locator("#status-CY-09").get_by_text("Opgeslagen om").wait_for(timeout=15000)
    assert Answer.objects.get(item__code="CY-09").values.get().maturity == "2"
    # The aborted request is the only thing the browser complained about.
    assert set(page.console_errors) == {
        "htmx:afterRequest, [object HTMLSpanElement]",
        "htmx:sendError, [object HTMLSpanElement]",
        "Failed to load resource: net::ERR_FAILED",
    }
    page.console_errors.clear()


def test_conflict_shows_both_values_and_lets_the_user_choose(page, setting) -> None:
    from weerbaar.assessments.answering import answer_save
    from weerbaar.frameworks.models import Item

    login_as(page, setting["ciso"])
    page.goto(f"/zelfevaluaties/{setting['assessment'].pk}/")
    # Meanwhile the organisation admin saves the same question.
    answer_save(
        assessment=setting["assessment"],
        item=Item.objects.get(section__framework__slug="kader-weerbare-zorg", code="CY-01"),
        data={"values": {"maturity": "4"}},
        expected_version=0,
        by=setting["admin"],
    )
    page.locator("#item-CY-01").get_by_label("1 · In ontwikkeling").check()
    conflict = page.locator("#conflict-CY-01")
    conflict.get_by_text("Kies welke versie blijft").wait_for()
    assert conflict.locator("td").all_inner_texts() == ["4 · Geborgd", "1 · In ontwikkeling"]
    page.locator("#item-CY-01").scroll_into_view_if_needed()
    screenshot(page, "conflict")
    conflict.get_by_role("button", name="Mijn invoer bewaren").click()
    page.locator("#status-CY-01").get_by_text("Opgeslagen om").wait_for()
    answer = Answer.objects.get(item__code="CY-01")
    assert (answer.version, answer.values.get().maturity) == (2, "1")
    assert page.console_errors == [
        "Failed to load resource: the server responded with a status of 409 (Conflict)"
    ]
    page.console_errors.clear()


def test_admin_submits_and_coordinator_reviews_and_approves(page, setting) -> None:
    assessment = setting["assessment"]
    login_as(page, setting["admin"])
    page.goto(f"/zelfevaluaties/{assessment.pk}/")
    page.locator("#item-UV-01").get_by_label("Aantal uur").fill("72")
    page.locator("#status-UV-01").get_by_text("Opgeslagen om").wait_for()
    page.get_by_role("link", name="Indienen", exact=True).click()
    # The confirmation says what is still open and asks for a sign-off.
    expect(page.get_by_role("heading", name="Indienen: weet u het zeker?")).to_be_visible()
    expect(page.get_by_text("vragen staan nog open")).to_be_visible()
    screenshot(page, "submit-confirm")
    page.get_by_role("button", name="Indienen").click()  # the browser asks for the sign-off
    expect(page.get_by_role("heading", name="Indienen: weet u het zeker?")).to_be_visible()
    assessment.refresh_from_db()
    assert assessment.state == AssessmentState.CONCEPT
    page.get_by_label("Ik heb de antwoorden gecontroleerd").check()
    page.get_by_role("button", name="Indienen").click()
    expect(page.get_by_text("Zelfevaluatie ingediend.")).to_be_visible()
    expect(page.get_by_role("link", name="Intrekken")).to_be_visible()

    login_as(page, setting["coordinator"])
    page.goto("/uitvragen/")
    page.get_by_role("link", name="Uitvraag 2026").click()
    screenshot(page, "round")
    page.get_by_role("link", name="Ziekenhuis IJsselvallei").click()
    item = page.locator("#item-UV-01")
    assert item.locator("dd").first.inner_text() == "72 uur"
    item.get_by_placeholder("Opmerking bij dit antwoord").fill(
        "Is dit getest met volledige belasting?"
    )
    page.evaluate("window.notReloaded = true")
    item.get_by_role("button", name="Plaats opmerking").click()
    expect(page.get_by_text("Is dit getest met volledige belasting?")).to_be_visible()
    expect(item.get_by_role("status").first).to_have_text("Opmerking geplaatst.")
    assert page.evaluate("window.notReloaded") is True  # only the question was drawn again
    screenshot(page, "review")
    page.get_by_role("link", name="Alleen open").click()
    expect(page.locator("#item-UV-01")).to_have_count(0)  # answered: not open
    expect(page.locator("article.answer-item").first).to_be_visible()
    page.locator("nav.review-filter").scroll_into_view_if_needed()
    screenshot(page, "review-filter")
    page.get_by_role("link", name="Alle vragen").click()
    page.get_by_role("link", name="Goedkeuren").click()
    page.get_by_role("button", name="Goedkeuren").click()
    expect(page.get_by_text("Zelfevaluatie goedgekeurd.")).to_be_visible()
    assessment.refresh_from_db()
    assert assessment.state == AssessmentState.REVIEWED


def test_coordinator_sends_back_with_a_reason_the_organisation_reads(page, setting) -> None:
    from weerbaar.assessments import workflow

    assessment = setting["assessment"]
    workflow.assessment_submit(assessment=assessment, by=setting["admin"])
    login_as(page, setting["coordinator"])
    page.goto(f"/zelfevaluaties/{assessment.pk}/")
    page.get_by_role("link", name="Terugsturen").click()
    page.get_by_role("button", name="Terugsturen").click()  # the browser asks for the reason
    assessment.refresh_from_db()
    assert assessment.state == AssessmentState.SUBMITTED
    page.get_by_label("Reden (de organisatie ziet deze tekst)").fill(
        "Vul de noodstroomvragen (UV) aan voor de regio-oefening."
    )
    screenshot(page, "return-confirm")
    page.get_by_role("button", name="Terugsturen").click()
    expect(page.get_by_text("Teruggestuurd naar de organisatie.")).to_be_visible()

    login_as(page, setting["admin"])
    page.goto(f"/zelfevaluaties/{assessment.pk}/")
    returned = page.locator(".message.warning")
    expect(returned).to_contain_text("Teruggestuurd door Coby")
    expect(returned).to_contain_text("Vul de noodstroomvragen (UV) aan")
    expect(page.get_by_role("link", name="Indienen", exact=True)).to_be_visible()


def test_excel_is_exported_edited_and_imported(page, setting, tmp_path) -> None:
    import openpyxl

    from weerbaar.assessments.excel import HEADERS

    login_as(page, setting["admin"])
    page.goto(f"/zelfevaluaties/{setting['assessment'].pk}/")
    with page.expect_download() as download_info:
        page.get_by_role("link", name="Exporteer naar Excel").click()
    path = tmp_path / "export.xlsx"
    download_info.value.save_as(path)
    book = openpyxl.load_workbook(path)
    sheet = book["Vragen"]
    for row in range(2, sheet.max_row + 1):
        if sheet.cell(row, 1).value == "UV-01":
            sheet.cell(row, HEADERS.index("Antwoord") + 1, 48)
    book.save(path)
    page.get_by_label("Ingevuld Excel-bestand importeren").set_input_files(str(path))
    page.get_by_role("button", name="Controleren").click()
    expect(page.get_by_text("1 antwoord wordt gewijzigd")).to_be_visible()
    screenshot(page, "excel-import")
    assert not Answer.objects.exists()
    page.get_by_role("button", name="Bevestigen en opslaan").click()
    expect(page.get_by_text("1 antwoord uit Excel opgeslagen.")).to_be_visible()
    assert Answer.objects.get(item__code="UV-01").values.get().number == 48


def test_respondent_signs_in_by_link_and_answers(page, setting) -> None:
    import re

    from django.core import mail

    login_as(page, setting["admin"])
    page.goto(f"/organisaties/{setting['assessment'].organisation_id}/")
    row = page.get_by_role("row", name=re.compile("Carla CISO"))
    row.get_by_role("button", name="Stuur aanmeldlink").click()
    expect(page.get_by_text("Aanmeldlink gestuurd naar ciso@ijsselvallei.test")).to_be_visible()
    link = re.search(r"https?://[^/\s]+(/aanmelden/[^/\s]+/)", mail.outbox[-1].body)
    assert link is not None

    page.context.clear_cookies()
    page.goto(link.group(1))
    page.get_by_role("button", name="Aanmelden").click()
    expect(page.get_by_role("heading", name="Mijn vragen")).to_be_visible()
    page.get_by_role("link", name="Vragen beantwoorden").click()
    page.locator("#item-CY-05").get_by_label("1 · In ontwikkeling").check()
    page.locator("#status-CY-05").get_by_text("Opgeslagen om").wait_for()
    assert Answer.objects.get(item__code="CY-05").updated_by == setting["ciso"]


def test_admin_sees_gaps_and_theme_scores(page, setting) -> None:
    from decimal import Decimal

    from weerbaar.scoring.models import Norm

    Norm.objects.create(
        region=setting["assessment"].round.region,
        norm_key="noodstroom_uren",
        minimum=Decimal(72),
        source="ROAZ-afspraak 2026",
    )
    login_as(page, setting["admin"])
    page.goto(f"/zelfevaluaties/{setting['assessment'].pk}/")
    page.locator("#item-UV-01").get_by_label("Aantal uur").fill("24")
    page.locator("#status-UV-01").get_by_text("Opgeslagen om").wait_for()
    page.get_by_role("link", name="Hiaten en scores").click()
    expect(page.get_by_role("heading", name="Hiaten en scores")).to_be_visible()
    expect(page.get_by_text("24 uur, norm 72")).to_be_visible()
    page.wait_for_load_state()
    cells = page.locator("tr", has_text="Cybersecurity").locator("td").all_inner_texts()
    assert (cells[0], cells[1], cells[6]) == ("Cybersecurity", "0", "10/10")
    screenshot(page, "gaps")
