"""The engine's ``Region`` from the database: each organisation's answers (of one round, or
its latest established self-assessment) and, during a crisis, its latest status report.

Read in a fixed number of queries for any number of organisations. What an organisation did
not answer stays NaN: the engine reports it as a blind spot.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from typing import Any

import numpy as np
from django.utils import timezone

from weerbaar.assessments.models import AnswerValue, Assessment, AssessmentState, Round
from weerbaar.organisations.models import Location, Organisation, Region
from weerbaar.scoring.themes import SCORED_STATES

from .engine import CARE_TYPES, STOCKS
from .engine import Region as EngineRegion
from .models import PowerDependentClients

KADER = "kader-weerbare-zorg"

NUMBERS: dict[str, tuple[str, int]] = {
    "noodstroom_uren": ("power_hours", -1),
    "drinkwater_uren": ("water_hours", -1),
    "voorraad_nutsvoorzieningen_dagen": ("stock_days", STOCKS.index("utilities_stock")),
    "voorraad_middelen_materialen_dagen": ("stock_days", STOCKS.index("materials")),
    "voorraad_medicatie_dagen": ("stock_days", STOCKS.index("medication")),
    "voorraad_kritieke_middelen_dagen": ("stock_days", STOCKS.index("critical")),
    "bedden_ic": ("beds", CARE_TYPES.index("ic")),
    "bedden_heelkunde_trauma": ("beds", CARE_TYPES.index("trauma")),
    "bedden_neurochirurgie": ("beds", CARE_TYPES.index("neuro")),
    "bedden_revalidatie": ("beds", CARE_TYPES.index("rehab")),
    "isolatie_units": ("isolation", -1),
    "bezettingsgraad_isolatie_units": ("isolation_occupancy", -1),
}
"""Answer part key → (engine array, column). Hours, days of stock and beds of the Kader."""

REPORTS_VALID = datetime.timedelta(hours=72)
"""A status report older than this is not used: the situation has moved on."""

RATIONING_ITEM = "UV-02"
RATIONING_FROM = 3
"""A rationing plan counts from maturity level 3 (*Geregeld*: written down and known)."""


@dataclass
class Loaded:
    region: EngineRegion
    organisations: list[Organisation]
    source: str  # what the figures come from, for the screens and the report
    reports_used: int = 0


def _assessments(region: Region, round_: Round | None) -> dict[int, int]:
    """organisation → the assessment its figures come from."""
    if round_ is not None:
        rows = Assessment.all_objects.filter(round=round_, state__in=SCORED_STATES)
        return dict(rows.values_list("organisation_id", "pk"))
    found: dict[int, int] = {}
    for org_id, pk in (
        Assessment.all_objects.filter(
            organisation__region=region,
            round__framework__slug=KADER,
            state=AssessmentState.FINAL,
        )
        .order_by("organisation_id", "-finalised_at", "-pk")
        .values_list("organisation_id", "pk")
    ):
        found.setdefault(org_id, pk)
    return found


def load(region: Region, round_: Round | None = None, *, use_reports: bool = False) -> Loaded:
    """The region's organisations as the engine needs them."""
    organisations = list(
        Organisation.objects.filter(region=region, is_active=True).order_by(
            "name"
        )  # scoped: the caller holds the region
    )
    index = {o.pk: i for i, o in enumerate(organisations)}
    n = len(organisations)
    arrays: dict[str, Any] = {
        "power_hours": np.full(n, np.nan),
        "water_hours": np.full(n, np.nan),
        "stock_days": np.full((n, len(STOCKS)), np.nan),
        "beds": np.full((n, len(CARE_TYPES)), np.nan),
        "isolation": np.full(n, np.nan),
        "isolation_occupancy": np.full(n, np.nan),
    }
    rationing = np.full(n, np.nan)
    assessments = _assessments(region, round_)
    by_assessment = {pk: index[org] for org, pk in assessments.items() if org in index}
    for assessment_id, key, number in AnswerValue.objects.filter(
        answer__assessment_id__in=list(by_assessment),
        answer__not_applicable=False,
        part__key__in=list(NUMBERS),
        number__isnull=False,
    ).values_list("answer__assessment_id", "part__key", "number"):
        if number is None:
            continue
        name, column = NUMBERS[key]
        value = float(number)
        if name == "isolation_occupancy":
            value /= 100.0
        target = arrays[name]
        if column < 0:
            target[by_assessment[assessment_id]] = value
        else:
            target[by_assessment[assessment_id], column] = value
    for assessment_id, maturity in AnswerValue.objects.filter(
        answer__assessment_id__in=list(by_assessment),
        answer__item__code=RATIONING_ITEM,
        part__key="maturity",
    ).values_list("answer__assessment_id", "maturity"):
        if maturity and maturity != "unknown":
            rationing[by_assessment[assessment_id]] = (
                1.0 if int(maturity) >= RATIONING_FROM else 0.0
            )

    municipalities: list[str] = []
    place: dict[str, int] = {}
    municipality = np.full(n, -1, dtype=np.int64)
    for org_id, city in (
        Location.objects.filter(organisation__in=organisations)  # scoped: the same region
        .exclude(city="")
        .order_by("organisation_id", "pk")
        .values_list("organisation_id", "city")
    ):
        key = city.strip().lower()
        if key not in place:
            place[key] = len(municipalities)
            municipalities.append(city.strip())
        if municipality[index[org_id]] < 0:
            municipality[index[org_id]] = place[key]

    groups = []
    for city, count, battery in PowerDependentClients.objects.filter(  # scoped: the region
        organisation__in=organisations
    ).values_list("municipality", "count", "battery_hours"):
        key = city.strip().lower()
        if key not in place:
            place[key] = len(municipalities)
            municipalities.append(city.strip())
        groups.append((place[key], float(count), float(battery)))
    clients = np.array(groups, dtype=float).reshape(-1, 3)

    used = 0
    if use_reports:
        used = _apply_reports(organisations, index, arrays)
    source = f"{round_.title}" if round_ is not None else "laatst vastgestelde zelfevaluaties"
    return Loaded(
        EngineRegion(
            names=[o.name for o in organisations],
            rationing=rationing,
            municipality=municipality,
            municipalities=municipalities,
            clients=clients,
            **arrays,
        ),
        organisations,
        source,
        used,
    )


def _apply_reports(
    organisations: list[Organisation], index: dict[int, int], arrays: dict[str, Any]
) -> int:
    """During a crisis: the latest real status report of each organisation (of the last
    ``REPORTS_VALID``) replaces its answers where it gives a figure — the hours left now
    (less the hours since the report) and the beds available now. An older report says
    nothing about now: the answers stand."""
    from weerbaar.crisis.models import StatusReport

    now = timezone.now()
    seen: set[int] = set()
    recent = now - REPORTS_VALID
    for report in StatusReport.objects.filter(  # scoped: the caller holds the region
        organisation__in=organisations, is_exercise=False, reported_at__gte=recent
    ).order_by("organisation_id", "-reported_at", "-pk"):
        if report.organisation_id in seen:
            continue
        seen.add(report.organisation_id)
        i = index[report.organisation_id]
        since = (now - report.reported_at).total_seconds() / 3600
        for name, value in (
            ("power_hours", report.power_hours),
            ("water_hours", report.water_hours),
        ):
            if value is not None:
                arrays[name][i] = max(0.0, float(value) - since)
        for column, field_name in enumerate(
            ("beds_ic", "beds_trauma", "beds_neurosurgery", "beds_rehabilitation")
        ):
            value = getattr(report, field_name)
            if value is not None:
                arrays["beds"][i, column] = float(value)
        if report.beds_isolation is not None:
            arrays["isolation"][i] = float(report.beds_isolation)
            arrays["isolation_occupancy"][i] = 0.0  # the report gives the free ones
    return len(seen)
