"""/api/v1/incidents: the warme fase as the screens run it (same rules, same refusals)."""

from __future__ import annotations

import datetime
from typing import Any

from django.http import HttpRequest
from ninja import Router, Schema, Status
from ninja.errors import HttpError

from weerbaar.crisis import incidents as domain
from weerbaar.crisis.models import Incident, LogEntry
from weerbaar.ids import Id, Version
from weerbaar.organisations.access import NotAllowed

from .schemas import InputSchema, aware

router = Router(tags=["incidents"])


class StepOut(Schema):
    code: str
    phase: str
    text: str
    state: str
    version: int
    assignee: str | None
    note: str
    skip_reason: str
    done_by: str | None
    done_at: datetime.datetime | None
    see: list[str]


class CardOut(Schema):
    code: str
    title: str
    steps: list[StepOut]


class LogOut(Schema):
    id: int
    at: datetime.datetime
    kind: str
    author: str
    text: str
    corrects: int | None


class IncidentOut(Schema):
    id: int
    organisation: int
    title: str
    started_at: datetime.datetime
    state: str
    exercise: bool
    cards: list[CardOut]
    log: list[LogOut]


class IncidentIn(InputSchema):
    organisation: Id
    title: str
    disbalansen: list[str]
    started_at: datetime.datetime | None = None
    exercise: bool = False


class StepIn(InputSchema):
    version: Version
    state: str | None = None
    note: str | None = None
    skip_reason: str = ""
    assignee_email: str | None = None


class LogIn(InputSchema):
    kind: str
    text: str
    corrects: Id | None = None


class Problem(Schema):
    detail: str


def _user(request: HttpRequest) -> Any:
    return request.auth  # type: ignore[attr-defined]


def _incident(request: HttpRequest, pk: int) -> Incident:
    incident = (
        domain.incidents_for(_user(request))
        .select_related("organisation", "framework")
        .filter(pk=pk)
        .first()
    )
    if incident is None:
        raise HttpError(404, "Not found")
    return incident


def _log_out(entry: LogEntry) -> dict[str, Any]:
    return {
        "id": entry.pk,
        "at": entry.at,
        "kind": entry.kind,
        "author": entry.author_label,
        "text": entry.text,
        "corrects": entry.corrects_id,
    }


def _out(incident: Incident) -> dict[str, Any]:
    return {
        "id": incident.pk,
        "organisation": incident.organisation_id,
        "title": incident.title,
        "started_at": incident.started_at,
        "state": incident.state,
        "exercise": incident.is_exercise,
        "cards": [
            {
                "code": card.section.code,
                "title": card.section.title,
                "steps": [
                    {
                        "code": s.step.code,
                        "phase": phase.phase.title,
                        "text": s.step.text,
                        "state": s.state,
                        "version": s.version,
                        "assignee": s.progress.assignee.email
                        if s.progress and s.progress.assignee
                        else None,
                        "note": s.progress.note if s.progress else "",
                        "skip_reason": s.progress.skip_reason if s.progress else "",
                        "done_by": s.progress.done_by.email
                        if s.progress and s.progress.done_by
                        else None,
                        "done_at": s.progress.done_at if s.progress else None,
                        "see": [section.code for section in s.links],
                    }
                    for phase in card.phases
                    for s in phase.steps
                ],
            }
            for card in domain.cards(incident)
        ],
        "log": [_log_out(e) for e in incident.log.all()],
    }


@router.post("", response={201: IncidentOut, 422: Problem}, url_name="incident_create")
def incident_create(request: HttpRequest, payload: IncidentIn) -> Any:
    """Open an incident (the organisation's admin) with its active disbalansen (``D5``)."""
    organisation = domain.team_organisation(_user(request), payload.organisation)
    try:
        incident = domain.incident_open(
            organisation=organisation,
            title=payload.title,
            codes=payload.disbalansen,
            by=_user(request),
            started_at=aware(payload.started_at),
            is_exercise=payload.exercise,
        )
    except domain.IncidentInvalid as exc:
        return Status(422, {"detail": str(exc)})
    return Status(201, _out(incident))


@router.get("/{id:pk}", response=IncidentOut, url_name="incident_detail")
def incident_detail(request: HttpRequest, pk: int) -> dict[str, Any]:
    return _out(_incident(request, pk))


@router.put(
    "/{id:pk}/steps/{code}",
    response={200: StepOut, 409: Problem, 422: Problem},
    url_name="incident_step",
)
def incident_step(request: HttpRequest, pk: int, code: str, payload: StepIn) -> Any:
    """Mark a step done (``gedaan``), skipped (``overgeslagen``, with a reason) or ``open``;
    ``version`` is the one you read (409 otherwise)."""
    incident = _incident(request, pk)
    if not domain.in_team(_user(request), incident):
        raise NotAllowed("Alleen het crisisteam werkt aan een lopend incident.")
    try:
        assignee: Any = "unchanged"
        if payload.assignee_email is not None:
            email = payload.assignee_email
            assignee = domain.colleague(incident, email=email) if email else None
        domain.step_set(
            incident=incident,
            code=code,
            by=_user(request),
            expected_version=payload.version,
            state=payload.state,
            note=payload.note,
            skip_reason=payload.skip_reason,
            assignee=assignee,
        )
    except domain.StaleStep:
        return Status(409, {"detail": "Iemand anders heeft deze stap intussen gewijzigd."})
    except domain.IncidentInvalid as exc:
        return Status(422, {"detail": str(exc)})
    step = next(s for c in _out(incident)["cards"] for s in c["steps"] if s["code"] == code)
    return Status(200, step)


@router.post("/{id:pk}/log", response={201: LogOut, 422: Problem}, url_name="incident_log")
def incident_log(request: HttpRequest, pk: int, payload: LogIn) -> Any:
    """Add a line to the logbook (append-only: there is no PUT or DELETE; a correction is a
    new line with ``corrects``)."""
    incident = _incident(request, pk)
    corrects = None
    if payload.corrects is not None:
        corrects = incident.log.filter(pk=payload.corrects).first()
        if corrects is None:
            return Status(422, {"detail": "Onbekende regel van dit logboek."})
    try:
        entry = domain.log_add(
            incident=incident,
            kind=payload.kind,
            text=payload.text,
            by=_user(request),
            corrects=corrects,
        )
    except domain.IncidentInvalid as exc:
        return Status(422, {"detail": str(exc)})
    return Status(201, _log_out(entry))
