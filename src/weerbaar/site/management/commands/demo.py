"""``weerbaar demo``: load the framework library and the demo region, print the sign-ins."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand

from weerbaar.organisations.demo import DEMO_PASSWORD
from weerbaar.site.demo import load_demo_region


class Command(BaseCommand):
    help = "Load the framework library and the demo region (idempotent)."

    def handle(self, *args: Any, **options: Any) -> None:
        call_command("framework", "load", stdout=self.stdout, stderr=self.stderr)
        sign_ins = load_demo_region(self.stdout.write)
        self.stdout.write("")
        self.stdout.write("Demo region loaded. Sign in at http://127.0.0.1:8000/ with:")
        width = max(len(s.email) for s in sign_ins)
        for s in sign_ins:
            self.stdout.write(f"  {s.email.ljust(width)}  {s.role} — {s.organisation}")
        self.stdout.write(f"Password for every demo account: {DEMO_PASSWORD}")
        if not settings.DEMO_MODE:
            self.stdout.write(
                self.style.WARNING(
                    "Demo mode is off (WEERBAAR_DEMO): demo accounts cannot sign in."
                )
            )
