"""Small formatting helpers for insight screens."""

from __future__ import annotations

from django import template
from django.utils.formats import number_format

register = template.Library()


@register.filter
def band(score: float | None) -> str:
    """The colour band of a score 0–100 (the number is always shown beside the colour)."""
    if score is None:
        return "band-none"
    return f"band-{min(3, int(float(score) // 25))}"


@register.filter
def figure(value: float | int | None) -> str:
    """A median or score: whole numbers plain, halves with one decimal; none as a dash."""
    if value is None:
        return "–"
    number = float(value)
    return str(int(number)) if number.is_integer() else number_format(round(number, 1), 1)


@register.filter
def signed(value: int | None) -> str:
    if value is None:
        return "–"
    return f"+{value}" if value > 0 else ("±0" if value == 0 else f"−{abs(value)}")
