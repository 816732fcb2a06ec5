"""The scenario engine: small cases computed by hand, and properties that must hold for any
region — more capacity never makes it worse, a longer outage never makes it better,
spreading never places more patients than there are beds, unknown answers are blind spots."""

from __future__ import annotations

import math

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from weerbaar.scenarios.engine import (
    CARE_TYPES,
    STOCKS,
    Assumptions,
    Inflow,
    Outage,
    Region,
    Scenario,
    run,
)

NAN = math.nan


def region(
    power=(NAN,),
    water=None,
    rationing=None,
    beds=None,
    isolation=None,
    stock=None,
    municipality=None,
    clients=None,
) -> Region:
    n = len(power)
    return Region(
        names=[f"org {i}" for i in range(n)],
        power_hours=np.array(power, dtype=float),
        rationing=np.array(rationing if rationing is not None else [0.0] * n, dtype=float),
        water_hours=np.array(water if water is not None else [NAN] * n, dtype=float),
        stock_days=np.array(stock if stock is not None else [[NAN] * 4] * n, dtype=float),
        beds=np.array(beds if beds is not None else [[0.0] * 4] * n, dtype=float),
        isolation=np.array(isolation if isolation is not None else [0.0] * n, dtype=float),
        isolation_occupancy=np.zeros(n),
        municipality=np.array(municipality if municipality is not None else [0] * n),
        municipalities=["Zwolle", "Kampen"],
        clients=np.array(clients if clients is not None else np.zeros((0, 3)), dtype=float),
    )


def power_cut(hours: float, start: float = 0, **kwargs) -> Scenario:
    return Scenario(
        name="test",
        horizon_days=kwargs.pop("horizon_days", 10),
        outages=(Outage("power", start, hours, **kwargs),),
    )


def test_one_organisation_runs_out_of_power_at_its_endurance() -> None:
    result = run(region(power=[48.0]), power_cut(72, start=6))
    assert result.runs_out["power"][0] == 54.0  # 6 + 48
    assert result.endurance_hours == 54.0
    assert result.weakest == [(0, "power", 54.0)]
    assert run(region(power=[48.0]), power_cut(24)).runs_out["power"][0] == math.inf  # holds


def test_a_rationing_plan_stretches_the_diesel_by_the_named_factor() -> None:
    result = run(region(power=[48.0], rationing=[3.0]), power_cut(100))
    assert result.runs_out["power"][0] == 48.0 * Assumptions().rationing_stretch
    tighter = Scenario(
        name="t",
        outages=(Outage("power", 0, 100),),
        assumptions=Assumptions(rationing_stretch=1.2),
    )
    assert run(region(power=[48.0], rationing=[3.0]), tighter).runs_out["power"][0] == (
        pytest.approx(57.6)
    )


def test_unknown_power_is_a_blind_spot_never_zero_or_infinite() -> None:
    result = run(region(power=[NAN, 30.0]), power_cut(72))
    assert math.isnan(result.runs_out["power"][0])
    assert result.blind_spots == [(0, "power")]
    assert result.endurance_hours == 30.0  # from what is known
    assert [w[0] for w in result.weakest] == [1]


def test_an_outage_of_one_municipality_touches_only_it() -> None:
    r = region(power=[10.0, 10.0], municipality=[0, 1])
    result = run(r, power_cut(48, municipalities=(1,)))
    assert result.runs_out["power"][0] == math.inf and not result.affected["power"][0]
    assert result.runs_out["power"][1] == 10.0


def test_a_supply_stop_empties_the_shortest_stock_first() -> None:
    stock = [[20.0, 5.0, 3.0, NAN]]
    scenario = Scenario(name="s", horizon_days=30, supply_stop_start_day=2, supply_stop_days=14)
    result = run(region(power=[NAN], stock=stock), scenario)
    assert result.runs_out["utilities_stock"][0] == math.inf  # 20 days > 14
    assert result.runs_out["materials"][0] == (2 + 5) * 24
    assert result.runs_out["medication"][0] == (2 + 3) * 24
    assert (0, "critical") in result.blind_spots
    assert result.weakest[0] == (0, "medication", 120.0)


def test_casualties_fill_the_hospitals_by_free_capacity_and_overflow_is_counted() -> None:
    # Two hospitals with 6 and 2 IC beds; 4 IC casualties a day, staying 3 days.
    r = region(power=[NAN, NAN], beds=[[6, 0, 0, 0], [2, 0, 0, 0]])
    scenario = Scenario(
        name="c",
        horizon_days=5,
        inflow=Inflow(per_day={"ic": (4.0,) * 5}, length_of_stay={"ic": 3}),
    )
    result = run(r, scenario)
    ic = CARE_TYPES.index("ic")
    assert list(result.demand[:, ic]) == [4, 4, 4, 4, 4]
    # Day 0: 4 placed (3 and 1); day 1: 4 more; day 2: 0 beds left → all 4 elsewhere.
    assert list(result.overflow[:, ic]) == [0, 0, 4, 0, 0]
    assert result.placed[0, :, ic].tolist() == [3.0, 1.0]
    assert result.placed[1, :, ic].sum() == 8
    assert result.first_shortfall()["ic"] == (2, 4.0)
    assert result.full_day[:, ic].tolist() == [1, 1]  # both full on day 1: spread by free beds
    assert result.full_day[:, CARE_TYPES.index("trauma")].tolist() == [-1, -1]  # no beds


def test_a_hospital_without_power_takes_no_more_casualties() -> None:
    r = region(power=[30.0, NAN], beds=[[10, 0, 0, 0], [10, 0, 0, 0]])
    scenario = Scenario(
        name="p",
        horizon_days=4,
        outages=(Outage("power", 0, 96),),
        inflow=Inflow(per_day={"ic": (2.0,) * 4}, length_of_stay={"ic": 10}),
    )
    result = run(r, scenario)
    ic = CARE_TYPES.index("ic")
    assert result.placed[0, :, ic].tolist() == [1.0, 1.0]  # day 0: both open
    # From day 1 (power out at hour 30) it takes no one new; its patient stays.
    assert result.placed[3, :, ic].tolist() == [1.0, 7.0]
    assert result.capacity[2, ic] == 10.0


def test_patients_isolated_for_their_stay_share_the_units_with_those_isolated_first() -> None:
    # 4 isolation units; 2 trauma casualties a day isolated for 24 h first, and 3 patients a
    # day who need isolation for their whole stay of 5 days.
    r = region(power=[NAN], beds=[[0, 50, 0, 0]], isolation=[4.0])
    scenario = Scenario(
        name="i",
        horizon_days=3,
        inflow=Inflow(
            per_day={"trauma": (2.0,) * 3, "isolation": (3.0,) * 3},
            length_of_stay={"trauma": 7, "isolation": 5},
            isolation_share=1.0,
        ),
    )
    result = run(r, scenario)
    iso = CARE_TYPES.index("isolation")
    # Day 0: the 2 isolated first take 2 units, 2 are left for the 3 → 1 elsewhere.
    assert result.placed[0, 0, iso] == 2.0 and result.overflow[0, iso] == 1.0
    assert result.isolation_held[0] == 2.0  # the units the isolated-first hold that day
    # Day 1: day 0's first-isolated have moved on to a bed after 24 hours; today's 2 take 2
    # units and the 2 staying patients the other 2: none free for the 3 new ones.
    assert result.isolation_overflow[1] == 0.0
    assert result.placed[1, 0, iso] == 2.0 and result.overflow[1, iso] == 3.0
    assert result.full_day[0, iso] == 0


def test_isolation_first_for_a_share_of_the_casualties() -> None:
    r = region(power=[NAN], beds=[[0, 50, 0, 0]], isolation=[3.0])
    scenario = Scenario(
        name="i",
        horizon_days=2,
        inflow=Inflow(per_day={"trauma": (5.0, 5.0)}, length_of_stay={}, isolation_share=1.0),
    )
    result = run(r, scenario)
    assert list(result.isolation_overflow) == [2.0, 2.0]  # 3 units, 24 h each


def test_power_dependent_clients_need_help_once_their_batteries_are_empty() -> None:
    # 40 clients in Zwolle whose devices hold 8 hours, 10 in Kampen holding 24 hours.
    r = region(power=[NAN], clients=[[0, 40, 8], [1, 10, 24]])
    result = run(r, power_cut(36, start=2, horizon_days=2))
    need = result.clients_in_need  # per hour and municipality (Zwolle, Kampen, unknown)
    assert need.shape == (48, 3)
    assert need[9, 0] == 0 and need[10, 0] == 40  # from hour 2 + 8
    assert need[25, 1] == 0 and need[26, 1] == 10
    assert need[38, 0] == 0  # power back after hour 38


def test_the_sensitivity_names_the_improvement_that_moves_the_endurance_most() -> None:
    result = run(region(power=[20.0, 30.0, 100.0]), power_cut(72))
    best = result.sensitivity[0]
    assert best[0] == 0 and best[1] == "power"
    assert best[2] == 30.0  # 24 more hours for org 0 → the region holds until org 1 fails
    assert [r[0] for r in result.sensitivity] == [0]  # improving org 1 alone moves nothing


def test_without_an_alternative_the_gas_is_gone_when_the_outage_starts() -> None:
    r = region(power=[NAN, NAN, NAN])
    r.gas_fallback = np.array([4.0, 1.0, NAN])  # UV-05: geborgd, in ontwikkeling, unknown
    gas = Scenario(name="gas", horizon_days=5, outages=(Outage("gas", 10, 48),))
    result = run(r, gas)
    assert result.runs_out["gas"][0] == math.inf  # an alternative holds
    assert result.runs_out["gas"][1] == 10.0  # none: gone at the start
    assert (2, "gas") in result.blind_spots  # unknown is reported, never assumed
    assert result.restored["gas"][1] == 58.0  # back when the outage ends
    strict = Scenario(
        name="gas",
        horizon_days=5,
        outages=(Outage("gas", 10, 48),),
        assumptions=Assumptions(plan_level=5),
    )
    assert run(r, strict).runs_out["gas"][0] == 10.0  # a plan counts from the named level
    assert result.sensitivity == [(1, "gas", math.inf)]  # an alternative: then it holds


def test_every_assumption_is_documented() -> None:
    documented = Assumptions.documented()
    assert {name for name, _v, _r in documented} == set(Assumptions.__dataclass_fields__)
    assert all(len(reason) > 20 for _n, _v, reason in documented)


# --- Properties ----------------------------------------------------------------------------

hours = st.floats(min_value=0, max_value=500, allow_nan=False)
maybe_hours = st.one_of(hours, st.just(NAN))
counts = st.floats(min_value=0, max_value=60, allow_nan=False)


@st.composite
def regions(draw):
    n = draw(st.integers(min_value=1, max_value=6))
    return region(
        power=draw(st.lists(maybe_hours, min_size=n, max_size=n)),
        water=draw(st.lists(maybe_hours, min_size=n, max_size=n)),
        rationing=draw(st.lists(st.sampled_from([0.0, 3.0, NAN]), min_size=n, max_size=n)),
        beds=[draw(st.lists(counts, min_size=4, max_size=4)) for _ in range(n)],
        isolation=draw(st.lists(counts, min_size=n, max_size=n)),
        stock=[draw(st.lists(maybe_hours, min_size=4, max_size=4)) for _ in range(n)],
        municipality=draw(st.lists(st.integers(0, 1), min_size=n, max_size=n)),
    )


@st.composite
def scenarios(draw, duration=None):
    days = draw(st.integers(min_value=1, max_value=8))
    inflow = Inflow(
        per_day={
            c: tuple(draw(st.lists(counts, min_size=days, max_size=days))) for c in CARE_TYPES
        },
        length_of_stay={c: draw(st.floats(1, 10)) for c in CARE_TYPES},
        isolation_share=draw(st.floats(0, 1)),
    )
    return Scenario(
        name="p",
        horizon_days=days,
        outages=(
            Outage(
                draw(st.sampled_from(["power", "water"])),
                draw(st.floats(0, days * 24)),
                duration if duration is not None else draw(hours),
            ),
        ),
        inflow=inflow,
        supply_stop_start_day=draw(st.floats(0, days)),
        supply_stop_days=draw(st.floats(0, 20)),
        staff_absence_pct=draw(st.floats(0, 100)),
    )


@settings(max_examples=60, deadline=None)
@given(regions(), scenarios(), st.floats(min_value=0, max_value=200))
def test_more_capacity_never_makes_the_result_worse(r, scenario, extra) -> None:
    before = run(r, scenario)
    bigger = region(
        power=list(r.power_hours + extra),
        water=list(r.water_hours + extra),
        rationing=list(r.rationing),
        beds=(r.beds + extra).tolist(),
        isolation=list(r.isolation + extra),
        stock=(r.stock_days + extra / 24).tolist(),
        municipality=list(r.municipality),
    )
    after = run(bigger, scenario)
    assert after.endurance_hours >= before.endurance_hours
    assert after.overflow.sum() <= before.overflow.sum() + 1e-6
    for name, hours_before in before.runs_out.items():
        known = ~np.isnan(hours_before)
        assert np.all(after.runs_out[name][known] >= hours_before[known] - 1e-9)


@settings(max_examples=60, deadline=None)
@given(regions(), st.floats(min_value=0, max_value=300), st.floats(min_value=0, max_value=300))
def test_a_longer_outage_never_makes_it_better(r, shorter, longer_by) -> None:
    short = run(r, power_cut(shorter, horizon_days=20))
    long = run(r, power_cut(shorter + longer_by, horizon_days=20))
    assert long.endurance_hours <= short.endurance_hours
    known = ~np.isnan(short.runs_out["power"])
    assert np.all(long.runs_out["power"][known] <= short.runs_out["power"][known])


@settings(max_examples=60, deadline=None)
@given(regions(), scenarios())
def test_spreading_never_places_more_patients_than_there_are_beds(r, scenario) -> None:
    result = run(r, scenario)
    staffed = 1 - min(100.0, scenario.staff_absence_pct) / 100
    # The bed types' beds, and for the isolation type the isolation units (none occupied here).
    beds = np.concatenate([np.nan_to_num(r.beds), np.nan_to_num(r.isolation)[:, None]], axis=1)
    beds = beds * staffed
    assert np.all(result.placed <= beds[None, :, :] + 1e-6)
    assert np.all(result.overflow >= -1e-9)
    admitted_total = result.demand.sum() - result.overflow.sum()
    assert admitted_total <= beds.sum() * scenario.horizon_days + 1e-6


@settings(max_examples=60, deadline=None)
@given(regions(), scenarios())
def test_unknown_answers_are_reported_as_blind_spots(r, scenario) -> None:
    result = run(r, scenario)
    blind = set(result.blind_spots)
    for name, hours_out in result.runs_out.items():
        for i in range(r.size):
            if result.affected[name][i] and math.isnan(hours_out[i]):
                assert (i, name) in blind
            if (i, name) in blind:
                assert all(w[:2] != (i, name) for w in result.weakest)
    unknown_power = np.isnan(r.power_hours)
    if scenario.outages[0].kind == "power":
        for i in np.nonzero(unknown_power & result.affected["power"])[0]:
            assert (int(i), "power") in blind


@pytest.mark.parametrize("stock", STOCKS)
def test_every_stock_is_named(stock) -> None:
    assert stock in run(region(), Scenario(name="x", supply_stop_days=1)).runs_out
