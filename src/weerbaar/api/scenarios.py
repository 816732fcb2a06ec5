"""/api/v1/scenarios: run a stress test on a region's figures (the same engine as
``weerbaar scenario run``).

For now the region's coordinators only: they see every organisation's figures one by one.
Region readers get a 403 until the scenario results follow the small-group and differencing
rules of the capacity figures (a scenario scoped to one organisation would otherwise show that
organisation's figures as the region's endurance).
"""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from ninja import Router, Schema, Status

from weerbaar.assessments.models import Round
from weerbaar.ids import Id
from weerbaar.organisations import access
from weerbaar.organisations.access import NotAllowed
from weerbaar.scenarios.data import load
from weerbaar.scenarios.engine import run
from weerbaar.scenarios.presets import PRESETS, ScenarioInvalid, scenario_from
from weerbaar.scenarios.summary import summary

from .schemas import InputSchema

router = Router(tags=["scenarios"])


class ScenarioIn(InputSchema):
    region: Id
    preset: str | None = None  # a preset's key, or ``scenario``
    scenario: dict[str, Any] | None = None  # a scenario description (as a preset)
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
    if not access.coordinates(user, region):
        raise NotAllowed("Scenario's zijn voorlopig voor de regiocoördinatoren.")
    round_ = None
    if payload.round is not None:
        round_ = Round.objects.filter(pk=payload.round, region=region).first()
        if round_ is None:
            return Status(422, {"detail": "Onbekende uitvraag van deze regio."})
    if (payload.preset is None) == (payload.scenario is None):
        return Status(422, {"detail": "Geef een preset of een scenario, niet allebei."})
    if payload.preset is not None and payload.preset not in PRESETS:
        return Status(422, {"detail": f"Onbekende preset; kies uit {', '.join(PRESETS)}."})
    loaded = load(region, round_, use_reports=payload.reports)
    index = {
        "organisations": {o.pk: i for i, o in enumerate(loaded.organisations)},
        "municipalities": {m.lower(): i for i, m in enumerate(loaded.region.municipalities)},
    }
    try:
        scenario = scenario_from(
            PRESETS[payload.preset] if payload.preset else payload.scenario or {}, index=index
        )
    except ScenarioInvalid as exc:
        return Status(422, {"detail": str(exc)})
    return Status(200, summary(loaded, run(loaded.region, scenario)))
