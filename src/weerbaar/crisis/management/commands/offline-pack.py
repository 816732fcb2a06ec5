"""``weerbaar offline-pack --organisation ORG -o FILE.pdf``: write an organisation's offline
pack (ORG: its id or exact name), or with ``--region REGION`` the region's pack (id, code or
exact name). For printing before it is needed, e.g. from a nightly job."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db.models import Q

from weerbaar.crisis.pack import organisation_pack, region_pack
from weerbaar.organisations.models import Organisation, Region


def _one(queryset: Any, value: str, what: str) -> Any:
    found = list(queryset[:2])
    if not found:
        raise CommandError(f"Geen {what} gevonden: {value!r}.")
    if len(found) > 1:
        raise CommandError(f"Meer dan één {what} heet {value!r}; geef het nummer (id).")
    return found[0]


class Command(BaseCommand):
    help = "Write the offline pack (PDF) of an organisation or a region."

    def add_arguments(self, parser: CommandParser) -> None:
        which = parser.add_mutually_exclusive_group(required=True)
        which.add_argument("--organisation", help="id or exact name of the organisation")
        which.add_argument("--region", help="id, code or exact name of the region")
        parser.add_argument("-o", "--output", required=True, help="the PDF file to write")

    def handle(self, *args: Any, **options: Any) -> None:
        output = Path(options["output"])
        if not output.parent.is_dir():
            raise CommandError(f"De map {output.parent} bestaat niet.")
        value = str(options["organisation"] or options["region"]).strip()
        by_id = Q(pk=int(value)) if value.isdigit() else Q(pk__in=[])
        if options["organisation"]:
            organisation = _one(
                Organisation.objects.select_related("region").filter(by_id | Q(name=value)),
                value,
                "organisatie",
            )
            pdf, name = organisation_pack(organisation), organisation.name
        else:
            region = _one(
                Region.objects.filter(by_id | Q(code=value) | Q(name=value)), value, "regio"
            )
            pdf, name = region_pack(region), region.name
        output.write_bytes(pdf)
        self.stdout.write(f"{output}: offline pakket van {name} ({len(pdf) // 1024} kB)")
