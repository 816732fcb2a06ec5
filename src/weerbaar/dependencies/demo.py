"""Demo dependencies: fictitious suppliers, shared the way real regions share them."""

from __future__ import annotations

from typing import Any

from weerbaar.dependencies.models import Dependency, Origin
from weerbaar.dependencies.register import dependency_save
from weerbaar.organisations.models import Region, Sector

HOSPITALS = {Sector.ZIEKENHUIS, Sector.UMC, Sector.REVALIDATIE, Sector.ZBC}


def load_demo_dependencies(region: Region, by: Any) -> bool:
    """Record critical suppliers for the demo organisations once."""
    organisations = list(region.organisations.order_by("name"))
    if Dependency.objects.filter(organisation__in=organisations).exists():
        return False
    for index, organisation in enumerate(organisations):
        hospital = organisation.sector in HOSPITALS
        rows: list[tuple[str, str, str, str]] = []
        if index % 7 != 6:  # most organisations record their fuel supplier
            fuel = "Brandstoffen Oost B.V." if index % 3 != 2 else "Tankservice Gelderland"
            rows.append(
                ("brandstof", fuel, Origin.NL, "Afspraak met de gemeente" if index % 4 == 0 else "")
            )
        rows.append(
            (
                "geneesmiddelen",
                "Farmagroothandel Midden" if index % 5 else "Apotheekvoorziening Oost",
                Origin.NL,
                "",
            )
        )
        if hospital:
            rows.append(("medische_gassen", "Medigas Europa", Origin.EUROPE, ""))
            rows.append(
                (
                    "it_epd",
                    "CareRecord Corp." if index % 2 else "EPD Systems NL",
                    Origin.OUTSIDE if index % 2 else Origin.NL,
                    "",
                )
            )
        else:
            rows.append(
                ("it_epd", "ZorgDossier B.V.", Origin.NL, "Papieren dossier (noodprocedure)")
            )
        rows.append(
            (
                "cloud",
                "Hyperscale Cloud Inc." if index % 3 else "Nederlandse Zorgcloud",
                Origin.OUTSIDE if index % 3 else Origin.NL,
                "",
            )
        )
        for category, supplier, origin, alternative in rows:
            dependency_save(
                organisation=organisation,
                by=by,
                category=category,
                supplier=supplier,
                origin=origin,
                alternative=alternative,
            )
    return True
