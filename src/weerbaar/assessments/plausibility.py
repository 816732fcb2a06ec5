"""Warnings for figures that are allowed but unlikely: saved as given, with a question.

A number beyond what any Dutch care organisation has (999,999,999 IC beds) is almost always
a typing error; refusing it would block someone with a real outlier, so the answer is saved
and the person is asked to check it. The bounds are per unit of the answer part, named here
and nowhere else."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.utils.translation import gettext as _

from weerbaar.formatting import figure
from weerbaar.frameworks.models import Item, PartType

PLAUSIBLE_MAXIMUM: dict[str, Decimal] = {
    "bedden": Decimal(3000),  # the largest Dutch hospitals have some 1,500 beds
    "medewerkers": Decimal(25000),  # the largest employer in Dutch care, about 15,000
    "units": Decimal(500),
    "uur": Decimal(24 * 90),  # three months of self-reliance
    "dagen": Decimal(365),
    "mm/uur": Decimal(200),
}
PLAUSIBLE_TEMPERATURE = (Decimal(-30), Decimal(50))  # °C, in a Dutch building


def warnings(item: Item, data: dict[str, Any]) -> list[str]:
    """Questions to ask about the saved ``data`` of ``item`` (empty when all is plausible)."""
    found = []
    for part in item.parts.all():
        value = data["values"].get(part.key)
        if part.type != PartType.NUMBER or value in (None, ""):
            continue
        number = Decimal(value)
        low, high = (
            PLAUSIBLE_TEMPERATURE if part.unit == "°C" else (None, PLAUSIBLE_MAXIMUM.get(part.unit))
        )
        shown = {"label": part.label, "value": figure(number), "unit": part.unit}
        if high is not None and number > high:
            found.append(
                _("%(label)s: %(value)s %(unit)s is ongebruikelijk veel. Klopt dit?") % shown
            )
        elif low is not None and number < low:
            found.append(
                _("%(label)s: %(value)s %(unit)s is ongebruikelijk laag. Klopt dit?") % shown
            )
    return found
