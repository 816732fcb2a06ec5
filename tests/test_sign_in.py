"""Sign-in: e-mail and password, MFA for coordinators and admins, lockout, demo accounts."""

from __future__ import annotations

import pytest
from allauth.mfa.totp.internal.auth import (
    format_hotp_value,
    hotp_value,
    yield_hotp_counters_from_time,
)
from django.test import Client
from django.urls import reverse

from weerbaar.accounts.models import User
from weerbaar.organisations.models import Role

from .conftest import World
from .factories import PASSWORD, OrganisationFactory, enable_mfa, member
from .test_authorization_matrix import MATRIX, kwargs_for

LOGIN = "/accounts/login/"


def sign_in(client: Client, email: str, password: str = PASSWORD):
    return client.post(LOGIN, {"login": email, "password": password})


def test_sign_in_with_email_and_password_leads_home(world: World) -> None:
    client = Client()
    response = sign_in(client, "bob@alfa.test")
    assert response.status_code == 302
    assert response["Location"] == reverse("home")
    assert client.get(reverse("home")).context["user"] == world.bob


def test_sign_in_email_is_case_insensitive(world: World) -> None:
    response = sign_in(Client(), "Bob@Alfa.TEST")
    assert response.status_code == 302


def test_sign_in_wrong_password_shows_a_dutch_message(world: World) -> None:
    response = sign_in(Client(), "bob@alfa.test", "wrong password")
    assert response.status_code == 200
    assert "Het door jou opgegeven e-mailadres en/of wachtwoord is niet correct." in (
        response.content.decode()
    )


def test_sign_in_asks_the_totp_code_when_mfa_is_set_up(world: World) -> None:
    client = Client()
    response = sign_in(client, "coby@azo.test")
    assert response["Location"] == reverse("mfa_authenticate")
    assert client.get(reverse("home")).status_code == 302  # not signed in yet

    secret = world.coordinator.authenticator_set.get().wrap().instance.data["secret"]
    from allauth.mfa.utils import decrypt

    counter = next(iter(yield_hotp_counters_from_time()))
    code = format_hotp_value(hotp_value(decrypt(secret), counter))
    response = client.post(reverse("mfa_authenticate"), {"code": code})
    assert response.status_code == 302
    assert client.get(reverse("home")).status_code == 200


def test_sign_in_lockout_refuses_even_the_right_password(world: World, settings) -> None:
    settings.LOGIN_FAILURE_LIMIT = 3
    client = Client()
    for _ in range(3):
        sign_in(client, "bob@alfa.test", "wrong password")
    response = sign_in(client, "bob@alfa.test")
    assert response.status_code == 429
    assert "Account tijdelijk geblokkeerd" in response.content.decode()
    assert client.get(reverse("home")).status_code == 302
    # Another account from the same address is not locked.
    assert sign_in(Client(), "charlie@beta.test").status_code == 302


def test_demo_accounts_sign_in_only_in_demo_mode(world: World, settings) -> None:
    demo = member(Role.RESPONDENT, world.own, email="demo@demo.weerbaar.test", is_demo=True)
    assert demo.is_demo
    client = Client()
    response = sign_in(client, "demo@demo.weerbaar.test")
    assert response.status_code == 200  # refused: the form again, with the usual message
    assert "wachtwoord is niet correct" in response.content.decode()
    assert client.get(reverse("home")).status_code == 302
    demo.refresh_from_db()
    assert demo.last_login is None
    settings.DEMO_MODE = True
    assert sign_in(Client(), "demo@demo.weerbaar.test").status_code == 302


def test_demo_session_ends_when_demo_mode_is_switched_off(world: World, settings) -> None:
    member(Role.RESPONDENT, world.own, email="demo@demo.weerbaar.test", is_demo=True)
    settings.DEMO_MODE = True
    client = Client()
    sign_in(client, "demo@demo.weerbaar.test")
    assert client.get(reverse("home")).status_code == 200
    settings.DEMO_MODE = False
    assert client.get(reverse("home")).status_code == 302


def test_signup_is_closed(db) -> None:
    client = Client()
    page = client.get(reverse("account_signup"))
    assert page.templates[0].name == "account/signup_closed.html"
    client.post(
        reverse("account_signup"),
        {"email": "new@example.test", "password1": PASSWORD, "password2": PASSWORD},
    )
    assert not User.objects.filter(email="new@example.test").exists()


def test_sign_out_ends_the_session(world: World) -> None:
    client = Client()
    client.force_login(world.bob)
    response = client.post(reverse("account_logout"))
    assert response.status_code == 302
    assert client.get(reverse("home")).status_code == 302


# --- MFA enforcement ------------------------------------------------------------------------

ALLOWED_WITHOUT_MFA = {
    "healthz",
    "sign_in_link",
    "favicon",
    "set_language",
    "account_logout",
    "account_login",
    "account_reauthenticate",
    "mfa_index",
    "mfa_activate_totp",
    "mfa_reauthenticate",
    "mfa_view_recovery_codes",
    "mfa_generate_recovery_codes",
    "mfa_download_recovery_codes",
}


@pytest.mark.parametrize("role", [Role.COORDINATOR, Role.ORG_ADMIN])
def test_mfa_is_enforced_on_every_url_for_coordinators_and_admins(role: Role, world: World) -> None:
    user = member(role, world.own, email=f"{role}-nomfa@alfa.test")
    client = Client()
    client.force_login(user)
    failures = []
    for name in MATRIX:
        url = reverse(name, kwargs=kwargs_for(name, world))
        response = client.get(url)
        if name in ALLOWED_WITHOUT_MFA:
            redirected = response.get("Location") == reverse("mfa_activate_totp")
            if redirected:
                failures.append(f"{name} was blocked")
        elif name.startswith("api:") and name != "api:openapi-json":
            if response.status_code not in (401, 403):
                failures.append(f"{name}: {response.status_code}")
        elif name != "api:openapi-json" and (
            response.status_code != 302 or response["Location"] != reverse("mfa_activate_totp")
        ):
            failures.append(f"{name}: {response.status_code} {response.get('Location')}")
    assert failures == []
    admin = client.get(reverse("admin:index"))
    assert admin["Location"] == reverse("mfa_activate_totp")


def test_mfa_is_not_required_for_readers_and_respondents(world: World) -> None:
    for user in (world.reader, world.bob):
        client = Client()
        client.force_login(user)
        assert client.get(reverse("home")).status_code == 200


def test_mfa_is_not_enforced_for_demo_accounts_in_demo_mode_only(world: World, settings) -> None:
    settings.DEMO_MODE = True
    demo = member(Role.COORDINATOR, world.own, email="coord@demo.weerbaar.test", is_demo=True)
    real = member(Role.COORDINATOR, world.own, email="coord-nomfa@alfa.test")
    client = Client()
    client.force_login(demo)
    assert client.get(reverse("home")).status_code == 200
    client.force_login(real)
    assert client.get(reverse("home"))["Location"] == reverse("mfa_activate_totp")


def test_session_without_the_second_factor_is_signed_out(world: World) -> None:
    """A coordinator with TOTP whose session never passed it (e.g. a sign-in that skipped
    allauth's MFA step) is signed out."""
    from django.contrib.auth import SESSION_KEY

    client = Client()
    client.force_login(world.coordinator)
    session = client.session
    session["account_authentication_methods"] = [{"method": "password", "at": 0}]
    session.save()
    response = client.get(reverse("home"))
    assert response["Location"] == reverse("account_login")
    assert SESSION_KEY not in client.session


def test_admin_sign_in_goes_through_allauth_with_totp(world: World) -> None:
    client = Client()
    response = client.get("/beheer/login/?next=/beheer/")
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("account_login"))
    # Posting a password to the admin's own login form signs nobody in.
    client.post("/beheer/login/", {"username": "coby@azo.test", "password": PASSWORD})
    assert client.get("/beheer/").status_code == 302
    assert client.get(reverse("organisations:detail", args=[world.own.pk])).status_code == 302


def test_mfa_set_up_lifts_the_block(world: World) -> None:
    user = member(Role.ORG_ADMIN, world.own, email="late@alfa.test")
    client = Client()
    client.force_login(user)
    assert client.get(reverse("home"))["Location"] == reverse("mfa_activate_totp")
    enable_mfa(user)
    client.force_login(user)  # signed in again, now with the second factor
    assert client.get(reverse("home")).status_code == 200


def test_mfa_enforced_for_admin_of_any_organisation(db) -> None:
    org = OrganisationFactory()
    user = member(Role.ORG_ADMIN, org)
    client = Client()
    client.force_login(user)
    assert client.get("/kaders/")["Location"] == reverse("mfa_activate_totp")


def test_reauthentication_by_emailed_code_is_refused(world: World) -> None:
    """Changing the second factor asks for the password or the factor itself; a code sent to
    the mailbox would be enough for whoever reads the mail."""
    client = Client()
    client.force_login(world.alice)
    request_code = client.post(reverse("account_request_reauthentication_code"), {})
    confirm_code = client.post(reverse("account_confirm_reauthentication_code"), {"code": "x"})
    assert (request_code.status_code, confirm_code.status_code) == (403, 403)
    page = client.get(reverse("account_reauthenticate")).content.decode()
    assert reverse("account_request_reauthentication_code") not in page


# --- Lock-outs keyed on account and address (issue 9) --------------------------------------


def sign_in_from(address: str, email: str, password: str = PASSWORD, client=None):
    client = client or Client(REMOTE_ADDR=address)
    return client, client.post(LOGIN, {"login": email, "password": password})


def test_a_stranger_cannot_lock_someone_out_from_elsewhere(world: World, settings) -> None:
    settings.LOGIN_FAILURE_LIMIT = 3
    for _ in range(5):
        sign_in_from("203.0.113.9", "bob@alfa.test", "wrong password")
    _client, attacker = sign_in_from("203.0.113.9", "bob@alfa.test")
    assert attacker.status_code == 429  # locked: at the attacker's address
    bob, response = sign_in_from("10.1.2.3", "bob@alfa.test")
    assert response.status_code == 302  # Bob, at the hospital, signs in as usual
    assert bob.get(reverse("home")).context["user"] == world.bob


def test_an_address_trying_many_accounts_is_stopped(world: World, settings) -> None:
    settings.LOGIN_FAILURE_LIMIT = 3
    settings.LOGIN_FAILURE_LIMIT_PER_ADDRESS = 6
    people = [member(Role.RESPONDENT, world.own, email=f"p{n}@alfa.test") for n in range(3)]
    for person in people:  # two tries each: under the per-account limit, 6 in all
        for _ in range(2):
            sign_in_from("198.51.100.7", person.email, "Zomer2026!")
    _client, sprayed = sign_in_from("198.51.100.7", "charlie@beta.test")
    assert sprayed.status_code == 429  # even the right password of a fresh account
    _client, elsewhere = sign_in_from("10.1.2.3", "charlie@beta.test")
    assert elsewhere.status_code == 302


def test_a_sign_in_link_does_not_lift_a_lock(world: World, settings) -> None:
    from django.core import mail

    from weerbaar.accounts.models import SignInLink

    from .test_sign_in_links import invite, link_from_mail

    settings.LOGIN_FAILURE_LIMIT = 3
    invite(world, world.bob.pk)
    url = link_from_mail()
    assert mail.outbox
    for _ in range(3):
        sign_in_from("127.0.0.1", "bob@alfa.test", "wrong password")
    bob = Client(REMOTE_ADDR="127.0.0.1")
    bob.get(url)
    response = bob.post(url)
    assert response.status_code == 429
    assert "Account tijdelijk geblokkeerd" in response.content.decode()
    assert bob.get(reverse("home")).status_code == 302  # not signed in
    assert SignInLink.objects.get().used_at is None  # usable after the cool-off
    _client, again = sign_in_from("127.0.0.1", "bob@alfa.test")
    assert again.status_code == 429  # the lock is still there
