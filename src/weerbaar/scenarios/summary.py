"""A scenario's result as plain JSON-able data: for the command line, the API, the screens
and the PDF report. Hours stay numbers (``null``: holds beyond the horizon); unknown is said
as unknown, never as a number."""

from __future__ import annotations

import math
from typing import Any

import numpy as np

from .data import Loaded
from .engine import CARE_TYPES, RESOURCES, Assumptions, Result

HOLDS = "houdt stand"
UNKNOWN = "onbekend"
NOT_TOUCHED = "niet geraakt"
NOT_SHARED = "niet gedeeld"


def _hour(value: float) -> float | None:
    return None if math.isinf(value) else round(float(value), 1)


def _state(value: float, touched: bool) -> str | float:
    if not touched:
        return NOT_TOUCHED
    if math.isnan(value):
        return UNKNOWN
    if math.isinf(value):
        return HOLDS
    return round(float(value), 1)


def _first(found: tuple[int, float] | None, part: int) -> float | None:
    return None if found is None else found[part]


def summary(loaded: Loaded, result: Result) -> dict[str, Any]:
    organisations = loaded.organisations
    scenario = result.scenario
    per_org = []
    for i, organisation in enumerate(organisations):
        if not loaded.shows(i):
            continue
        beds_known = not np.isnan(loaded.region.beds[i]).all()
        per_org.append(
            {
                "id": organisation.pk,
                "name": organisation.name,
                "runs_out": {
                    name: _state(result.runs_out[name][i], bool(result.affected[name][i]))
                    if loaded.shows(i, name)
                    else NOT_SHARED
                    for name in RESOURCES
                },
                "peak_patients": {
                    care: round(float(result.placed[:, i, k].max()), 1)
                    if len(result.placed)
                    else 0.0
                    for k, care in enumerate(CARE_TYPES)
                }
                if beds_known
                else None,
                "full_day": {
                    care: int(result.full_day[i, k]) if result.full_day[i, k] >= 0 else None
                    for k, care in enumerate(CARE_TYPES)
                }
                if beds_known
                else None,
            }
        )
    shortfall = result.first_shortfall()
    hours = np.stack([result.runs_out[name] for name in RESOURCES])
    failing = [bool(f) for f in np.any(np.isfinite(hours), axis=0).tolist()]
    clients = _clients_by_place(loaded, result)
    return {
        "scenario": scenario.name,
        "horizon_days": scenario.horizon_days,
        "source": loaded.source,
        "reports_used": loaded.reports_used,
        "hidden_organisations": loaded.hidden,
        "released_capacity": loaded.pooled,
        "clients_withheld": loaded.clients_withheld,
        "assumptions": [
            {"name": name, "value": getattr(scenario.assumptions, name), "reason": reason}
            for name, _default, reason in Assumptions.documented()
        ],
        "endurance_hours": _hour(result.endurance_hours),
        "organisations_failing": len(
            [i for i in range(len(organisations)) if failing[i] and loaded.shows(i)]
        ),
        "weakest": [
            {
                "id": organisations[i].pk,
                "organisation": organisations[i].name,
                "resource": name,
                "hour": round(hour, 1),
            }
            for i, name, hour in result.weakest[:20]
            if loaded.shows(i, name)
        ],
        "blind_spots": [
            {"id": organisations[i].pk, "organisation": organisations[i].name, "resource": name}
            for i, name in result.blind_spots
            if loaded.shows(i, name)
        ],
        "sensitivity": [
            {
                "id": organisations[i].pk,
                "organisation": organisations[i].name,
                "resource": name,
                "endurance_after": _hour(after),
            }
            for i, name, after in result.sensitivity
            if loaded.shows(i, name)
        ],
        "beds": {
            care: {
                "demand": [round(float(v), 1) for v in result.demand[:, k]],
                "capacity": [round(float(v), 1) for v in result.capacity[:, k]],
                "overflow": [round(float(v), 1) for v in result.overflow[:, k]],
                "first_shortfall_day": _first(shortfall[care], 0),
                "first_shortfall": _first(shortfall[care], 1),
            }
            for k, care in enumerate(CARE_TYPES)
        },
        "isolation_overflow": [round(float(v), 1) for v in result.isolation_overflow],
        "power_dependent_clients": clients,
        "organisations": per_org,
    }


def _clients_by_place(loaded: Loaded, result: Result) -> dict[str, dict[str, Any]]:
    """Per municipality: power-dependent clients at home, the first hour some of them need
    help, and how many need it at the worst hour."""
    groups = loaded.region.clients
    if not len(groups):
        return {}
    names = [*loaded.region.municipalities, UNKNOWN]
    place = groups[:, 0].astype(np.int64)
    totals = np.bincount(np.where(place >= 0, place, len(names) - 1), groups[:, 1], len(names))
    need = result.clients_in_need
    found = {}
    for p, name in enumerate(names):
        if totals[p] == 0:
            continue
        hours = np.nonzero(need[:, p] > 0)[0]
        found[name] = {
            "clients": float(totals[p]),
            "first_need_hour": float(hours[0]) if len(hours) else None,
            "peak": float(need[:, p].max()),
        }
    return found
