"""The regional crisis picture (for the GHOR and the coordinators): open incidents and active
disbalansen by organisation, each organisation's latest status report with the change since
its previous one, stale reports marked, the support-request queue, the region's available
beds per type, and the organisations under the power or water norm.

Real and exercise are two separate pictures: an exercise never shows in the real one.
A fixed number of queries, whatever the number of organisations.
"""

from __future__ import annotations

import datetime
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.db.models import F, Prefetch, Q, Window
from django.db.models.functions import RowNumber
from django.utils import timezone

from weerbaar.organisations.models import Organisation, Region
from weerbaar.scoring.models import Norm

from .models import (
    ActiveDisbalans,
    Incident,
    IncidentState,
    StatusReport,
    SupportRequest,
    SupportState,
)
from .status import BEDS, CHANNELS, HOURS

RECENT = datetime.timedelta(days=3)
"""An organisation without an open incident is in the picture while its last report is
younger than this."""

SETTLED = (SupportState.ARRANGED, SupportState.IMPOSSIBLE)

NUMBERS = (*(name for name, _key in BEDS), "power_hours", "fuel_litres", "water_hours")


@dataclass
class Change:
    """A figure of the latest report against the previous one."""

    name: str
    now: Any
    before: Any

    @property
    def delta(self) -> Any:
        if isinstance(self.now, int | Decimal) and isinstance(self.before, int | Decimal):
            return self.now - self.before
        return None


@dataclass
class Row:
    organisation: Organisation
    incidents: list[Incident] = field(default_factory=list)
    latest: StatusReport | None = None
    previous: StatusReport | None = None
    stale: bool = False
    under_norm: list[str] = field(default_factory=list)  # "power_hours", "water_hours"

    @property
    def changes(self) -> dict[str, Change]:
        """Figures that differ from the previous report (by field name)."""
        if self.latest is None or self.previous is None:
            return {}
        found = {}
        for name in (*NUMBERS, "medical_gases", *CHANNELS, "staff_shortage_pct"):
            now, before = getattr(self.latest, name), getattr(self.previous, name)
            if now != before:
                found[name] = Change(name, now, before)
        return found

    def _figure(self, name: str) -> tuple[Any, Any]:
        """(value, change since the previous report or None) of one figure."""
        if self.latest is None:
            return None, None
        change = self.changes.get(name)
        return getattr(self.latest, name), change.delta if change else None

    @property
    def beds(self) -> list[tuple[Any, Any]]:
        return [self._figure(name) for name, _key in BEDS]

    @property
    def power(self) -> tuple[Any, Any]:
        return self._figure("power_hours")

    @property
    def water(self) -> tuple[Any, Any]:
        return self._figure("water_hours")

    @property
    def disbalansen(self) -> list[str]:
        return sorted({d.code for i in self.incidents for d in i.disbalansen.all()})


@dataclass
class Picture:
    region: Region
    exercise: bool
    at: datetime.datetime
    interval: datetime.timedelta
    rows: list[Row]
    silent: list[Organisation]  # active organisations with no incident and no recent report
    support: list[SupportRequest]  # open ones first
    beds: dict[str, int]  # available beds per type over the latest reports
    beds_reported: dict[str, int]  # how many organisations gave that figure
    norms: dict[str, Decimal]  # "power_hours"/"water_hours" → the region's minimum
    messages: list[Any] = field(default_factory=list)  # the newest, with their counts

    @property
    def stale_count(self) -> int:
        return sum(1 for r in self.rows if r.latest is not None and r.stale)

    @property
    def unreported(self) -> list[Row]:
        return [r for r in self.rows if r.latest is None]

    @property
    def under_norm(self) -> dict[str, list[Row]]:
        return {name: [r for r in self.rows if name in r.under_norm] for name, _key in HOURS}

    @property
    def bed_totals(self) -> list[tuple[str, str, int, int]]:
        """(field, label, available beds, organisations that gave the figure) per type."""
        return [
            (
                name,
                str(getattr(StatusReport._meta.get_field(name), "verbose_name", name)),
                self.beds[name],
                self.beds_reported[name],
            )
            for name, _key in BEDS
        ]

    @property
    def open_support(self) -> int:
        return sum(1 for s in self.support if not s.settled)


def picture(
    region: Region, *, exercise: bool = False, now: datetime.datetime | None = None
) -> Picture:
    """The region's crisis picture now (real, or the exercise one)."""
    now = now or timezone.now()
    interval = datetime.timedelta(hours=region.sitrep_interval_hours)
    organisations = {
        o.pk: o
        for o in Organisation.objects.filter(  # scoped: the caller holds the region
            region=region, is_active=True
        ).order_by("name")
    }
    incidents: dict[int, list[Incident]] = defaultdict(list)
    for incident in (
        Incident.objects.filter(  # scoped: the caller holds the region
            organisation__region=region, state=IncidentState.OPEN, is_exercise=exercise
        )
        .order_by("started_at")
        .prefetch_related(
            Prefetch("disbalansen", queryset=ActiveDisbalans.objects.order_by("code"))
        )
    ):
        incidents[incident.organisation_id].append(incident)

    latest: dict[int, list[StatusReport]] = defaultdict(list)
    # The two newest reports of each organisation, however old: numbered per organisation in
    # SQL (a window), so a long incident's quiet organisation still shows as stale.
    numbered = StatusReport.objects.filter(  # scoped: the caller holds the region
        organisation__region=region, is_exercise=exercise
    ).annotate(
        newest=Window(
            RowNumber(),
            partition_by=[F("organisation_id")],
            order_by=[F("reported_at").desc(), F("pk").desc()],
        )
    )
    for report in numbered.filter(newest__lte=2).order_by("organisation_id", "newest"):
        latest[report.organisation_id].append(report)

    norms = {
        name: norm.minimum
        for name, key in HOURS
        for norm in Norm.objects.filter(region=region, norm_key=key)
    }
    rows: list[Row] = []
    silent: list[Organisation] = []
    for pk, organisation in organisations.items():
        reports = latest.get(pk, [])
        newest = reports[0] if reports else None
        if not incidents.get(pk) and (newest is None or newest.reported_at < now - RECENT):
            silent.append(organisation)
            continue
        row = Row(
            organisation,
            incidents.get(pk, []),
            newest,
            reports[1] if len(reports) > 1 else None,
            stale=newest is None or newest.reported_at < now - interval,
        )
        if newest is not None:
            for name, minimum in norms.items():
                value = getattr(newest, name)
                if value is not None and value < minimum:
                    row.under_norm.append(name)
        rows.append(row)
    rows.sort(
        key=lambda r: (not r.incidents, r.latest is not None and not r.stale, r.organisation.name)
    )

    beds: dict[str, int] = {}
    reported: dict[str, int] = {}
    for name, _key in BEDS:
        values = [getattr(r.latest, name) for r in rows if r.latest is not None]
        known = [v for v in values if v is not None]
        beds[name] = sum(known)
        reported[name] = len(known)

    support = sorted(
        SupportRequest.objects.filter(  # scoped: the caller holds the region
            organisation__region=region, is_exercise=exercise
        )
        .select_related("organisation", "handled_by")
        # Every open request, and the settled ones of the last 30 days.
        .filter(~Q(state__in=SETTLED) | Q(requested_at__gte=now - datetime.timedelta(days=30))),
        key=lambda s: (
            s.settled,
            s.needed_by or datetime.datetime.max.replace(tzinfo=datetime.UTC),
            s.requested_at,
        ),
    )
    from .messages import sent_in

    return Picture(
        region,
        exercise,
        now,
        interval,
        rows,
        silent,
        support,
        beds,
        reported,
        norms,
        sent_in(region, 5, exercise=exercise),
    )
