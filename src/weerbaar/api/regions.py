"""/api/v1/regions: the regional picture, scoped and suppressed exactly like the screens."""

from __future__ import annotations

import datetime
from typing import Any

from django.http import Http404, HttpRequest, HttpResponse
from ninja import Router, Schema, Status
from ninja.errors import HttpError

from weerbaar.crisis.contacts import region_coverage, regional_contacts
from weerbaar.crisis.have import have_xml
from weerbaar.crisis.messages import message_send, sent_in
from weerbaar.crisis.picture import picture
from weerbaar.crisis.status import ReportInvalid
from weerbaar.dependencies.register import register
from weerbaar.ids import Id
from weerbaar.insights import regional
from weerbaar.insights.capacity import ReleaseRefused, capacity, capacity_release
from weerbaar.insights.needs import needs
from weerbaar.organisations import access
from weerbaar.organisations.models import Organisation, Region, Role, Sector
from weerbaar.scoring.norms import norm_overview

from .status import (
    CoverageOut,
    MessageIn,
    MessageOut,
    Problem,
    SitrepOut,
    SupportOut,
    coverage_out,
    message_out,
    sitrep_out,
    support_out,
)

router = Router(tags=["regions"])


def _region(request: HttpRequest, pk: int) -> Region:
    try:
        return access.get_region(request.auth, pk, *access.READS_REGION)  # type: ignore[attr-defined]
    except Http404 as exc:
        raise HttpError(404, "Not found") from exc


class ThemeOut(Schema):
    code: str
    title: str


class HeatmapRowOut(Schema):
    organisation: int
    name: str
    sector: str
    assessment: int
    state: str
    scores: dict[str, int | None]
    overall: int | None


class AggregateOut(Schema):
    group: str  # "regio" or a sector
    label: str
    organisations: int
    suppressed: bool  # every figure withheld
    scores: dict[str, float | None]  # null: no scores, or withheld (see ``withheld``)
    overall: float | None
    withheld: list[str]  # theme codes (and "totaal") withheld for confidentiality


class HeatmapOut(Schema):
    public: bool  # scores without the confidential questions (callers who may not see them)
    region: int
    round: int
    round_title: str
    themes: list[ThemeOut]
    organisations: list[HeatmapRowOut]
    medians: list[AggregateOut]
    participants: int
    hidden: int


@router.get("/{id:pk}/heatmap", response=HeatmapOut, url_name="region_heatmap")
def region_heatmap(
    request: HttpRequest,
    pk: int,
    round: Id | None = None,
    sector: str | None = None,
    tag: str | None = None,
) -> dict[str, Any]:
    """Theme scores per organisation of a round (default: the latest), with medians for the
    region and per sector. Organisations that do not share with a region reader are left out
    and counted in ``hidden``; medians over too few hidden organisations are suppressed.
    ``tag`` narrows to questions with a label, e.g. ``nato:BR5``."""
    region = _region(request, pk)
    round_ = _round(region, round)
    if sector is not None and sector not in Sector.values:
        raise HttpError(422, f"Onbekende sector: {sector}")
    tag_ids: list[int] = []
    if tag:
        vocabulary, _, code = tag.partition(":")
        options = regional.framework_tags(round_.framework).get(vocabulary, [])
        tag_ids = [t.pk for t in options if t.code == code]
        if not tag_ids:
            raise HttpError(422, f"Onbekend label: {tag}")
    result = regional.heatmap(request.auth, region, round_, sector=sector, tag_ids=tag_ids)  # type: ignore[attr-defined]
    codes = [section.code for section in result.sections]
    return {
        "public": result.public,
        "region": region.pk,
        "round": round_.pk,
        "round_title": round_.title,
        "themes": [{"code": s.code, "title": s.title} for s in result.sections],
        "organisations": [
            {
                "organisation": row.organisation_id,
                "name": row.name,
                "sector": row.sector,
                "assessment": row.assessment_id,
                "state": row.state,
                "scores": dict(zip(codes, row.scores, strict=True)),
                "overall": row.overall,
            }
            for row in result.rows
        ],
        "medians": [
            {
                "group": agg.key,
                "label": agg.label,
                "organisations": agg.organisations,
                "suppressed": agg.suppressed,
                "scores": dict(zip(codes, agg.scores, strict=True)),
                "overall": agg.overall,
                "withheld": [
                    code
                    for code, (_, flag) in zip([*codes, "totaal"], agg.cells, strict=True)
                    if flag
                ],
            }
            for agg in result.aggregates
        ],
        "participants": result.participants,
        "hidden": result.hidden,
    }


def _round(region: Region, pk: int | None) -> Any:
    """The round asked for; by default the newest with submitted answers (as on the pages)."""
    rounds = regional.rounds_of(region)
    if pk is not None:
        round_ = rounds.filter(pk=pk).first()
    else:
        newest = list(rounds)
        round_ = regional.latest_with_answers(newest) or (newest[0] if newest else None)
    if round_ is None:
        raise HttpError(404, "No such round in this region")
    return round_


class BelowOut(Schema):
    organisation: int
    name: str
    value: float


class NormOut(Schema):
    norm_key: str
    label: str
    unit: str
    items: list[str]
    norm: float | None
    source: str | None
    answered: int
    suppressed: bool
    minimum: float | None
    median: float | None
    maximum: float | None
    below_count: int | None
    below: list[BelowOut]


class NormsOut(Schema):
    region: int
    round: int
    round_title: str
    participants: int
    norms: list[NormOut]


def _float(value: Any) -> float | None:
    return None if value is None else float(value)


@router.get("/{id:pk}/norms", response=NormsOut, url_name="region_norms")
def region_norms(
    request: HttpRequest,
    pk: int,
    round: Id | None = None,  # the documented query parameter (shadows the builtin)
) -> dict[str, Any]:
    """Every norm of the round's framework: the region's minimum and source, the distribution
    over submitted self-assessments, and who is below it. ``below`` names only organisations
    the caller may see; ``below_count`` counts all. Small groups are suppressed."""
    region = _region(request, pk)
    round_ = _round(region, round)
    overview = norm_overview(request.auth, region, round_)  # type: ignore[attr-defined]
    return {
        "region": region.pk,
        "round": round_.pk,
        "round_title": round_.title,
        "participants": overview.participants,
        "norms": [
            {
                "norm_key": row.norm_key,
                "label": row.label,
                "unit": row.unit,
                "items": row.item_codes,
                "norm": _float(row.norm.minimum) if row.norm else None,
                "source": row.norm.source if row.norm else None,
                "answered": row.answered,
                "suppressed": row.suppressed,
                "minimum": _float(row.minimum),
                "median": _float(row.median),
                "maximum": _float(row.maximum),
                "below_count": row.below_count,
                "below": [
                    {"organisation": b.organisation_id, "name": b.name, "value": float(b.value)}
                    for b in row.below
                ],
            }
            for row in overview.rows
        ],
    }


class CapacityColumnOut(Schema):
    item_code: str
    label: str
    unit: str
    averaged: bool


class CapacityRowOut(Schema):
    group: str
    label: str
    organisations: int
    suppressed: bool  # every figure withheld
    values: list[float | None]  # null: nobody answered, or withheld
    withheld: list[bool]  # per column


class CapacityOut(Schema):
    region: int
    round: int
    round_title: str
    live: bool  # coordinators: the current sums; everyone else: the latest release
    released_at: datetime.datetime | None  # the latest release (null: none yet)
    columns: list[CapacityColumnOut]
    total: CapacityRowOut
    sectors: list[CapacityRowOut]
    organisations: list[CapacityRowOut]  # coordinators only; empty for everyone else


def _capacity_row(row: Any) -> dict[str, Any]:
    return {
        "group": row.key,
        "label": row.label,
        "organisations": row.organisations,
        "suppressed": row.suppressed,
        "values": [_float(v) for v in row.values],
        "withheld": [flag for _, flag in row.cells],
    }


@router.get("/{id:pk}/capacity", response=CapacityOut, url_name="region_capacity")
def region_capacity(
    request: HttpRequest,
    pk: int,
    round: Id | None = None,  # the documented query parameter (shadows the builtin)
) -> dict[str, Any]:
    """Casualty-care capacity (confidential figures) summed per sector and for the region.
    Per organisation only for coordinators; groups too small to hide one organisation are
    suppressed (values null), with secondary suppression against subtraction."""
    region = _region(request, pk)
    round_ = _round(region, round)
    result = capacity(request.auth, region, round_)  # type: ignore[attr-defined]
    return {
        "region": region.pk,
        "round": round_.pk,
        "round_title": round_.title,
        "live": result.live,
        "released_at": result.release.released_at if result.release else None,
        "columns": [
            {"item_code": c.item_code, "label": c.label, "unit": c.unit, "averaged": c.averaged}
            for c in result.columns
        ],
        "total": _capacity_row(result.total),
        "sectors": [_capacity_row(row) for row in result.sectors],
        "organisations": [_capacity_row(row) for row in result.organisations],
    }


class ReleaseOut(Schema):
    round: int
    released_at: datetime.datetime
    organisations: int


class RefusedOut(Schema):
    detail: str
    reasons: list[str]


@router.post(
    "/{id:pk}/capacity/releases",
    response={201: ReleaseOut, 409: RefusedOut},
    url_name="region_capacity_release",
)
def region_capacity_release(request: HttpRequest, pk: int, round: Id | None = None) -> Any:
    """Release the round's current capacity figures to everyone who may not see them per
    organisation (coordinators of the region). 409 with the reasons when the release would
    give organisations away (it differs from an earlier one by too few) or has nothing new."""
    user = request.auth  # type: ignore[attr-defined]
    region = access.get_region(user, pk, Role.COORDINATOR)
    round_ = _round(region, round)
    try:
        release = capacity_release(region=region, round_=round_, by=user)
    except ReleaseRefused as refused:
        return Status(409, {"detail": "Release refused", "reasons": refused.messages})
    return Status(
        201,
        {
            "round": round_.pk,
            "released_at": release.released_at,
            "organisations": release.figures["total"]["organisations"],
        },
    )


class SupplierOut(Schema):
    name: str | None  # null when withheld
    organisations: int | None
    share: int | None  # percent of the organisations that filled in the category
    origin: str | None
    without_alternative: int | None
    names: list[str]  # the organisations, only those the caller may see one by one
    suppressed: bool
    single_point_of_failure: bool


class CategoryOut(Schema):
    category: str
    label: str
    organisations: int
    suppliers: list[SupplierOut]


class DependenciesOut(Schema):
    region: int
    organisations: int
    reporting: int
    categories: list[CategoryOut]
    outside_europe_it: list[SupplierOut]


def _supplier(supplier: Any, single: bool) -> dict[str, Any]:
    hidden = supplier.suppressed
    return {
        "name": None if hidden else supplier.name,
        "organisations": None if hidden else supplier.organisations,
        "share": None if hidden else supplier.share,
        "origin": None if hidden else supplier.origin,
        "without_alternative": None if hidden else supplier.without_alternative,
        "names": [] if hidden else supplier.names,
        "suppressed": hidden,
        "single_point_of_failure": single,
    }


@router.get("/{id:pk}/dependencies", response=DependenciesOut, url_name="region_dependencies")
def region_dependencies(request: HttpRequest, pk: int) -> dict[str, Any]:
    """Critical suppliers shared by the region's organisations, per category, and IT outside
    Europe. Counts over too few organisations hidden from the caller are withheld."""
    region = _region(request, pk)
    result = register(request.auth, region)  # type: ignore[attr-defined]
    return {
        "region": region.pk,
        "organisations": result.organisations,
        "reporting": result.reporting,
        "categories": [
            {
                "category": c.category,
                "label": c.label,
                "organisations": c.organisations,
                "suppliers": [_supplier(s, s in c.single_points) for s in c.suppliers],
            }
            for c in result.categories
        ],
        "outside_europe_it": [_supplier(s, False) for s in result.outside_europe_it],
    }


class TrendPointOut(Schema):
    round: int
    round_title: str
    opens_on: str
    organisations: int
    suppressed: bool
    overall: float | None
    themes: dict[str, float | None]


@router.get("/{id:pk}/trend", response=list[TrendPointOut], url_name="region_trend")
def region_trend(request: HttpRequest, pk: int, framework: str = "kader-weerbare-zorg") -> Any:
    """Medians per theme (by code) and overall for every round of a framework, oldest first."""
    region = _region(request, pk)
    return [
        {
            "round": p.round.pk,
            "round_title": p.round.title,
            "opens_on": p.round.opens_on.isoformat(),
            "organisations": p.organisations,
            "suppressed": p.suppressed,
            "overall": p.overall,
            "themes": p.themes,
        }
        for p in regional.region_trend(request.auth, region, framework)  # type: ignore[attr-defined]
    ]


class NeedGroupOut(Schema):
    group: str
    label: str
    answered: int
    yes: int | None
    suppressed: bool


class NeedOut(Schema):
    item_code: str
    theme: str
    label: str
    confidential: bool
    total: NeedGroupOut
    sectors: list[NeedGroupOut]
    organisations: list[str]
    topics: list[dict[str, str]]  # what the organisations the caller may see wrote beside it
    live: bool  # false: confidential counts as frozen in the round's capacity release
    released_at: datetime.datetime | None  # that release (null: live, or not released yet)


def _need_group(group: Any) -> dict[str, Any]:
    return {
        "group": group.key,
        "label": group.label,
        "answered": group.answered,
        "yes": group.yes,
        "suppressed": group.suppressed,
    }


@router.get("/{id:pk}/needs", response=list[NeedOut], url_name="region_needs")
def region_needs(
    request: HttpRequest,
    pk: int,
    round: Id | None = None,  # the documented query parameter (shadows the builtin)
) -> Any:
    """Need flags (regional training, extra bed capacity, …) counted per sector and for the
    region, suppressed like every regional figure. Confidential needs are counted live for the
    region's coordinators only; everyone else gets the counts of the round's release."""
    region = _region(request, pk)
    round_ = _round(region, round)
    return [
        {
            "item_code": n.item_code,
            "theme": n.theme,
            "label": n.label,
            "confidential": n.confidential,
            "total": _need_group(n.total),
            "sectors": [_need_group(g) for g in n.sectors],
            "organisations": n.organisations,
            "topics": [{"organisation": name, "text": text} for name, text in n.topics],
            "live": n.live,
            "released_at": n.released_at,
        }
        for n in needs(request.auth, region, round_)  # type: ignore[attr-defined]
    ]


class PictureRowOut(Schema):
    organisation: int
    name: str
    incidents: list[int]
    disbalansen: list[str]
    latest: SitrepOut | None
    stale: bool
    under_norm: list[str]
    changes: dict[str, Any]


class PictureOut(Schema):
    region: int
    exercise: bool
    at: datetime.datetime
    interval_hours: int
    beds: dict[str, int | None]
    beds_reported: dict[str, int]
    norms: dict[str, float]
    rows: list[PictureRowOut]
    silent: list[int]
    support: list[SupportOut]


@router.get("/{id:pk}/picture", response=PictureOut, url_name="region_picture")
def region_picture(request: HttpRequest, pk: int, exercise: bool = False) -> dict[str, Any]:
    """The crisis picture (the GHOR's page): latest status per organisation with its change
    since the previous report (``changes``: the new figure minus the old, or the new state),
    stale reports, the support queue and the region's available beds. An exercise's picture
    (``exercise=true``) is separate."""
    region = _region(request, pk)
    found = picture(region, exercise=exercise)
    return {
        "region": region.pk,
        "exercise": exercise,
        "at": found.at,
        "interval_hours": region.sitrep_interval_hours,
        "beds": {  # None: no organisation gave the figure (unknown, not zero)
            name: (total if found.beds_reported[name] else None)
            for name, total in found.beds.items()
        },
        "beds_reported": found.beds_reported,
        "norms": {k: float(v) for k, v in found.norms.items()},
        "rows": [
            {
                "organisation": row.organisation.pk,
                "name": row.organisation.name,
                "incidents": [i.pk for i in row.incidents],
                "disbalansen": row.disbalansen,
                "latest": sitrep_out(row.latest) if row.latest else None,
                "stale": row.stale,
                "under_norm": row.under_norm,
                "changes": {
                    name: (str(c.delta) if c.delta is not None else c.now)
                    for name, c in row.changes.items()
                },
            }
            for row in found.rows
        ],
        "silent": [o.pk for o in found.silent],
        "support": [support_out(s) for s in found.support],
    }


@router.get("/{id:pk}/messages", response=list[MessageOut], url_name="region_messages")
def region_messages(request: HttpRequest, pk: int) -> list[dict[str, Any]]:
    """The region's regional messages, newest first, with who acknowledged them."""
    region = _region(request, pk)
    return [message_out(m, request.auth) for m in sent_in(region)]  # type: ignore[attr-defined]


@router.post(
    "/{id:pk}/messages", response={201: MessageOut, 422: Problem}, url_name="region_message_send"
)
def region_message_send(request: HttpRequest, pk: int, payload: MessageIn) -> Any:
    """Send a message (handelingsperspectief) to every organisation of the region, or to
    ``organisations``."""
    region = _region(request, pk)
    chosen = None
    if payload.organisations is not None:
        chosen = list(
            Organisation.objects.filter(  # scoped: within the region the caller holds
                region=region, is_active=True, pk__in=payload.organisations
            )
        )
        if len(chosen) != len(set(payload.organisations)):
            return Status(
                422, {"detail": "Kies alleen organisaties van de eigen regio.", "errors": {}}
            )
    try:
        message = message_send(
            region=region,
            by=request.auth,  # type: ignore[attr-defined]
            title=payload.title,
            body=payload.body,
            organisations=chosen,
            is_exercise=payload.exercise,
        )
    except ReportInvalid as exc:
        return Status(422, {"detail": str(exc), "errors": exc.errors})
    return Status(201, message_out(message, request.auth))  # type: ignore[attr-defined]


class RegionalContactOut(Schema):
    id: int
    function: str
    name: str
    phone: str
    phone_alt: str
    alternative: str
    always: bool


class RegionContactsOut(Schema):
    confirm_months: int
    regional: list[RegionalContactOut]
    organisations: list[CoverageOut]


@router.get("/{id:pk}/contacts", response=RegionContactsOut, url_name="region_contacts")
def region_contacts(request: HttpRequest, pk: int) -> dict[str, Any]:
    """The region's own crisis numbers, and every organisation's crisis contacts with its key
    functions lacking a 24/7 contact and its contacts not confirmed within the region's term
    (``confirm_months``)."""
    region = _region(request, pk)
    return {
        "confirm_months": region.contact_confirm_months,
        "regional": [
            {
                "id": c.pk,
                "function": c.function,
                "name": c.name,
                "phone": c.phone,
                "phone_alt": c.phone_alt,
                "alternative": c.alternative,
                "always": c.always,
            }
            for c in regional_contacts(region)
        ],
        "organisations": [coverage_out(row) for row in region_coverage(region)],
    }


@router.get(
    "/{id:pk}/beds.have.xml", response={200: None, 404: Problem}, url_name="region_beds_have"
)
def region_beds_have(request: HttpRequest, pk: int, exercise: bool = False) -> Any:
    """The region's available beds as OASIS EDXL-HAVE 1.0: each organisation's latest status
    report (``exercise=true``: those of exercises)."""
    region = _region(request, pk)
    found = picture(region, exercise=exercise)
    reports = [row.latest for row in found.rows if row.latest is not None]
    if not reports:
        return Status(404, {"detail": "Er is nog geen situatierapport.", "errors": {}})
    return HttpResponse(have_xml(reports), content_type="application/xml")
