"""The series of a scenario's timeline charts, and a scenario described in words, from an
``Evaluation`` (for the screens and the PDF report)."""

from __future__ import annotations

from typing import Any

import numpy as np
from django.utils.translation import gettext as _

from weerbaar.formatting import figure
from weerbaar.insights.charts import Line, timeline_chart

from . import labels, summary
from .engine import CARE_TYPES, RESOURCES
from .saved import Evaluation

COLOURS = ("#2f6f9f", "#b3261e", "#1d2a3a", "#8a5a00", "#2e7d32", "#6a1b9a", "#00838f", "#6b7785")


def hour_text(value: Any) -> str:
    """An hour of the scenario in words: ``uur 36 (dag 2)``; ``houdt stand`` for none."""
    if value is None:
        return _("houdt stand")
    return _("uur %(h)s (dag %(d)s)") % {"h": figure(value), "d": int(float(value) // 24) + 1}


def state_text(value: Any) -> str:
    """A run-out state of the summary: an hour, or one of its words."""
    if isinstance(value, int | float):
        return hour_text(value)
    words = {
        summary.HOLDS: _("houdt stand"),
        summary.UNKNOWN: _("onbekend"),
        summary.NOT_TOUCHED: _("niet geraakt"),
        summary.NOT_SHARED: _("niet gedeeld"),
    }
    return str(words.get(value, value))


def _without(out: Any, back: Any, hours: int) -> Any:
    """Per hour: how many of the organisations are without (ran out, supply not yet back)."""
    known = np.isfinite(out)
    start = np.sort(out[known])
    end = np.sort(np.maximum(back[known], out[known]))
    steps = np.arange(hours)
    return np.searchsorted(start, steps, side="right") - np.searchsorted(end, steps, side="right")


def _shown(evaluation: Evaluation) -> Any:
    loaded = evaluation.loaded
    return np.array([loaded.shows(i) for i in range(loaded.region.size)], dtype=bool)


def out_per_hour(evaluation: Evaluation) -> dict[str, list[int]]:
    """Per resource the scenario touches: how many organisations (that the viewer sees) are
    without it at each hour — from the hour they run out until the supply is back."""
    result = evaluation.result
    shown = _shown(evaluation)
    found: dict[str, list[int]] = {}
    for name in RESOURCES:
        if not (result.affected[name] & shown).any():
            continue
        found[name] = _without(
            result.runs_out[name][shown],
            result.restored[name][shown],
            evaluation.scenario.horizon_hours,
        ).tolist()
    return found


def failing_per_hour(evaluation: Evaluation) -> list[int]:
    """How many organisations (that the viewer sees) are without something at each hour."""
    result, shown = evaluation.result, _shown(evaluation)
    hours = evaluation.scenario.horizon_hours
    steps = np.arange(hours)[:, None]
    without = np.zeros((hours, int(shown.sum())), dtype=bool)
    for name in RESOURCES:
        out, back = result.runs_out[name][shown], result.restored[name][shown]
        out = np.where(np.isfinite(out), out, np.inf)
        without |= (steps >= out[None, :]) & (steps < np.maximum(back, out)[None, :])
    return without.sum(axis=1).tolist()


def utility_chart(evaluation: Evaluation) -> Any:
    series = out_per_hour(evaluation)
    if not series:
        return None
    lines = [
        Line(str(labels.RESOURCES[name]), values, COLOURS[i % len(COLOURS)], dashed=i % 2 == 1)
        for i, (name, values) in enumerate(series.items())
    ]
    endurance = evaluation.summary["endurance_hours"]
    hours = evaluation.scenario.horizon_hours
    return timeline_chart(
        lines,
        _("Organisaties die ergens zonder zitten, per middel en per uur"),
        step_label=_("uur na de start"),
        steps_per_tick=24 if hours <= 240 else 24 * 5,
        chart_id="utilities",
        marker=(endurance, _("eerste kritieke uitval")) if endurance is not None else None,
    )


def beds_chart(evaluation: Evaluation, care: str) -> Any:
    k = CARE_TYPES.index(care)
    result = evaluation.result
    if result.demand[:, k].sum() == 0 and not (care == "isolation" and result.isolation_held.any()):
        return None
    occupied = result.placed[:, :, k].sum(axis=1)
    if care == "isolation":  # the units of those isolated first are taken too
        occupied = occupied + result.isolation_held
    days = evaluation.scenario.horizon_days
    return timeline_chart(
        [
            Line(_("bedden open"), result.capacity[:, k].tolist(), COLOURS[2], dashed=True),
            Line(_("bezet door slachtoffers"), occupied.tolist(), COLOURS[0]),
            Line(
                _("naar een andere regio"), result.overflow[:, k].tolist(), COLOURS[1], filled=True
            ),
        ],
        _("%(care)s: bedden per dag") % {"care": labels.CARE_TYPES[care]},
        step_label=_("dagen na de start"),
        steps_per_tick=1 if days <= 14 else 5,
        chart_id=f"beds-{care}",
    )


def clients_chart(evaluation: Evaluation) -> Any:
    need = evaluation.result.clients_in_need.sum(axis=1)
    if not need.any():
        return None
    hours = evaluation.scenario.horizon_hours
    return timeline_chart(
        [Line(_("cliënten thuis met een lege accu"), need.tolist(), COLOURS[1], filled=True)],
        _("Stroomafhankelijke cliënten thuis die hulp nodig hebben, per uur"),
        step_label=_("uur na de start"),
        steps_per_tick=24 if hours <= 240 else 24 * 5,
        chart_id="clients",
    )


def charts(evaluation: Evaluation) -> dict[str, Any]:
    return {
        "utilities": utility_chart(evaluation),
        "beds": [
            (labels.CARE_TYPES[care], chart)
            for care in CARE_TYPES
            if (chart := beds_chart(evaluation, care)) is not None
        ],
        "clients": clients_chart(evaluation),
    }


def shortfalls(result: dict[str, Any]) -> list[dict[str, Any]]:
    """Per care type with casualties, and for those isolated first: the first day (1, 2, …) the
    region cannot place everyone, how many that day, and how many in all go elsewhere."""
    rows = []
    for care in CARE_TYPES:
        beds = result["beds"][care]
        if not any(beds["demand"]):
            continue
        day = beds["first_shortfall_day"]
        rows.append(
            {
                "label": str(labels.CARE_TYPES[care]),
                "admitted": round(sum(beds["demand"]), 1),
                "capacity": max(beds["capacity"], default=0),
                "first_day": None if day is None else day + 1,
                "first": beds["first_shortfall"],
                "total": round(sum(beds["overflow"]), 1),
            }
        )
    iso = result["isolation_overflow"]
    if result["isolation_share"] > 0 or any(v > 0 for v in iso):
        days = [d for d, v in enumerate(iso) if v > 0]
        rows.append(
            {
                "label": _("Eerst isoleren (24 uur): geen unit vrij"),
                "admitted": None,
                "capacity": None,
                "first_day": days[0] + 1 if days else None,
                "first": iso[days[0]] if days else None,
                "total": round(sum(iso), 1),
            }
        )
    return rows


def filling(result: dict[str, Any], limit: int) -> dict[str, Any]:
    """Which organisations fill first: per organisation with casualty beds and each care type
    with casualties, the first day its beds are full — or the day it closes because its
    emergency power ran out (when that assumption holds), whichever comes first; ``–``:
    neither within the horizon."""
    cares = [c for c in CARE_TYPES if any(result["beds"][c]["demand"])]
    closes = next(
        (a["value"] for a in result["assumptions"] if a["name"] == "power_loss_closes_beds"),
        True,
    )
    closed_word = _("dicht dag %(d)s")
    full_word = _("vol dag %(d)s")
    rows = []
    for o in result["organisations"]:
        if not o["has_beds"] or not any(o["has_beds"][c] for c in cares):
            continue
        power = o["runs_out"]["power"]
        closed = int(power // 24) if closes and isinstance(power, int | float) else None
        cells, first = [], 10**6
        for care in cares:
            full = o["full_day"][care]
            if not o["has_beds"][care]:
                cells.append("")
            elif closed is not None and (full is None or closed < full):
                cells.append(closed_word % {"d": closed + 1})
                first = min(first, closed)
            elif full is not None:
                cells.append(full_word % {"d": full + 1})
                first = min(first, full)
            else:
                cells.append("–")
        rows.append((first, o["name"], cells))
    rows.sort(key=lambda r: (r[0], r[1]))
    return {
        "columns": [str(labels.CARE_TYPES[c]) for c in cares],
        "rows": [(name, cells) for _first, name, cells in rows[:limit]],
    }


def described(description: dict[str, Any]) -> list[str]:
    """The scenario in a few Dutch sentences (the list of presets, the report's first page)."""
    said = [_("Horizon %(days)s dagen.") % {"days": description.get("horizon_days", 30)}]
    for outage in description.get("outages") or []:
        scope = _("de hele regio")
        if outage.get("municipalities"):
            scope = ", ".join(outage["municipalities"])
        elif outage.get("organisations"):
            scope = _("%(n)s organisaties") % {"n": len(outage["organisations"])}
        said.append(
            _("Uitval %(kind)s vanaf uur %(start)s, %(hours)s uur, %(scope)s.")
            % {
                "kind": str(labels.OUTAGES.get(outage.get("kind", ""), "?")).lower(),
                "start": figure(outage.get("start_hour", 0)),
                "hours": figure(outage.get("duration_hours", 0)),
                "scope": scope,
            }
        )
    inflow = description.get("inflow") or {}
    if inflow:
        per_day = inflow.get("per_day") or {}
        counts = ", ".join(
            f"{labels.CARE_TYPES[c]} {figure(v if not isinstance(v, list) else max(v or [0]))}"
            for c, v in per_day.items()
            if c in labels.CARE_TYPES and v
        )
        said.append(
            _(
                "Slachtoffers per dag gedurende %(days)s dagen: %(counts)s; "
                "%(iso)s %% eerst in isolatie."
            )
            % {
                "days": inflow.get("days", 0),
                "counts": counts,
                "iso": figure(round(float(inflow.get("isolation_share", 0)) * 100)),
            }
        )
    stop = description.get("supply_stop") or {}
    if stop.get("days"):
        said.append(
            _("Leveringsstop van %(days)s dagen vanaf dag %(start)s.")
            % {"days": figure(stop["days"]), "start": figure(float(stop.get("start_day", 0)) + 1)}
        )
    if description.get("staff_absence_pct"):
        said.append(
            _("Personeelsuitval %(pct)s %%.") % {"pct": figure(description["staff_absence_pct"])}
        )
    return said
