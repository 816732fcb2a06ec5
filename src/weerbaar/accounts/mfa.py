"""Who must use multi-factor authentication, whether they set it up, and whether this
session actually passed it."""

from __future__ import annotations

from typing import Any

from allauth.account.internal.flows.login import (
    get_authentication_records,
    record_authentication,
)
from allauth.mfa.models import Authenticator
from django.conf import settings
from django.http import HttpRequest

from weerbaar.organisations.access import roles_of
from weerbaar.organisations.models import Role

MFA_ROLES = frozenset({Role.COORDINATOR, Role.ORG_ADMIN})


def mfa_required(user: Any) -> bool:
    """Coordinators, organisation admins and staff need MFA. In demo mode the demo
    accounts are exempt; real accounts never are."""
    if not getattr(user, "is_authenticated", False):
        return False
    if settings.DEMO_MODE and getattr(user, "is_demo", False):
        return False
    if user.is_staff or user.is_superuser:
        return True
    return bool(roles_of(user) & MFA_ROLES)


def mfa_enabled(user: Any) -> bool:
    """Has ``user`` set up TOTP? (Read along with the user where the backend could.)"""
    known = getattr(user, "weerbaar_has_totp", None)
    if known is not None:
        return bool(known)
    return Authenticator.objects.filter(user=user, type=Authenticator.Type.TOTP).exists()


def mfa_missing(user: Any) -> bool:
    return mfa_required(user) and not mfa_enabled(user)


def session_passed_mfa(request: HttpRequest, user: Any) -> bool:
    """Did this session prove the second factor (at sign-in or when setting it up)?"""
    return any(
        record.get("method") == "mfa" for record in get_authentication_records(request, user)
    )


def record_mfa(request: HttpRequest, user: Any, **extra: Any) -> None:
    record_authentication(request, user, "mfa", **extra)
