"""People who sign in, and their personal API tokens."""

from __future__ import annotations

import hashlib
import secrets
from datetime import timedelta
from typing import Any, ClassVar

from django.conf import settings
from django.contrib.auth.models import AbstractUser, BaseUserManager
from django.db import models, transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from weerbaar.prepared import Select


class UserManager(BaseUserManager["User"]):
    use_in_migrations = True

    def _create_user(self, email: str, password: str | None, **extra: Any) -> User:
        if not email:
            raise ValueError("An e-mail address is required.")
        user = self.model(email=self.normalize_email(email).lower(), **extra)
        user.set_password(password)
        user.save(using=self._db)
        return user

    def create_user(self, email: str, password: str | None = None, **extra: Any) -> User:
        extra.setdefault("is_staff", False)
        extra.setdefault("is_superuser", False)
        return self._create_user(email, password, **extra)

    def create_superuser(self, email: str, password: str | None = None, **extra: Any) -> User:
        extra["is_staff"] = True
        extra["is_superuser"] = True
        return self._create_user(email, password, **extra)


class User(AbstractUser):
    """A person. Signs in with an e-mail address; there is no username."""

    username = None  # type: ignore[assignment]
    first_name = None  # type: ignore[assignment]
    last_name = None  # type: ignore[assignment]
    email = models.EmailField(_("e-mailadres"), unique=True)
    full_name = models.CharField(_("naam"), max_length=200, blank=True)
    is_demo = models.BooleanField(
        _("demo-account"),
        default=False,
        help_text=_("Demo-accounts kunnen alleen inloggen als de demomodus aan staat."),
    )

    USERNAME_FIELD = "email"
    EMAIL_FIELD = "email"
    REQUIRED_FIELDS: ClassVar[list[str]] = []

    objects: ClassVar[UserManager] = UserManager()  # type: ignore[assignment]

    class Meta:
        verbose_name = _("gebruiker")
        verbose_name_plural = _("gebruikers")
        ordering = ("email",)

    def __str__(self) -> str:
        return self.full_name or self.email

    def get_full_name(self) -> str:
        return self.full_name or self.email

    def get_short_name(self) -> str:
        return self.full_name.split(" ")[0] if self.full_name else self.email

    def save(self, *args: Any, **kwargs: Any) -> None:
        # ``set_password`` keeps the new password until the save; a changed password (by the
        # person, a reset link, an administrator or the command line) or a deactivated
        # account ends every API token, as it ends the sessions.
        password_changed = self._password is not None and self.pk is not None  # type: ignore[attr-defined]
        super().save(*args, **kwargs)
        if password_changed:
            api_tokens_revoke_all(user=self, reason="password changed")
        elif not self.is_active and self.pk is not None:
            api_tokens_revoke_all(user=self, reason="account deactivated")


USAGE_RESOLUTION = timedelta(minutes=1)


def api_token_lifetime() -> timedelta:
    """How long a new API token lives unless asked otherwise (``WEERBAAR_API_TOKEN_DAYS``)."""
    return timedelta(days=settings.API_TOKEN_DAYS)


def api_token_max_lifetime() -> timedelta:
    return timedelta(days=settings.API_TOKEN_MAX_DAYS)


TOKEN_PREFIX = "wb_"  # noqa: S105 - a public marker, not a secret


def hash_token(raw: str) -> str:
    return hashlib.sha256(raw.encode("utf-8")).hexdigest()


class ApiToken(models.Model):
    """A personal bearer token for /api/v1/. Only its SHA-256 hash is stored."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="api_tokens")
    name = models.CharField(_("naam"), max_length=100)
    prefix = models.CharField(_("begin van het token"), max_length=12)
    token_hash = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(_("aangemaakt"), default=timezone.now)
    expires_at = models.DateTimeField(_("verloopt"), null=True, blank=True)
    last_used_at = models.DateTimeField(_("laatst gebruikt"), null=True, blank=True)
    revoked_at = models.DateTimeField(_("ingetrokken"), null=True, blank=True)

    class Meta:
        verbose_name = _("API-token")
        verbose_name_plural = _("API-tokens")
        ordering = ("-created_at",)

    def __str__(self) -> str:
        return f"{self.name} ({self.prefix}…)"

    @property
    def is_active(self) -> bool:
        now = timezone.now()
        return self.revoked_at is None and (self.expires_at is None or self.expires_at > now)


@transaction.atomic
def api_token_create(
    *, user: User, name: str, expires_at: Any = None, by: User | None = None
) -> tuple[ApiToken, str]:
    """Create a token for ``user`` and return it with the raw secret (shown once). Every
    token expires: by default after ``api_token_lifetime()``, at most after
    ``api_token_max_lifetime()`` (a ``ValueError`` beyond that)."""
    from weerbaar.audit.models import audit_record

    now = timezone.now()
    if expires_at is None:
        expires_at = now + api_token_lifetime()
    if expires_at > now + api_token_max_lifetime():
        raise ValueError(
            f"an API token lives at most {settings.API_TOKEN_MAX_DAYS} days "
            "(WEERBAAR_API_TOKEN_MAX_DAYS)"
        )

    raw = TOKEN_PREFIX + secrets.token_urlsafe(32)
    token = ApiToken.objects.create(
        user=user,
        name=name,
        prefix=raw[: len(TOKEN_PREFIX) + 6],
        token_hash=hash_token(raw),
        expires_at=expires_at,
    )
    audit_record(
        actor=by,
        action="api_token.create",
        obj=token,
        new={"user": user.email, "name": name, "prefix": token.prefix, "expires_at": expires_at},
    )
    return token, raw


@transaction.atomic
def api_token_revoke(*, token: ApiToken, by: User | None = None) -> None:
    """Revoke ``token`` (it stops working at once), with an audit record."""
    from weerbaar.audit.models import audit_record

    token.revoked_at = timezone.now()
    token.save(update_fields=["revoked_at"])
    audit_record(
        actor=by,
        action="api_token.revoke",
        obj=token,
        old={"revoked_at": None},
        new={"revoked_at": token.revoked_at},
    )


def api_tokens_revoke_all(*, user: User, reason: str, by: User | None = None) -> int:
    """Revoke every active token of ``user`` (audited, with ``reason``); returns how many."""
    from weerbaar.audit.models import audit_record

    now = timezone.now()
    tokens = list(ApiToken.objects.filter(user=user, revoked_at__isnull=True))
    for token in tokens:
        ApiToken.objects.filter(pk=token.pk).update(revoked_at=now)
        audit_record(
            actor=by,
            action="api_token.revoke",
            obj=token,
            old={"revoked_at": None},
            new={"revoked_at": now, "reason": reason},
        )
    return len(tokens)


_USER_FIELDS = [field.attname for field in User._meta.concrete_fields]
_TOKEN_FIELDS = ["pk", "expires_at", "revoked_at", "last_used_at"]
_TOKEN_BY_HASH = Select(
    lambda token_hash: (
        ApiToken.objects.filter(token_hash=token_hash)
        .order_by()
        .values_list(*_TOKEN_FIELDS, *(f"user__{name}" for name in _USER_FIELDS))
    ),
    token_hash=str,
)


def api_token_authenticate(raw: str) -> User | None:
    """Return the active user owning ``raw``, or None. Records when the token was used.

    One prepared statement (this runs on every API request)."""
    if not raw.startswith(TOKEN_PREFIX):
        return None
    row = _TOKEN_BY_HASH.first(token_hash=hash_token(raw))
    if row is None:
        return None
    token_pk, expires_at, revoked_at, last_used_at = row[: len(_TOKEN_FIELDS)]
    now = timezone.now()
    if revoked_at is not None or expires_at is None or expires_at <= now:
        return None
    user = User.from_db(User.objects.db, _USER_FIELDS, row[len(_TOKEN_FIELDS) :])
    if not user.is_active:
        return None
    if user.is_demo and not settings.DEMO_MODE:
        return None
    if last_used_at is None or now - last_used_at > USAGE_RESOLUTION:
        # Usage is recorded to the minute: no write (and no write lock) on every request.
        ApiToken.objects.filter(pk=token_pk).update(last_used_at=now)
    return user


class SignInLink(models.Model):
    """A one-time, expiring sign-in link for a respondent (no password needed).

    Only the SHA-256 hash of the secret is stored. People who must use MFA cannot use it.
    """

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="sign_in_links")
    token_hash = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(default=timezone.now)
    expires_at = models.DateTimeField()
    used_at = models.DateTimeField(null=True, blank=True)
    created_by = models.ForeignKey(
        User, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        verbose_name = _("aanmeldlink")
        verbose_name_plural = _("aanmeldlinks")
        ordering = ("-created_at",)

    def __str__(self) -> str:
        return f"{self.user} ({self.created_at:%Y-%m-%d})"

    @property
    def is_usable(self) -> bool:
        return self.used_at is None and self.expires_at > timezone.now()
