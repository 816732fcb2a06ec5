"""How far an assessment is: per theme and overall, and what is still open."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Prefetch, QuerySet

from weerbaar.frameworks.models import Item, Section

from .answering import is_complete, snapshot
from .models import Answer, AnswerRevision, AnswerValue, Assessment, ReviewComment


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


def _with_related(items: QuerySet[Item]) -> QuerySet[Item]:
    return (
        items.select_related("section")
        .prefetch_related("parts", "examples", "responsible_links__role", "sector_rows")
        .order_by("section__order", "order")
    )


def _values() -> Prefetch:
    return Prefetch("values", queryset=AnswerValue.objects.select_related("part"))


def progress(assessment: Assessment, items: QuerySet[Item], *, page: bool = False) -> Progress:
    """Progress over ``items`` (all items of the assessment, or those routed to one person).
    With ``page`` the answers come with what the self-assessment page shows beside each
    (evidence, comments, history, with their people): a fixed number of queries, whatever
    the number of questions."""
    items = _with_related(items)
    related: list[Any] = [_values()]
    if page:
        related += [
            "evidence",
            Prefetch("comments", queryset=ReviewComment.objects.select_related("author")),
            Prefetch("revisions", queryset=AnswerRevision.objects.select_related("by")),
        ]
    answers = assessment.answers.prefetch_related(*related).filter(item__in=items)
    return _progress(items, {answer.item_id: answer for answer in answers})


def round_progress(assessments: Sequence[Assessment], user: Any) -> dict[int, Progress]:
    """The progress of many self-assessments that ``user`` may open, as they see each (the
    round overview, the API's list): for every one the same as
    ``progress(assessment, items_for_user(assessment, user))``, in a few queries per
    framework and sector instead of several per row. A respondent sees the questions routed
    to them: those rows are done one by one (few: their own organisation's)."""
    from weerbaar.organisations import access
    from weerbaar.organisations.models import Role

    from .routing import is_member, items_for_user, items_of

    result: dict[int, Progress] = {}
    groups: dict[tuple[int, str, bool], list[Assessment]] = defaultdict(list)
    for assessment in assessments:
        if is_member(user, assessment) and not is_member(user, assessment, Role.ORG_ADMIN):
            result[assessment.pk] = progress(assessment, items_for_user(assessment, user))
            continue
        confidential = access.sees_confidential(user, assessment.organisation)
        key = (assessment.round.framework_id, assessment.organisation.sector, confidential)
        groups[key].append(assessment)
    for (_framework, _sector, confidential), members in groups.items():
        asked = items_of(members[0])
        if not confidential:
            asked = asked.filter(confidential=False)
        items = list(_with_related(asked))
        answers: dict[int, dict[int, Answer]] = defaultdict(dict)
        for answer in Answer.objects.filter(
            assessment__in=[a.pk for a in members], item__in=[item.pk for item in items]
        ).prefetch_related(_values()):
            answers[answer.assessment_id][answer.item_id] = answer
        for assessment in members:
            result[assessment.pk] = _progress(items, answers[assessment.pk])
    return result


def _progress(items: Iterable[Item], answers: dict[int, Answer]) -> Progress:
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
