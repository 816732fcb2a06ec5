from __future__ import annotations

from typing import Any

from allauth.account.adapter import DefaultAccountAdapter
from django.conf import settings
from django.contrib.auth.base_user import AbstractBaseUser
from django.http import HttpRequest


class AccountAdapter(DefaultAccountAdapter):
    def is_open_for_signup(self, request: HttpRequest) -> bool:
        """Weerbaar is closed: people are invited by their organisation or the region."""
        return False

    def authenticate(self, request: HttpRequest, **credentials: Any) -> AbstractBaseUser | None:
        """Refuse demo accounts outside demo mode, as a wrong password would be.

        allauth lets users through whom ``user_can_authenticate`` refused (to show its
        "inactive" page), so the demo check must also happen here.
        """
        user = super().authenticate(request, **credentials)
        if user is not None and getattr(user, "is_demo", False) and not settings.DEMO_MODE:
            self.authentication_failed(request, **credentials)
            return None
        return user
