"""Who must use multi-factor authentication, and whether they have set it up."""

from __future__ import annotations

from typing import Any

from allauth.mfa.models import Authenticator
from django.conf import settings

from weerbaar.organisations.access import roles_of
from weerbaar.organisations.models import Role

MFA_ROLES = frozenset({Role.COORDINATOR, Role.ORG_ADMIN})


def mfa_required(user: Any) -> bool:
    """Coordinators, organisation admins and staff need MFA, except in demo mode."""
    if settings.DEMO_MODE or not getattr(user, "is_authenticated", False):
        return False
    if user.is_staff or user.is_superuser:
        return True
    return bool(roles_of(user) & MFA_ROLES)


def mfa_enabled(user: Any) -> bool:
    return Authenticator.objects.filter(user=user, type=Authenticator.Type.TOTP).exists()


def mfa_missing(user: Any) -> bool:
    return mfa_required(user) and not mfa_enabled(user)
