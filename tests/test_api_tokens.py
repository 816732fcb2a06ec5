"""API tokens expire and end with the person's password or membership (issue 9)."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core.management import CommandError, call_command
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from weerbaar.accounts.models import ApiToken, api_token_create
from weerbaar.audit.models import AuditEvent
from weerbaar.organisations.models import Membership

from .conftest import World
from .factories import PASSWORD


def works(raw: str) -> bool:
    response = Client().get("/api/v1/organisations", HTTP_AUTHORIZATION=f"Bearer {raw}")
    return response.status_code == 200


def test_a_token_expires_after_90_days_by_default_and_a_year_at_most(world: World) -> None:
    token, raw = api_token_create(user=world.bob, name="script")
    assert works(raw)
    lifetime = token.expires_at - token.created_at
    assert timedelta(days=89) < lifetime <= timedelta(days=90, seconds=1)
    with pytest.raises(ValueError, match="at most 365 days"):
        api_token_create(
            user=world.bob, name="forever", expires_at=timezone.now() + timedelta(days=366)
        )
    with pytest.raises(CommandError, match="at most 365 days"):
        call_command("token", "create", "--email", "bob@alfa.test", "--days", "400")
    ApiToken.objects.filter(pk=token.pk).update(expires_at=timezone.now() - timedelta(seconds=1))
    assert not works(raw)
    ApiToken.objects.filter(pk=token.pk).update(expires_at=None)  # from before this rule
    assert not works(raw)


def test_changing_the_password_revokes_every_token(world: World) -> None:
    _token, raw = api_token_create(user=world.bob, name="script")
    _other, other_raw = api_token_create(user=world.bob, name="laptop")
    client = Client()
    client.force_login(world.bob)
    response = client.post(
        reverse("account_change_password"),
        {
            "oldpassword": PASSWORD,
            "password1": "Nieuw-wachtwoord-2026!",
            "password2": "Nieuw-wachtwoord-2026!",
        },
    )
    assert response.status_code == 302
    assert not works(raw) and not works(other_raw)
    events = AuditEvent.objects.filter(action="api_token.revoke")
    assert events.count() == 2
    assert {e.new["reason"] for e in events} == {"password changed"}


def test_a_password_reset_by_an_administrator_revokes_too(world: World) -> None:
    _token, raw = api_token_create(user=world.bob, name="script")
    world.bob.set_password("Door-de-beheerder-2026!")
    world.bob.save()
    assert not works(raw)


def test_saving_a_person_without_a_new_password_keeps_their_tokens(world: World) -> None:
    _token, raw = api_token_create(user=world.bob, name="script")
    world.bob.full_name = "Bob de CISO"
    world.bob.save()
    assert works(raw)


def test_leaving_the_organisation_or_being_deactivated_revokes(world: World) -> None:
    _token, raw = api_token_create(user=world.bob, name="script")
    Membership.objects.filter(user=world.bob).delete()
    assert not works(raw)
    assert AuditEvent.objects.get(action="api_token.revoke").new["reason"] == "membership ended"
    _token, charlie_raw = api_token_create(user=world.charlie, name="script")
    world.charlie.is_active = False
    world.charlie.save()
    assert ApiToken.objects.get(user=world.charlie).revoked_at is not None
    assert not works(charlie_raw)
