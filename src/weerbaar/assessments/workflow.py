"""Moving assessments through concept → ingediend → beoordeeld → vastgesteld (and back),
each step audited. Opening rounds: ``rounds``."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from weerbaar.audit.models import audit_record

from .models import (
    Answer,
    Assessment,
    AssessmentState,
    ReviewComment,
)


class TransitionError(Exception):
    """The step is not possible from the assessment's current state (Dutch message)."""


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
