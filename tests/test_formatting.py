"""Figures in the language of the page (Django's number formatting), for pages and reports."""

from __future__ import annotations

from decimal import Decimal

from django.utils import translation

from weerbaar.formatting import count, figure


def test_figures_in_dutch_and_english() -> None:
    with translation.override("nl"):
        assert [figure(v) for v in (None, 3, 3.0, 2.46, Decimal("2.5"), 71.25)] == [
            "–",
            "3",
            "3",
            "2,5",
            "2,5",
            "71,2",  # as before: one decimal, rounded as Python rounds the float
        ]
        assert count(31_186) == "31.186"
    with translation.override("en"):
        assert figure(2.46) == "2.5" and count(31_186) == "31,186"
