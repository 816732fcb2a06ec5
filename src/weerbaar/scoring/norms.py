"""The region's norms for numeric answers and how the organisations measure up to them.

For every number in a framework that names a norm key (hours on emergency power, hours of
water, days of stock, …): the region's minimum and its source, the distribution over the
submitted self-assessments of a round (minimum, median, maximum) and the organisations below
the norm. Organisations are named only to viewers who may see them one by one; the
distribution is suppressed like every other aggregate (``disclosure.rules.disclosable``).
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.db import connection
from django.db.models import F, FloatField
from django.db.models.functions import Cast

from weerbaar.assessments.models import AnswerValue, Round
from weerbaar.disclosure.rules import (
    confidential_visible,
    disclosable,
    uniform_hidden,
    visible_organisations,
)
from weerbaar.frameworks.models import AnswerPart, PartType
from weerbaar.organisations.models import Organisation, Region
from weerbaar.scoring.models import Norm
from weerbaar.scoring.themes import SCORED_STATES


@dataclass(slots=True)
class Below:
    organisation_id: int
    name: str
    value: float  # a stored number (at most three decimals)
    assessment_id: int


@dataclass
class NormRow:
    norm_key: str
    label: str
    unit: str
    item_codes: list[str]
    norm: Norm | None
    answered: int  # submitted self-assessments with a number
    suppressed: bool = False
    minimum: Decimal | None = None
    median: Decimal | None = None
    maximum: Decimal | None = None
    below_count: int | None = None  # None: no norm set (or suppressed)
    below: list[Below] = field(default_factory=list)  # only organisations the viewer sees
    below_visible: int = 0  # all of those (``below`` may hold only the lowest)
    values: list[float] = field(default_factory=list)  # for the chart; empty if suppressed


@dataclass
class NormOverview:
    region: Region
    round: Round
    rows: list[NormRow]
    participants: int


def _parts(round_: Round) -> dict[str, list[AnswerPart]]:
    parts: dict[str, list[AnswerPart]] = defaultdict(list)
    for part in (
        AnswerPart.objects.filter(
            item__section__framework_id=round_.framework_id, type=PartType.NUMBER
        )
        .exclude(norm_key="")
        .select_related("item")
        .order_by("item__section__order", "item__order", "order")
    ):
        parts[part.norm_key].append(part)
    return parts


def norm_overview(
    user: Any, region: Region, round_: Round, *, below_limit: int | None = None
) -> NormOverview:
    """Every norm key of the round's framework against the submitted answers (six queries,
    whatever the number of organisations). ``below`` lists the lowest ``below_limit``
    organisations under the norm that the viewer may see (all when None);
    ``below_visible`` counts them all."""
    parts = _parts(round_)
    norms = {n.norm_key: n for n in Norm.objects.filter(region=region, norm_key__in=list(parts))}
    part_key = {part.pk: key for key, keyed in parts.items() for part in keyed}
    # Numbers come back as floats (no Decimal per row: 11,000 rows for 3,000 organisations);
    # the few figures shown are turned into exact decimals at the end.
    values: dict[str, list[tuple[int, float, int]]] = defaultdict(list)
    query = (
        # From the round's self-assessments to their answers to these few items (the answer
        # index), never through every round's values of a part: "part_id + 0" keeps SQLite
        # from choosing the part index.
        AnswerValue.objects.alias(part_plain=F("part_id") + 0)
        .filter(
            # A subquery, not a list: PostgreSQL then joins the few items to the round's
            # answers (33 ms) instead of reading every round's answers to them (70 ms).
            answer__item_id__in=AnswerPart.objects.filter(pk__in=list(part_key)).values("item_id"),
            part_plain__in=list(part_key),
            answer__assessment__round=round_,
            answer__assessment__state__in=SCORED_STATES,
            answer__not_applicable=False,
            number__isnull=False,
        )
        .annotate(amount=Cast("number", FloatField()))
        .values_list(
            "part_id", "answer__assessment__organisation_id", "amount", "answer__assessment_id"
        )
        .order_by("number")
    )
    # The ORM builds the query; its rows are read directly (no per-row model machinery).
    sql, params = query.query.sql_with_params()
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        for part_id, org_id, number, assessment_id in cursor.fetchall():
            values[part_key[part_id]].append((org_id, number, assessment_id))
    visible = visible_organisations(user, region)
    # Numbers of confidential questions: one by one only for coordinators and the own admins.
    seen_confidential = confidential_visible(user, region)
    participants = round_.assessments.filter(state__in=SCORED_STATES).count()
    rows = []
    for key, keyed in parts.items():
        first = keyed[0]
        found = values.get(key, [])
        row = NormRow(
            norm_key=key,
            label=first.label,
            unit=first.unit,
            item_codes=sorted({part.item.code for part in keyed}),
            norm=norms.get(key),
            answered=len(found),
        )
        row_visible = (
            seen_confidential if any(part.item.confidential for part in keyed) else visible
        )
        if found and disclosable({org for org, *_ in found}, row_visible, region.min_group_size):
            numbers = [number for _, number, _ in found]  # ordered
            row.median = _exact((numbers[len(numbers) // 2] + numbers[(len(numbers) - 1) // 2]) / 2)
            if {org for org, *_ in found} <= row_visible:
                # The extremes and the histogram are single organisations' figures: only for
                # those who may see every one of them.
                row.minimum, row.maximum = _exact(numbers[0]), _exact(numbers[-1])
                row.values = numbers
            if row.norm is not None:
                minimum = float(row.norm.minimum)
                below = [entry for entry in found if entry[1] < minimum]
                below_orgs = {org for org, *_ in below}
                # When every hidden organisation is below (or none is), the count says so
                # of each of them: withheld, like a median over too few.
                if not uniform_hidden({org for org, *_ in found}, row_visible, below_orgs):
                    row.below_count = len(below)
                named = [entry for entry in below if entry[0] in row_visible]
                row.below_visible = len(named)
                row.below = [
                    Below(org, "", number, assessment)
                    for org, number, assessment in named[:below_limit]
                ]
        elif found:
            row.suppressed = True
        rows.append(row)
    _name(rows)
    return NormOverview(region=region, round=round_, rows=rows, participants=participants)


def _exact(number: float) -> Decimal:
    """A stored number (at most three decimals) back as an exact decimal."""
    return Decimal(f"{number:.3f}").normalize() + 0


def _name(rows: list[NormRow]) -> None:
    """Fill in the names of the organisations listed below a norm (one query)."""
    ids = {below.organisation_id for row in rows for below in row.below}
    names = dict(Organisation.objects.filter(pk__in=ids).values_list("pk", "name"))
    for row in rows:
        for below in row.below:
            below.name = names[below.organisation_id]
        row.below.sort(key=lambda b: (b.value, b.name))
