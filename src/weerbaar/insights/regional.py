"""The regional picture: theme scores of every organisation in a round, medians per region and
sector, and the comparison of one organisation with its region, sector and previous round.

Who sees what (DESIGN.md §2): an organisation's own scores only at DETAIL level (coordinators,
its admins, region readers when it shares). Every aggregate goes through ``disclosable``: a
median or sum over a group is shown only when the organisations in it that the viewer cannot
see one by one number at least the region's minimum group size — otherwise a small group would
give away one organisation's figures.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from django.db.models import QuerySet

from weerbaar.assessments.models import Assessment, AssessmentState, Round
from weerbaar.disclosure.rules import (
    confidential_visible,
    drafts_visible,
    protect_partition,
    visible_organisations,
)
from weerbaar.frameworks.models import Framework, Section, Tag
from weerbaar.organisations import access
from weerbaar.organisations.models import Region, Sector
from weerbaar.scoring.themes import (
    SCORED_STATES,
    median_of,
    overall,
    scored_items,
    scores_of,
    theme_scores,
)

TAG_VOCABULARIES = ("nato", "noodzorg", "prioriteit")


@dataclass(slots=True)
class HeatmapRow:
    organisation_id: int
    name: str
    sector: str
    assessment_id: int
    state: str
    scores: list[int | None]
    overall: int | None

    @property
    def sector_label(self) -> str:
        return str(Sector(self.sector).label)

    @property
    def state_label(self) -> str:
        return str(AssessmentState(self.state).label)


@dataclass
class AggregateRow:
    key: str  # "regio" or a sector value
    label: str
    organisations: int  # in the group (submitted or later)
    scores: list[float | None]  # None: no scores, or withheld
    overall: float | None
    suppressed: bool  # every figure of the row withheld
    withheld: list[bool] = field(default_factory=list)  # per theme, then overall

    @property
    def cells(self) -> list[tuple[float | None, bool]]:
        """(median, withheld) per theme and then the overall."""
        values = [*self.scores, self.overall]
        flags = self.withheld or [self.suppressed] * len(values)
        return list(zip(values, flags, strict=True))


@dataclass
class Heatmap:
    region: Region
    round: Round
    sections: list[Section]
    rows: list[HeatmapRow]
    aggregates: list[AggregateRow]
    participants: int  # organisations in the round (after the sector filter)
    hidden: int  # of those, not shown one by one to this viewer
    drafts: int = 0  # shown one by one, but not submitted yet: nothing of theirs is shared
    sort: str = "name"
    descending: bool = False
    tags: list[Tag] = field(default_factory=list)
    public: bool = False  # scores without the confidential questions


def rounds_of(region: Region) -> QuerySet[Round]:
    return (
        Round.objects.filter(region=region).select_related("framework").order_by("-opens_on", "-pk")
    )


def latest_with_answers(rounds: Sequence[Round]) -> Round | None:
    """The first of ``rounds`` in which some self-assessment was submitted (one query)."""
    counted = set(
        Assessment.all_objects.filter(round__in=rounds, state__in=SCORED_STATES)
        .values_list("round_id", flat=True)
        .distinct()
    )
    return next((r for r in rounds if r.pk in counted), None)


def _assessments(round_: Round, sector: str | None) -> QuerySet[Assessment]:
    assessments = Assessment.objects.filter(round=round_)
    if sector:
        assessments = assessments.filter(organisation__sector=sector)
    return assessments


def _assessment_rows(round_: Round, sector: str | None) -> list[tuple[int, int, str, str, str]]:
    """(assessment id, organisation id, organisation name, sector, state) of a round."""
    return list(
        _assessments(round_, sector)
        .values_list("pk", "organisation_id", "organisation__name", "organisation__sector", "state")
        .order_by("organisation__name", "pk")
    )


Member = tuple[int, str, dict[int, int | None], int | None]
"""(organisation id, sector, theme scores, overall score) of one self-assessment."""


def aggregate_rows(
    region: Region,
    members: list[Member],
    sections: Sequence[Section],
    visible: set[int],
    *,
    with_sectors: bool = True,
    region_label: str | None = None,
    region_key: str = "regio",
) -> list[AggregateRow]:
    """Medians for the region and every sector, per theme and overall. Every cell is decided
    on its own: its group is the organisations that have a score there (a theme that does not
    apply to a sector, or is all N.v.t., leaves them out), and ``protect_partition`` withholds
    small groups and, against subtraction, a second one."""
    columns: list[int | None] = [section.pk for section in sections] + [None]
    sector_names = sorted({m[1] for m in members}, key=lambda name: Sector(name).label)
    # The groups are the sectors whatever is shown; a row per sector only when asked (one
    # sector chosen: its row is the first, under ``region_key``).
    shown_sectors = sector_names if with_sectors else []
    values: dict[str, list[float | None]] = {key: [] for key in [region_key, *shown_sectors]}
    withheld: dict[str, list[bool]] = {key: [] for key in values}
    for column in columns:
        scored = [
            (org, sector, scores[column] if column is not None else total)
            for org, sector, scores, total in members
        ]
        scored = [entry for entry in scored if entry[2] is not None]
        groups: dict[str, set[int]] = defaultdict(set)
        for org, sector, _ in scored:
            groups[sector].add(org)
        everyone = {org for org, _, _ in scored}
        shown, total_shown = protect_partition(groups, everyone, visible, region.min_group_size)
        ok = total_shown and bool(everyone)
        values[region_key].append(median_of([v for _, _, v in scored]) if ok else None)
        withheld[region_key].append(bool(everyone) and not total_shown)
        for name in shown_sectors:
            ok = name in shown and bool(groups.get(name))
            values[name].append(
                median_of([v for _, sector, v in scored if sector == name]) if ok else None
            )
            withheld[name].append(bool(groups.get(name)) and name not in shown)

    def row(key: str, label: str, size: int) -> AggregateRow:
        *scores, total = values[key]
        flags = withheld[key]
        return AggregateRow(key, label, size, scores, total, suppressed=all(flags), withheld=flags)

    rows = [row(region_key, region_label or region.name, len({m[0] for m in members}))]
    if with_sectors:
        rows += [
            row(name, str(Sector(name).label), sum(1 for m in members if m[1] == name))
            for name in sector_names
        ]
    return rows


def heatmap(
    user: Any,
    region: Region,
    round_: Round,
    *,
    sector: str | None = None,
    tag_ids: Sequence[int] = (),
    sort: str = "name",
    descending: bool = False,
) -> Heatmap:
    """Organisations × themes of ``round_`` as ``user`` may see them."""
    items = scored_items(round_.framework, tag_ids)
    rows = _assessment_rows(round_, sector)
    sectors = {pk: org_sector for pk, _, _, org_sector, _ in rows}
    # Whoever may not see every organisation's confidential answers gets scores without the
    # confidential questions, for the rows and the medians alike.
    public = not {org for _, org, *_ in rows} <= confidential_visible(user, region)
    scores = theme_scores(_assessments(round_, sector), items, sectors, stored=True, public=public)
    visible = visible_organisations(user, region)
    drafts = drafts_visible(user, region)
    sections = items.sections
    section_ids = [section.pk for section in sections]
    totals = {pk: overall(row) for pk, row in scores.items()}
    shown_rows = [
        HeatmapRow(
            organisation_id=org_id,
            name=name,
            sector=org_sector,
            assessment_id=pk,
            state=state,
            scores=[scores[pk][section_id] for section_id in section_ids],
            overall=totals[pk],
        )
        for pk, org_id, name, org_sector, state in rows
        if org_id in visible and (state in SCORED_STATES or org_id in drafts)
    ]
    shown_rows = _sorted(shown_rows, sort, sections, descending)

    members: list[Member] = [
        (org_id, org_sector, scores[pk], totals[pk])
        for pk, org_id, _, org_sector, state in rows
        if state in SCORED_STATES
    ]
    aggregates = aggregate_rows(
        region,
        members,
        sections,
        visible,
        with_sectors=not sector,
        region_label=str(Sector(sector).label) if sector else None,
        region_key=sector or "regio",
    )
    return Heatmap(
        region=region,
        round=round_,
        sections=sections,
        rows=shown_rows,
        aggregates=aggregates,
        participants=len(rows),
        hidden=sum(1 for _, org_id, *_ in rows if org_id not in visible),
        drafts=sum(
            1
            for _, org_id, _, _, state in rows
            if org_id in visible and state not in SCORED_STATES and org_id not in drafts
        ),
        sort=sort,
        descending=descending,
        public=public,
    )


def _sort_key(sort: str, sections: Sequence[Section]) -> Any:
    codes = [s.code for s in sections]
    if sort == "totaal":
        return lambda row: row.overall
    if sort in codes:
        index = codes.index(sort)
        return lambda row: row.scores[index]
    return None


def _sorted(
    rows: list[HeatmapRow], sort: str, sections: Sequence[Section], descending: bool
) -> list[HeatmapRow]:
    """By name, or by a score with rows without one last in either direction (ties by name)."""
    by_name = sorted(rows, key=lambda row: row.name.casefold())
    key = _sort_key(sort, sections)
    if key is None:
        return list(reversed(by_name)) if descending else by_name
    scored = [row for row in by_name if key(row) is not None]
    scored.sort(key=key, reverse=descending)  # stable: ties keep the name order
    return scored + [row for row in by_name if key(row) is None]


def framework_tags(framework: Framework) -> dict[str, list[Tag]]:
    """The tags used by a framework's items, per vocabulary we filter on."""
    tags: dict[str, list[Tag]] = {vocabulary: [] for vocabulary in TAG_VOCABULARIES}
    for tag in (
        Tag.objects.filter(items__section__framework=framework, vocabulary__in=TAG_VOCABULARIES)
        .distinct()
        .order_by("vocabulary", "code")
    ):
        tags[tag.vocabulary].append(tag)
    return tags


# --- one organisation against its region, sector and previous round ----------------------


@dataclass
class ThemeComparison:
    section: Section
    score: int | None
    region_median: float | None
    sector_median: float | None
    previous: int | None

    @property
    def change(self) -> int | None:
        if self.score is None or self.previous is None:
            return None
        return self.score - self.previous


@dataclass
class Comparison:
    themes: list[ThemeComparison]
    region_group: int  # organisations behind the region median (0: not shown)
    sector_group: int
    previous: Assessment | None
    suppressed: bool  # a median was withheld for confidentiality
    public: bool = False  # scores without the confidential questions


def _earlier_assessments(assessment: Assessment) -> QuerySet[Assessment]:
    """The organisation's submitted self-assessments of the same framework (any version) in
    earlier rounds of the region."""
    return Assessment.objects.filter(
        organisation_id=assessment.organisation_id,
        round__region_id=assessment.round.region_id,
        round__framework__slug=assessment.round.framework.slug,
        round__opens_on__lt=assessment.round.opens_on,
        state__in=SCORED_STATES,
    ).select_related("round", "round__framework", "organisation")


def previous_assessment(assessment: Assessment) -> Assessment | None:
    """The organisation's latest submitted self-assessment of the same framework (any
    version) in an earlier round of the region."""
    return _earlier_assessments(assessment).order_by("-round__opens_on", "-pk").first()


def comparison(user: Any, assessment: Assessment) -> Comparison:
    """Theme scores of ``assessment`` beside the region's and sector's medians (submitted
    self-assessments of the same round) and the previous round's scores."""
    round_ = assessment.round
    region = round_.region
    items = scored_items(round_.framework)
    rows = [row for row in _assessment_rows(round_, None) if row[4] in SCORED_STATES]
    if assessment.pk not in {row[0] for row in rows}:
        rows.append(
            (
                assessment.pk,
                assessment.organisation_id,
                assessment.organisation.name,
                assessment.organisation.sector,
                assessment.state,
            )
        )
    sectors = {pk: org_sector for pk, _, _, org_sector, _ in rows}
    # Someone who may not see this organisation's confidential answers compares without them.
    public = not access.sees_confidential(user, assessment.organisation)
    scores = theme_scores(
        Assessment.objects.filter(pk__in=list(sectors)), items, sectors, stored=True, public=public
    )
    own = scores[assessment.pk]
    visible = visible_organisations(user, region)
    members: list[Member] = [
        (org, org_sector, scores[pk], overall(scores[pk]))
        for pk, org, _, org_sector, state in rows
        if state in SCORED_STATES
    ]
    own_sector = assessment.organisation.sector
    # Each median on its own: over the organisations with a score for that theme.
    region_row = aggregate_rows(region, members, items.sections, visible, with_sectors=False)[0]
    sector_row = aggregate_rows(
        region,
        [m for m in members if m[1] == own_sector],
        items.sections,
        visible,
        with_sectors=False,
    )[0]
    previous = previous_assessment(assessment)
    previous_by_code: dict[str, int | None] = {}
    if previous is not None:
        previous_items = items if previous.round.framework_id == round_.framework_id else None
        previous_scores = scores_of(previous, previous_items, public=public)
        previous_sections = (
            items.sections
            if previous_items
            else list(Section.objects.filter(framework=previous.round.framework))
        )
        previous_by_code = {s.code: previous_scores.get(s.pk) for s in previous_sections}
    themes = [
        ThemeComparison(
            section=section,
            score=own[section.pk],
            region_median=region_row.scores[index],
            sector_median=sector_row.scores[index],
            previous=previous_by_code.get(section.code),
        )
        for index, section in enumerate(items.sections)
    ]
    region_shown = any(not flag for flag in region_row.withheld[:-1]) and bool(members)
    sector_members = [m for m in members if m[1] == own_sector]
    return Comparison(
        themes=themes,
        region_group=len(members) if region_shown else 0,
        sector_group=len(sector_members)
        if any(not flag for flag in sector_row.withheld[:-1]) and sector_members
        else 0,
        previous=previous,
        suppressed=any(region_row.withheld) or any(sector_row.withheld),
        public=public,
    )


# --- trends between rounds ---------------------------------------------------------------


@dataclass
class TrendPoint:
    round: Round
    organisations: int  # submitted self-assessments behind the medians
    overall: float | None
    themes: dict[str, float | None]  # section code → median (or the organisation's score)
    suppressed: bool = False


def region_trend(user: Any, region: Region, framework_slug: str) -> list[TrendPoint]:
    """Medians per theme and overall for every round of the region with this framework
    (any version; themes matched by code), oldest first. Two queries per round; every median
    decided on its own like the heatmap's."""
    visible = visible_organisations(user, region)
    can_see_confidential = confidential_visible(user, region)
    points = []
    for round_ in reversed(list(rounds_of(region).filter(framework__slug=framework_slug))):
        items = scored_items(round_.framework)
        rows = [row for row in _assessment_rows(round_, None) if row[4] in SCORED_STATES]
        sectors = {pk: sector for pk, _, _, sector, _ in rows}
        public = not {org for _, org, *_ in rows} <= can_see_confidential
        scores = theme_scores(
            Assessment.objects.filter(round=round_, state__in=SCORED_STATES),
            items,
            sectors,
            stored=True,
            public=public,
        )
        members: list[Member] = [
            (org, sector, scores[pk], overall(scores[pk])) for pk, org, _, sector, _ in rows
        ]
        medians = aggregate_rows(region, members, items.sections, visible, with_sectors=False)[0]
        points.append(
            TrendPoint(
                round=round_,
                organisations=len(rows),
                overall=medians.overall,
                themes={s.code: medians.scores[i] for i, s in enumerate(items.sections)},
                suppressed=bool(rows) and medians.suppressed,
            )
        )
    return points


def organisation_trend(assessment: Assessment, *, public: bool = False) -> list[TrendPoint]:
    """The organisation's own scores in every round of this framework up to this one: its
    submitted self-assessments before, and this one as it stands."""
    earlier = list(_earlier_assessments(assessment).order_by("round__opens_on", "pk"))
    points = []
    for item in [*earlier, assessment]:
        items = scored_items(item.round.framework)
        scores = scores_of(item, items, public=public)
        points.append(
            TrendPoint(
                round=item.round,
                organisations=1,
                overall=overall(scores),
                themes={s.code: scores.get(s.pk) for s in items.sections},
            )
        )
    return points
