"""What every page needs: the CSP nonce, demo mode and the navigation, decided from the
user's roles (one query per request, cached on the user)."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.http import HttpRequest

from weerbaar.organisations.access import grants, is_coordinator, regions_for, roles_of
from weerbaar.organisations.models import Role


def weerbaar(request: HttpRequest) -> dict[str, Any]:
    user = getattr(request, "user", None)
    roles = roles_of(user) if user is not None and user.is_authenticated else set()
    regional = {Role.COORDINATOR, Role.REGION_READER} & roles or (
        user is not None and user.is_authenticated and user.is_superuser
    )
    return {
        # django-htmx's {% htmx_script %} reads the nonce under this name.
        "csp_nonce": getattr(request, "csp_nonce", None),
        "DEMO_MODE": settings.DEMO_MODE,
        "user_roles": sorted(role.label for role in roles),
        "nav_organisations": bool(roles - {Role.RESPONDENT})
        or bool(user is not None and user.is_authenticated and user.is_superuser),
        # The regional picture of the first region the user coordinates or reads.
        "nav_region": regions_for(user, Role.COORDINATOR, Role.REGION_READER)
        .values_list("pk", flat=True)
        .first()
        if regional
        else None,
        # The incidents of the (first) organisation the person belongs to: its crisis team.
        "nav_incidents": min(grants(user).organisation_roles, default=None)
        if user is not None and user.is_authenticated
        else None,
        "nav_admin": user is not None
        and user.is_authenticated
        and user.is_staff
        and is_coordinator(user),
    }
