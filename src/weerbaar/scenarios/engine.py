"""The scenario engine: who runs out of what, when — for a whole region at once.

Pure NumPy over arrays of organisations; no database, no Django. ``Region`` holds what the
answers (and, during a crisis, the status reports) say, one entry per organisation, NaN where
it is unknown. ``Scenario`` says what happens. ``run`` returns per organisation and resource the
hour it runs out (or that it holds), the region's bed demand against its capacity per day and
care type after spreading the casualties over the hospitals by free capacity, the region's
endurance, the weakest links, the blind spots and a sensitivity ranking.

Every assumption is a named field of ``Assumptions`` with its reason; nothing is a hidden
constant. Unknown figures are never treated as zero or as infinite: an organisation whose
figure is unknown is a blind spot for that resource, and it is left out of the endurance (the
result says how many were left out).
"""

from __future__ import annotations

from dataclasses import dataclass, field, fields
from typing import Any

import numpy as np
import numpy.typing as npt

Floats = npt.NDArray[np.float64]
Bools = npt.NDArray[np.bool_]

HOLDS = np.inf  # "runs out" at infinity: it holds beyond the horizon

BED_TYPES = ("ic", "trauma", "neuro", "rehab")
"""Casualty care types with beds in the Kader (ZC-02): the columns of ``Region.beds``."""
CARE_TYPES = (*BED_TYPES, "isolation")
"""The care types of the inflow: the bed types, and patients who need an isolation unit for
their whole stay (ZC-06: its units less their regular occupancy). Apart from those, a share
of the other casualties needs an isolation unit first (``Inflow.isolation_share``); both
take the same units."""

UTILITIES = ("power", "water", "gas", "telecom")
HOURS = ("power", "water")  # utilities an organisation holds for a number of hours
FALLBACKS = ("gas", "telecom")  # utilities an organisation holds with an alternative, or not
STOCKS = ("utilities_stock", "materials", "medication", "critical")
RESOURCES = (*UTILITIES, *STOCKS)
WEAKEST = 200  # how many of the first failures a result lists


@dataclass(frozen=True)
class Assumptions:
    """The engine's parameters, each shown in the UI and the report with its reason."""

    rationing_stretch: float = 1.5
    """A rationing plan for diesel (UV-02 at least at the plan level) makes the emergency
    power last this many times longer: non-critical loads are switched off."""

    plan_level: int = 3
    """A plan counts from this maturity level (3, *Geregeld*: written down and known): the
    rationing plan for diesel (UV-02), the alternatives when the gas stops (UV-05) and the
    emergency communication (CY-03). Without alternatives an organisation loses its
    gas-dependent processes (heating, kitchen, sterilisation), or its telephony and IT, as
    soon as the outage starts; with them it holds."""

    absence_bed_share: float = 1.0
    """Each % of staff absence takes this many % of the staffed beds out of use."""

    isolation_hours: int = 24
    """Casualties who need isolation first stay this long in an isolation unit before they
    go on to a bed (seed 000: "minimaal 24 uur op een 1-persoonskamer")."""

    power_loss_closes_beds: bool = True
    """An organisation that runs out of emergency power during an outage takes no more
    casualties from that day on."""

    improvement_hours: float = 24.0
    """The step of the sensitivity view for power and water: 24 more hours."""

    improvement_days: float = 7.0
    """The step of the sensitivity view for stocks: 7 more days."""

    @classmethod
    def documented(cls) -> list[tuple[str, Any, str]]:
        """(name, value, reason) of every assumption, for the screens and the report."""
        import inspect

        source = inspect.getsource(cls)
        result = []
        for f in fields(cls):
            start = source.index(f"    {f.name}:")
            doc_start = source.index('"""', start) + 3
            doc = " ".join(source[doc_start : source.index('"""', doc_start)].split())
            result.append((f.name, f.default, doc))
        return result


@dataclass
class Region:
    """What is known of N organisations (NaN: unknown)."""

    names: list[str]
    power_hours: Floats  # hours on emergency power (UV-01)
    rationing: Floats  # maturity level of the diesel rationing plan, NaN unknown (UV-02)
    water_hours: Floats  # hours of water after the supply stops (UV-03)
    stock_days: Floats  # (N, 4): utilities, materials, medication, critical (UV-08, VR-02)
    beds: Floats  # (N, 4): IC, trauma, neuro, rehab beds for casualties (ZC-02), BED_TYPES
    isolation: Floats  # (N,): isolation units (ZC-06)
    isolation_occupancy: Floats  # (N,): their regular occupancy, 0..1 (ZC-06)
    municipality: npt.NDArray[np.int64]  # (N,): index into ``municipalities``; -1 unknown
    municipalities: list[str] = field(default_factory=list)
    clients: Floats = field(default_factory=lambda: np.zeros((0, 3)))
    """(M, 3): per group of power-dependent clients at home — municipality index, count,
    hours their devices hold on battery."""
    gas_fallback: Floats | None = None  # maturity level of the alternatives for gas (UV-05)
    telecom_fallback: Floats | None = None  # of the emergency communication (CY-03)

    def __post_init__(self) -> None:
        n = len(self.names)
        if self.gas_fallback is None:
            self.gas_fallback = np.full(n, np.nan)
        if self.telecom_fallback is None:
            self.telecom_fallback = np.full(n, np.nan)

    @property
    def size(self) -> int:
        return len(self.names)


@dataclass(frozen=True)
class Outage:
    kind: str  # power, water, gas, telecom
    start_hour: float
    duration_hours: float
    organisations: tuple[int, ...] = ()  # indexes; empty with no municipalities: everyone
    municipalities: tuple[int, ...] = ()


@dataclass(frozen=True)
class Inflow:
    """Casualties per day by care type, with length of stay (days) and the share that needs
    isolation first."""

    per_day: dict[str, tuple[float, ...]]  # care type → admissions on day 0, 1, …
    length_of_stay: dict[str, float]
    isolation_share: float = 0.0


@dataclass(frozen=True)
class Scenario:
    name: str
    horizon_days: int = 30
    outages: tuple[Outage, ...] = ()
    inflow: Inflow | None = None
    supply_stop_start_day: float = 0.0
    supply_stop_days: float = 0.0
    staff_absence_pct: float = 0.0
    assumptions: Assumptions = Assumptions()

    @property
    def horizon_hours(self) -> int:
        return self.horizon_days * 24


@dataclass
class Result:
    scenario: Scenario
    runs_out: dict[str, Floats]  # resource → (N,) hour it runs out; inf holds; nan unknown
    affected: dict[str, Bools]  # resource → (N,) does the scenario touch it?
    restored: dict[str, Floats]  # resource → (N,) hour the supply is back (end of the outage)
    demand: Floats  # (D, 4) casualties needing a bed per day and care type
    capacity: Floats  # (D, 4) beds in use-able capacity per day and type (region)
    placed: Floats  # (D, N, 4) patients in each organisation's beds per day
    overflow: Floats  # (D, 4) patients per day who need another region
    isolation_overflow: Floats  # (D,) who needed isolation and found none
    full_day: npt.NDArray[np.int64]  # (N, K) first day each organisation's beds are full; -1
    isolation_held: Floats  # (D,) isolation units held by casualties isolated first, per day
    endurance_hours: float  # first critical failure (inf: the region holds)
    weakest: list[tuple[int, str, float]]  # the first WEAKEST failures (org, resource, hour)
    blind_spots: list[tuple[int, str]]  # (organisation, resource) unknown where it matters
    sensitivity: list[tuple[int, str, float]]  # (organisation, resource, endurance after)
    clients_in_need: Floats  # (H, municipalities + 1) clients at home needing help per hour

    def first_shortfall(self) -> dict[str, tuple[int, float] | None]:
        """Per care type: the first day with patients the region cannot place, and how many."""
        found: dict[str, tuple[int, float] | None] = {}
        for k, name in enumerate(CARE_TYPES):
            days = np.nonzero(self.overflow[:, k] > 0)[0]
            found[name] = (int(days[0]), float(self.overflow[days[0], k])) if len(days) else None
        return found


def _mask(region: Region, outage: Outage) -> Bools:
    if not outage.organisations and not outage.municipalities:
        return np.ones(region.size, dtype=bool)
    mask = np.zeros(region.size, dtype=bool)
    if outage.organisations:
        mask[list(outage.organisations)] = True
    if outage.municipalities:
        mask |= np.isin(region.municipality, list(outage.municipalities))
    return mask


def _utility(
    region: Region, scenario: Scenario, kind: str, endurance: Floats
) -> tuple[Floats, Bools, Floats]:
    """The hour each organisation runs out of ``kind`` over all outages of it: the start of
    the outage plus its endurance, when the outage lasts longer; inf when it holds; NaN when
    the endurance is unknown and an outage touches it. Also the hour the supply is back: the
    end of the last outage that touches it."""
    runs_out = np.full(region.size, HOLDS)
    affected = np.zeros(region.size, dtype=bool)
    restored = np.zeros(region.size)
    for outage in scenario.outages:
        if outage.kind != kind:
            continue
        mask = _mask(region, outage)
        affected |= mask
        ends = outage.start_hour + endurance
        out = np.where(outage.duration_hours > endurance, ends, HOLDS)
        out = np.where(out < scenario.horizon_hours, out, HOLDS)
        runs_out = np.where(mask, np.fmin(runs_out, out), runs_out)  # fmin keeps the known
        runs_out = np.where(mask & np.isnan(endurance), np.nan, runs_out)
        back = outage.start_hour + outage.duration_hours
        restored = np.where(mask, np.maximum(restored, back), restored)
    return runs_out, affected, restored


def _stocks(
    region: Region, scenario: Scenario
) -> tuple[dict[str, Floats], dict[str, Bools], dict[str, Floats]]:
    runs_out: dict[str, Floats] = {}
    affected: dict[str, Bools] = {}
    back = (scenario.supply_stop_start_day + scenario.supply_stop_days) * 24
    restored = {name: np.full(region.size, back) for name in STOCKS}
    for k, name in enumerate(STOCKS):
        days = region.stock_days[:, k]
        touched = np.full(region.size, scenario.supply_stop_days > 0)
        hours = (scenario.supply_stop_start_day + days) * 24
        lasts = scenario.supply_stop_days > days
        out = np.where(lasts & (hours < scenario.horizon_hours), hours, HOLDS)
        out = np.where(touched & np.isnan(days), np.nan, np.where(touched, out, HOLDS))
        runs_out[name], affected[name] = out, touched
    return runs_out, affected, restored


def _spread(
    region: Region, scenario: Scenario, power_out: Floats
) -> tuple[Floats, Floats, Floats, Floats, Floats, npt.NDArray[np.int64], Floats]:
    """Place each day's casualties over the organisations by free capacity per care type, as
    patient distribution does; discharge them after their length of stay."""
    days, n, k = scenario.horizon_days, region.size, len(CARE_TYPES)
    a = scenario.assumptions
    staffed = 1.0 - min(100.0, scenario.staff_absence_pct * a.absence_bed_share) / 100.0
    iso_units = np.nan_to_num(region.isolation, nan=0.0) * staffed
    iso_free_share = 1.0 - np.nan_to_num(region.isolation_occupancy, nan=1.0)
    iso_capacity = iso_units * np.clip(iso_free_share, 0.0, 1.0)
    # Unknown beds place nobody; the last column: isolation units for the isolation type.
    beds = np.concatenate(
        [np.nan_to_num(region.beds, nan=0.0) * staffed, iso_capacity[:, None]], axis=1
    )
    iso = k - 1
    open_from = np.full(n, days, dtype=np.int64)
    if a.power_loss_closes_beds:
        finite = np.isfinite(power_out)
        open_from[finite] = (power_out[finite] // 24).astype(np.int64)
    day_index = np.arange(days)[:, None]
    is_open = day_index < open_from[None, :]  # (D, N)

    demand = np.zeros((days, k))
    placed = np.zeros((days, n, k))
    overflow = np.zeros((days, k))
    isolation_overflow = np.zeros(days)
    capacity = np.zeros((days, k))
    if scenario.inflow is None:
        none = np.full((n, k), -1)
        return demand, capacity, placed, overflow, isolation_overflow, none, np.zeros(days)
    inflow = scenario.inflow
    for j, name in enumerate(CARE_TYPES):
        series = inflow.per_day.get(name, ())
        demand[: min(days, len(series)), j] = series[:days]
    stay = np.array([max(1.0, inflow.length_of_stay.get(t, 1.0)) for t in CARE_TYPES])
    stay_days = np.ceil(stay).astype(np.int64)
    admitted = np.zeros((days, n, k))  # admissions per day (discharged after their stay)
    iso_days = max(1, int(np.ceil(a.isolation_hours / 24)))
    iso_admitted = np.zeros((days, n))
    occupied = np.zeros((n, k))  # running: admissions of the last ``stay`` days
    full_day = np.full((n, k), -1, dtype=np.int64)
    iso_taken = np.zeros(n)  # isolation units held by casualties isolated first
    iso_held = np.zeros(days)
    columns = np.arange(k)
    for d in range(days):
        leaving = d - stay_days  # per type: the day whose admissions go home today
        gone = leaving >= 0
        if gone.any():
            occupied[:, gone] -= admitted[leaving[gone], :, columns[gone]].T
        if d >= iso_days:
            iso_taken -= iso_admitted[d - iso_days]
        open_beds = beds * is_open[d][:, None]
        capacity[d] = open_beds.sum(axis=0)
        # Isolation first for a share of the casualties of the bed types of the day.
        iso_need = inflow.isolation_share * demand[d, :iso].sum()
        if iso_need > 0:
            iso_free = np.maximum(open_beds[:, iso] - occupied[:, iso] - iso_taken, 0.0)
            iso_total = iso_free.sum()
            placed_iso = min(iso_need, iso_total)
            if iso_total > 0:
                iso_admitted[d] = iso_free * (placed_iso / iso_total)
                iso_taken += iso_admitted[d]
            isolation_overflow[d] = iso_need - placed_iso
        held = occupied.copy()
        held[:, iso] += iso_taken  # the units of those isolated first are not free
        free = np.maximum(open_beds - held, 0.0)
        total_free = free.sum(axis=0)  # (K,)
        to_place = np.minimum(demand[d], total_free)
        share = np.divide(free, total_free, out=np.zeros_like(free), where=total_free > 0)
        admitted[d] = share * to_place
        overflow[d] = demand[d] - to_place
        occupied += admitted[d]
        placed[d] = occupied
        held = occupied.copy()
        held[:, iso] += iso_taken
        full = (open_beds > 0) & (held >= open_beds * (1 - 1e-9)) & (full_day < 0)
        full_day[full] = d
        iso_held[d] = iso_taken.sum()
    return demand, capacity, placed, overflow, isolation_overflow, full_day, iso_held


def _clients(region: Region, scenario: Scenario) -> Floats:
    """Per hour and municipality (the last column: municipality unknown): how many
    power-dependent clients at home are past their battery while their municipality has no
    power. Summed with a difference array, so memory grows with hours × municipalities, not
    with the number of client groups."""
    hours = scenario.horizon_hours
    places = len(region.municipalities) + 1
    need = np.zeros((hours, places))
    groups = region.clients
    if not len(groups):
        return need
    place = groups[:, 0].astype(np.int64)
    place = np.where(place >= 0, place, places - 1)
    count, battery = groups[:, 1], groups[:, 2]
    for outage in scenario.outages:
        if outage.kind != "power":
            continue
        if outage.organisations and not outage.municipalities:
            continue  # an outage of chosen organisations leaves homes with power
        touched = (
            np.isin(place, list(outage.municipalities))
            if outage.municipalities
            else np.ones(len(groups), dtype=bool)
        )
        first = np.ceil(outage.start_hour + battery).astype(np.int64)
        last = np.ceil(outage.start_hour + outage.duration_hours).astype(np.int64)
        counted = touched & (first < last) & (first < hours)
        diff = np.zeros((hours + 1, places))
        np.add.at(diff, (first[counted], place[counted]), count[counted])
        np.add.at(diff, (np.minimum(last, hours), place[counted]), -count[counted])
        need = np.maximum(need, np.cumsum(diff, axis=0)[:hours])
    return need


def run(region: Region, scenario: Scenario) -> Result:
    """Evaluate ``scenario`` against ``region``."""
    a = scenario.assumptions
    stretch = np.where(region.rationing >= a.plan_level, a.rationing_stretch, 1.0)
    power_endurance = region.power_hours * stretch
    runs_out: dict[str, Floats] = {}
    affected: dict[str, Bools] = {}
    restored: dict[str, Floats] = {}
    endurances = {"power": power_endurance, "water": region.water_hours}
    for kind, level in (("gas", region.gas_fallback), ("telecom", region.telecom_fallback)):
        assert level is not None
        # An alternative holds through any outage; none fails at its start; unknown is NaN.
        endurances[kind] = np.where(
            np.isnan(level), np.nan, np.where(level >= a.plan_level, HOLDS, 0.0)
        )
    for kind in UTILITIES:
        runs_out[kind], affected[kind], restored[kind] = _utility(
            region, scenario, kind, endurances[kind]
        )
    stock_out, stock_affected, stock_restored = _stocks(region, scenario)
    runs_out.update(stock_out)
    affected.update(stock_affected)
    restored.update(stock_restored)

    demand, capacity, placed, overflow, iso_overflow, full_day, iso_held = _spread(
        region, scenario, runs_out["power"]
    )

    hours = np.stack([runs_out[name] for name in RESOURCES])  # (R, N)
    touched = np.stack([affected[name] for name in RESOURCES])
    blind_r, blind_i = np.nonzero(touched & np.isnan(hours))
    blind = sorted(zip(blind_i.tolist(), [RESOURCES[r] for r in blind_r], strict=True))
    fail_r, fail_i = np.nonzero(touched & np.isfinite(hours))
    fail_h = hours[fail_r, fail_i]
    order = np.lexsort((fail_r, fail_i, fail_h))[:WEAKEST]
    weakest = [
        (int(fail_i[j]), RESOURCES[int(fail_r[j])], float(fail_h[j])) for j in order.tolist()
    ]
    endurance = weakest[0][2] if weakest else HOLDS
    sensitivity = _sensitivity(weakest, a)
    return Result(
        scenario=scenario,
        runs_out=runs_out,
        affected=affected,
        restored=restored,
        demand=demand,
        capacity=capacity,
        placed=placed,
        overflow=overflow,
        isolation_overflow=iso_overflow,
        full_day=full_day,
        isolation_held=iso_held,
        endurance_hours=endurance,
        weakest=weakest,
        blind_spots=blind,
        sensitivity=sensitivity,
        clients_in_need=_clients(region, scenario),
    )


def _sensitivity(
    weakest: list[tuple[int, str, float]], a: Assumptions
) -> list[tuple[int, str, float]]:
    """Which single improvement (one organisation, one resource, one step) would move the
    region's endurance most: the endurance after it, best first. Only the links that fail
    first can move it; the step is ``improvement_hours`` or ``improvement_days``, and for gas
    and telecom the alternative itself (then that link holds)."""
    if not weakest:
        return []
    first = weakest[0][2]
    second = weakest[1][2] if len(weakest) > 1 else HOLDS
    result = []
    for position, (i, name, hour) in enumerate(weakest[:20]):
        if name in FALLBACKS:
            step = HOLDS  # the improvement is the alternative itself: then it holds
        elif name in HOURS:
            step = a.improvement_hours
        else:
            step = a.improvement_days * 24
        others = second if position == 0 else first
        after = min(hour + step, others)
        if after > first:  # only what moves the region's first failure
            result.append((i, name, after))
    result.sort(key=lambda r: -r[2])
    return result[:10]
