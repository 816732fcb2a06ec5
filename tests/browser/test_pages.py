"""Signing in and out, and the main screens, as people use them in a real browser."""

from __future__ import annotations

import pytest
from allauth.mfa.totp.internal.auth import (
    format_hotp_value,
    hotp_value,
    yield_hotp_counters_from_time,
)
from playwright.sync_api import expect

from weerbaar.organisations.models import Role, Sector

from ..factories import (
    PASSWORD,
    OrganisationFactory,
    RegionFactory,
    enable_mfa,
    functionary,
    member,
)
from .conftest import login_as, screenshot

pytestmark = pytest.mark.browser


def totp_code(secret: str) -> str:
    counter = next(iter(yield_hotp_counters_from_time()))
    return format_hotp_value(hotp_value(secret, counter))


def sign_in(page, email: str, password: str = PASSWORD) -> None:
    page.goto("/")
    assert page.url.endswith("/accounts/login/?next=/")
    page.get_by_label("E-mailadres").fill(email)
    page.get_by_label("Wachtwoord").fill(password)
    page.get_by_role("button", name="Aanmelden").click()


def sign_out(page) -> None:
    page.get_by_role("button", name="Afmelden").click()
    page.wait_for_load_state()
    if page.get_by_role("button", name="Afmelden").count():  # allauth confirmation page
        page.get_by_role("button", name="Afmelden").click()
    page.goto("/")
    assert "/accounts/login/" in page.url


@pytest.fixture
def region(transactional_db):
    region = RegionFactory(name="Acute Zorgregio Oost", code="azo")
    hospital = OrganisationFactory(region=region, name="Ziekenhuis IJsselvallei")
    nursing = OrganisationFactory(
        region=region, name="Zorggroep De Hoven", sector=Sector.VVT, shares_with_region_readers=True
    )
    return region, hospital, nursing


def test_respondent_signs_in_sees_their_questions_and_signs_out(page, region) -> None:
    _region, hospital, _nursing = region
    ciso = member(Role.RESPONDENT, hospital, email="ciso@ijsselvallei.test", full_name="Carla CISO")
    functionary(hospital, "ciso", ciso)
    sign_in(page, "ciso@ijsselvallei.test")
    expect(page.get_by_role("heading", name="Welkom, Carla")).to_be_visible()
    expect(page.get_by_role("heading", name="Mijn vragen")).to_be_visible()
    expect(page.get_by_text("Voldoet de organisatie aan de NIS2?")).to_be_visible()
    assert page.get_by_role("link", name="Organisaties").count() == 0
    screenshot(page, "home-respondent")
    sign_out(page)


def test_coordinator_signs_in_with_totp_and_sees_the_region(page, region) -> None:
    _region, hospital, _nursing = region
    coordinator = member(
        Role.COORDINATOR, hospital, email="coby@azo.test", full_name="Coby Coördinator"
    )
    secret = enable_mfa(coordinator)
    sign_in(page, "coby@azo.test")
    expect(page.get_by_role("heading", name="Twee-factor-authenticatie")).to_be_visible()
    code_field = page.get_by_label("Code")
    code_field.fill(totp_code(secret))
    page.get_by_role("button", name="Aanmelden").click()
    expect(page.get_by_role("heading", name="Welkom, Coby")).to_be_visible()
    expect(page.get_by_text("2 organisaties in de regio.")).to_be_visible()
    screenshot(page, "home-coordinator")
    page.get_by_role("link", name="Organisaties").first.click()
    expect(page.get_by_role("link", name="Ziekenhuis IJsselvallei")).to_be_visible()
    screenshot(page, "organisations")
    sign_out(page)


def test_org_admin_without_mfa_must_set_it_up_first(page, region) -> None:
    _region, hospital, _nursing = region
    member(Role.ORG_ADMIN, hospital, email="admin@ijsselvallei.test", full_name="Anna Admin")
    sign_in(page, "admin@ijsselvallei.test")
    # Setting up a factor first confirms the password (allauth's re-authentication).
    assert "/accounts/reauthenticate/" in page.url
    expect(page.get_by_text("Stel eerst tweestapsverificatie in")).to_be_visible()
    page.get_by_label("Wachtwoord").fill(PASSWORD)
    page.get_by_role("button", name="Bevestigen").click()
    expect(page.get_by_role("heading", name="Activeer authenticator-app")).to_be_visible()
    screenshot(page, "mfa-setup")
    secret = page.get_by_label("Authenticator geheim").input_value()
    page.goto("/kaders/")  # every page leads back to the set-up until it is done
    assert "/accounts/2fa/totp/activate/" in page.url
    page.get_by_label("Authenticator code").fill(
        totp_code(page.get_by_label("Authenticator geheim").input_value())
    )
    assert secret
    page.get_by_role("button", name="Activeer").click()
    # Activation also creates the recovery codes.
    from allauth.mfa.models import Authenticator

    assert sorted(
        Authenticator.objects.filter(user__email="admin@ijsselvallei.test").values_list(
            "type", flat=True
        )
    ) == ["recovery_codes", "totp"]
    page.goto("/")
    expect(page.get_by_role("heading", name="Welkom, Anna")).to_be_visible()


def test_region_reader_sees_the_region_but_not_unshared_details(page, region) -> None:
    _region, hospital, _nursing = region
    member(Role.REGION_READER, hospital, email="ghor@azo.test", full_name="Gerrit GHOR")
    sign_in(page, "ghor@azo.test")
    expect(page.get_by_role("heading", name="Welkom, Gerrit")).to_be_visible()
    page.get_by_role("link", name="Organisaties").first.click()
    page.wait_for_load_state()
    expect(page.get_by_role("link", name="Zorggroep De Hoven")).to_be_visible()
    assert page.get_by_role("link", name="Ziekenhuis IJsselvallei").count() == 0
    expect(page.get_by_text("niet gedeeld")).to_be_visible()
    sign_out(page)


def test_org_admin_maps_functionaries(page, region) -> None:
    _region, hospital, _nursing = region
    admin = member(
        Role.ORG_ADMIN, hospital, email="admin@ijsselvallei.test", full_name="Anna Admin"
    )
    enable_mfa(admin)
    member(Role.RESPONDENT, hospital, email="hr@ijsselvallei.test", full_name="Henk HR")
    login_as(page, admin)  # the TOTP sign-in itself is covered by the coordinator test
    page.goto(f"/organisaties/{hospital.pk}/")
    page.get_by_role("link", name="Functionarissen koppelen").click()
    screenshot(page, "functionaries")
    page.get_by_role("group", name="HR").get_by_label("Henk HR").check()
    page.get_by_role("button", name="Opslaan").click()
    expect(
        page.get_by_text("Functionarissen opgeslagen: 1 toegevoegd, 0 verwijderd.")
    ).to_be_visible()
    expect(page.locator("dl.functionaries").get_by_text("Henk HR")).to_be_visible()
    screenshot(page, "organisation")


def test_framework_page_shows_themes_questions_and_action_cards(page, region) -> None:
    _region, hospital, _nursing = region
    reader = member(Role.REGION_READER, hospital, email="ghor@azo.test")
    login_as(page, reader)
    page.goto("/kaders/")
    page.get_by_role("link", name="Kader weerbare zorg").click()
    expect(page.get_by_role("heading", name="Cybersecurity")).to_be_visible()
    expect(page.locator("li.item")).to_have_count(69)
    screenshot(page, "framework-kader")
    page.goto("/kaders/")
    page.get_by_role("link", name="Zorgcontinuïteit in Balans").click()
    expect(page.get_by_role("heading", name="Tekort aan personeel")).to_be_visible()
    page.get_by_role("heading", name="Digitale verstoring").scroll_into_view_if_needed()
    screenshot(page, "framework-zib")


def test_keyboard_skip_link_and_language_switch(page, region) -> None:
    _region, hospital, _nursing = region
    reader = member(Role.REGION_READER, hospital, email="ghor@azo.test")
    login_as(page, reader)
    page.goto("/")
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.textContent") == "Naar de inhoud"
    page.keyboard.press("Enter")
    assert page.evaluate("document.activeElement.id") == "main"
    page.get_by_label("Taal").select_option("en")
    page.get_by_role("button", name="Wissel").click()
    expect(page.locator("html")).to_have_attribute("lang", "en")
    expect(page.get_by_role("button", name="Sign out")).to_be_visible()
