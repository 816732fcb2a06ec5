"""Capacity for casualty care (Kader theme Zorgcapaciteit) summed over the region.

The figures are the numbers of the framework's confidential questions: beds per type (IC,
heelkunde/trauma, neurochirurgie, revalidatie), single rooms, isolation units and their
regular occupancy. Counts are summed; percentages are averaged. Only the region's
coordinators see them per organisation. Everyone else sees sums per sector and for the region,
and only where ``protect_partition`` allows: a group of fewer organisations than the region's
minimum group size is withheld, and so is a second group when the withheld ones could
otherwise be found by subtracting the shown sectors from the region's total.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from weerbaar.assessments.models import AnswerValue, Round
from weerbaar.frameworks.models import AnswerPart, PartType
from weerbaar.organisations.models import Region, Sector

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


def capacity(user: Any, region: Region, round_: Round) -> Capacity:
    """The casualty-care capacity of ``round_`` (submitted self-assessments) as ``user`` may
    see it (four queries, whatever the number of organisations)."""
    columns = columns_of(round_)
    index = {column.part_id: i for i, column in enumerate(columns)}
    figures: dict[int, dict[int, Decimal]] = defaultdict(dict)  # organisation → column → value
    sector_of: dict[int, str] = {}
    name_of: dict[int, str] = {}
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
        figures[org_id][index[part_id]] = number
        sector_of[org_id] = sector
        name_of[org_id] = name
    # Whose figures this viewer may see one by one: coordinators all, admins their own.
    visible = confidential_visible(user, region)
    groups: dict[str, set[int]] = defaultdict(set)
    for org_id, sector in sector_of.items():
        groups[sector].add(org_id)
    everyone = set(sector_of)
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
            row(str(org_id), name_of[org_id], {org_id}, sector_of[org_id])
            for org_id in sorted(everyone, key=lambda o: name_of[o].casefold())
        ]
    return result
