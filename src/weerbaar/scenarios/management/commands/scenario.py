"""``weerbaar scenario run PRESET_OR_FILE [--region R] [--round ID] [--reports]
[--format json|text]``: run a stress test on a region's figures, for scripted use.

PRESET_OR_FILE is a preset (``weerbaar scenario presets`` lists them) or a JSON file in the
same form. Without ``--round`` the figures are each organisation's latest established
self-assessment; ``--reports`` lets the latest status reports replace them (during a crisis).
"""

from __future__ import annotations

import json
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db.models import Q

from weerbaar.assessments.models import Round
from weerbaar.organisations.models import Region
from weerbaar.scenarios.data import load
from weerbaar.scenarios.presets import PRESETS, ScenarioInvalid, description, scenario_from
from weerbaar.scenarios.summary import outcome


class Command(BaseCommand):
    help = "Run a scenario stress test (run) or list the presets (presets)."

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        sub.add_parser("presets", help="list the presets")
        go = sub.add_parser("run", help="run a preset or a JSON file")
        go.add_argument("scenario", help="a preset name or a JSON file")
        go.add_argument("--region", help="id, code or exact name (default: the only region)")
        go.add_argument("--round", type=int, help="the round whose figures to use (its id)")
        go.add_argument("--reports", action="store_true", help="use the latest status reports")
        go.add_argument("--format", choices=["json", "text"], default="json")

    def handle(self, *args: Any, **options: Any) -> None:
        if options["action"] == "presets":
            for key, preset in PRESETS.items():
                self.stdout.write(f"{key}\t{preset['name']}")
            return
        round_ = None
        if options["round"] is not None:
            round_ = Round.objects.select_related("region").filter(pk=options["round"]).first()
            if round_ is None:
                raise CommandError(f"Geen uitvraag met nummer {options['round']}.")
        region = round_.region if round_ else self._region(options["region"])
        try:
            loaded = load(region, round_, use_reports=options["reports"])
            scenario = scenario_from(description(options["scenario"]), index=loaded.index)
        except ScenarioInvalid as exc:
            raise CommandError(str(exc)) from exc
        result = outcome(loaded, scenario)[1]
        if options["format"] == "json":
            self.stdout.write(json.dumps(result, ensure_ascii=False, indent=2))
            return
        hours = result["endurance_hours"]
        self.stdout.write(f"{result['scenario']} — {region.name} ({result['source']})")
        self.stdout.write(
            "Eerste kritieke uitval: " + ("houdt stand" if hours is None else f"na {hours:g} uur")
        )
        if result["at_norm"] is not None:
            met = result["at_norm"]["endurance_hours"]
            self.stdout.write(
                "Als iedereen aan de regionale normen voldoet: "
                + ("houdt stand" if met is None else f"na {met:g} uur")
            )
        for weak in result["weakest"][:10]:
            self.stdout.write(
                f"  {weak['hour']:>7g} uur  {weak['organisation']}: {weak['resource']}"
            )
        for care, beds in result["beds"].items():
            if beds["first_shortfall_day"] is not None:
                self.stdout.write(
                    f"Tekort {care}: dag {beds['first_shortfall_day'] + 1}, "
                    f"{beds['first_shortfall']:g} patiënten naar een andere regio"
                )
        for place, need in result["power_dependent_clients"].items():
            if need["first_need_hour"] is not None:
                self.stdout.write(
                    f"{place}: vanaf uur {need['first_need_hour']:g} hulp nodig voor "
                    f"stroomafhankelijke cliënten thuis (hoogstens {need['peak']:g} tegelijk)"
                )
        self.stdout.write(f"Blinde vlekken: {len(result['blind_spots'])}")

    def _region(self, value: str | None) -> Region:
        if value is None:
            regions = list(Region.objects.all()[:2])
            if len(regions) != 1:
                raise CommandError("Geef de regio (--region) of de uitvraag (--round).")
            return regions[0]
        by_id = Q(pk=int(value)) if value.isdigit() else Q(pk__in=[])
        found = Region.objects.filter(by_id | Q(code=value) | Q(name=value)).first()
        if found is None:
            raise CommandError(f"Geen regio gevonden: {value!r}.")
        return found
