"""How many failed sign-ins django-axes allows (``AXES_FAILURE_LIMIT``).

Axes counts failures per account *and* address (``AXES_LOCKOUT_PARAMETERS``): a stranger who
types someone's e-mail address wrongly on purpose locks out only themselves, at their own
address. Trying many accounts from one address (password spraying) is bounded separately: once
an address has failed ``LOGIN_FAILURE_LIMIT_PER_ADDRESS`` times within the cool-off over any
accounts, it may try no more (the limit drops to 0) until the cool-off has passed.
"""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from django.conf import settings
from django.db.models import Sum
from django.utils import timezone


def address_failures(address: str | None) -> int:
    """Failed sign-ins from ``address`` within the cool-off, over every account."""
    if not address:
        return 0
    from axes.models import AccessAttempt

    since = timezone.now() - timedelta(hours=float(settings.AXES_COOLOFF_TIME))
    total = AccessAttempt.objects.filter(ip_address=address, attempt_time__gte=since).aggregate(
        total=Sum("failures_since_start")
    )["total"]
    return int(total or 0)


def failure_limit(request: Any, credentials: Any = None) -> int:
    address = getattr(request, "axes_ip_address", None)
    if address_failures(address) >= settings.LOGIN_FAILURE_LIMIT_PER_ADDRESS:
        return 0
    return int(settings.LOGIN_FAILURE_LIMIT)


def locked_out(request: Any, email: str) -> bool:
    """Is ``email`` locked out at the request's address (as a password sign-in would be)?"""
    from axes.handlers.proxy import AxesProxyHandler

    if not settings.AXES_ENABLED:
        return False
    return bool(AxesProxyHandler.is_locked(request, credentials={"login": email}))
