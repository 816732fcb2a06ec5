"""One-time sign-in links for respondents: invite by e-mail, sign in with one click."""

from __future__ import annotations

import secrets
from collections.abc import Callable
from datetime import timedelta
from typing import Any

from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation

from weerbaar.audit.models import audit_record

from .mfa import mfa_required
from .models import SignInLink, User, hash_token

LINK_LIFETIME = timedelta(days=7)


class LinkRefused(Exception):
    """This person signs in with password and TOTP, not with a link."""


@transaction.atomic
def sign_in_link_send(
    *, user: User, by: Any, base_url: str, organisation: Any = None
) -> SignInLink:
    """Create a link and e-mail it; earlier unused links of this person stop working."""
    if mfa_required(user):
        raise LinkRefused
    raw = secrets.token_urlsafe(32)
    now = timezone.now()
    for old in SignInLink.objects.filter(user=user, used_at__isnull=True):
        old.used_at = now
        old.save(update_fields=["used_at"])
    link = SignInLink.objects.create(
        user=user, token_hash=hash_token(raw), expires_at=now + LINK_LIFETIME, created_by=by
    )
    url = base_url.rstrip("/") + reverse("sign_in_link", args=[raw])
    with translation.override("nl"):
        body = render_to_string(
            "account/email/sign_in_link.txt",
            {
                "user": user,
                "url": url,
                "by": by,
                "organisation": organisation,
                "days": LINK_LIFETIME.days,
            },
        )
    send_mail(
        "Uw vragen in Weerbaar",
        body,
        settings.DEFAULT_FROM_EMAIL,
        [user.email],
    )
    audit_record(
        actor=by,
        action="sign_in_link.send",
        obj=link,
        organisation=organisation,
        new={"user": user.email, "expires_at": link.expires_at},
    )
    return link


class AccountLocked(Exception):
    """Too many failed sign-ins for this account: a link does not get round the lock."""


@transaction.atomic
def sign_in_link_use(raw: str, *, locked: Callable[[User], bool] | None = None) -> User | None:
    """The person behind a valid, unused, unexpired link (which is used up), or None.
    Raises ``AccountLocked`` (and leaves the link unused) when ``locked`` says the person is
    locked out by failed sign-ins: a link signs in, it does not lift a lock."""
    link = (
        SignInLink.objects.select_for_update()
        .select_related("user")
        .filter(token_hash=hash_token(raw))
        .first()
    )
    if link is None or not link.is_usable or not link.user.is_active or mfa_required(link.user):
        return None
    if link.user.is_demo and not settings.DEMO_MODE:
        return None
    if locked is not None and locked(link.user):
        raise AccountLocked
    link.used_at = timezone.now()
    link.save(update_fields=["used_at"])
    audit_record(
        actor=link.user, action="sign_in_link.use", obj=link, new={"used_at": link.used_at}
    )
    return link.user
