"""Gaps (hiaten) and theme scores, derived from answers — never stored by hand.

A gap is an applicable item whose maturity is below the framework's norm, Onbekend, or not
answered; a number below the region's norm; or a plain yes/no answered "nee". Risk flags
("ligt in een overstromingsgebied") are risks to know about, not gaps. A theme score is the
mean of level/4 over the applicable items (unknown and missing count as 0, N.v.t. is left
out), shown 0–100 (DESIGN.md §3).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.http import Http404
from django.utils.translation import gettext as _

from weerbaar.assessments.models import Assessment
from weerbaar.assessments.progress import ItemState, progress
from weerbaar.assessments.routing import items_of
from weerbaar.frameworks.models import Item, PartType, Section
from weerbaar.organisations.access import Level
from weerbaar.scoring.models import Norm
from weerbaar.scoring.themes import overall, scores_of


@dataclass(frozen=True)
class Gap:
    item: Item
    reasons: tuple[str, ...]
    level: int  # 0–4, or -1 for unknown/unanswered (ranked first)


@dataclass(frozen=True)
class Risk:
    item: Item
    label: str


@dataclass
class ThemeScore:
    section: Section
    score: int | None  # None when no item of the theme has a maturity level to score
    gaps: int
    items: int


@dataclass
class Insight:
    assessment: Assessment
    themes: list[ThemeScore] = field(default_factory=list)
    gaps: list[Gap] = field(default_factory=list)
    risks: list[Risk] = field(default_factory=list)

    @property
    def overall(self) -> int | None:
        return overall({t.section.pk: t.score for t in self.themes})


def norms_for(assessment: Assessment) -> dict[str, Decimal]:
    return {
        norm.norm_key: norm.minimum
        for norm in Norm.objects.filter(region_id=assessment.round.region_id)
    }


def _level(value: str) -> int | None:
    return int(value) if value.isdigit() else None


def analyse_item(
    state: ItemState, below: int, norms: dict[str, Decimal]
) -> tuple[list[str], int, list[str]]:
    """(gap reasons, level for ranking, risk labels) of one answered or open item."""
    data = state.data
    if data["not_applicable"]:
        return [], 99, []
    reasons: list[str] = []
    risks: list[str] = []
    rank = 99
    if state.answer is None:
        return [_("Niet beantwoord")], -1, []
    for part in state.item.parts.all():
        value = data["values"].get(part.key)
        if part.type == PartType.MATURITY:
            if value in ("", None):
                reasons.append(_("Niveau niet ingevuld"))
                rank = -1
            elif value == "unknown":
                reasons.append(_("Onbekend"))
                rank = -1
            elif (level := _level(value)) is not None and level < below:
                reasons.append(
                    _("Niveau %(level)d, onder de norm %(norm)d") % {"level": level, "norm": below}
                )
                rank = min(rank, level)
        elif part.type == PartType.NUMBER and part.norm_key and part.norm_key in norms:
            minimum = norms[part.norm_key]
            if value in (None, ""):
                reasons.append(_("%(label)s niet ingevuld") % {"label": part.label})
                rank = min(rank, -1)
            elif Decimal(value) < minimum:
                reasons.append(
                    _("%(label)s: %(value)s %(unit)s, norm %(norm)s")
                    % {
                        "label": part.label,
                        "value": value,
                        "unit": part.unit,
                        "norm": _plain(minimum),
                    }
                )
                rank = min(rank, 0)
        elif part.type == PartType.BOOLEAN and value is False:
            reasons.append(_("%(label)s: nee") % {"label": part.label})
            rank = min(rank, 0)
        elif part.type == PartType.RISK_FLAG and value is True:
            risks.append(part.label)
    return reasons, rank, risks


def _plain(number: Decimal) -> str:
    return format(number.normalize(), "f")


def insight(assessment: Assessment, *, confidential: bool = True) -> Insight:
    """Gaps, risks and theme scores. With ``confidential=False`` (a viewer who may not see
    confidential answers) the confidential questions are left out of gaps and risks; theme
    scores, which reveal no single answer, stay whole."""
    below = assessment.round.framework.gap_maturity_below
    norms = norms_for(assessment)
    items = items_of(assessment)
    if not confidential:
        items = items.exclude(confidential=True)
    state = progress(assessment, items)
    result = Insight(assessment)
    scores = scores_of(assessment, public=not confidential)
    for section in state.sections:
        gaps = 0
        for item_state in section.items:
            reasons, rank, risks = analyse_item(item_state, below, norms)
            result.risks.extend(Risk(item_state.item, label) for label in risks)
            if reasons:
                gaps += 1
                result.gaps.append(Gap(item_state.item, tuple(reasons), rank))
        result.themes.append(
            ThemeScore(section.section, scores.get(section.section.pk), gaps, len(section.items))
        )
    result.gaps.sort(
        key=lambda gap: (
            gap.level,
            not gap.item.confidential,
            gap.item.section.order,
            gap.item.order,
        )
    )
    return result


def gap_as_dict(gap: Gap) -> dict[str, Any]:
    return {
        "item_code": gap.item.code,
        "theme": gap.item.section.title,
        "text": gap.item.text,
        "explanation": gap.item.explanation,
        "responsible": [link.role.label for link in gap.item.responsible_links.all()],
        "confidential": gap.item.confidential,
        "reasons": list(gap.reasons),
    }


def assessment_for_gaps(user: Any, pk: Any) -> Assessment:
    """Gaps are organisation-level data: admins, coordinators and sharing readers (404 for
    everyone else, respondents included)."""
    queryset = Assessment.objects.for_user(user, Level.DETAIL).select_related(
        "round", "round__framework", "round__region", "organisation"
    )
    assessment = queryset.filter(pk=pk).first()
    if assessment is None:
        raise Http404("Not found")
    return assessment
