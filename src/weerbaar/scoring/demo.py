"""Demo norms: fictitious regional agreements for the numeric answers."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from weerbaar.organisations.models import Region
from weerbaar.scoring.models import Norm

DEMO_NORMS = {
    "noodstroom_uren": (
        72,
        "Fictieve regionale afspraak (demo): 72 uur zelfredzaam op noodstroom.",
    ),
    "drinkwater_uren": (72, "Fictieve regionale afspraak (demo): 72 uur drinkwater."),
    "voorraad_medicatie_dagen": (7, "Fictieve regionale afspraak (demo): een week medicatie."),
}


def load_demo_norms(region: Region, coordinator: Any) -> int:
    """Set the region's demo norms once; returns how many were new."""
    created = 0
    for key, (minimum, source) in DEMO_NORMS.items():
        _norm, new = Norm.objects.get_or_create(
            region=region,
            norm_key=key,
            defaults={"minimum": Decimal(minimum), "source": source, "updated_by": coordinator},
        )
        created += new
    return created
