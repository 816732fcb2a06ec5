"""Dates and units on every page, one way (``formatting``): available in every template."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from django import template

from weerbaar import formatting

register = template.Library()
register.filter("day", formatting.day)
register.filter("moment", formatting.moment)
register.filter("saved_at", formatting.saved_at)
register.filter("unit", formatting.unit)


@register.filter
def at(values: Sequence[Any], index: int) -> Any:
    """``values[index]``: the column of a cell, for its label on a phone."""
    return values[index]
