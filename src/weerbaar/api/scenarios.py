"""/api/v1/scenarios: run a stress test on a region's figures (the same engine as
``weerbaar scenario run`` and the screens).

The region's coordinators run it on every organisation's figures. A region reader runs it on
what they may see (``scenarios.data``): the answers of the organisations that share them, the
released casualty capacity, the status reports; no result can hold a figure they may not see.
"""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import Router, Schema, Status

from weerbaar.ids import Id
from weerbaar.organisations import access
from weerbaar.organisations.access import Level
from weerbaar.scenarios import clients as keeping
from weerbaar.scenarios import saved
from weerbaar.scenarios.forms import ClientsForm
from weerbaar.scenarios.models import PowerDependentClients
from weerbaar.scenarios.presets import PRESETS, ScenarioInvalid

from .schemas import InputSchema

router = Router(tags=["scenarios"])


class ScenarioIn(InputSchema):
    region: Id
    preset: str | None = None  # a preset's key; or ``scenario``, or ``saved``
    scenario: dict[str, Any] | None = None  # a scenario description (as a preset)
    saved: Id | None = None  # a saved scenario of the region (``/scenarios/{id}/``)
    round: Id | None = None  # the round whose figures to use; none: the latest established
    reports: bool = False  # during a crisis: the latest status reports replace the answers


class Problem(Schema):
    detail: str


@router.post("/run", response={200: dict[str, Any], 422: Problem}, url_name="scenario_run")
def scenario_run(request: HttpRequest, payload: ScenarioIn) -> Any:
    """Run a preset or a described scenario; the result as ``weerbaar scenario run`` gives
    it (run-out hour per organisation and resource, beds per day, endurance, weakest links,
    blind spots, sensitivity, the assumptions with their reasons)."""
    user = request.auth  # type: ignore[attr-defined]
    region = access.get_region(user, payload.region, *access.READS_REGION)
    round_ = None
    if payload.round is not None:
        round_ = next((r for r in saved.rounds(region) if r.pk == payload.round), None)
        if round_ is None:
            return Status(422, {"detail": _("Onbekende uitvraag van deze regio.")})
    given = [v for v in (payload.preset, payload.scenario, payload.saved) if v is not None]
    if len(given) != 1:
        return Status(422, {"detail": _("Geef één preset, scenario of opgeslagen scenario.")})
    if payload.preset is not None:
        source = saved.preset_source(payload.preset)
        if source is None:
            known = ", ".join(PRESETS)
            return Status(
                422, {"detail": _("Onbekende preset; kies uit %(known)s.") % {"known": known}}
            )
    elif payload.saved is not None:
        source = saved.source_of(user, region, str(payload.saved))
        if source is None:
            return Status(422, {"detail": _("Onbekend scenario van deze regio.")})
    else:
        body = payload.scenario or {}
        source = saved.Source(str(body.get("name") or "Scenario"), body)
    try:
        evaluation = saved.evaluate(user, region, source, round_=round_, reports=payload.reports)
    except ScenarioInvalid as exc:
        return Status(422, {"detail": str(exc)})
    return Status(200, evaluation.summary)


# --- Power-dependent clients at home --------------------------------------------------------

clients = Router(tags=["scenarios"])  # mounted at /organisations


class ClientsIn(InputSchema):
    municipality: str
    device: str
    count: int
    battery_hours: float


class ClientsOut(Schema):
    id: int
    municipality: str
    device: str
    count: int
    battery_hours: float


class Invalid(Schema):
    detail: str
    errors: dict[str, list[str]] = {}


def _out(group: PowerDependentClients) -> dict[str, Any]:
    return {
        "id": group.pk,
        "municipality": group.municipality,
        "device": group.device,
        "count": group.count,
        "battery_hours": float(group.battery_hours),
    }


@clients.get("/{id:pk}/power-dependent-clients", response=list[ClientsOut], url_name="clients")
def clients_list(request: HttpRequest, pk: int) -> list[dict[str, Any]]:
    """The organisation's power-dependent clients at home, per municipality and device."""
    user = request.auth  # type: ignore[attr-defined]
    organisation = access.get_organisation(user, pk, Level.DETAIL)
    rows = PowerDependentClients.objects.for_user(user).filter(organisation=organisation)
    return [_out(g) for g in rows.order_by("municipality", "device")]


@clients.post(
    "/{id:pk}/power-dependent-clients",
    response={201: ClientsOut, 422: Invalid},
    url_name="clients_add",
)
def clients_add(request: HttpRequest, pk: int, payload: ClientsIn) -> Any:
    """Add a group; the same municipality and device twice is refused (remove it first)."""
    user = request.auth  # type: ignore[attr-defined]
    organisation = access.get_organisation(user, pk, Level.DETAIL)
    form = ClientsForm(payload.dict())
    if not form.is_valid():
        errors = {k: [str(m) for m in v] for k, v in form.errors.items()}
        return Status(422, {"detail": "De invoer is ongeldig.", "errors": errors})
    try:
        group = keeping.clients_add(
            organisation=organisation, by=user, values=dict(form.cleaned_data)
        )
    except keeping.ClientsInvalid as exc:
        return Status(422, {"detail": str(exc), "errors": {}})
    return Status(201, _out(group))


@clients.delete(
    "/{id:pk}/power-dependent-clients/{group}",
    response={204: None},
    url_name="clients_remove",
)
def clients_remove(request: HttpRequest, pk: int, group: Id) -> Any:
    user = request.auth  # type: ignore[attr-defined]
    found = access.get_scoped(
        PowerDependentClients.objects.select_related("organisation__region"),
        user,
        Level.DETAIL,
        pk=group,
        organisation_id=pk,
    )
    keeping.clients_remove(group=found, by=user)
    return Status(204, None)
