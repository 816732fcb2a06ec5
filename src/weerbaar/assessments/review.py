"""The review filter of the self-assessment page: only the open questions, the N.v.t.
answers, the gaps, or what changed in this round."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.utils.translation import gettext_lazy as _

from weerbaar.scoring.gaps import analyse_item, norms_for

from .models import AnswerRevision, Assessment
from .progress import ItemState, Progress, SectionProgress

FILTERS = {
    "open": _("Alleen open"),
    "nvt": _("N.v.t."),
    "hiaten": _("Hiaten"),
    "gewijzigd": _("Gewijzigd"),
}


def changed(state: ItemState) -> bool:
    """Answered or changed in this round: not only carried over from the previous one (the
    answer's history, prefetched by the page, holds what was carried over)."""
    if state.answer is None or state.carried_over:
        return False
    revisions = list(state.answer.revisions.all())
    carried = next((r for r in revisions if r.source == AnswerRevision.Source.PREFILL), None)
    return carried is None or carried.new != state.data


@dataclass
class Filtered:
    chosen: str  # "" for all
    counts: dict[str, int]
    sections: list[SectionProgress]

    @property
    def options(self) -> list[tuple[str, Any, int]]:
        """(key, label, how many pass) per filter, for its link."""
        return [(key, label, self.counts[key]) for key, label in FILTERS.items()]


def review_filter(assessment: Assessment, state: Progress, chosen: str) -> Filtered:
    """The sections with only the questions that pass ``chosen`` (all when it is none of
    ``FILTERS``), and how many pass each filter."""
    below = assessment.round.framework.gap_maturity_below
    norms: dict[str, Decimal] = norms_for(assessment)

    def passes(kind: str, item: ItemState) -> bool:
        if kind == "open":
            return not item.complete or item.carried_over
        if kind == "nvt":
            return bool(item.data["not_applicable"])
        if kind == "hiaten":
            return bool(analyse_item(item, below, norms)[0])
        return changed(item)

    every = [item for section in state.sections for item in section.items]
    counts = {kind: sum(1 for item in every if passes(kind, item)) for kind in FILTERS}
    if chosen not in FILTERS:
        return Filtered("", counts, state.sections)
    sections: list[Any] = []
    for section in state.sections:
        kept = [item for item in section.items if passes(chosen, item)]
        if kept:
            sections.append(SectionProgress(section.section, kept))
    return Filtered(chosen, counts, sections)
