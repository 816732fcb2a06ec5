"""Scenarios from the seeds, and reading a scenario from a JSON description.

The presets' casualty numbers are example values for one region, to be edited in a copy; the
seeds give the situations, not the numbers:

* *Sabotage op de stroom tijdens opvang van gewonde militairen* — seed 000: "uitval van
  elektriciteit door sabotage tijdens opvang van groot aantal gewonde militairen vanuit
  Oekraïens front"; all of them isolated for 24 hours first (ZC-05).
* *72 uur regionale stroomuitval* — a long utility outage (Zorgcontinuïteit in Balans, D5).
* *Twee weken geen medicijnen* — a supply stop (D6, Logistieke stagnatie).
* *Uitbraak met 20 % personeelsuitval* — an infectious outbreak (D7) with staff shortage (D4).
* *Nog 48 uur zonder stroom (tijdens een crisis)* — day two of a power cut: run on the latest
  status reports (the hours each organisation has left now), "if this lasts 48 more hours,
  who runs out?" The crisis picture links to it.
"""

from __future__ import annotations

import json
import math
from pathlib import Path
from typing import Any

from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from weerbaar.ids import parse_id

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
    "nog-48-uur-zonder-stroom": {
        "name": "Nog 48 uur zonder stroom (tijdens een crisis)",
        "horizon_days": 4,
        "outages": [{"kind": "power", "start_hour": 0, "duration_hours": 48}],
    },
    "uitbraak-20-procent": {
        "name": "Uitbraak met 20 % personeelsuitval",
        "horizon_days": 30,
        "staff_absence_pct": 20,
        "inflow": {
            "days": 21,
            "per_day": {"ic": 2, "trauma": 0, "neuro": 0, "rehab": 0, "isolation": 6},
            "length_of_stay": {"ic": 12, "trauma": 7, "neuro": 14, "rehab": 21, "isolation": 10},
            "isolation_share": 1.0,
        },
    },
}

PRESET_TITLES = {
    "sabotage-stroom-militairen": _("Sabotage op de stroom tijdens opvang van gewonde militairen"),
    "stroomuitval-72-uur": _("72 uur regionale stroomuitval"),
    "medicijnstop-2-weken": _("Twee weken geen medicijnen"),
    "uitbraak-20-procent": _("Uitbraak met 20 % personeelsuitval"),
    "nog-48-uur-zonder-stroom": _("Nog 48 uur zonder stroom (tijdens een crisis)"),
}

KINDS = ("power", "water", "gas", "telecom")
HORIZON_LIMIT = 90
ASSUMPTION_LIMITS = {
    "rationing_stretch": (1, 10),
    "plan_level": (0, 4),
    "absence_bed_share": (0, 5),
    "isolation_hours": (0, 720),
    "improvement_hours": (1, 720),
    "improvement_days": (1, 365),
}
"""The range each numeric assumption may take in a scenario."""


class ScenarioInvalid(ValueError):
    """A scenario description that cannot be used (Dutch message)."""


def _number(data: dict[str, Any], key: str, default: float, low: float, high: float) -> float:
    value = data.get(key, default)
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise ScenarioInvalid(gettext("%(field)s: verwacht een getal.") % {"field": key})
    if isinstance(value, float) and math.isnan(value):
        raise ScenarioInvalid(gettext("%(field)s: verwacht een getal.") % {"field": key})
    if not low <= value <= high:  # also a 400-digit integer and an infinity
        raise ScenarioInvalid(
            gettext("%(field)s: tussen %(low)s en %(high)s.")
            % {"field": key, "low": f"{low:g}", "high": f"{high:g}"}
        )
    return float(value)


def _object(value: Any, field: str) -> dict[str, Any]:
    if value is None:
        return {}
    if not isinstance(value, dict):
        raise ScenarioInvalid(gettext("%(field)s: verwacht een JSON-object.") % {"field": field})
    return value


def _list(value: Any, field: str) -> list[Any]:
    if value is None:
        return []
    if not isinstance(value, list):
        raise ScenarioInvalid(gettext("%(field)s: verwacht een lijst.") % {"field": field})
    return value


def scenario_from(data: Any, *, index: dict[str, Any] | None = None) -> Scenario:
    """A ``Scenario`` from its JSON description (a preset, a file, an API body, a form);
    ``index`` maps organisation ids and municipality names to the engine's indexes. Raises
    ``ScenarioInvalid`` with a Dutch message for anything it cannot use."""
    if not isinstance(data, dict):
        raise ScenarioInvalid(gettext("Verwacht een JSON-object."))
    name = str(data.get("name") or "Scenario").strip()[:200]
    horizon = int(_number(data, "horizon_days", 30, 1, HORIZON_LIMIT))
    hours = horizon * 24
    outages = []
    for n, raw in enumerate(_list(data.get("outages"), "outages")):
        if not isinstance(raw, dict) or raw.get("kind") not in KINDS:
            raise ScenarioInvalid(
                gettext(
                    "Uitval %(n)s: kies stroom, water, gas of telecom (power, water, gas, telecom)."
                )
                % {"n": n + 1}
            )
        organisations: tuple[int, ...] = ()
        municipalities: tuple[int, ...] = ()
        lookup = (index or {}).get("organisations", {})
        for given in _list(raw.get("organisations"), "organisations"):
            pk = parse_id(given) if not isinstance(given, float) else None
            if pk is None or pk not in lookup:
                raise ScenarioInvalid(
                    gettext("Uitval %(n)s: onbekende organisatie.") % {"n": n + 1}
                )
            organisations += (lookup[pk],)
        places = (index or {}).get("municipalities", {})
        for place in _list(raw.get("municipalities"), "municipalities"):
            key = str(place).strip().lower()
            if key not in places:
                raise ScenarioInvalid(
                    gettext("Uitval %(n)s: onbekende gemeente %(place)s.")
                    % {"n": n + 1, "place": str(place)[:100]}
                )
            municipalities += (places[key],)
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
        raw = _object(data["inflow"], "inflow")
        days = int(_number(raw, "days", horizon, 0, horizon))
        given = _object(raw.get("per_day"), "inflow.per_day")
        per_day: dict[str, tuple[float, ...]] = {}
        for care in CARE_TYPES:
            value = given.get(care, 0)
            field = f"inflow.per_day.{care}"
            if isinstance(value, list):
                per_day[care] = tuple(
                    _number({field: v}, field, 0, 0, 100_000) for v in value[:horizon]
                )
            else:
                per_day[care] = (_number({field: value}, field, 0, 0, 100_000),) * days
        stays = _object(raw.get("length_of_stay"), "inflow.length_of_stay")
        inflow = Inflow(
            per_day=per_day,
            length_of_stay={care: _number(stays, care, 7, 1, 365) for care in CARE_TYPES},
            isolation_share=_number(raw, "isolation_share", 0, 0, 1),
        )
    stop = _object(data.get("supply_stop"), "supply_stop")
    return Scenario(
        name=name,
        horizon_days=horizon,
        outages=tuple(outages),
        inflow=inflow,
        supply_stop_start_day=_number(stop, "start_day", 0, 0, horizon),
        supply_stop_days=_number(stop, "days", 0, 0, 365),
        staff_absence_pct=_number(data, "staff_absence_pct", 0, 0, 100),
        assumptions=_assumptions(_object(data.get("assumptions"), "assumptions")),
    )


def _assumptions(raw: dict[str, Any]) -> Assumptions:
    values: dict[str, Any] = {}
    for name, value in raw.items():
        if name not in Assumptions.__dataclass_fields__:
            raise ScenarioInvalid(
                gettext("assumptions: onbekende aanname %(name)s.") % {"name": str(name)[:60]}
            )
        default = getattr(Assumptions, name)
        if isinstance(default, bool):
            if not isinstance(value, bool):
                raise ScenarioInvalid(
                    gettext("assumptions.%(name)s: verwacht true of false.") % {"name": name}
                )
            values[name] = value
            continue
        low, high = ASSUMPTION_LIMITS[name]
        number = _number(raw, name, default, low, high)
        values[name] = int(number) if isinstance(default, int) else number
    return Assumptions(**values)


def description(preset_or_file: str) -> dict[str, Any]:
    """The JSON description of a preset (by its key) or of a JSON file."""
    if preset_or_file in PRESETS:
        return json.loads(json.dumps(PRESETS[preset_or_file]))
    path = Path(preset_or_file)
    if not path.is_file():
        known = ", ".join(PRESETS)
        raise ScenarioInvalid(
            gettext("Geen scenario %(name)s: kies een bestand of %(known)s.")
            % {"name": repr(preset_or_file), "known": known}
        )
    try:
        loaded = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise ScenarioInvalid(
            gettext("%(path)s: geen leesbare JSON (%(error)s).") % {"path": path, "error": exc}
        ) from exc
    if not isinstance(loaded, dict):
        raise ScenarioInvalid(gettext("%(field)s: verwacht een JSON-object.") % {"field": path})
    return loaded
