"""Figures as people read them, and PDFs from typst templates: one place for every report."""

from __future__ import annotations

import json
from decimal import Decimal
from pathlib import Path
from typing import Any

import typst
from django.utils.formats import number_format


def figure(value: Any) -> str:
    """A score, median or count for a page, chart or report: whole numbers without decimals,
    others with one, in the active language's notation (Dutch ``4,5``; English ``4.5``);
    ``–`` for nothing."""
    if value is None:
        return "–"
    number = float(value)
    if number.is_integer():
        return number_format(int(number))
    return number_format(Decimal(f"{number:.1f}"), decimal_pos=1)


def count(value: int) -> str:
    """A whole number with the thousands grouped (Dutch ``31.186``)."""
    return number_format(value, force_grouping=True)


def typst_pdf(template: Path, data: dict[str, Any]) -> bytes:
    """The PDF of ``template`` with ``data`` as its one JSON input (``sys.inputs.data``); every
    report goes through here, and so will the offline paper pack."""
    pdf = typst.compile(str(template), sys_inputs={"data": json.dumps(data, ensure_ascii=False)})
    assert isinstance(pdf, bytes)
    return pdf
