from __future__ import annotations

from allauth.account.adapter import DefaultAccountAdapter
from django.http import HttpRequest


class AccountAdapter(DefaultAccountAdapter):
    """Weerbaar is closed: people are invited by their organisation or the region."""

    def is_open_for_signup(self, request: HttpRequest) -> bool:
        return False
