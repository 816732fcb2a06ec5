"""``weerbaar synth``: a synthetic region to measure the regional screens at scale."""

from __future__ import annotations

from typing import Any

from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandParser

from weerbaar.insights.synth import synthesise


class Command(BaseCommand):
    help = (
        "Create a synthetic region: ORGS organisations, ROUNDS yearly rounds of the Kader "
        "weerbare zorg, every question answered. For benchmarks and load tests only."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--orgs", type=int, default=3000, help="organisations (3000)")
        parser.add_argument("--rounds", type=int, default=10, help="yearly rounds (10)")
        parser.add_argument("--region", default="synth", help="region code (synth)")
        parser.add_argument("--seed", type=int, default=2026, help="random seed")

    def handle(self, *args: Any, **options: Any) -> None:
        if options["orgs"] < 1 or options["rounds"] < 1:
            self.stderr.write("--orgs en --rounds moeten minstens 1 zijn.")
            raise SystemExit(2)
        call_command("framework", "load", verbosity=0)
        result = synthesise(
            organisations=options["orgs"],
            rounds=options["rounds"],
            region_code=options["region"],
            seed=options["seed"],
            progress=self.stdout.write,
        )
        self.stdout.write(
            f"Klaar: {result.region.name} (id {result.region.pk}), {result.organisations} "
            f"organisaties, {result.rounds} uitvragen, {result.answers} antwoorden."
        )
