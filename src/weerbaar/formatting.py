"""Figures as people read them, and PDFs from typst templates: one place for every report."""

from __future__ import annotations

import datetime
import json
from decimal import Decimal
from pathlib import Path
from typing import Any

import typst
from django.utils import timezone, translation
from django.utils.formats import number_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy


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


# Month abbreviations as people write them: Dutch with a full stop where a word is cut short
# ("12 nov. 2026", "3 mei 2026"), English as its style guides do ("12 Nov 2026").
MONTHS = {
    "nl": (
        "jan.",
        "feb.",
        "mrt.",
        "apr.",
        "mei",
        "jun.",
        "jul.",
        "aug.",
        "sep.",
        "okt.",
        "nov.",
        "dec.",
    ),
    "en": ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"),
}


def day(value: datetime.date | datetime.datetime | None) -> str:
    """A date in the page's language: ``12 nov. 2026`` (English ``12 Nov 2026``); ``–`` for
    none. A moment is first put in local time."""
    if value is None:
        return "–"
    if isinstance(value, datetime.datetime):
        value = timezone.localtime(value) if timezone.is_aware(value) else value
    months = MONTHS.get((translation.get_language() or "nl")[:2], MONTHS["nl"])
    return f"{value.day} {months[value.month - 1]} {value.year}"


def moment(value: datetime.datetime | None) -> str:
    """A date and time: ``12 nov. 2026 14:05``."""
    if value is None:
        return "–"
    local = timezone.localtime(value) if timezone.is_aware(value) else value
    return f"{day(local)} {local:%H:%M}"


def saved_at(value: datetime.datetime) -> str:
    """When an answer was saved, said one way everywhere: ``Opgeslagen om 14:05`` today,
    ``Opgeslagen op 3 dec. 2026 om 14:05`` before."""
    local = timezone.localtime(value) if timezone.is_aware(value) else value
    if local.date() == timezone.localdate():
        return _("Opgeslagen om %(time)s") % {"time": f"{local:%H:%M}"}
    return _("Opgeslagen op %(day)s om %(time)s") % {"day": day(local), "time": f"{local:%H:%M}"}


UNITS = {
    "uur": gettext_lazy("uur"),
    "dagen": gettext_lazy("dagen"),
    "bedden": gettext_lazy("bedden"),
    "medewerkers": gettext_lazy("medewerkers"),
    "units": gettext_lazy("units"),
    "mm/uur": gettext_lazy("mm/uur"),
}
"""The units of the framework's numeric answers, in the page's language (the library itself
stays verbatim)."""


def unit(value: str) -> str:
    """A unit as the page's language writes it (``uur`` → English ``hours``)."""
    return str(UNITS.get(value, value))


def typst_pdf(template: Path, data: dict[str, Any]) -> bytes:
    """The PDF of ``template`` with ``data`` as its one JSON input (``sys.inputs.data``); every
    report goes through here, and so will the offline paper pack."""
    pdf = typst.compile(str(template), sys_inputs={"data": json.dumps(data, ensure_ascii=False)})
    assert isinstance(pdf, bytes)
    return pdf
