"""Opening rounds and moving assessments through concept → ingediend → beoordeeld →
vastgesteld (and back), each step audited."""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from weerbaar.audit.models import audit_record
from weerbaar.frameworks.models import Framework
from weerbaar.organisations.models import Organisation, Region

from .answering import AnswerInvalid, clean, snapshot, value_rows
from .models import (
    Answer,
    AnswerRevision,
    AnswerValue,
    Assessment,
    AssessmentState,
    ReviewComment,
    Round,
)
from .routing import items_of
from .signals import answers_changed_send


class TransitionError(Exception):
    """The step is not possible from the assessment's current state (Dutch message)."""


@transaction.atomic
def round_open(
    *,
    region: Region,
    framework: Framework,
    organisations: Iterable[Organisation],
    title: str,
    opens_on: datetime.date,
    deadline: datetime.date,
    introduction: str = "",
    prefill: bool = False,
    by: Any,
) -> Round:
    """Open a round and give every organisation an assessment, optionally pre-filled with its
    answers from its last final assessment of the same framework (any version with the
    same item codes)."""
    organisations = list(organisations)
    if deadline < opens_on:
        raise ValueError(_("De deadline ligt vóór de openingsdatum."))
    if any(org.region_id != region.pk for org in organisations):
        raise ValueError(_("Alle organisaties moeten in de regio van de uitvraag liggen."))
    round_ = Round.objects.create(
        region=region,
        framework=framework,
        title=title,
        introduction=introduction,
        opens_on=opens_on,
        deadline=deadline,
        prefilled=prefill,
        created_by=by,
    )
    for organisation in organisations:
        assessment = Assessment.objects.create(round=round_, organisation=organisation)
        if prefill:
            _prefill(assessment)
    audit_record(
        actor=by,
        action="round.open",
        obj=round_,
        new={
            "title": title,
            "framework": f"{framework.slug} {framework.version}",
            "organisations": sorted(org.name for org in organisations),
            "opens_on": opens_on,
            "deadline": deadline,
            "prefill": prefill,
        },
    )
    return round_


def _prefill(assessment: Assessment) -> int:
    previous = (
        Assessment.objects.filter(
            organisation=assessment.organisation,
            state=AssessmentState.FINAL,
            round__framework__slug=assessment.round.framework.slug,
        )
        .exclude(pk=assessment.pk)
        .order_by("-finalised_at")
        .first()
    )
    if previous is None:
        return 0
    old_answers = {
        answer.item.code: answer
        for answer in previous.answers.select_related("item").prefetch_related("values__part")
    }
    # The new self-assessment has no answers yet and nobody can edit it while the round is
    # opened (this transaction), so the carried-over answers are written in bulk: the same
    # rows and revisions answer_save would write, in a handful of queries.
    now = timezone.now()
    carried: list[tuple[Answer, Any, dict[str, Any]]] = []
    for item in items_of(assessment).prefetch_related("parts"):
        old = old_answers.get(item.code)
        if old is None:
            continue
        data = snapshot(old, old.item)
        keys = {part.key for part in item.parts.all()}
        data["values"] = {k: v for k, v in data["values"].items() if k in keys}
        try:
            new = clean(item, data)
        except AnswerInvalid:
            continue  # no longer valid in this version of the framework: asked afresh
        answer = Answer(
            assessment=assessment,
            item=item,
            not_applicable=new["not_applicable"],
            na_reason=new["na_reason"] if new["not_applicable"] else "",
            explanation=new["explanation"],
            evidence_link=new["evidence_link"],
            evidence_date=(
                datetime.date.fromisoformat(new["evidence_date"]) if new["evidence_date"] else None
            ),
            carried_over=True,
            version=1,
            updated_at=now,
            updated_by=None,
        )
        carried.append((answer, item, new))
    if not carried:
        return 0
    Answer.objects.bulk_create([answer for answer, _item, _new in carried])
    AnswerValue.objects.bulk_create(
        [
            row
            for answer, item, new in carried
            for row in value_rows(answer, item, new["values"], {})
        ]
    )
    AnswerRevision.objects.bulk_create(
        [
            AnswerRevision(
                answer=answer,
                version=1,
                by=None,
                source=AnswerRevision.Source.PREFILL,
                old=None,
                new=new,
            )
            for answer, _item, new in carried
        ]
    )
    answers_changed_send(Answer, assessment)
    return len(carried)


def _transition(
    assessment: Assessment, *, allowed_from: set[str], to: str, by: Any, action: str, **extra: Any
) -> Assessment:
    locked = Assessment.objects.select_for_update().get(pk=assessment.pk)
    if locked.state not in allowed_from:
        raise TransitionError(
            _("Dit kan niet bij een zelfevaluatie met status ‘%(state)s’.")
            % {"state": locked.get_state_display()}
        )
    old = locked.state
    locked.state = to
    for field, value in extra.items():
        setattr(locked, field, value)
    locked.save()
    audit_record(
        actor=by,
        action=action,
        obj=locked,
        organisation=locked.organisation,
        old={"state": old},
        new={"state": to},
    )
    assessment.refresh_from_db()
    return locked


@transaction.atomic
def assessment_submit(*, assessment: Assessment, by: Any) -> Assessment:
    """The organisation submits its answers for review. Open items may remain; the
    coordinator sees them as gaps."""
    return _transition(
        assessment,
        allowed_from={AssessmentState.CONCEPT},
        to=AssessmentState.SUBMITTED,
        by=by,
        action="assessment.submit",
        submitted_at=timezone.now(),
        submitted_by=by,
    )


@transaction.atomic
def assessment_return(*, assessment: Assessment, by: Any) -> Assessment:
    """The coordinator sends a submitted assessment back to the organisation."""
    return _transition(
        assessment,
        allowed_from={AssessmentState.SUBMITTED, AssessmentState.REVIEWED},
        to=AssessmentState.CONCEPT,
        by=by,
        action="assessment.return",
    )


@transaction.atomic
def assessment_approve(*, assessment: Assessment, by: Any) -> Assessment:
    """The coordinator has reviewed the answers (beoordeeld)."""
    return _transition(
        assessment,
        allowed_from={AssessmentState.SUBMITTED},
        to=AssessmentState.REVIEWED,
        by=by,
        action="assessment.approve",
        reviewed_at=timezone.now(),
    )


@transaction.atomic
def assessment_finalise(*, assessment: Assessment, by: Any) -> Assessment:
    """The reviewed answers become the organisation's established picture (vastgesteld)."""
    return _transition(
        assessment,
        allowed_from={AssessmentState.REVIEWED},
        to=AssessmentState.FINAL,
        by=by,
        action="assessment.finalise",
        finalised_at=timezone.now(),
    )


@transaction.atomic
def assessment_reopen(*, assessment: Assessment, by: Any) -> Assessment:
    """The coordinator re-opens a reviewed or final assessment for changes."""
    return _transition(
        assessment,
        allowed_from={AssessmentState.REVIEWED, AssessmentState.FINAL},
        to=AssessmentState.CONCEPT,
        by=by,
        action="assessment.reopen",
        finalised_at=None,
    )


@transaction.atomic
def comment_add(*, answer: Answer, kind: str, text: str, by: Any) -> ReviewComment:
    text = text.strip()
    if not text:
        raise ValueError(_("Schrijf een opmerking."))
    if kind == ReviewComment.Kind.CHALLENGE_NA and not answer.not_applicable:
        raise ValueError(_("Alleen een ‘niet van toepassing’ kan worden betwist."))
    comment = ReviewComment.objects.create(answer=answer, kind=kind, text=text, author=by)
    audit_record(
        actor=by,
        action=f"review.{kind}",
        obj=comment,
        organisation=answer.assessment.organisation,
        new={"item": answer.item.code, "text": text},
    )
    return comment


@transaction.atomic
def assignment_set(*, assessment: Assessment, item: Any, users: Iterable[Any], by: Any) -> None:
    """Route one question of one self-assessment to exactly these people, besides the
    people whose role it names. Only members of the organisation can be chosen."""
    from weerbaar.organisations.models import Membership

    from .models import ItemAssignment

    wanted = {user.pk for user in users}
    members = set(
        Membership.objects.filter(organisation=assessment.organisation).values_list(
            "user_id", flat=True
        )
    )
    if not wanted <= members:
        raise ValueError(_("Kies alleen collega's van deze organisatie."))
    current = set(
        ItemAssignment.objects.filter(assessment=assessment, item=item).values_list(
            "user_id", flat=True
        )
    )
    if wanted == current:
        return
    for row in ItemAssignment.objects.filter(
        assessment=assessment, item=item, user_id__in=current - wanted
    ):
        row.delete()
    for user_id in wanted - current:
        ItemAssignment.objects.create(assessment=assessment, item=item, user_id=user_id)
    audit_record(
        actor=by,
        action="assignment.set",
        obj=assessment,
        organisation=assessment.organisation,
        old={"item": item.code, "users": sorted(current)},
        new={"item": item.code, "users": sorted(wanted)},
    )
