"""Benchmark of the scenario engine on a synthetic country: 3,000 organisations, 30 days at
hourly resolution, the heaviest preset (a week-long power cut while casualties arrive, all
isolated first) scaled to a country, with 20,000 groups of power-dependent clients at home.

Reports, each a median with its spread over several runs:

* ``scenario_ms``: one run of the engine, target ≤ 250 ms;
* ``scenario_ratio_numpy``: the same ÷ a bare NumPy lower bound measured in the same run —
  the arithmetic the engine cannot avoid (the run-out hours of six resources, a day-by-day
  placement of the casualties over the hospitals, the clients past their battery per hour),
  without any of its bookkeeping; target ≤ 3;
* ``scenario_peak_mb``: the peak memory of one run (tracemalloc), no target.

Needs no database (it runs in each database's pass of ``make bench``). Exits 1 when a
target is missed.
"""

from __future__ import annotations

import os
import statistics
import sys
import time
import tracemalloc
from collections.abc import Callable
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

from common import record  # noqa: E402

from weerbaar.scenarios.engine import (  # noqa: E402
    CARE_TYPES,
    Inflow,
    Outage,
    Region,
    Scenario,
    run,
)

ORGANISATIONS = 3000
MUNICIPALITIES = 340
CLIENT_GROUPS = 20_000
REPEAT = 9


def country(seed: int = 2026) -> Region:
    rng = np.random.default_rng(seed)
    n = ORGANISATIONS

    def some_unknown(values: np.ndarray, share: float) -> np.ndarray:
        values = values.astype(float)
        values[rng.random(values.shape) < share] = np.nan
        return values

    hospital = rng.random(n) < 0.04
    beds = np.where(hospital[:, None], rng.integers(0, 60, (n, 4)), 0)
    return Region(
        names=[f"Organisatie {i:04d}" for i in range(n)],
        power_hours=some_unknown(rng.integers(0, 200, n), 0.15),
        rationing=some_unknown(rng.integers(0, 5, n), 0.2),
        water_hours=some_unknown(rng.integers(0, 120, n), 0.15),
        stock_days=some_unknown(rng.integers(0, 40, (n, 4)), 0.2),
        beds=some_unknown(beds, 0.05),
        isolation=some_unknown(np.where(hospital, rng.integers(0, 20, n), 0), 0.05),
        isolation_occupancy=rng.random(n) * 0.8,
        gas_fallback=some_unknown(rng.integers(0, 5, n), 0.2),
        telecom_fallback=some_unknown(rng.integers(0, 5, n), 0.2),
        municipality=rng.integers(0, MUNICIPALITIES, n),
        municipalities=[f"Gemeente {m}" for m in range(MUNICIPALITIES)],
        clients=np.column_stack(
            [
                rng.integers(0, MUNICIPALITIES, CLIENT_GROUPS),
                rng.integers(1, 30, CLIENT_GROUPS),
                rng.integers(2, 48, CLIENT_GROUPS),
            ]
        ).astype(float),
    )


SCENARIO = Scenario(
    name="Sabotage op de stroom tijdens opvang van gewonde militairen (landelijk)",
    horizon_days=30,
    outages=(
        Outage("power", 0, 168),
        Outage("water", 24, 96),
        Outage("gas", 0, 72),
        Outage("telecom", 0, 48),
    ),
    inflow=Inflow(
        per_day={"ic": (60.0,) * 14, "trauma": (250.0,) * 14, "neuro": (40.0,) * 14},
        length_of_stay={"ic": 10, "trauma": 7, "neuro": 14, "rehab": 21},
        isolation_share=1.0,
    ),
    supply_stop_start_day=2,
    supply_stop_days=14,
    staff_absence_pct=10,
)


def lower_bound(region: Region, scenario: Scenario) -> object:
    """The unavoidable arithmetic of the same run, in bare NumPy."""
    hours = scenario.horizon_hours
    out = []
    for endurance, outage in ((region.power_hours, 168.0), (region.water_hours, 96.0)):
        out.append(np.where(outage > endurance, endurance, np.inf))
    for level in (region.gas_fallback, region.telecom_fallback):
        assert level is not None
        out.append(np.where(level >= 3, np.inf, 0.0))
    for k in range(4):
        out.append(np.where(region.stock_days[:, k] < 14, region.stock_days[:, k] * 24, np.inf))
    iso = np.nan_to_num(region.isolation) * 0.9  # 10 % absence
    beds = np.concatenate([np.nan_to_num(region.beds) * 0.9, iso[:, None]], axis=1)
    days, n = scenario.horizon_days, region.size
    admitted = np.zeros((days, n, len(CARE_TYPES)))
    occupied = np.zeros((n, len(CARE_TYPES)))
    stay = np.array([10, 7, 14, 21, 1])
    demand = np.array([60.0, 250.0, 40.0, 0.0, 0.0])
    iso_taken = np.zeros(n)
    for d in range(days):
        for j in range(len(CARE_TYPES)):  # discharges of the day
            if d >= stay[j]:
                occupied[:, j] -= admitted[d - stay[j], :, j]
        free = np.maximum(beds - occupied, 0)
        total = free.sum(axis=0)
        today = demand if d < 14 else np.zeros(5)
        iso_free = np.maximum(iso - occupied[:, 4] - iso_taken, 0)
        iso_taken = iso_free * min(1.0, today.sum() / max(iso_free.sum(), 1e-9))
        admitted[d] = np.divide(free, total, out=np.zeros_like(free), where=total > 0) * np.minimum(
            today, total
        )
        occupied += admitted[d]
    places = len(region.municipalities) + 1
    diff = np.zeros((hours + 1, places))
    place = region.clients[:, 0].astype(np.int64)
    np.add.at(diff, (region.clients[:, 2].astype(np.int64), place), region.clients[:, 1])
    np.add.at(diff, (np.full(len(place), 168), place), -region.clients[:, 1])
    return out, admitted, np.cumsum(diff, axis=0)


def samples(fn: Callable[[], object], repeat: int = REPEAT) -> list[float]:
    found = []
    for _ in range(repeat):
        start = time.perf_counter()
        fn()
        found.append((time.perf_counter() - start) * 1000)
    return found


def main() -> int:
    region = country()
    run(region, SCENARIO)  # warm up
    engine = samples(lambda: run(region, SCENARIO))
    bare = samples(lambda: lower_bound(region, SCENARIO))
    tracemalloc.start()
    run(region, SCENARIO)
    _current, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    ms = statistics.median(engine)
    ratio = ms / statistics.median(bare)
    figures = {
        "scenario_ms": round(ms, 1),
        "scenario_ms_spread": f"{min(engine):.1f}–{max(engine):.1f}",
        "scenario_ratio_numpy": round(ratio, 2),
        "scenario_numpy_ms": round(statistics.median(bare), 1),
        "scenario_peak_mb": round(peak / 2**20, 1),
    }
    # The engine reads no database; it is measured in each run of ``make bench`` all the same.
    record("postgresql" if os.environ.get("DATABASE_URL") else "sqlite", figures)
    for key, value in figures.items():
        print(f"{key}: {value}")
    missed = [
        f"scenario_ms {ms:.1f} > 250" if ms > 250 else "",
        f"scenario_ratio_numpy {ratio:.2f} > 3" if ratio > 3 else "",
    ]
    missed = [m for m in missed if m]
    for miss in missed:
        print("MISSED:", miss)
    return 1 if missed else 0


if __name__ == "__main__":
    sys.exit(main())
