"""The engine's ``Region`` from the database: each organisation's answers (of one round, or
its latest established self-assessment) and, during a crisis, its latest status report.

Read in a fixed number of queries for any number of organisations. What an organisation did
not answer stays NaN: the engine reports it as a blind spot.

A viewer who may not see every organisation's figures one by one (a region reader) gets a
run on what they may see, so that no result can give a hidden figure away: the utilities and
stocks of the organisations that share their answers with region readers; no organisation's
confidential casualty capacity, but the region's *released* capacity (``CapacityRelease``) as
one pooled row, or during a crisis the status reports (which are meant for the region);
power-dependent clients at home of hidden organisations only summed per municipality over at
least the region's minimum group size. The organisations left out are counted, never named.
"""

from __future__ import annotations

import copy
import datetime
from dataclasses import dataclass, field
from typing import Any

import numpy as np
from django.db.models import FloatField, Q
from django.db.models.functions import Cast
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from weerbaar.assessments.models import AnswerValue, Assessment, AssessmentState, Round
from weerbaar.disclosure.models import CapacityRelease
from weerbaar.disclosure.rules import confidential_visible, disclosable, visible_organisations
from weerbaar.frameworks.models import AnswerPart
from weerbaar.organisations import access
from weerbaar.organisations.models import Location, Organisation, Region
from weerbaar.scoring.models import Norm
from weerbaar.scoring.themes import SCORED_STATES

from .engine import BED_TYPES, STOCKS
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
    "bedden_ic": ("beds", BED_TYPES.index("ic")),
    "bedden_heelkunde_trauma": ("beds", BED_TYPES.index("trauma")),
    "bedden_neurochirurgie": ("beds", BED_TYPES.index("neuro")),
    "bedden_revalidatie": ("beds", BED_TYPES.index("rehab")),
    "isolatie_units": ("isolation", -1),
    "bezettingsgraad_isolatie_units": ("isolation_occupancy", -1),
}
"""Answer part key → (engine array, column). Hours, days of stock and beds of the Kader."""

CONFIDENTIAL = {"beds", "isolation", "isolation_occupancy"}
"""The engine arrays that come from confidential questions (ZC): casualty capacity. A part
of a question the framework marks confidential counts as confidential too, whatever array it
feeds (a later framework version may mark more)."""

ORGANISATION_FIELDS = ("pk", "name", "region_id", "shares_with_region_readers")
"""What a run needs of an organisation: its name, and what the access layer decides on."""

REPORTED = ("power", "water")
"""The resources a status report gives hours for."""

REPORTS_VALID = datetime.timedelta(hours=72)
"""A status report older than this is not used: the situation has moved on."""

MATURITIES = {"UV-02": "rationing", "UV-05": "gas_fallback", "CY-03": "telecom_fallback"}
"""Item → engine array of its maturity level: the diesel rationing plan, the alternatives
when the gas stops, the emergency communication. From which level a plan counts is the
engine's assumption ``plan_level``."""


@dataclass
class Loaded:
    region: EngineRegion
    organisations: list[Organisation]
    source: str  # what the figures come from, for the screens and the report
    reports_used: int = 0
    visible: set[int] | None = None
    """The organisations whose figures the viewer sees one by one (None: all of them)."""
    reported: set[int] = field(default_factory=set)  # organisations with a report used
    norms: dict[str, float] = field(default_factory=dict)  # the region's: part key → minimum
    pooled: bool = False  # the last engine row is the region's released capacity
    clients_withheld: bool = False  # some hidden clients were too few to sum

    @property
    def hidden(self) -> int:
        """How many organisations' figures were left out for this viewer."""
        if self.visible is None:
            return 0
        return sum(1 for o in self.organisations if not self.shows_organisation(o.pk))

    def shows_organisation(self, pk: int) -> bool:
        return self.visible is None or pk in self.visible or pk in self.reported

    def shows(self, index: int, resource: str | None = None) -> bool:
        """May the viewer see the result of engine row ``index`` (for ``resource``) one by
        one? An organisation that does not share its answers shows only with what its status
        report says (power and water)."""
        if index >= len(self.organisations):
            return False  # the pooled row is no organisation
        pk = self.organisations[index].pk
        if self.visible is None or pk in self.visible:
            return True
        return pk in self.reported and resource in (None, *REPORTED)

    @property
    def index(self) -> dict[str, Any]:
        """Organisation ids and municipality names → the engine's indexes (for
        ``presets.scenario_from``)."""
        return _index([o.pk for o in self.organisations], self.region.municipalities)


def _index(organisations: list[int], municipalities: list[str]) -> dict[str, Any]:
    return {
        "organisations": {pk: i for i, pk in enumerate(organisations)},
        "municipalities": {m.lower(): i for i, m in enumerate(municipalities)},
    }


def _round_assessments(round_: Round) -> Any:
    """The round's submitted self-assessments: the figures of a run on a round."""
    return Assessment.all_objects.filter(  # scoped: the caller holds the region
        round=round_, state__in=SCORED_STATES
    )


def _assessments(region: Region, round_: Round | None) -> dict[int, int]:
    """organisation → the assessment its figures come from: the round's submitted one, or
    its latest established self-assessment of the Kader."""
    if round_ is not None:
        return dict(_round_assessments(round_).order_by().values_list("organisation_id", "pk"))
    found: dict[int, int] = {}
    for org_id, pk, _when in sorted(
        Assessment.all_objects.filter(  # scoped: the caller holds the region
            organisation__region=region,
            round__framework__slug=KADER,
            state=AssessmentState.FINAL,
        )
        .order_by()
        .values_list("organisation_id", "pk", "finalised_at"),
        key=lambda row: (row[0], row[2] is not None, row[2] or 0, row[1]),
        reverse=True,
    ):
        found.setdefault(org_id, pk)
    return found


def load(
    region: Region, round_: Round | None = None, *, use_reports: bool = False, viewer: Any = None
) -> Loaded:
    """The region's organisations as the engine needs them; with ``viewer``, only what that
    person may see (see the module's note)."""
    everything = viewer is None or access.coordinates(viewer, region)
    organisations = list(
        Organisation.objects.filter(region=region, is_active=True)  # scoped: the region held
        .order_by("name")
        .only(*ORGANISATION_FIELDS)
    )
    index = {o.pk: i for i, o in enumerate(organisations)}
    n = len(organisations)
    arrays: dict[str, Any] = {
        "power_hours": np.full(n, np.nan),
        "water_hours": np.full(n, np.nan),
        "stock_days": np.full((n, len(STOCKS)), np.nan),
        "beds": np.full((n, len(BED_TYPES)), np.nan),
        "isolation": np.full(n, np.nan),
        "isolation_occupancy": np.full(n, np.nan),
    }
    levels = {name: np.full(n, np.nan) for name in MATURITIES.values()}
    assessments = _assessments(region, round_)
    by_assessment = {pk: index[org] for org, pk in assessments.items() if org in index}
    detail: set[int] | None = None
    confidential: set[int] | None = None
    if not everything:
        detail = visible_organisations(viewer, region)
        confidential = confidential_visible(viewer, region)
    org_of = {pk: org for org, pk in assessments.items()}
    # The parts to read, resolved first, so that the one query over the answers is a search
    # on (assessment, item) and (answer, part) without joins or ordering (3,000 organisations
    # in tens of milliseconds).
    number_parts: dict[int, tuple[str, int]] = {}
    level_parts: dict[int, str] = {}
    secret: set[int] = set()  # parts of confidential questions
    items: set[int] = set()
    for part_id, item_id, key, code, is_confidential in (
        AnswerPart.objects.filter(item__section__framework__slug=KADER)
        .filter(Q(key__in=list(NUMBERS)) | Q(key="maturity", item__code__in=list(MATURITIES)))
        .values_list("pk", "item_id", "key", "item__code", "item__confidential")
    ):
        items.add(item_id)
        if is_confidential or (key in NUMBERS and NUMBERS[key][0] in CONFIDENTIAL):
            secret.add(part_id)
        if key == "maturity":
            level_parts[part_id] = MATURITIES[code]
        else:
            number_parts[part_id] = NUMBERS[key]
    # The assessments (a round's as a subquery), with the items: both planners then search
    # (assessment, item) and (answer, part). A join on the round instead, or N.v.t. in SQL,
    # sends SQLite through every round's answers of those items; for a round the subquery
    # beats a list of 3,000 ids on PostgreSQL (98 against 143 ms), and an anti-join for
    # "the latest established" inside it is far slower on both (600–800 ms).
    chosen: Any = list(by_assessment)
    if round_ is not None:  # the same as a subquery (faster than the list on PostgreSQL)
        chosen = _round_assessments(round_).values("pk")
    for assessment_id, part_id, number, maturity, not_applicable in (
        AnswerValue.objects.filter(
            answer__assessment_id__in=chosen,
            answer__item_id__in=sorted(items),
            part_id__in=[*number_parts, *level_parts],
        )
        .order_by()
        .annotate(figure=Cast("number", FloatField()))  # no Decimal per row
        .values_list(
            "answer__assessment_id", "part_id", "figure", "maturity", "answer__not_applicable"
        )
    ):
        if not_applicable or assessment_id not in by_assessment:
            continue
        organisation_id, row = org_of[assessment_id], by_assessment[assessment_id]
        seen = confidential if part_id in secret else detail
        if seen is not None and organisation_id not in seen:
            continue
        if part_id in level_parts:
            if maturity and str(maturity).isdigit():
                levels[level_parts[part_id]][row] = float(maturity)
            continue
        if number is None:
            continue
        name, column = number_parts[part_id]
        value = float(number)
        if name == "isolation_occupancy":
            value /= 100.0
        target = arrays[name]
        if column < 0:
            target[row] = value
        else:
            target[row, column] = value

    municipalities: list[str] = []
    place: dict[str, int] = {}
    municipality = np.full(n, -1, dtype=np.int64)
    for org_id, city in (
        Location.objects.filter(  # scoped: the same region
            organisation__region=region, organisation__is_active=True
        )
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

    rows = list(
        PowerDependentClients.objects.filter(  # scoped: the region; hidden ones summed below
            organisation__region=region, organisation__is_active=True
        ).values_list("organisation_id", "municipality", "count", "battery_hours")
    )
    for _org, city, *_rest in rows:  # every name the editor offers, with or without figures
        key = city.strip().lower()
        if key not in place:
            place[key] = len(municipalities)
            municipalities.append(city.strip())
    withheld = False
    if detail is not None:
        rows, withheld = _disclosable_clients(rows, detail, region.min_group_size)
    groups = [
        (place[city.strip().lower()], float(count), float(battery))
        for _org, city, count, battery in rows
    ]
    clients = np.array(groups, dtype=float).reshape(-1, 3)

    reported: set[int] = set()
    if use_reports:
        reported = _apply_reports(organisations, index, arrays, levels, viewer)
    names = [o.name for o in organisations]
    pooled = False
    if confidential is not None and not use_reports:
        pooled = _pool_released(region, round_, arrays)
        if pooled:
            names.append(str(POOL_NAME))
    source = round_.title if round_ is not None else str(LATEST)
    return Loaded(
        EngineRegion(
            names=names,
            municipality=municipality if not pooled else np.append(municipality, -1),
            **{k: v if not pooled else np.append(v, np.nan) for k, v in levels.items()},
            municipalities=municipalities,
            clients=clients,
            **arrays,
        ),
        organisations,
        source,
        len(reported),
        visible=detail,
        reported=reported,
        norms={
            key: float(minimum)
            for key, minimum in Norm.objects.filter(  # scoped: the region's norms are public
                region=region, norm_key__in=list(NUMBERS)
            ).values_list("norm_key", "minimum")
            if NUMBERS[key][0] not in CONFIDENTIAL
        },
        pooled=pooled,
        clients_withheld=withheld,
    )


POOL_NAME = _("Vrijgegeven capaciteit van de regio")
LATEST = _("laatst vastgestelde zelfevaluaties")


@dataclass
class Choices:
    """What a scenario can name: the region's organisations (id, name) and municipalities."""

    organisations: list[tuple[int, str]]
    municipalities: list[str]

    @property
    def index(self) -> dict[str, Any]:
        return _index([pk for pk, _name in self.organisations], self.municipalities)


def choices(region: Region) -> Choices:
    """The organisations and municipalities of ``region`` (names only: the list level), for
    the scenario editor and for checking a description before it is saved."""
    organisations = list(
        Organisation.objects.filter(region=region, is_active=True)  # scoped: names only
        .order_by("name")
        .values_list("pk", "name")
    )
    seen: dict[str, str] = {}
    for city in Location.objects.filter(  # scoped: the region; the city names only
        organisation__region=region, organisation__is_active=True
    ).values_list("city", flat=True):
        if city.strip():
            seen.setdefault(city.strip().lower(), city.strip())
    for city in PowerDependentClients.objects.filter(  # scoped: the municipality names only
        organisation__region=region, organisation__is_active=True
    ).values_list("municipality", flat=True):
        seen.setdefault(city.strip().lower(), city.strip())
    return Choices(organisations, sorted(seen.values(), key=str.lower))


def at_norm(loaded: Loaded) -> EngineRegion | None:
    """The same region with every known figure below the region's norm raised to it (what if
    every organisation met the norms?); unknown stays unknown. None without norms."""
    if not loaded.norms:
        return None
    region = copy.copy(loaded.region)
    for key, minimum in loaded.norms.items():
        name, column = NUMBERS[key]
        values = getattr(region, name).copy()
        if column < 0:
            values = np.where(np.isnan(values), values, np.maximum(values, minimum))
        else:
            part = values[:, column]
            values[:, column] = np.where(np.isnan(part), part, np.maximum(part, minimum))
        setattr(region, name, values)
    return region


def _disclosable_clients(
    rows: list[tuple[int, str, int, Any]], visible: set[int], minimum: int
) -> tuple[list[tuple[int, str, int, Any]], bool]:
    """The client groups a viewer who sees ``visible`` may have: their own one by one, and
    per municipality the hidden organisations' groups as one sum — the total number of
    clients, with the count-weighted mean of their battery hours — when at least ``minimum``
    hidden organisations contribute (the small-group rule). Never a hidden group on its own:
    its hours would show as a step in the hour-by-hour need. True when some were left out."""
    hidden: dict[str, list[tuple[int, str, int, Any]]] = {}
    kept: list[tuple[int, str, int, Any]] = []
    for row in rows:
        if row[0] in visible:
            kept.append(row)
        else:
            hidden.setdefault(row[1].strip().lower(), []).append(row)
    withheld = False
    for groups in hidden.values():
        if not disclosable({g[0] for g in groups}, visible, minimum):
            withheld = True
            continue
        count = sum(int(g[2]) for g in groups)
        hours = sum(int(g[2]) * float(g[3]) for g in groups) / max(count, 1)
        kept.append((-1, groups[0][1], count, round(hours, 1)))
    return kept, withheld


def _pool_released(
    region: Region,
    round_: Round | None,
    arrays: dict[str, Any],
) -> bool:
    """Append one row with the region's released casualty capacity (of ``round_``, or the
    newest release of the Kader) for a viewer who may not see it per organisation. False when
    nothing was released: the beds then stay unknown."""
    releases = CapacityRelease.objects.filter(  # scoped: released to the region's readers
        round__region=region, round__framework__slug=KADER
    )
    if round_ is not None:
        releases = releases.filter(round=round_)
    release = releases.order_by("-released_at", "-pk").first()
    if release is None:
        return False
    values = release.figures.get("total", {}).get("values", {})
    keys = dict(
        AnswerPart.objects.filter(
            pk__in=[int(p) for p in values], key__in=list(NUMBERS)
        ).values_list("pk", "key")
    )
    pool: dict[str, Any] = {
        "beds": np.full((1, len(BED_TYPES)), np.nan),
        "isolation": np.full(1, np.nan),
        "isolation_occupancy": np.full(1, np.nan),
    }
    for part_id, value in values.items():
        key = keys.get(int(part_id))
        if key is None or value is None:
            continue
        name, column = NUMBERS[key]
        number = float(value) / (100.0 if name == "isolation_occupancy" else 1.0)
        if column < 0:
            pool[name][0] = number
        else:
            pool[name][0, column] = number
    for name in list(arrays):
        if name in pool:
            arrays[name] = np.concatenate([arrays[name], pool[name]])
        else:
            shape = (1, *arrays[name].shape[1:])
            arrays[name] = np.concatenate([arrays[name], np.full(shape, np.nan)])
    return True


def _apply_reports(
    organisations: list[Organisation],
    index: dict[int, int],
    arrays: dict[str, Any],
    levels: dict[str, Any],
    viewer: Any,
) -> set[int]:
    """During a crisis: the latest real status report of each organisation (of the last
    ``REPORTS_VALID``) replaces its answers where it gives a figure — the hours left now
    (less the hours since the report; its rationing is in them, so the plan does not
    stretch them again) and the beds available now. An older report says
    nothing about now: the answers stand."""
    from weerbaar.crisis.models import StatusReport

    now = timezone.now()
    seen: set[int] = set()  # organisation ids
    recent = now - REPORTS_VALID
    reports = StatusReport.objects.filter(  # scoped: for_user below when there is a viewer
        organisation_id__in=list(index), is_exercise=False, reported_at__gte=recent
    )
    if viewer is not None:
        reports = reports.for_user(viewer)
    for report in reports.order_by("organisation_id", "-reported_at", "-pk"):
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
                if name == "power_hours":
                    levels["rationing"][i] = np.nan  # the hours left already say it
        for column, field_name in enumerate(
            ("beds_ic", "beds_trauma", "beds_neurosurgery", "beds_rehabilitation")
        ):
            value = getattr(report, field_name)
            if value is not None:
                arrays["beds"][i, column] = float(value)
        if report.beds_isolation is not None:
            arrays["isolation"][i] = float(report.beds_isolation)
            arrays["isolation_occupancy"][i] = 0.0  # the report gives the free ones
    return seen
