"""A scenario's result as plain JSON-able data: for the command line, the API, the screens
and the PDF report. Hours stay numbers (``null``: holds beyond the horizon); unknown is said
as unknown, never as a number."""

from __future__ import annotations

import math
from typing import Any

import numpy as np

from .data import NUMBERS, REPORTED, Loaded, at_norm
from .engine import CARE_TYPES, RESOURCES, Assumptions, Result, Scenario, run

RESOURCE_NORMS = {
    "power": "noodstroom_uren",
    "water": "drinkwater_uren",
    "utilities_stock": "voorraad_nutsvoorzieningen_dagen",
    "materials": "voorraad_middelen_materialen_dagen",
    "medication": "voorraad_medicatie_dagen",
    "critical": "voorraad_kritieke_middelen_dagen",
}
"""Resource → the norm (answer part key) its figure is held against."""

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


def outcome(loaded: Loaded, scenario: Scenario) -> tuple[Result, dict[str, Any]]:
    """Run ``scenario`` on ``loaded`` — and, when the region has norms, once more as if every
    organisation met them — and the JSON summary of both."""
    result = run(loaded.region, scenario)
    raised = at_norm(loaded)
    return result, summary(loaded, result, run(raised, scenario) if raised is not None else None)


def _figure(loaded: Loaded, index: int, resource: str) -> float | None:
    """An organisation's own figure for ``resource`` (hours or days), None when unknown."""
    key = RESOURCE_NORMS.get(resource)
    if key is None:
        return None
    name, column = NUMBERS[key]
    values = getattr(loaded.region, name)
    value = float(values[index] if column < 0 else values[index, column])
    return None if math.isnan(value) else value


def _below_norm(loaded: Loaded, index: int, resource: str) -> bool:
    key = RESOURCE_NORMS.get(resource)
    value = _figure(loaded, index, resource)
    return key in loaded.norms and value is not None and value < loaded.norms[key]


def _failing(result: Result) -> Any:
    """(N,) does the organisation run out of anything within the horizon?"""
    return np.isfinite(np.stack([result.runs_out[name] for name in RESOURCES])).any(axis=0)


def summary(loaded: Loaded, result: Result, norm_result: Result | None = None) -> dict[str, Any]:
    organisations = loaded.organisations
    scenario = result.scenario
    # What the viewer sees, decided once: a row at all; and its figures beyond the reports'.
    row_shown = [loaded.shows(i) for i in range(len(organisations))]
    all_shown = [loaded.shows(i, "materials") for i in range(len(organisations))]

    def shows(i: int, name: str) -> bool:
        return i < len(organisations) and (row_shown[i] if name in REPORTED else all_shown[i])

    bed_counts = np.nan_to_num(
        np.concatenate([loaded.region.beds, loaded.region.isolation[:, None]], axis=1)
    )
    per_org = []
    for i, organisation in enumerate(organisations):
        if not row_shown[i]:
            continue
        beds_known = not (
            np.isnan(loaded.region.beds[i]).all() and np.isnan(loaded.region.isolation[i])
        )
        per_org.append(
            {
                "id": organisation.pk,
                "name": organisation.name,
                "runs_out": {
                    name: _state(result.runs_out[name][i], bool(result.affected[name][i]))
                    if shows(i, name)
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
                "has_beds": {care: bool(bed_counts[i, k] > 0) for k, care in enumerate(CARE_TYPES)}
                if beds_known
                else None,
            }
        )
    shortfall = result.first_shortfall()
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
        "at_norm": None
        if norm_result is None
        else {
            "norms": dict(sorted(loaded.norms.items())),
            "endurance_hours": _hour(norm_result.endurance_hours),
            "organisations_failing": int(
                (_failing(norm_result)[: len(organisations)] & np.array(row_shown, bool)).sum()
            ),
        },
        "organisations_failing": int(
            (_failing(result)[: len(organisations)] & np.array(row_shown, bool)).sum()
        ),
        "weakest": [
            {
                "id": organisations[i].pk,
                "organisation": organisations[i].name,
                "resource": name,
                "hour": round(hour, 1),
                "below_norm": _below_norm(loaded, i, name),
            }
            for i, name, hour in result.weakest[:20]
            if shows(i, name)
        ],
        "blind_spots": [
            {"id": organisations[i].pk, "organisation": organisations[i].name, "resource": name}
            for i, name in result.blind_spots
            if shows(i, name)
        ],
        "sensitivity": [
            {
                "id": organisations[i].pk,
                "organisation": organisations[i].name,
                "resource": name,
                "endurance_after": _hour(after),
            }
            for i, name, after in result.sensitivity
            if shows(i, name)
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
        "isolation_share": scenario.inflow.isolation_share if scenario.inflow else 0.0,
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
