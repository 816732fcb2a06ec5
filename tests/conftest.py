"""Shared fixtures: the framework library, a small region with the six kinds of user."""

from __future__ import annotations

import os
from dataclasses import dataclass

import pytest
from django.core.management import call_command

from weerbaar.accounts.models import User
from weerbaar.organisations.models import Organisation, Role, Sector

from .factories import OrganisationFactory, RegionFactory, enable_mfa, functionary, member

CI = os.environ.get("CI", "").strip().lower() in {"1", "true", "yes"}


def pytest_runtest_setup(item: pytest.Item) -> None:
    """``@pytest.mark.requires_tool(found, reason)``: without the tool a test is skipped with
    that reason on a developer's machine, and fails under CI (``CI=true``), which must run
    everything."""
    for mark in item.iter_markers("requires_tool"):
        found, reason = mark.args
        if not found:
            if CI:
                pytest.fail(f"CI runs every test, and this one needs: {reason}", pytrace=False)
            pytest.skip(reason)


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker):
    """Load the shipped framework library once; tests roll back around it."""
    with django_db_blocker.unblock():
        call_command("framework", "load", verbosity=0)


@pytest.fixture(autouse=True)
def _test_settings(settings):
    settings.DEMO_MODE = False
    settings.AXES_ENABLED = True
    # Fast hashing in tests; production uses Django's default (PBKDF2).
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True)
def _force_login_passes_mfa(monkeypatch):
    """``Client.force_login`` stands for a completed sign-in: for a user with TOTP that
    includes the second factor, which the middleware checks in the session."""
    import time

    from django.test import Client

    from weerbaar.accounts.mfa import mfa_enabled

    original = Client.force_login

    def force_login(self, user, backend=None):
        original(self, user, backend)
        if mfa_enabled(user):
            session = self.session
            session["account_authentication_methods_user"] = str(user.pk)
            session["account_authentication_methods"] = [
                {"method": "password", "at": time.time()},
                {"method": "mfa", "at": time.time(), "type": "totp"},
            ]
            session.save()

    monkeypatch.setattr(Client, "force_login", force_login)


@dataclass
class World:
    """Two organisations in one region and one in another, with one user per role.

    alice: org admin of ``own``; bob: respondent (CISO) of ``own``; charlie: org admin of
    ``other`` (same region); coordinator and reader: region roles; outsider: admin of an
    organisation in another region.
    """

    own: Organisation
    other: Organisation
    foreign: Organisation
    alice: User
    bob: User
    charlie: User
    coordinator: User
    reader: User
    outsider: User


@pytest.fixture
def world(db) -> World:
    region = RegionFactory(name="Regio Oost", code="oost")
    elsewhere = RegionFactory(name="Regio West", code="west")
    own = OrganisationFactory(region=region, name="Ziekenhuis Alfa", sector=Sector.ZIEKENHUIS)
    other = OrganisationFactory(
        region=region, name="Verpleeghuis Beta", sector=Sector.VVT, shares_with_region_readers=True
    )
    foreign = OrganisationFactory(region=elsewhere, name="Ziekenhuis West")
    alice = member(Role.ORG_ADMIN, own, email="alice@alfa.test", full_name="Alice Admin")
    bob = member(Role.RESPONDENT, own, email="bob@alfa.test", full_name="Bob CISO")
    functionary(own, "ciso", bob)
    charlie = member(Role.ORG_ADMIN, other, email="charlie@beta.test", full_name="Charlie")
    coordinator = member(Role.COORDINATOR, own, email="coby@azo.test", full_name="Coby")
    coordinator.is_staff = True
    coordinator.save()
    reader = member(Role.REGION_READER, own, email="gerrit@ghor.test", full_name="Gerrit")
    outsider = member(Role.ORG_ADMIN, foreign, email="olga@west.test", full_name="Olga")
    for user in (alice, charlie, coordinator, outsider):
        enable_mfa(user)
    return World(own, other, foreign, alice, bob, charlie, coordinator, reader, outsider)
