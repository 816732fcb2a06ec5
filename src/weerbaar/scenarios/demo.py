"""Demo power-dependent clients at home, for the home-care and nursing organisations."""

from __future__ import annotations

from typing import Any

from weerbaar.organisations.models import Region, Sector

from .clients import clients_add
from .models import PowerDependentClients

GROUPS = (
    ("Zwolle", "thuisbeademing", 14, 8),
    ("Zwolle", "zuurstofconcentrator", 62, 0),
    ("Kampen", "thuisbeademing", 5, 12),
    ("Kampen", "antidecubitusmatras", 40, 4),
    ("Dalfsen", "pomp", 18, 24),
)


def load_demo_clients(region: Region, by: Any) -> bool:
    """Record clients at home once, for the VVT organisations of the demo region."""
    homes = list(region.organisations.filter(sector=Sector.VVT).order_by("name"))
    if not homes or PowerDependentClients.objects.filter(organisation__in=homes).exists():
        return False
    for number, organisation in enumerate(homes):
        for place, device, count, hours in GROUPS[number % 2 :: 1 + number % 2]:
            clients_add(
                organisation=organisation,
                by=by,
                values={
                    "municipality": place,
                    "device": device,
                    "count": count,
                    "battery_hours": hours,
                },
            )
    return True


def load_demo_scenario(region: Region, by: Any) -> bool:
    """One saved scenario of the demo region: the coordinator's regional exercise, a copy of
    the sabotage preset with the power cut held for ten days."""
    from .models import Scenario
    from .saved import preset_source, scenario_copy, scenario_save

    if Scenario.objects.filter(region=region).exists():
        return False
    source = preset_source("sabotage-stroom-militairen")
    assert source is not None
    saved = scenario_copy(region=region, by=by, source=source)
    description = {
        **source.description,
        "name": "Regionale oefening: sabotage, tien dagen zonder stroom",
        "outages": [{"kind": "power", "start_hour": 0, "duration_hours": 240}],
    }
    scenario_save(saved=saved, by=by, description=description, expected_version=saved.version)
    return True
