"""The regional picture and one organisation's scores, on the demo region, in a browser."""

from __future__ import annotations

import io

import pytest
from django.core.management import call_command
from playwright.sync_api import expect

from weerbaar.accounts.models import User
from weerbaar.assessments.models import AnswerValue
from weerbaar.organisations.models import Organisation

from .conftest import login_as, screenshot

pytestmark = pytest.mark.browser


@pytest.fixture
def demo(transactional_db, settings):
    settings.DEMO_MODE = True
    call_command("demo", stdout=io.StringIO())


def test_coordinator_reads_the_heatmap_filters_sorts_and_clicks_through(page, demo) -> None:
    login_as(page, User.objects.get(email="coordinator@demo.weerbaar.test"))
    page.goto("/")
    page.get_by_role("navigation", name="Hoofdmenu").get_by_role("link", name="Regiobeeld").click()
    expect(page.get_by_role("heading", name="Regiobeeld: Acute Zorgregio Oost")).to_be_visible()
    rows = page.locator("table.heatmap tbody:not(.aggregates) tr")
    expect(rows).to_have_count(Organisation.objects.filter(region__code="azo-demo").count())
    # Every cell carries its number: colour is not the only signal.
    first = rows.first.locator("td").all_inner_texts()
    assert all(text.strip() for text in first)
    screenshot(page, "heatmap")

    page.get_by_label("Sector").select_option("ziekenhuis")
    with page.expect_navigation():
        page.get_by_role("button", name="Toon").click()
    names = rows.locator("th").all_inner_texts()
    assert names and all("Ziekenhuis" in name for name in names)

    page.get_by_role("link", name="CY", exact=True).click()  # sort by Cybersecurity, high first
    assert page.locator('th[aria-sort="descending"]').inner_text().strip() == "CY"
    scores = [int(t) for t in rows.locator("td:nth-of-type(8)").all_inner_texts() if t != "–"]
    assert scores == sorted(scores, reverse=True)

    rows.first.locator("th a").click()
    expect(page.get_by_role("heading", name="Hiaten en scores")).to_be_visible()
    assert page.locator("figure.chart svg title").first.text_content().startswith("Score per thema")


def test_every_heatmap_row_has_a_cell_per_column_whatever_the_filter(page, demo) -> None:
    region = Organisation.objects.filter(region__code="azo-demo").first().region
    login_as(page, User.objects.get(email="coordinator@demo.weerbaar.test"))
    for query in ("", "?sector=vvt", "?sector=vvt&prioriteit=P1", "?sector=ziekenhuis&nato=BR5"):
        page.goto(f"/regio/{region.pk}/heatmap/{query}")
        columns = page.locator("table.heatmap thead th").count()
        assert columns >= 3, query
        widths = page.locator("table.heatmap tbody tr").evaluate_all(
            "rows => rows.map(r => r.cells.length)"
        )
        assert widths and set(widths) <= {columns, 1}, (query, columns, widths)  # 1: "none"
    screenshot(page, "heatmap-filtered")


def test_gap_screen_shows_change_since_last_year(page, demo) -> None:
    hospital = Organisation.objects.get(name="Ziekenhuis IJsselvallei")
    admin = User.objects.get(memberships__organisation=hospital, memberships__role="org_admin")
    login_as(page, admin)
    assessment = hospital.assessments.order_by("-round__opens_on")[0]
    page.goto(f"/zelfevaluaties/{assessment.pk}/hiaten/")
    expect(page.get_by_text("Verandering ten opzichte van")).to_be_visible()
    changes = page.locator("table tbody tr td:nth-child(6)").all_inner_texts()
    assert any(c not in ("–",) for c in changes)
    screenshot(page, "gaps")


def test_region_reader_sees_only_sharing_organisations(page, demo) -> None:
    login_as(page, User.objects.get(email="ghor@demo.weerbaar.test"))
    page.goto("/")
    page.get_by_role("navigation", name="Hoofdmenu").get_by_role("link", name="Regiobeeld").click()
    page.wait_for_load_state()
    names = page.locator("table.heatmap tbody:not(.aggregates) tr th a").all_inner_texts()
    from weerbaar.assessments.models import SUBMITTED_STATES, Assessment
    from weerbaar.insights import regional

    region = Organisation.objects.filter(region__code="azo-demo").first().region
    shown_round = regional.latest_with_answers(list(regional.rounds_of(region)))
    sharing = Assessment.all_objects.filter(
        round=shown_round, organisation__shares_with_region_readers=True
    )
    submitted = sharing.filter(state__in=SUBMITTED_STATES)
    assert set(names) == set(submitted.values_list("organisation__name", flat=True))
    expect(page.get_by_text("delen hun gegevens niet met u")).to_be_visible()
    if sharing.count() > submitted.count():  # a sharing concept is not shared yet
        expect(page.get_by_text("nog niet ingediend")).to_be_visible()


def test_coordinator_reads_the_norms_of_last_years_round(page, demo) -> None:
    login_as(page, User.objects.get(email="coordinator@demo.weerbaar.test"))
    page.goto("/")
    page.get_by_role("navigation", name="Hoofdmenu").get_by_role("link", name="Regiobeeld").click()
    page.get_by_role("navigation", name="Regiobeeld").get_by_role("link", name="Normen").click()
    page.get_by_label("Uitvraag").select_option(
        label=page.locator("select[name=ronde] option").nth(1).inner_text()
    )
    with page.expect_navigation():
        page.get_by_role("button", name="Toon").click()
    power = page.locator("section.norm", has_text="noodstroom kan draaien")
    expect(power.get_by_text("Norm: ≥ 72 uur")).to_be_visible()
    assert power.locator("svg title").text_content().startswith("Verdeling")
    figures = power.locator("dl.figures dd").all_inner_texts()
    answered = AnswerValue.objects.filter(
        part__norm_key="noodstroom_uren",
        number__isnull=False,
        answer__assessment__round__title__contains="2025",
        answer__not_applicable=False,
    ).count()
    assert figures[0] == str(answered) and answered >= 10
    screenshot(page, "norms")


def test_admin_plans_an_action_for_a_gap_and_sees_it_in_the_plan(page, demo) -> None:
    hospital = Organisation.objects.get(name="Ziekenhuis IJsselvallei")
    admin = User.objects.get(memberships__organisation=hospital, memberships__role="org_admin")
    login_as(page, admin)
    assessment = hospital.assessments.order_by("-round__opens_on")[0]
    page.goto(f"/zelfevaluaties/{assessment.pk}/hiaten/")
    first_gap = page.locator("ol.gaps > li").first
    code = first_gap.locator(".code").first.inner_text()
    first_gap.get_by_role("link", name="Actie toevoegen").click()
    expect(page.get_by_role("heading", name="Actie toevoegen")).to_be_visible()
    page.get_by_label("Actie", exact=True).fill("Oefening met de crisisorganisatie plannen")
    page.get_by_label("Eigenaar").select_option(label="Carla CISO")
    page.get_by_label("Gereed op").fill("2026-01-15")  # already past: overdue
    page.get_by_role("button", name="Opslaan").click()
    expect(page.get_by_text("Actie toegevoegd aan het verbeterplan.")).to_be_visible()
    row = page.locator("table.plan tbody tr", has_text="Oefening met de crisisorganisatie")
    expect(row.get_by_text(code)).to_be_visible()
    expect(row.get_by_text("hiaat nog open")).to_be_visible()
    expect(row.get_by_text("over de datum")).to_be_visible()
    screenshot(page, "verbeterplan")


def test_coordinator_reads_casualty_capacity_per_sector_and_organisation(page, demo) -> None:
    login_as(page, User.objects.get(email="coordinator@demo.weerbaar.test"))
    page.goto("/")
    page.get_by_role("navigation", name="Hoofdmenu").get_by_role("link", name="Regiobeeld").click()
    page.get_by_role("navigation", name="Regiobeeld").get_by_role("link", name="Capaciteit").click()
    page.get_by_label("Uitvraag").select_option(index=1)  # last year's round: all submitted
    with page.expect_navigation():
        page.get_by_role("button", name="Toon").click()
    sectors = page.locator("table.capacity").first
    expect(sectors.locator("tfoot").get_by_text("Regio (totaal)")).to_be_visible()
    expect(page.get_by_text("Per organisatie (alleen voor de regiocoördinator)")).to_be_visible()
    release = page.get_by_role("region", name="Vrijgave voor regiolezers")
    expect(release.get_by_text("Regiolezers zien de cijfers zoals vrijgegeven op")).to_be_visible()
    expect(release.get_by_role("button", name="Huidige cijfers vrijgeven")).to_have_count(0)
    screenshot(page, "capacity")

    page.get_by_label("Uitvraag").select_option(index=0)  # this year's round: not released
    with page.expect_navigation():
        page.get_by_role("button", name="Toon").click()
    expect(release.get_by_text("Nog niet ingediend:")).to_be_visible()
    release.scroll_into_view_if_needed()
    screenshot(page, "capacity-release")
    expect(release.get_by_text("Nog niet ingediend: 10 organisaties.")).to_be_visible()
    # No hospital of the demo has submitted this year: nothing to release yet, and it says so.
    release.get_by_role("button", name="Huidige cijfers vrijgeven").click()
    expect(page.get_by_text("Er zijn nog geen ingediende capaciteitscijfers.")).to_be_visible()
    expect(page.get_by_role("button", name="Huidige cijfers vrijgeven")).to_be_visible()


def test_region_reader_sees_capacity_only_in_large_enough_groups(page, demo) -> None:
    login_as(page, User.objects.get(email="ghor@demo.weerbaar.test"))
    page.goto("/")
    page.get_by_role("navigation", name="Hoofdmenu").get_by_role("link", name="Regiobeeld").click()
    page.get_by_role("navigation", name="Regiobeeld").get_by_role("link", name="Capaciteit").click()
    page.get_by_label("Uitvraag").select_option(index=1)
    with page.expect_navigation():
        page.get_by_role("button", name="Toon").click()
    expect(page.get_by_text("Vrijgegeven door de regiocoördinator op")).to_be_visible()
    expect(page.get_by_text("niet getoond: te kleine groep").first).to_be_visible()
    expect(page.get_by_text("Per organisatie (alleen voor de regiocoördinator)")).to_have_count(0)


def test_admin_records_a_supplier_and_the_region_sees_shared_ones(page, demo) -> None:
    hospital = Organisation.objects.get(name="Ziekenhuis IJsselvallei")
    admin = User.objects.get(memberships__organisation=hospital, memberships__role="org_admin")
    login_as(page, admin)
    page.goto(f"/organisaties/{hospital.pk}/")
    page.get_by_role("link", name="Kritieke leveranciers").click()
    page.get_by_role("link", name="Leverancier toevoegen").click()
    page.get_by_label("Categorie").select_option(label="Logistiek centrum")
    page.get_by_label("Leverancier", exact=True).fill("Zorglogistiek Oost")
    page.get_by_label("Herkomst").select_option(label="Nederland")
    page.get_by_role("button", name="Opslaan").click()
    expect(page.get_by_text("Leverancier opgeslagen.")).to_be_visible()
    expect(page.get_by_role("cell", name="Zorglogistiek Oost")).to_be_visible()

    login_as(page, User.objects.get(email="coordinator@demo.weerbaar.test"))
    page.goto("/")
    page.get_by_role("navigation", name="Hoofdmenu").get_by_role("link", name="Regiobeeld").click()
    page.get_by_role("navigation", name="Regiobeeld").get_by_role(
        "link", name="Afhankelijkheden"
    ).click()
    expect(page.get_by_text("zijn afhankelijk van Brandstoffen Oost B.V.")).to_be_visible()
    expect(page.get_by_role("heading", name="IT buiten Europa")).to_be_visible()
    screenshot(page, "dependencies")


def test_coordinator_follows_trend_needs_and_recommendations(page, demo) -> None:
    login_as(page, User.objects.get(email="coordinator@demo.weerbaar.test"))
    page.goto("/")
    page.get_by_role("navigation", name="Hoofdmenu").get_by_role("link", name="Regiobeeld").click()
    tabs = page.get_by_role("navigation", name="Regiobeeld")
    tabs.get_by_role("link", name="Trend").click()
    assert (
        page.locator("figure.chart svg title").text_content() == "Mediaan totaalscore per uitvraag"
    )
    screenshot(page, "trend")
    tabs.get_by_role("link", name="Behoeften").click()
    expect(page.get_by_text("Behoefte aan regionale scholing over weerbare zorg")).to_be_visible()
    tabs.get_by_role("link", name="Adviezen").click()
    page.get_by_role("link", name="Wijzigen (Zorginstellingen)").first.click()
    page.get_by_label("Status").select_option(label="In uitvoering")
    page.get_by_label("Eigenaar").fill("Netwerkbureau AZO")
    page.get_by_label("Gekoppelde vragen uit het Kader").fill("ZC-09, pe-01")
    page.get_by_role("button", name="Opslaan").click()
    expect(page.get_by_text("Status opgeslagen.")).to_be_visible()
    expect(page.get_by_text("In uitvoering").first).to_be_visible()
    expect(page.get_by_text("PE-01").first).to_be_visible()
    screenshot(page, "recommendations")


def test_coordinator_downloads_the_regional_excel_and_pdf(page, demo, tmp_path) -> None:
    login_as(page, User.objects.get(email="coordinator@demo.weerbaar.test"))
    page.goto("/")
    page.get_by_role("navigation", name="Hoofdmenu").get_by_role("link", name="Regiobeeld").click()
    with page.expect_download() as excel:
        page.get_by_role("button", name="Excel-export").click()
    path = tmp_path / excel.value.suggested_filename
    excel.value.save_as(path)
    assert path.suffix == ".xlsx" and path.stat().st_size > 5000
    with page.expect_download() as pdf:
        page.get_by_role("button", name="Regiorapport (PDF)").click()
    assert pdf.value.suggested_filename.endswith(".pdf")
    page.get_by_role("link", name="Uw exports").click()
    expect(page.get_by_role("heading", name="Uw exports")).to_be_visible()
    # The two downloads just made are listed, ready to fetch again.
    listed = page.locator("main")
    expect(listed).to_contain_text("Regiobeeld (Excel)")
    expect(listed).to_contain_text("Regiorapport (PDF)")
