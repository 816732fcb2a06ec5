"""Capacity for casualty care (Kader theme Zorgcapaciteit) summed over the region.

The figures are the numbers of the framework's confidential questions: beds per type (IC,
heelkunde/trauma, neurochirurgie, revalidatie), single rooms, isolation units and their
regular occupancy. Counts are summed; percentages are averaged. Only the region's
coordinators see them per organisation. Everyone else sees sums per sector and for the region,
and only where ``protect_partition`` allows: a group of fewer organisations than the region's
minimum group size is withheld, and so is a second group when the withheld ones could
otherwise be found by subtracting the shown sectors from the region's total.

Everyone but the coordinators sees the figures of a *release* (``CapacityRelease``), never the
live sums: a live sum moves when one organisation submits, and the difference would be that
organisation's figure. A coordinator releases a round's figures once, after the deadline;
there is no second release of a round (see ``capacity_release``).
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from weerbaar.assessments.models import AnswerValue, Round
from weerbaar.audit.models import audit_record
from weerbaar.frameworks.models import AnswerPart, PartType
from weerbaar.organisations import access
from weerbaar.organisations.models import Region, Sector

from .models import CapacityRelease
from .regional import confidential_visible, protect_partition
from .scoring import SCORED_STATES

PERCENT = "%"


@dataclass(frozen=True)
class Column:
    part_id: int
    item_code: str
    label: str
    unit: str

    @property
    def averaged(self) -> bool:
        return self.unit == PERCENT


@dataclass
class CapacityRow:
    key: str  # "regio", a sector value, or an organisation id
    label: str
    organisations: int
    values: list[Decimal | None]  # None: nobody answered, or withheld
    suppressed: bool = False  # every figure of the row withheld
    withheld: list[bool] = field(default_factory=list)

    @property
    def cells(self) -> list[tuple[Decimal | None, bool]]:
        flags = self.withheld or [self.suppressed] * len(self.values)
        return list(zip(self.values, flags, strict=True))


@dataclass
class Capacity:
    region: Region
    round: Round
    columns: list[Column]
    total: CapacityRow
    sectors: list[CapacityRow]
    organisations: list[CapacityRow] = field(default_factory=list)  # coordinators only
    per_organisation: bool = False
    live: bool = True  # False: the figures of ``release`` (None: nothing released yet)
    release: CapacityRelease | None = None  # the latest release of the round


def columns_of(round_: Round) -> list[Column]:
    return [
        Column(part.pk, part.item.code, part.label, part.unit)
        for part in AnswerPart.objects.filter(
            item__section__framework_id=round_.framework_id,
            item__confidential=True,
            type=PartType.NUMBER,
        )
        .select_related("item")
        .order_by("item__section__order", "item__order", "order")
    ]


def _combine(column: Column, values: list[Decimal]) -> Decimal | None:
    if not values:
        return None
    total = sum(values, Decimal(0))
    return (total / len(values)).quantize(Decimal("0.1")) if column.averaged else total


@dataclass
class _Figures:
    by_organisation: dict[int, dict[int, Decimal]]  # organisation → column → value
    sector_of: dict[int, str]
    name_of: dict[int, str]


def _figures(round_: Round, columns: list[Column]) -> _Figures:
    index = {column.part_id: i for i, column in enumerate(columns)}
    found = _Figures(defaultdict(dict), {}, {})
    for part_id, org_id, sector, name, number in AnswerValue.objects.filter(
        part_id__in=list(index),
        answer__assessment__round=round_,
        answer__assessment__state__in=SCORED_STATES,
        answer__not_applicable=False,
        number__isnull=False,
    ).values_list(
        "part_id",
        "answer__assessment__organisation_id",
        "answer__assessment__organisation__sector",
        "answer__assessment__organisation__name",
        "number",
    ):
        if number is None:
            continue
        found.by_organisation[org_id][index[part_id]] = number
        found.sector_of[org_id] = sector
        found.name_of[org_id] = name
    return found


def _groups(found: _Figures) -> dict[str, set[int]]:
    groups: dict[str, set[int]] = defaultdict(set)
    for org_id, sector in found.sector_of.items():
        groups[sector].add(org_id)
    return groups


def _decide(
    region: Region, round_: Round, columns: list[Column], found: _Figures, visible: set[int]
) -> Capacity:
    """The sums a viewer who sees ``visible`` one by one may see."""
    figures = found.by_organisation
    groups = _groups(found)
    everyone = set(found.sector_of)
    # Every figure is decided on its own: its group is the organisations that gave that
    # figure (the beds of a revalidation centre are not in the single-room column).
    shown_per_column: list[tuple[set[str], bool]] = []
    for i in range(len(columns)):
        answered = {o for o in everyone if i in figures[o]}
        column_groups = {name: members & answered for name, members in groups.items()}
        column_groups = {name: members for name, members in column_groups.items() if members}
        shown_per_column.append(
            protect_partition(column_groups, answered, visible, region.min_group_size)
        )

    def row(key: str, label: str, members: set[int], sector: str | None) -> CapacityRow:
        values: list[Decimal | None] = []
        withheld: list[bool] = []
        for i, column in enumerate(columns):
            contributors = [o for o in members if i in figures[o]]
            shown, total_shown = shown_per_column[i]
            ok = total_shown if sector is None else sector in shown
            if key.isdigit():  # one organisation: only for those who see it
                ok = members <= visible
            hidden = bool(contributors) and not ok
            withheld.append(hidden)
            values.append(
                None if hidden else _combine(column, [figures[o][i] for o in contributors])
            )
        return CapacityRow(
            key,
            label,
            len(members),
            values,
            suppressed=bool(withheld) and all(withheld),
            withheld=withheld,
        )

    result = Capacity(
        region=region,
        round=round_,
        columns=columns,
        total=row("regio", region.name, everyone, None),
        sectors=[
            row(sector, str(Sector(sector).label), members, sector)
            for sector, members in sorted(groups.items(), key=lambda kv: Sector(kv[0]).label)
        ],
    )
    if everyone and everyone <= visible:
        result.per_organisation = True
        result.organisations = [
            row(str(org_id), found.name_of[org_id], {org_id}, found.sector_of[org_id])
            for org_id in sorted(everyone, key=lambda o: found.name_of[o].casefold())
        ]
    return result


def _stored_row(row: CapacityRow, columns: list[Column]) -> dict[str, Any]:
    return {
        "key": row.key,
        "organisations": row.organisations,
        "values": {
            str(column.part_id): None if withheld else (None if value is None else str(value))
            for column, (value, withheld) in zip(columns, row.cells, strict=True)
        },
        "withheld": [str(c.part_id) for c, (_v, w) in zip(columns, row.cells, strict=True) if w],
    }


def _released_row(stored: dict[str, Any], label: str, columns: list[Column]) -> CapacityRow:
    values: list[Decimal | None] = []
    withheld: list[bool] = []
    for column in columns:
        value = stored["values"].get(str(column.part_id))
        values.append(None if value is None else Decimal(value))
        withheld.append(str(column.part_id) in stored["withheld"])
    return CapacityRow(
        stored["key"],
        label,
        stored["organisations"],
        values,
        suppressed=bool(withheld) and all(withheld),
        withheld=withheld,
    )


def _sector_label(key: str) -> str:
    """A stored sector's label (its key, should the sector ever leave the list)."""
    return str(Sector(key).label) if key in Sector.values else key


def _from_release(
    region: Region, round_: Round, columns: list[Column], release: CapacityRelease | None
) -> Capacity:
    if release is None:
        empty = CapacityRow(
            "regio", region.name, 0, [None] * len(columns), False, [False] * len(columns)
        )
        return Capacity(region, round_, columns, empty, [], live=False)
    stored = release.figures
    return Capacity(
        region=region,
        round=round_,
        columns=columns,
        total=_released_row(stored["total"], region.name, columns),
        sectors=sorted(
            (_released_row(row, _sector_label(row["key"]), columns) for row in stored["sectors"]),
            key=lambda row: row.label,
        ),
        live=False,
        release=release,
    )


def capacity(user: Any, region: Region, round_: Round) -> Capacity:
    """The casualty-care capacity of ``round_`` (submitted self-assessments) as ``user`` may
    see it: live for the region's coordinators, the latest release for everyone else (a fixed
    number of queries, whatever the number of organisations)."""
    columns = columns_of(round_)
    latest = CapacityRelease.objects.filter(round=round_).select_related("released_by").first()
    if not access.coordinates(user, region):
        return _from_release(region, round_, columns, latest)
    result = _decide(
        region, round_, columns, _figures(round_, columns), confidential_visible(user, region)
    )
    result.release = latest
    return result


def release_note(result: Capacity) -> str:
    """One line for reports: whose figures these are (live or released, and when)."""
    when = (
        date_format(timezone.localtime(result.release.released_at), "j F Y H:i")
        if result.release
        else ""
    )
    if result.live:
        if result.release:
            return _("Actuele cijfers. Regiolezers zien de vrijgave van %(when)s.") % {"when": when}
        return _("Actuele cijfers. Regiolezers zien nog geen cijfers van deze uitvraag.")
    if result.release:
        return _("Vrijgegeven door de regiocoördinator op %(when)s.") % {"when": when}
    return _("De regiocoördinator heeft deze cijfers nog niet vrijgegeven.")


def shown_rows(result: Capacity) -> list[CapacityRow]:
    """The sector rows and the region's total, or none before a reader's first release."""
    if not result.live and result.release is None:
        return []
    return [*result.sectors, result.total]


class ReleaseRefused(Exception):
    """A release that would give organisations away, or that has nothing new; ``messages``
    says why in Dutch (one line per reason)."""

    def __init__(self, messages: list[str]) -> None:
        super().__init__("; ".join(messages))
        self.messages = messages


def _contributors(columns: list[Column], found: _Figures) -> dict[str, dict[str, list[int]]]:
    """Per sector and answer part: the organisations whose figure is in the sum."""
    result: dict[str, dict[str, list[int]]] = {}
    for sector, members in _groups(found).items():
        result[sector] = {
            str(column.part_id): sorted(o for o in members if i in found.by_organisation[o])
            for i, column in enumerate(columns)
        }
    return result


def capacity_release(*, region: Region, round_: Round, by: Any) -> CapacityRelease:
    """Release the current figures of ``round_`` to everyone who may not see them per
    organisation: once per round. Two releases of one round would differ by whatever
    changed in between (a late submission, a reopened organisation, a corrected figure), and
    several releases can be combined until one organisation is left; so there is no second.
    Raises ``ReleaseRefused`` when nothing was submitted or the round was released before."""
    with transaction.atomic():
        # One release per round: lock the round so two coordinators cannot both release.
        Round.objects.select_for_update().filter(pk=round_.pk).first()
        earlier = CapacityRelease.objects.filter(round=round_).first()
        if earlier is not None:
            raise ReleaseRefused(
                [
                    _(
                        "De capaciteitscijfers van deze uitvraag zijn al vrijgegeven op "
                        "%(when)s. Een tweede vrijgave zou het verschil prijsgeven; wat later "
                        "binnenkomt, zien regiolezers in de volgende uitvraag."
                    )
                    % {"when": date_format(timezone.localtime(earlier.released_at), "j F Y H:i")}
                ]
            )
        columns = columns_of(round_)
        found = _figures(round_, columns)
        if not found.sector_of:
            raise ReleaseRefused([_("Er zijn nog geen ingediende capaciteitscijfers.")])
        decided = _decide(region, round_, columns, found, visible=set())
        release = CapacityRelease.objects.create(
            round=round_,
            released_by=by,
            figures={
                "total": _stored_row(decided.total, columns),
                "sectors": [_stored_row(row, columns) for row in decided.sectors],
            },
            contributors=_contributors(columns, found),
        )
        audit_record(
            actor=by,
            action="capacity.release",
            obj=release,
            new={"round": round_.pk, "organisations": decided.total.organisations},
        )
    return release
