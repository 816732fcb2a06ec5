"""``weerbaar token create --email X [--name N] [--days D]``: print a new API token."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import timezone

from weerbaar.accounts.models import ApiToken, User, api_token_create, api_token_revoke


class Command(BaseCommand):
    help = "Create, list or revoke personal API tokens."

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        create = sub.add_parser("create", help="Create a token and print it once.")
        create.add_argument("--email", required=True)
        create.add_argument("--name", default="cli")
        create.add_argument(
            "--days",
            type=int,
            default=None,
            help="Expire after this many days (default WEERBAAR_API_TOKEN_DAYS, 90; at most "
            "WEERBAAR_API_TOKEN_MAX_DAYS, 365).",
        )
        listing = sub.add_parser("list", help="List a user's tokens (never the secret).")
        listing.add_argument("--email", required=True)
        revoke = sub.add_parser("revoke", help="Revoke a token by its prefix.")
        revoke.add_argument("prefix")

    def handle(self, *args: Any, **options: Any) -> None:
        action = options["action"]
        if action == "revoke":
            tokens = list(
                ApiToken.objects.filter(prefix=options["prefix"], revoked_at__isnull=True)
            )
            if not tokens:
                raise CommandError(f"no active token starts with {options['prefix']}")
            for token in tokens:
                api_token_revoke(token=token)
            self.stdout.write(f"revoked {len(tokens)} token(s)")
            return
        email = options["email"].strip().lower()
        user = User.objects.filter(email__iexact=email, is_active=True).first()
        if user is None:
            raise CommandError(f"no active user with e-mail {email}")
        if action == "list":
            for token in user.api_tokens.all():
                state = "active" if token.is_active else "inactive"
                ends = f"{token.expires_at:%Y-%m-%d}" if token.expires_at else "-"
                self.stdout.write(
                    f"{token.prefix}\t{token.name}\t{state}\t{token.created_at:%Y-%m-%d}\t{ends}"
                )
            return
        if options["days"] is not None and options["days"] < 1:
            raise CommandError("--days must be at least 1")
        expires = timezone.now() + timedelta(days=options["days"]) if options["days"] else None
        try:
            token, raw = api_token_create(user=user, name=options["name"], expires_at=expires)
        except ValueError as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write(raw)
        self.stderr.write(f"expires {token.expires_at:%Y-%m-%d %H:%M} UTC")
