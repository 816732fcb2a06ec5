"""/api/v1/organisations/{id}/actions: the improvement plan, with the browser's rules."""

from __future__ import annotations

import datetime
from typing import Any

from django.http import Http404, HttpRequest
from ninja import Router, Schema, Status
from ninja.errors import HttpError

from weerbaar.accounts.models import User
from weerbaar.assessments.models import Assessment
from weerbaar.frameworks.models import Item
from weerbaar.ids import Id, Version
from weerbaar.organisations import access
from weerbaar.organisations.access import Level
from weerbaar.organisations.models import Organisation
from weerbaar.organisations.services import members
from weerbaar.plan.actions import (
    NotAColleague,
    StaleAction,
    action_create,
    action_update,
    gap_states,
)
from weerbaar.plan.models import ActionStatus, ImprovementAction

from .schemas import InputSchema

router = Router(tags=["improvement plan"])


class ActionOut(Schema):
    id: int
    title: str
    description: str
    owner: str | None
    owner_email: str | None
    due_on: datetime.date | None
    status: str
    overdue: bool
    item_code: str | None
    assessment: int | None
    gap_open: bool | None  # in the latest self-assessment; None when not linked
    version: int


class ActionIn(InputSchema):
    title: str
    description: str = ""
    owner_email: str | None = None
    due_on: datetime.date | None = None
    status: str = ActionStatus.OPEN
    assessment: Id | None = None
    item_code: str | None = None


class ActionUpdate(InputSchema):
    version: Version
    title: str
    description: str = ""
    owner_email: str | None = None
    due_on: datetime.date | None = None
    status: str


class Problem(Schema):
    detail: str


class ConflictOut(Schema):
    detail: str
    current: ActionOut


def _organisation(request: HttpRequest, pk: int, level: Level) -> Organisation:
    try:
        return access.get_organisation(request.auth, pk, level)  # type: ignore[attr-defined]
    except Http404 as exc:
        raise HttpError(404, "Not found") from exc


def _out(action: ImprovementAction, gap_open: bool | None) -> dict[str, Any]:
    return {
        "id": action.pk,
        "title": action.title,
        "description": action.description,
        "owner": action.owner.get_full_name() if action.owner else None,
        "owner_email": action.owner.email if action.owner else None,
        "due_on": action.due_on,
        "status": action.status,
        "overdue": action.is_overdue,
        "item_code": action.item.code if action.item else None,
        "assessment": action.assessment_id,
        "gap_open": gap_open,
        "version": action.version,
    }


def _owner(organisation: Organisation, email: str | None) -> User | None:
    if not email:
        return None
    owner = members(organisation).filter(email__iexact=email).first()
    if owner is None:
        raise HttpError(422, str(NotAColleague()))
    return owner


def _status(value: str) -> str:
    if value not in ActionStatus.values:
        raise HttpError(422, f"Onbekende status: {value}")
    return value


def _title(value: str) -> str:
    title = value.strip()
    if not title or len(title) > 300:
        raise HttpError(422, "Beschrijf de actie in een zin (hoogstens 300 tekens).")
    return title


@router.get("/{id:pk}/actions", response=list[ActionOut], url_name="action_list")
def action_list(request: HttpRequest, pk: int) -> list[dict[str, Any]]:
    """The organisation's improvement plan; ``gap_open`` tells whether the linked gap is
    still a gap in its latest self-assessment."""
    organisation = _organisation(request, pk, Level.DETAIL)
    actions = list(
        ImprovementAction.objects.for_user(request.auth, Level.DETAIL)  # type: ignore[attr-defined]
        .filter(organisation=organisation)
        .select_related("item", "owner")
    )
    states = gap_states(
        organisation,
        {a.item.code for a in actions if a.item},
        confidential=access.sees_confidential(request.auth, organisation),  # type: ignore[attr-defined]
    )
    return [
        _out(a, states[a.item.code].open if a.item and a.item.code in states else None)
        for a in actions
    ]


@router.post("/{id:pk}/actions", response={201: ActionOut, 422: Problem}, url_name="action_create")
def action_post(request: HttpRequest, pk: int, payload: ActionIn) -> Any:
    organisation = _organisation(request, pk, Level.MANAGE)
    assessment = None
    item = None
    if payload.item_code and payload.assessment is None:
        raise HttpError(422, "Geef bij een vraagcode ook de zelfevaluatie op (assessment).")
    if payload.assessment is not None:
        assessment = (
            Assessment.objects.for_user(request.auth, Level.MANAGE)  # type: ignore[attr-defined]
            .select_related("round")
            .filter(pk=payload.assessment, organisation=organisation)
            .first()
        )
        if assessment is None:
            raise HttpError(422, "Onbekende zelfevaluatie van deze organisatie.")
        if payload.item_code:
            item = Item.objects.filter(
                section__framework_id=assessment.round.framework_id, code=payload.item_code
            ).first()
            if item is None:
                raise HttpError(422, f"Onbekende vraag: {payload.item_code}")
    action = action_create(
        organisation=organisation,
        title=_title(payload.title),
        description=payload.description,
        owner=_owner(organisation, payload.owner_email),
        due_on=payload.due_on,
        status=_status(payload.status),
        item=item,
        assessment=assessment,
        by=request.auth,  # type: ignore[attr-defined]
    )
    return Status(201, _out(action, None))


@router.put(
    "/{id:pk}/actions/{id:action_pk}",
    response={200: ActionOut, 409: ConflictOut, 422: Problem},
    url_name="action_put",
)
def action_put(request: HttpRequest, pk: int, action_pk: int, payload: ActionUpdate) -> Any:
    """Change an action; ``version`` must be the version you read (409 with the current
    action otherwise)."""
    organisation = _organisation(request, pk, Level.MANAGE)
    action = (
        ImprovementAction.objects.for_user(request.auth, Level.MANAGE)  # type: ignore[attr-defined]
        .filter(organisation=organisation, pk=action_pk)
        .select_related("item", "owner")
        .first()
    )
    if action is None:
        raise HttpError(404, "Not found")
    try:
        action = action_update(
            action=action,
            expected_version=payload.version,
            by=request.auth,  # type: ignore[attr-defined]
            title=_title(payload.title),
            description=payload.description,
            owner=_owner(organisation, payload.owner_email),
            due_on=payload.due_on,
            status=_status(payload.status),
        )
    except StaleAction as stale:
        return Status(
            409,
            {
                "detail": "Iemand anders heeft deze actie intussen gewijzigd.",
                "current": _out(stale.current, None),
            },
        )
    return Status(200, _out(action, None))
