"""``weerbaar demo``: load the framework library and the demo region, print the sign-ins."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand

from weerbaar.organisations.demo import DEMO_PASSWORD, load_demo


class Command(BaseCommand):
    help = "Load the framework library and the demo region (idempotent)."

    def handle(self, *args: Any, **options: Any) -> None:
        call_command("framework", "load", stdout=self.stdout, stderr=self.stderr)
        sign_ins = load_demo()
        from weerbaar.accounts.models import User
        from weerbaar.assessments.demo import load_demo_rounds
        from weerbaar.organisations.demo import REGION_CODE
        from weerbaar.organisations.models import Region

        region = Region.objects.get(code=REGION_CODE)
        coordinator = User.objects.get(email="coordinator@demo.weerbaar.test")
        if load_demo_rounds(region, coordinator):
            self.stdout.write(
                "Demo rounds loaded: last year's (established) and this year's (open)."
            )
        from weerbaar.insights.demo import load_demo_dependencies, release_demo_capacity

        if load_demo_dependencies(region, coordinator):
            self.stdout.write("Demo dependency register loaded.")
        if release_demo_capacity(region, coordinator):
            self.stdout.write("Capacity figures of last year's round released to region readers.")
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
