"""How far an assessment is: per theme and overall, and what is still open."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from django.db.models import Prefetch, QuerySet

from weerbaar.frameworks.models import Item, Section

from .answering import is_complete, snapshot
from .models import Answer, AnswerValue, Assessment


@dataclass
class ItemState:
    item: Item
    answer: Answer | None
    data: dict[str, Any]
    complete: bool
    carried_over: bool


@dataclass
class SectionProgress:
    section: Section
    items: list[ItemState] = field(default_factory=list)

    @property
    def total(self) -> int:
        return len(self.items)

    @property
    def done(self) -> int:
        return sum(1 for state in self.items if state.complete and not state.carried_over)

    @property
    def percent(self) -> int:
        return round(100 * self.done / self.total) if self.total else 100

    @property
    def open_items(self) -> list[ItemState]:
        return [s for s in self.items if not s.complete or s.carried_over]


@dataclass
class Progress:
    sections: list[SectionProgress]

    @property
    def total(self) -> int:
        return sum(s.total for s in self.sections)

    @property
    def done(self) -> int:
        return sum(s.done for s in self.sections)

    @property
    def percent(self) -> int:
        return round(100 * self.done / self.total) if self.total else 100

    @property
    def open_items(self) -> list[ItemState]:
        return [state for s in self.sections for state in s.open_items]


def progress(assessment: Assessment, items: QuerySet[Item]) -> Progress:
    """Progress over ``items`` (all items of the assessment, or those routed to one person)."""
    items = (
        items.select_related("section")
        .prefetch_related("parts", "examples", "responsible_links__role", "sector_rows")
        .order_by("section__order", "order")
    )
    answers = {
        answer.item_id: answer
        for answer in assessment.answers.prefetch_related(
            Prefetch("values", queryset=AnswerValue.objects.select_related("part"))
        ).filter(item__in=items)
    }
    sections: dict[int, SectionProgress] = {}
    for item in items:
        answer = answers.get(item.pk)
        data = snapshot(answer, item)
        state = ItemState(
            item=item,
            answer=answer,
            data=data,
            complete=answer is not None and is_complete(data, item),
            carried_over=bool(answer and answer.carried_over),
        )
        sections.setdefault(item.section_id, SectionProgress(item.section)).items.append(state)
    return Progress(list(sections.values()))
