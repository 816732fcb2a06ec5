"""Moving assessments through concept → ingediend → beoordeeld → vastgesteld (and back),
each step audited. Opening rounds: ``rounds``."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from weerbaar.audit.models import audit_record
from weerbaar.organisations import access
from weerbaar.organisations.access import NotAllowed
from weerbaar.organisations.models import Role

from .models import (
    Answer,
    Assessment,
    AssessmentState,
    ReviewComment,
)
from .routing import is_member


class TransitionError(Exception):
    """The step is not possible from the assessment's current state (Dutch message)."""


def _organisation_admin(by: Any, assessment: Assessment) -> bool:
    return is_member(by, assessment, Role.ORG_ADMIN)


def _coordinator(by: Any, assessment: Assessment) -> bool:
    return access.coordinates(by, assessment.round.region)


@dataclass(frozen=True)
class Step:
    """One step of the workflow: from which states, to which, and who may take it."""

    action: str  # in the audit trail
    allowed_from: frozenset[str]
    to: str
    may: Callable[[Any, Assessment], bool]
    refused: Any  # why someone else may not (lazy Dutch text)
    done: Any  # what the person who took it is told
    stamps: Callable[[Any], dict[str, Any]] = lambda by: {}


STEPS: dict[str, Step] = {
    "submit": Step(
        "assessment.submit",
        frozenset({AssessmentState.CONCEPT}),
        AssessmentState.SUBMITTED,
        _organisation_admin,
        gettext_lazy("Alleen de organisatiebeheerder kan indienen."),
        gettext_lazy("Zelfevaluatie ingediend."),
        lambda by: {"submitted_at": timezone.now(), "submitted_by": by},
    ),
    "return": Step(
        "assessment.return",
        frozenset({AssessmentState.SUBMITTED, AssessmentState.REVIEWED}),
        AssessmentState.CONCEPT,
        _coordinator,
        gettext_lazy("Alleen de regiocoördinator kan terugsturen."),
        gettext_lazy("Teruggestuurd naar de organisatie."),
    ),
    "approve": Step(
        "assessment.approve",
        frozenset({AssessmentState.SUBMITTED}),
        AssessmentState.REVIEWED,
        _coordinator,
        gettext_lazy("Alleen de regiocoördinator kan beoordelen."),
        gettext_lazy("Zelfevaluatie beoordeeld."),
        lambda by: {"reviewed_at": timezone.now()},
    ),
    "finalise": Step(
        "assessment.finalise",
        frozenset({AssessmentState.REVIEWED}),
        AssessmentState.FINAL,
        _coordinator,
        gettext_lazy("Alleen de regiocoördinator kan vaststellen."),
        gettext_lazy("Zelfevaluatie vastgesteld."),
        lambda by: {"finalised_at": timezone.now()},
    ),
    "reopen": Step(
        "assessment.reopen",
        frozenset({AssessmentState.REVIEWED, AssessmentState.FINAL}),
        AssessmentState.CONCEPT,
        _coordinator,
        gettext_lazy("Alleen de regiocoördinator kan heropenen."),
        gettext_lazy("Zelfevaluatie heropend."),
        lambda by: {"finalised_at": None},
    ),
}
"""The workflow, once: the web page and the API both take their steps through
``assessment_step``."""


def may_take(by: Any, assessment: Assessment, name: str) -> bool:
    """May ``by`` take step ``name`` of ``assessment`` (whatever its state now)?"""
    return STEPS[name].may(by, assessment)


@transaction.atomic
def assessment_step(*, assessment: Assessment, name: str, by: Any) -> Assessment:
    """Take step ``name``: raises ``NotAllowed`` when ``by`` may not take it and
    ``TransitionError`` when the assessment's state does not allow it; audited."""
    step = STEPS[name]
    if not step.may(by, assessment):
        raise NotAllowed(str(step.refused))
    locked = Assessment.objects.select_for_update().get(pk=assessment.pk)
    if locked.state not in step.allowed_from:
        raise TransitionError(
            _("Dit kan niet bij een zelfevaluatie met status ‘%(state)s’.")
            % {"state": locked.get_state_display()}
        )
    old = locked.state
    locked.state = step.to
    for field, value in step.stamps(by).items():
        setattr(locked, field, value)
    locked.save()
    audit_record(
        actor=by,
        action=step.action,
        obj=locked,
        organisation=locked.organisation,
        old={"state": old},
        new={"state": step.to},
    )
    assessment.refresh_from_db()
    return locked


def assessment_submit(*, assessment: Assessment, by: Any) -> Assessment:
    """The organisation submits its answers for review. Open items may remain; the
    coordinator sees them as gaps."""
    return assessment_step(assessment=assessment, name="submit", by=by)


def assessment_return(*, assessment: Assessment, by: Any) -> Assessment:
    """The coordinator sends a submitted assessment back to the organisation."""
    return assessment_step(assessment=assessment, name="return", by=by)


def assessment_approve(*, assessment: Assessment, by: Any) -> Assessment:
    """The coordinator has reviewed the answers (beoordeeld)."""
    return assessment_step(assessment=assessment, name="approve", by=by)


def assessment_finalise(*, assessment: Assessment, by: Any) -> Assessment:
    """The reviewed answers become the organisation's established picture (vastgesteld)."""
    return assessment_step(assessment=assessment, name="finalise", by=by)


def assessment_reopen(*, assessment: Assessment, by: Any) -> Assessment:
    """The coordinator re-opens a reviewed or final assessment for changes."""
    return assessment_step(assessment=assessment, name="reopen", by=by)


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
