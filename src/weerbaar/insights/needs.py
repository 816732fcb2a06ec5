"""Needs the organisations flag (behoeften): regional training, extra bed capacity, …

Every need flag of the round's framework, counted over the submitted self-assessments, for
the region and per sector, with the organisations that said yes where the viewer may see them
(and, for confidential questions, only the coordinators). Counts over groups too small to hide
one organisation are withheld like every other regional figure.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any

from weerbaar.assessments.models import AnswerValue, Round
from weerbaar.frameworks.models import AnswerPart, PartType
from weerbaar.organisations.models import Region, Sector

from .regional import confidential_visible, protect_partition, uniform_hidden, visible_organisations
from .scoring import SCORED_STATES


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


def _group(key: str, label: str, members: set[int], said_yes: set[int], ok: bool) -> NeedGroup:
    return NeedGroup(key, label, len(members), len(members & said_yes) if ok else None, not ok)


def needs(user: Any, region: Region, round_: Round) -> list[Need]:
    parts = list(
        AnswerPart.objects.filter(
            item__section__framework_id=round_.framework_id, type=PartType.NEED_FLAG
        )
        .select_related("item", "item__section")
        .order_by("item__section__order", "item__order", "order")
    )
    answers: dict[int, list[tuple[int, str, str, bool]]] = defaultdict(list)
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
    result = []
    for part in parts:
        rows = answers.get(part.pk, [])
        seen = seen_confidential if part.item.confidential else visible
        groups: dict[str, set[int]] = defaultdict(set)
        for org_id, sector, _name, _flag in rows:
            groups[sector].add(org_id)
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

        result.append(
            Need(
                item_code=part.item.code,
                theme=part.item.section.title,
                label=part.label,
                confidential=part.item.confidential,
                total=_group("regio", region.name, everyone, said_yes, total_shown),
                sectors=[
                    _group(sector, str(Sector(sector).label), members, said_yes, sector in shown)
                    for sector, members in sorted(
                        groups.items(), key=lambda kv: Sector(kv[0]).label
                    )
                ],
                organisations=sorted(name for org, _, name, flag in rows if flag and org in seen),
                topics=sorted(
                    (name, texts[(part.item_id, org)])
                    for org, _, name, flag in rows
                    if flag and org in seen and (part.item_id, org) in texts
                ),
            )
        )
    return result
