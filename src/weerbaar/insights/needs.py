"""Needs the organisations flag (behoeften): regional training, extra bed capacity, …

Every need flag of the round's framework, counted over the submitted self-assessments, for
the region and per sector, with the organisations that said yes where the viewer may see them
(and, for confidential questions, only the coordinators). Counts over groups too small to hide
one organisation are withheld like every other regional figure, and confidential counts reach
everyone but the coordinators only through the round's release (see ``capacity``).
"""

from __future__ import annotations

import datetime
from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any

from weerbaar.assessments.models import AnswerValue, Round
from weerbaar.disclosure.models import CapacityRelease
from weerbaar.disclosure.rules import (
    confidential_visible,
    protect_partition,
    uniform_hidden,
    visible_organisations,
)
from weerbaar.frameworks.models import AnswerPart, PartType
from weerbaar.organisations import access
from weerbaar.organisations.models import Region, Sector
from weerbaar.scoring.themes import SCORED_STATES


@dataclass
class NeedGroup:
    key: str
    label: str
    answered: int
    yes: int | None  # None when withheld
    suppressed: bool = False


@dataclass
class Need:
    item_code: str
    theme: str
    label: str
    confidential: bool
    total: NeedGroup
    sectors: list[NeedGroup]
    organisations: list[str] = field(default_factory=list)  # said yes; only those visible
    # What those organisations wrote beside it (e.g. which training topics): (name, text)
    topics: list[tuple[str, str]] = field(default_factory=list)
    live: bool = True  # False: the counts frozen in the round's capacity release
    released_at: datetime.datetime | None = None  # that release (None: not released yet)


def _group(key: str, label: str, members: set[int], said_yes: set[int], ok: bool) -> NeedGroup:
    return NeedGroup(key, label, len(members), len(members & said_yes) if ok else None, not ok)


def need_parts(round_: Round) -> list[AnswerPart]:
    return list(
        AnswerPart.objects.filter(
            item__section__framework_id=round_.framework_id, type=PartType.NEED_FLAG
        )
        .select_related("item", "item__section")
        .order_by("item__section__order", "item__order", "order")
    )


Row = tuple[int, str, str, bool]  # organisation, sector, name, said yes


def need_answers(round_: Round, parts: list[AnswerPart]) -> dict[int, list[Row]]:
    """Per need part, the submitted answers."""
    answers: dict[int, list[Row]] = defaultdict(list)
    for part_id, org_id, sector, name, flag in AnswerValue.objects.filter(
        part_id__in=[p.pk for p in parts],
        answer__assessment__round=round_,
        answer__assessment__state__in=SCORED_STATES,
        answer__not_applicable=False,
        flag__isnull=False,
    ).values_list(
        "part_id",
        "answer__assessment__organisation_id",
        "answer__assessment__organisation__sector",
        "answer__assessment__organisation__name",
        "flag",
    ):
        answers[part_id].append((org_id, sector, name, bool(flag)))
    return answers


def _sector_groups(rows: list[Row]) -> dict[str, set[int]]:
    groups: dict[str, set[int]] = defaultdict(set)
    for org_id, sector, _name, _flag in rows:
        groups[sector].add(org_id)
    return groups


def _counts(region: Region, rows: list[Row], seen: set[int]) -> tuple[NeedGroup, list[NeedGroup]]:
    """The region's and each sector's count of yeses, as a viewer who sees ``seen`` one by
    one may see them."""
    groups = _sector_groups(rows)
    everyone = {org for org, *_ in rows}
    shown, total_shown = protect_partition(groups, everyone, seen, region.min_group_size)
    said_yes = {org for org, _, _, flag in rows if flag}
    uniform_sectors = {name for name in shown if uniform_hidden(groups[name], seen, said_yes)}
    shown -= uniform_sectors
    # The withheld sectors together follow from the total minus the shown ones: their
    # hidden members must not all have given the same answer either.
    withheld = {org for name, members in groups.items() if name not in shown for org in members}
    if (
        uniform_sectors
        or uniform_hidden(everyone, seen, said_yes)
        or uniform_hidden(withheld, seen, said_yes)
    ):
        total_shown = False  # else the withheld sectors follow from the total
    return (
        _group("regio", region.name, everyone, said_yes, total_shown),
        [
            _group(sector, sector_label(sector), members, said_yes, sector in shown)
            for sector, members in sorted(groups.items(), key=lambda kv: sector_label(kv[0]))
        ],
    )


def sector_label(key: str) -> str:
    """A sector's label (its key, should the sector ever leave the list)."""
    return str(Sector(key).label) if key in Sector.values else key


def release_figures(
    region: Region, round_: Round
) -> tuple[dict[str, Any], dict[str, dict[str, list[int]]]]:
    """What a release of ``round_`` freezes of the confidential needs, as everyone who sees no
    organisation one by one may see it, and per sector and need part the organisations whose
    answers are in the counts (for the differencing check against later releases)."""
    parts = [part for part in need_parts(round_) if part.item.confidential]
    answers = need_answers(round_, parts)
    figures: dict[str, Any] = {}
    contributors: dict[str, dict[str, list[int]]] = defaultdict(dict)
    for part in parts:
        rows = answers.get(part.pk, [])
        total, sectors = _counts(region, rows, set())
        figures[str(part.pk)] = {
            "total": {"answered": total.answered, "yes": total.yes},
            "sectors": [{"key": g.key, "answered": g.answered, "yes": g.yes} for g in sectors],
        }
        for sector, members in _sector_groups(rows).items():
            contributors[sector][str(part.pk)] = sorted(members)
    return figures, dict(contributors)


def _released(region: Region, stored: dict[str, Any] | None) -> tuple[NeedGroup, list[NeedGroup]]:
    """The counts of one need part as frozen in a release (all withheld before any)."""
    if stored is None:
        return NeedGroup("regio", region.name, 0, None, True), []

    def group(key: str, label: str, row: dict[str, Any]) -> NeedGroup:
        return NeedGroup(key, label, row["answered"], row["yes"], row["yes"] is None)

    return group("regio", region.name, stored["total"]), [
        group(row["key"], sector_label(row["key"]), row) for row in stored["sectors"]
    ]


def needs(user: Any, region: Region, round_: Round) -> list[Need]:
    """The need flags of ``round_`` as ``user`` may see them. Confidential needs (more beds
    for casualty care) are counted live only for the region's coordinators; everyone else sees
    the counts frozen in the round's capacity release, for the same reason as the capacity
    figures: a live count moves when one organisation submits."""
    parts = need_parts(round_)
    answers = need_answers(round_, parts)
    # The free text beside a need (AW-05: "Welke onderwerpen?"), read for the named ones only.
    texts: dict[tuple[int, int], str] = {}
    for item_id, org_id, text in (
        AnswerValue.objects.filter(
            part__item_id__in=[p.item_id for p in parts],
            part__type=PartType.TEXT,
            answer__assessment__round=round_,
            answer__assessment__state__in=SCORED_STATES,
            answer__not_applicable=False,
        )
        .exclude(text="")
        .values_list("part__item_id", "answer__assessment__organisation_id", "text")
    ):
        texts[(item_id, org_id)] = (texts.get((item_id, org_id), "") + " " + text).strip()
    visible = visible_organisations(user, region)
    seen_confidential = confidential_visible(user, region)
    live_confidential = access.coordinates(user, region)
    release: CapacityRelease | None = None
    if not live_confidential and any(part.item.confidential for part in parts):
        release = CapacityRelease.objects.filter(round=round_).first()
    result = []
    for part in parts:
        rows = answers.get(part.pk, [])
        seen = seen_confidential if part.item.confidential else visible
        released = part.item.confidential and not live_confidential
        if released:
            frozen = (release.figures.get("needs") or {}) if release else {}
            total, sectors = _released(region, frozen.get(str(part.pk)))
        else:
            total, sectors = _counts(region, rows, seen)
        result.append(
            Need(
                item_code=part.item.code,
                theme=part.item.section.title,
                label=part.label,
                confidential=part.item.confidential,
                total=total,
                sectors=sectors,
                organisations=sorted(name for org, _, name, flag in rows if flag and org in seen),
                topics=sorted(
                    (name, texts[(part.item_id, org)])
                    for org, _, name, flag in rows
                    if flag and org in seen and (part.item_id, org) in texts
                ),
                live=not released,
                released_at=release.released_at if released and release else None,
            )
        )
    return result
