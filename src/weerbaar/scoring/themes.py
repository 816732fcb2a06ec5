"""Theme scores for many self-assessments at once, computed in the database.

The rule is DESIGN.md §3: a theme score is the mean of level/4 over the applicable items that
have a maturity level; Onbekend and unanswered count as 0, N.v.t. is left out; shown 0–100.
``gaps.insight`` shows the same numbers for one self-assessment (tests hold the two equal).

The number of queries does not depend on the number of organisations: the framework's items
are read once, the answers are summed per self-assessment and theme by the database.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import lru_cache
from statistics import median

from django.db import connection
from django.db.models import Case, IntegerField, Q, QuerySet, Sum, Value, When

from weerbaar.assessments.models import SUBMITTED_STATES, Answer, AnswerValue, Assessment
from weerbaar.frameworks.models import AnswerPart, Framework, Item, ItemSector, PartType, Section

SCORED_STATES = SUBMITTED_STATES
"""Self-assessments that count towards medians: submitted or later (drafts move daily)."""

_LEVEL = Case(
    *(When(maturity=str(level), then=Value(level)) for level in range(1, 5)),
    default=Value(0),
    output_field=IntegerField(),
)


@dataclass(frozen=True)
class ScoredItems:
    """The items of a framework that carry a maturity level, with what decides where they
    apply. ``sectors`` maps an item to its sectors; an item not in it applies to all."""

    sections: list[Section]
    maturity_part: dict[int, int]  # item id → its maturity part id
    section_of: dict[int, int]  # item id → section id
    sectors: dict[int, frozenset[str]]
    narrowed: bool = False  # only the items with some tags
    confidential: frozenset[int] = frozenset()  # items whose answers are confidential
    _applicable: dict[str, frozenset[int]] = field(default_factory=dict, compare=False, repr=False)

    def public(self) -> ScoredItems:
        """The same without the confidential items: the scores shown to people who may not
        see an organisation's confidential answers."""
        return ScoredItems(
            sections=self.sections,
            maturity_part={
                i: p for i, p in self.maturity_part.items() if i not in self.confidential
            },
            section_of=self.section_of,
            sectors=self.sectors,
            narrowed=self.narrowed,
        )

    def applicable(self, sector: str) -> list[int]:
        return [
            item
            for item in self.maturity_part
            if item not in self.sectors or sector in self.sectors[item]
        ]

    def applies(self, sector: str) -> frozenset[int]:
        """``applicable`` as a set, kept (the framework never changes)."""
        found = self._applicable.get(sector)
        if found is None:
            found = self._applicable[sector] = frozenset(self.applicable(sector))
        return found

    def count_per_section(self, sector: str) -> dict[int, int]:
        counts: dict[int, int] = defaultdict(int)
        for item in self.applicable(sector):
            counts[self.section_of[item]] += 1
        return counts


def scored_items(framework: Framework, tag_ids: Iterable[int] = ()) -> ScoredItems:
    """The maturity items of ``framework``, narrowed to items carrying one of ``tag_ids``.

    Kept per process: a loaded framework version never changes. Its content hash and load time
    are part of the key, so a framework loaded again under a reused id (a test database) is
    never mistaken for the one before."""
    return _scored_items(
        framework.pk,
        framework.content_sha256,
        framework.loaded_at.isoformat() if framework.loaded_at else "",
        tuple(sorted(set(tag_ids))),
    )


@lru_cache(maxsize=64)
def _scored_items(
    framework_id: int, content_sha256: str, loaded_at: str, tags: tuple[int, ...]
) -> ScoredItems:
    parts = AnswerPart.objects.filter(
        type=PartType.MATURITY, item__section__framework_id=framework_id
    ).order_by("item_id", "order")
    if tags:
        parts = parts.filter(
            item__in=Item.objects.filter(tags__in=tags, section__framework_id=framework_id)
        )
    maturity_part: dict[int, int] = {}
    section_of: dict[int, int] = {}
    for part_id, item_id, section_id in parts.values_list("pk", "item_id", "item__section_id"):
        if item_id not in maturity_part:
            maturity_part[item_id] = part_id
            section_of[item_id] = section_id
    sectors: dict[int, set[str]] = defaultdict(set)
    for item_id, sector in ItemSector.objects.filter(item_id__in=list(maturity_part)).values_list(
        "item_id", "sector"
    ):
        sectors[item_id].add(sector)
    confidential = frozenset(
        Item.objects.filter(pk__in=list(maturity_part), confidential=True).values_list(
            "pk", flat=True
        )
    )
    return ScoredItems(
        sections=list(Section.objects.filter(framework_id=framework_id).order_by("order")),
        maturity_part=maturity_part,
        section_of=section_of,
        sectors={item: frozenset(values) for item, values in sectors.items()},
        narrowed=bool(tags),
        confidential=confidential,
    )


def _applicability(items: ScoredItems, sectors: Iterable[str], prefix: str) -> Q:
    """Rows whose item applies to the sector of their organisation."""
    condition = Q(pk__in=[])
    for sector in sorted(set(sectors)):
        condition |= Q(
            **{
                f"{prefix}assessment__organisation__sector": sector,
                f"{prefix}item_id__in": items.applicable(sector),
            }
        )
    return condition


Scores = dict[int, dict[int, int | None]]
"""assessment id → section id → score 0–100 (None: nothing in that theme to score)."""

Sums = dict[tuple[int, int], tuple[int, int]]
"""(assessment id, section id) → (sum of maturity levels, number of N.v.t. items); absent: 0, 0."""


def live_sums(
    assessments: QuerySet[Assessment], items: ScoredItems, sectors: dict[int, str]
) -> Sums:
    """The sums behind the theme scores, added up from the answers (two queries)."""
    if not sectors:
        return {}
    condition = _applicability(items, sectors.values(), "answer__")
    levels = (
        # Only maturity parts hold a maturity; filtering on it (not on a list of part ids)
        # keeps SQLite from probing its (answer, part) index once per part for every answer.
        AnswerValue.objects.filter(answer__assessment__in=assessments, answer__not_applicable=False)
        .exclude(maturity="")
        .filter(condition)
        .values_list("answer__assessment_id", "answer__item__section_id")
        .annotate(total=Sum(_LEVEL))
        .order_by()
    )
    sums: dict[tuple[int, int], tuple[int, int]] = {
        (a, s): (total or 0, 0) for a, s, total in levels
    }
    # N.v.t. answers are few: read them and leave out the ones that do not apply here.
    applicable = {sector: set(items.applicable(sector)) for sector in set(sectors.values())}
    for assessment_id, item_id in Answer.objects.filter(
        assessment__in=assessments, not_applicable=True
    ).values_list("assessment_id", "item_id"):
        sector = sectors.get(assessment_id)
        if sector is not None and item_id in applicable[sector]:
            key = (assessment_id, items.section_of[item_id])
            total, skipped = sums.get(key, (0, 0))
            sums[key] = (total, skipped + 1)
    return sums


def stored_rows(
    assessments: QuerySet[Assessment], public: bool = False
) -> list[tuple[int, int, int, int]]:
    """The sums kept by ``answer_save`` as (assessment, section, levels, N.v.t.) rows; with
    ``public`` those without the confidential questions."""
    from weerbaar.scoring.models import ThemeTally

    columns = ("public_levels", "public_not_applicable") if public else ("levels", "not_applicable")
    query = ThemeTally.objects.filter(assessment__in=assessments).values_list(
        "assessment_id", "section_id", *columns
    )
    # The ORM builds the query; its rows (nine per organisation) are read directly.
    sql, params = query.query.sql_with_params()
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.fetchall()


def stored_sums(assessments: QuerySet[Assessment], public: bool = False) -> Sums:
    """The same sums as ``live_sums``, as kept by ``answer_save`` (one query)."""
    return {
        (a, s): (levels, skipped)
        for a, s, levels, skipped in stored_rows(assessments, public)
        if levels or skipped
    }


def scores_from(
    sums: Iterable[tuple[int, int, int, int]], items: ScoredItems, sectors: dict[int, str]
) -> Scores:
    """Scores from the sums. Every theme starts at 0 (or None when nothing in it applies to
    the sector); only the themes with a sum are computed, in integers, rounded half up."""
    section_ids = [section.pk for section in items.sections]
    per_sector: dict[str, dict[int, int]] = {}
    blank: dict[str, dict[int, int | None]] = {}
    for sector in set(sectors.values()):
        counts = items.count_per_section(sector)
        per_sector[sector] = counts
        blank[sector] = {s: (0 if counts.get(s, 0) > 0 else None) for s in section_ids}
    result: Scores = {a: dict(blank[sector]) for a, sector in sectors.items()}
    for assessment_id, section_id, total, skipped in sums:
        own_sector = sectors.get(assessment_id)
        if own_sector is None or section_id not in result[assessment_id]:
            continue
        scored = per_sector[own_sector].get(section_id, 0) - skipped
        result[assessment_id][section_id] = (
            (200 * total + 4 * scored) // (8 * scored) if scored > 0 else None
        )
    return result


def theme_scores(
    assessments: QuerySet[Assessment],
    items: ScoredItems,
    sectors: dict[int, str],
    *,
    stored: bool = False,
    public: bool = False,
) -> Scores:
    """Theme scores of ``assessments`` (whose organisation sectors are ``sectors``, by
    assessment id), whatever their number: from the stored tallies when ``stored`` (only for
    all items of a framework, not a tag selection), otherwise added up from the answers. With
    ``public`` the confidential questions are left out (for viewers who may not see them)."""
    if not sectors:
        return {}
    if public:
        items = items.public()
    if stored and not items.narrowed:
        return scores_from(stored_rows(assessments, public), items, sectors)
    sums = live_sums(assessments, items, sectors)
    return scores_from(((a, s, t, k) for (a, s), (t, k) in sums.items()), items, sectors)


def half_up(numerator: int, denominator: int) -> int:
    """numerator / denominator rounded half up (62.5 → 63, as people and SQL round), in
    integers so no float error decides a score. (``scores_from`` inlines it for
    100 * total / (4 * scored).)"""
    return (2 * numerator + denominator) // (2 * denominator)


def overall(row: dict[int, int | None]) -> int | None:
    """The mean of the theme scores that exist (themes weigh equally)."""
    scored = [score for score in row.values() if score is not None]
    return half_up(sum(scored), len(scored)) if scored else None


def median_of(values: Iterable[int | None]) -> float | None:
    present = [value for value in values if value is not None]
    return median(present) if present else None


def scores_of(
    assessment: Assessment, items: ScoredItems | None = None, *, public: bool = False
) -> dict[int, int | None]:
    items = items or scored_items(assessment.round.framework)
    return theme_scores(
        Assessment.objects.filter(pk=assessment.pk),
        items,
        {assessment.pk: assessment.organisation.sector},
        stored=True,
        public=public,
    )[assessment.pk]
