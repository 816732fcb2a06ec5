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


def _returned(by: Any, reason: str) -> dict[str, Any]:
    return {"return_reason": reason, "returned_at": timezone.now(), "returned_by": by}


@dataclass(frozen=True)
class Step:
    """One step of the workflow: from which states, to which, and who may take it."""

    action: str  # in the audit trail
    allowed_from: frozenset[str]
    to: str
    may: Callable[[Any, Assessment], bool]
    refused: Any  # why someone else may not (lazy Dutch text)
    done: Any  # what the person who took it is told
    stamps: Callable[[Any, str], dict[str, Any]] = lambda by, reason: {}
    label: Any = ""  # the verb on its button
    explanation: Any = ""  # what it does, on its confirmation page
    sends_back: bool = False  # work goes back to the organisation: a reason is required


STEPS: dict[str, Step] = {
    "submit": Step(
        "assessment.submit",
        frozenset({AssessmentState.CONCEPT}),
        AssessmentState.SUBMITTED,
        _organisation_admin,
        gettext_lazy("Alleen de organisatiebeheerder kan indienen."),
        gettext_lazy("Zelfevaluatie ingediend."),
        lambda by, reason: {
            "submitted_at": timezone.now(),
            "submitted_by": by,
            "return_reason": "",
            "returned_at": None,
            "returned_by": None,
        },
        label=gettext_lazy("Indienen"),
        explanation=gettext_lazy(
            "U dient de antwoorden in bij het netwerkbureau. Daarna kunnen ze niet meer "
            "worden gewijzigd, tenzij u de zelfevaluatie intrekt zolang die nog niet is "
            "goedgekeurd, of de regiocoördinator haar terugstuurt. Open vragen tellen als hiaat."
        ),
    ),
    "withdraw": Step(
        "assessment.withdraw",
        frozenset({AssessmentState.SUBMITTED}),
        AssessmentState.CONCEPT,
        _organisation_admin,
        gettext_lazy("Alleen de organisatiebeheerder kan intrekken."),
        gettext_lazy("Zelfevaluatie ingetrokken: u kunt de antwoorden weer wijzigen."),
        lambda by, reason: {"submitted_at": None, "submitted_by": None},
        label=gettext_lazy("Intrekken"),
        explanation=gettext_lazy(
            "U haalt de ingediende zelfevaluatie terug om de antwoorden aan te vullen of te "
            "verbeteren. Dien haar daarna opnieuw in."
        ),
    ),
    "approve": Step(
        "assessment.approve",
        frozenset({AssessmentState.SUBMITTED}),
        AssessmentState.REVIEWED,
        _coordinator,
        gettext_lazy("Alleen de regiocoördinator kan goedkeuren."),
        gettext_lazy("Zelfevaluatie goedgekeurd."),
        lambda by, reason: {"reviewed_at": timezone.now()},
        label=gettext_lazy("Goedkeuren"),
        explanation=gettext_lazy(
            "U keurt de antwoorden goed na beoordeling. Daarna kunt u de zelfevaluatie "
            "vaststellen of alsnog terugsturen."
        ),
    ),
    "return": Step(
        "assessment.return",
        frozenset({AssessmentState.SUBMITTED, AssessmentState.REVIEWED}),
        AssessmentState.CONCEPT,
        _coordinator,
        gettext_lazy("Alleen de regiocoördinator kan terugsturen."),
        gettext_lazy("Teruggestuurd naar de organisatie."),
        _returned,
        label=gettext_lazy("Terugsturen"),
        explanation=gettext_lazy(
            "De organisatie kan de antwoorden weer wijzigen en dient daarna opnieuw in. Zij "
            "ziet de reden die u hieronder geeft."
        ),
        sends_back=True,
    ),
    "finalise": Step(
        "assessment.finalise",
        frozenset({AssessmentState.REVIEWED}),
        AssessmentState.FINAL,
        _coordinator,
        gettext_lazy("Alleen de regiocoördinator kan vaststellen."),
        gettext_lazy("Zelfevaluatie vastgesteld."),
        lambda by, reason: {"finalised_at": timezone.now()},
        label=gettext_lazy("Vaststellen"),
        explanation=gettext_lazy(
            "De antwoorden worden het vastgestelde beeld van de organisatie: de basis voor "
            "de volgende uitvraag en de regionale vergelijking."
        ),
    ),
    "reopen": Step(
        "assessment.reopen",
        frozenset({AssessmentState.REVIEWED, AssessmentState.FINAL}),
        AssessmentState.CONCEPT,
        _coordinator,
        gettext_lazy("Alleen de regiocoördinator kan heropenen."),
        gettext_lazy("Zelfevaluatie heropend."),
        lambda by, reason: {"finalised_at": None, **_returned(by, reason)},
        label=gettext_lazy("Heropenen"),
        explanation=gettext_lazy(
            "De organisatie kan de antwoorden weer wijzigen en dient daarna opnieuw in. Zij "
            "ziet de reden die u hieronder geeft."
        ),
        sends_back=True,
    ),
}
"""The workflow, once: the web page and the API both take their steps through
``assessment_step``."""


def open_challenges(assessment: Assessment) -> list[ReviewComment]:
    """The coordinator's challenges of an N.v.t. that still stand: the answer is still N.v.t.
    and nobody has replied since."""
    comments = list(
        ReviewComment.objects.filter(answer__assessment=assessment)
        .select_related("answer__item", "author")
        .order_by("answer_id", "created_at", "pk")
    )
    open_ones: dict[int, ReviewComment] = {}
    for comment in comments:
        if comment.kind == ReviewComment.Kind.CHALLENGE_NA and comment.answer.not_applicable:
            open_ones[comment.answer_id] = comment
        elif comment.kind == ReviewComment.Kind.REPLY:
            open_ones.pop(comment.answer_id, None)
    return list(open_ones.values())


def may_take(by: Any, assessment: Assessment, name: str) -> bool:
    """May ``by`` take step ``name`` of ``assessment`` (whatever its state now)?"""
    return STEPS[name].may(by, assessment)


def state_refusal(assessment: Assessment) -> str:
    """Why a step is not possible from the assessment's state now."""
    return _("Dit kan niet bij een zelfevaluatie met status ‘%(state)s’.") % {
        "state": assessment.get_state_display()
    }


def steps_for(by: Any, assessment: Assessment) -> list[tuple[str, Step]]:
    """The steps ``by`` may take now: the one that moves the work on first, then those that
    send it back."""
    possible = [
        (name, step)
        for name, step in STEPS.items()
        if assessment.state in step.allowed_from and step.may(by, assessment)
    ]
    return sorted(possible, key=lambda entry: entry[1].sends_back or entry[0] == "withdraw")


REASON_LIMIT = 2000


@transaction.atomic
def assessment_step(*, assessment: Assessment, name: str, by: Any, reason: str = "") -> Assessment:
    """Take step ``name``: raises ``NotAllowed`` when ``by`` may not take it and
    ``TransitionError`` when the assessment's state does not allow it, or when it sends work
    back without a ``reason`` (which the organisation sees); audited with the reason."""
    step = STEPS[name]
    if not step.may(by, assessment):
        raise NotAllowed(str(step.refused))
    reason = reason.strip()
    if step.sends_back and not reason:
        raise TransitionError(_("Geef de reden: de organisatie ziet die bij haar zelfevaluatie."))
    if len(reason) > REASON_LIMIT:
        raise TransitionError(
            _("Houd de reden korter dan %(limit)d tekens.") % {"limit": REASON_LIMIT}
        )
    locked = Assessment.objects.select_for_update().get(pk=assessment.pk)
    if locked.state not in step.allowed_from:
        raise TransitionError(state_refusal(locked))
    old = locked.state
    locked.state = step.to
    for field, value in step.stamps(by, reason).items():
        setattr(locked, field, value)
    locked.save()
    audit_record(
        actor=by,
        action=step.action,
        obj=locked,
        organisation=locked.organisation,
        old={"state": old},
        new={"state": step.to, **({"reason": reason} if reason else {})},
    )
    assessment.refresh_from_db()
    return locked


def assessment_submit(*, assessment: Assessment, by: Any) -> Assessment:
    """The organisation submits its answers for review. Open items may remain; the
    coordinator sees them as gaps."""
    return assessment_step(assessment=assessment, name="submit", by=by)


def assessment_return(*, assessment: Assessment, by: Any, reason: str) -> Assessment:
    """The coordinator sends a submitted assessment back to the organisation, saying why."""
    return assessment_step(assessment=assessment, name="return", by=by, reason=reason)


def assessment_approve(*, assessment: Assessment, by: Any) -> Assessment:
    """The coordinator has reviewed the answers (beoordeeld)."""
    return assessment_step(assessment=assessment, name="approve", by=by)


def assessment_finalise(*, assessment: Assessment, by: Any) -> Assessment:
    """The reviewed answers become the organisation's established picture (vastgesteld)."""
    return assessment_step(assessment=assessment, name="finalise", by=by)


def assessment_reopen(*, assessment: Assessment, by: Any, reason: str) -> Assessment:
    """The coordinator re-opens a reviewed or final assessment for changes, saying why."""
    return assessment_step(assessment=assessment, name="reopen", by=by, reason=reason)


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
