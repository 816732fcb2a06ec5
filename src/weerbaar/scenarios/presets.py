"""Scenarios from the seeds, and reading a scenario from a JSON description.

The presets' casualty numbers are example values for one region, to be edited in a copy; the
seeds give the situations, not the numbers:

* *Sabotage op de stroom tijdens opvang van gewonde militairen* — seed 000: "uitval van
  elektriciteit door sabotage tijdens opvang van groot aantal gewonde militairen vanuit
  Oekraïens front"; all of them isolated for 24 hours first (ZC-05).
* *72 uur regionale stroomuitval* — a long utility outage (Zorgcontinuïteit in Balans, D5).
* *Twee weken geen medicijnen* — a supply stop (D6, Logistieke stagnatie).
* *Uitbraak met 20 % personeelsuitval* — an infectious outbreak (D7) with staff shortage (D4).
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from django.utils.translation import gettext_lazy as _

from .engine import CARE_TYPES, Assumptions, Inflow, Outage, Scenario

PRESETS: dict[str, dict[str, Any]] = {
    "sabotage-stroom-militairen": {
        "name": "Sabotage op de stroom tijdens opvang van gewonde militairen",
        "horizon_days": 30,
        "outages": [{"kind": "power", "start_hour": 0, "duration_hours": 168}],
        "inflow": {
            "days": 14,
            "per_day": {"ic": 6, "trauma": 25, "neuro": 4, "rehab": 0},
            "length_of_stay": {"ic": 10, "trauma": 7, "neuro": 14, "rehab": 21},
            "isolation_share": 1.0,
        },
    },
    "stroomuitval-72-uur": {
        "name": "72 uur regionale stroomuitval",
        "horizon_days": 7,
        "outages": [{"kind": "power", "start_hour": 0, "duration_hours": 72}],
    },
    "medicijnstop-2-weken": {
        "name": "Twee weken geen medicijnen",
        "horizon_days": 30,
        "supply_stop": {"start_day": 0, "days": 14},
    },
    "uitbraak-20-procent": {
        "name": "Uitbraak met 20 % personeelsuitval",
        "horizon_days": 30,
        "staff_absence_pct": 20,
        "inflow": {
            "days": 21,
            "per_day": {"ic": 3, "trauma": 0, "neuro": 0, "rehab": 0},
            "length_of_stay": {"ic": 12, "trauma": 7, "neuro": 14, "rehab": 21},
            "isolation_share": 1.0,
        },
    },
}

PRESET_TITLES = {
    "sabotage-stroom-militairen": _("Sabotage op de stroom tijdens opvang van gewonde militairen"),
    "stroomuitval-72-uur": _("72 uur regionale stroomuitval"),
    "medicijnstop-2-weken": _("Twee weken geen medicijnen"),
    "uitbraak-20-procent": _("Uitbraak met 20 % personeelsuitval"),
}

KINDS = ("power", "water", "gas", "telecom")
HORIZON_LIMIT = 90


class ScenarioInvalid(ValueError):
    """A scenario description that cannot be used (Dutch message)."""


def _number(data: dict[str, Any], key: str, default: float, low: float, high: float) -> float:
    value = data.get(key, default)
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise ScenarioInvalid(f"{key}: verwacht een getal.")
    if not low <= value <= high:
        raise ScenarioInvalid(f"{key}: tussen {low:g} en {high:g}.")
    return float(value)


def scenario_from(data: dict[str, Any], *, index: dict[str, Any] | None = None) -> Scenario:
    """A ``Scenario`` from its JSON description (a preset, a file, an API body, a form);
    ``index`` maps organisation ids and municipality names to the engine's indexes."""
    if not isinstance(data, dict):
        raise ScenarioInvalid("Verwacht een JSON-object.")
    name = str(data.get("name") or "Scenario").strip()[:200]
    horizon = int(_number(data, "horizon_days", 30, 1, HORIZON_LIMIT))
    hours = horizon * 24
    outages = []
    for n, raw in enumerate(data.get("outages") or []):
        if not isinstance(raw, dict) or raw.get("kind") not in KINDS:
            raise ScenarioInvalid(
                f"Uitval {n + 1}: kies stroom, water, gas of telecom (power, water, gas, telecom)."
            )
        organisations: tuple[int, ...] = ()
        municipalities: tuple[int, ...] = ()
        if raw.get("organisations"):
            lookup = (index or {}).get("organisations", {})
            try:
                organisations = tuple(lookup[int(o)] for o in raw["organisations"])
            except (KeyError, ValueError, TypeError) as exc:
                raise ScenarioInvalid(f"Uitval {n + 1}: onbekende organisatie.") from exc
        if raw.get("municipalities"):
            lookup = (index or {}).get("municipalities", {})
            try:
                municipalities = tuple(
                    lookup[str(m).strip().lower()] for m in raw["municipalities"]
                )
            except KeyError as exc:
                raise ScenarioInvalid(f"Uitval {n + 1}: onbekende gemeente {exc}.") from exc
        outages.append(
            Outage(
                kind=raw["kind"],
                start_hour=_number(raw, "start_hour", 0, 0, hours),
                duration_hours=_number(raw, "duration_hours", 24, 0, 24 * 365),
                organisations=organisations,
                municipalities=municipalities,
            )
        )
    inflow = None
    if data.get("inflow"):
        raw = data["inflow"]
        if not isinstance(raw, dict):
            raise ScenarioInvalid("inflow: verwacht een JSON-object.")
        days = int(_number(raw, "days", horizon, 0, horizon))
        per_day: dict[str, tuple[float, ...]] = {}
        for care in CARE_TYPES:
            value = (raw.get("per_day") or {}).get(care, 0)
            if isinstance(value, list):
                series = [float(v) for v in value][:horizon]
                if any(v < 0 for v in series):
                    raise ScenarioInvalid(f"inflow {care}: geen negatieve aantallen.")
                per_day[care] = tuple(series)
            else:
                count = _number({"n": value}, "n", 0, 0, 100_000)
                per_day[care] = (count,) * days
        stays = raw.get("length_of_stay") or {}
        inflow = Inflow(
            per_day=per_day,
            length_of_stay={
                care: _number(stays, care, 7, 1, 365) if care in stays else 7.0
                for care in CARE_TYPES
            },
            isolation_share=_number(raw, "isolation_share", 0, 0, 1),
        )
    stop = data.get("supply_stop") or {}
    assumptions = Assumptions(
        **{
            k: v
            for k, v in (data.get("assumptions") or {}).items()
            if k in Assumptions.__dataclass_fields__
        }
    )
    return Scenario(
        name=name,
        horizon_days=horizon,
        outages=tuple(outages),
        inflow=inflow,
        supply_stop_start_day=_number(stop, "start_day", 0, 0, horizon),
        supply_stop_days=_number(stop, "days", 0, 0, 365),
        staff_absence_pct=_number(data, "staff_absence_pct", 0, 0, 100),
        assumptions=assumptions,
    )


def description(preset_or_file: str) -> dict[str, Any]:
    """The JSON description of a preset (by its key) or of a JSON file."""
    if preset_or_file in PRESETS:
        return json.loads(json.dumps(PRESETS[preset_or_file]))
    path = Path(preset_or_file)
    if not path.is_file():
        known = ", ".join(PRESETS)
        raise ScenarioInvalid(f"Geen scenario {preset_or_file!r}: kies een bestand of {known}.")
    try:
        loaded = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise ScenarioInvalid(f"{path}: geen leesbare JSON ({exc}).") from exc
    if not isinstance(loaded, dict):
        raise ScenarioInvalid(f"{path}: verwacht een JSON-object.")
    return loaded
