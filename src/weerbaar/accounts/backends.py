"""Authentication backend: e-mail sign-in, demo accounts only in demo mode."""

from __future__ import annotations

from typing import Any

from allauth.account.auth_backends import AuthenticationBackend
from django.conf import settings
from django.http import HttpRequest


class EmailBackend(AuthenticationBackend):
    """Model backend that refuses demo accounts unless ``WEERBAAR_DEMO`` is on."""

    def get_user(self, user_id: Any) -> Any:
        """The signed-in person of a request, and whether they set up TOTP (which every
        request's MFA check asks), in one statement."""
        from allauth.mfa.models import Authenticator
        from django.contrib.auth import get_user_model
        from django.db.models import Exists, OuterRef

        totp = Authenticator.objects.filter(user=OuterRef("pk"), type=Authenticator.Type.TOTP)
        user = (
            get_user_model()
            ._default_manager.annotate(weerbaar_has_totp=Exists(totp))
            .filter(pk=user_id)
            .first()
        )
        if user is None or not self.user_can_authenticate(user):
            return None
        return user

    def user_can_authenticate(self, user: Any) -> bool:
        if getattr(user, "is_demo", False) and not settings.DEMO_MODE:
            return False
        return super().user_can_authenticate(user)


def axes_username(request: HttpRequest | None, credentials: dict[str, Any] | None) -> str:
    """The sign-in name axes counts failures for (allauth passes ``email``)."""
    credentials = credentials or {}
    for key in ("email", "login", "username"):
        value = credentials.get(key)
        if value:
            return str(value).strip().lower()
    if request is not None and request.method == "POST":
        return str(request.POST.get("login", "")).strip().lower()
    return ""
