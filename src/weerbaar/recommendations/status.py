"""Regional recommendations (Zorgrisicoprofiel adviezen): status per actor, over time.

The coordinator keeps, per advies and per actor named in it (zorginstellingen, GHOR,
gemeenten, …), a status, an owner, the Kader questions it relates to and a note. Every change
is a step in its history and in the audit trail. Beside each advies the region sees how many
organisations still have a gap on the linked questions in the latest round.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from weerbaar.assessments.models import AnswerValue, Round
from weerbaar.audit.models import audit_record
from weerbaar.disclosure.rules import confidential_visible, disclosable, visible_organisations
from weerbaar.frameworks.models import Framework, FrameworkKind, Item, ResponsibleRole
from weerbaar.organisations import access
from weerbaar.organisations.models import Region
from weerbaar.recommendations.models import (
    RecommendationState,
    RecommendationStatus,
    RecommendationUpdate,
)
from weerbaar.scoring.themes import SCORED_STATES
from weerbaar.versions import Stale, locked_at


def may_keep(user: Any, region: Region, role: ResponsibleRole) -> bool:
    """May ``user`` keep the status of ``role``'s part of a recommendation in ``region``? The
    coordinators for every party; a region reader for the party they speak for (the GHOR
    for the adviezen it owns)."""
    return access.coordinates(user, region) or role.key in access.speaks_for(user, region)


class StaleRecommendation(Stale):
    """Someone else recorded this actor's status since it was read."""


class UnknownCodes(ValueError):
    def __init__(self, codes: list[str]) -> None:
        super().__init__(", ".join(codes))
        self.codes = codes


class TooManyCodes(ValueError):
    """The linked codes do not fit the field (``limit`` characters, as stored)."""

    def __init__(self, limit: int) -> None:
        super().__init__(f"more than {limit} characters")
        self.limit = limit


def recommendations_framework() -> Framework | None:
    return (
        Framework.objects.filter(kind=FrameworkKind.RECOMMENDATIONS)
        .order_by("-loaded_at", "-pk")
        .first()
    )


def _kader_codes(region: Region) -> set[str]:
    """Question codes of the Kader version of the region's latest round (or the latest)."""
    latest = (
        Round.objects.filter(region=region, framework__kind=FrameworkKind.QUESTIONNAIRE)
        .order_by("-opens_on", "-pk")
        .select_related("framework")
        .first()
    )
    framework = (
        latest.framework
        if latest
        else (
            Framework.objects.filter(kind=FrameworkKind.QUESTIONNAIRE)
            .order_by("-loaded_at")
            .first()
        )
    )
    if framework is None:
        return set()
    return set(Item.objects.filter(section__framework=framework).values_list("code", flat=True))


def normalise_codes(region: Region, text: str) -> str:
    """ "uv-01,  CY-03" → "UV-01, CY-03"; unknown codes raise ``UnknownCodes``."""
    codes = [c.strip().upper() for c in text.replace(";", ",").split(",") if c.strip()]
    known = _kader_codes(region)
    unknown = [code for code in codes if code not in known]
    if unknown:
        raise UnknownCodes(unknown)
    joined = ", ".join(dict.fromkeys(codes))
    limit = RecommendationStatus._meta.get_field("linked_codes").max_length or 0
    if len(joined) > limit:
        raise TooManyCodes(limit)
    return joined


def recommendation_state(status: RecommendationStatus) -> dict[str, Any]:
    return {
        "state": status.state,
        "owner": status.owner,
        "linked_codes": status.linked_codes,
        "note": status.note,
        "version": status.version,
    }


@transaction.atomic
def recommendation_set(
    *,
    region: Region,
    item: Item,
    role: ResponsibleRole,
    by: Any,
    state: str,
    owner: str = "",
    linked_codes: str = "",
    note: str = "",
    expected_version: int = 0,
) -> RecommendationStatus:
    """Set one actor's status of one advies if nobody changed it since ``expected_version``
    (0: not recorded yet). Raises StaleRecommendation or UnknownCodes; nothing saved then.
    The region's coordinators keep every status, a party its own (``may_keep``;
    ``NotAllowed`` for anyone else)."""
    if not may_keep(by, region, role):
        raise access.NotAllowed(
            _("Alleen de regiocoördinator en de partij zelf houden deze status bij.")
        )
    codes = normalise_codes(region, linked_codes)
    status = locked_at(
        RecommendationStatus.objects.filter(region=region, item=item, role=role),
        expected_version,
        StaleRecommendation,
    )
    old = recommendation_state(status) if status else None
    if status is None:
        status = RecommendationStatus(region=region, item=item, role=role, version=0)
    status.state = state
    status.owner = owner.strip()
    status.linked_codes = codes
    status.note = note.strip()
    status.version += 1
    status.updated_at = timezone.now()
    status.updated_by = by if getattr(by, "is_authenticated", False) else None
    try:
        with transaction.atomic():  # a savepoint: the outer transaction stays usable
            status.save()
    except IntegrityError:  # another coordinator recorded this actor's status first
        raise StaleRecommendation(
            RecommendationStatus.objects.filter(region=region, item=item, role=role).first()
        ) from None
    RecommendationUpdate.objects.create(
        status=status, by=status.updated_by, state=status.state, note=status.note
    )
    audit_record(
        actor=by,
        action="recommendation.update" if old else "recommendation.create",
        obj=status,
        old=old,
        new=recommendation_state(status),
    )
    return status


@dataclass
class ActorStatus:
    role: ResponsibleRole
    status: RecommendationStatus | None

    @property
    def state(self) -> str:
        return self.status.state if self.status else RecommendationState.NOT_STARTED

    @property
    def state_label(self) -> str:
        return str(RecommendationState(self.state).label)


@dataclass
class Advice:
    item: Item
    actors: list[ActorStatus]
    linked: list[tuple[str, int | None]] = field(default_factory=list)  # code, orgs with gap


@dataclass
class Overview:
    framework: Framework | None
    advice: list[Advice]
    counts: dict[str, int]  # state → (advies, actor) pairs
    round: Round | None


def overview(user: Any, region: Region) -> Overview:
    framework = recommendations_framework()
    if framework is None:
        return Overview(None, [], {}, None)
    items = list(
        Item.objects.filter(section__framework=framework)
        .select_related("section")
        .prefetch_related("responsible_links__role")
        .order_by("section__order", "order")
    )
    statuses = {
        (s.item_id, s.role_id): s
        for s in RecommendationStatus.objects.filter(region=region, item__in=items)
    }
    advice = [
        Advice(
            item=item,
            actors=[
                ActorStatus(link.role, statuses.get((item.pk, link.role_id)))
                for link in item.responsible_links.all()
            ],
        )
        for item in items
    ]
    counts: dict[str, int] = defaultdict(int)
    for entry in advice:
        for actor in entry.actors:
            counts[actor.state] += 1
    round_ = (
        Round.objects.filter(region=region, framework__kind=FrameworkKind.QUESTIONNAIRE)
        .order_by("-opens_on", "-pk")
        .select_related("framework")
        .first()
    )
    if round_ is not None:
        gaps = _gap_counts(user, region, round_, {c for s in statuses.values() for c in s.codes})
        for entry in advice:
            codes = dict.fromkeys(c for a in entry.actors if a.status for c in a.status.codes)
            entry.linked = [(code, gaps.get(code)) for code in codes]
    return Overview(framework, advice, dict(counts), round_)


def _gap_counts(user: Any, region: Region, round_: Round, codes: set[str]) -> dict[str, int | None]:
    """Per question code: submitted self-assessments of ``round_`` whose maturity is below the
    framework's norm or Onbekend (one query). Each count is decided on its own, over the
    organisations that answered that question; None when too few of them are hidden."""
    if not codes:
        return {}
    below = round_.framework.gap_maturity_below
    weak = {str(level) for level in range(below)} | {"unknown"}
    answered: dict[str, set[int]] = defaultdict(set)
    gaps: dict[str, set[int]] = defaultdict(set)
    confidential: set[str] = set()
    for code, org, maturity, secret in (
        AnswerValue.objects.filter(
            answer__assessment__round=round_,
            answer__assessment__state__in=SCORED_STATES,
            answer__item__code__in=sorted(codes),
            answer__not_applicable=False,
        )
        .exclude(maturity="")
        .values_list(
            "answer__item__code",
            "answer__assessment__organisation_id",
            "maturity",
            "answer__item__confidential",
        )
    ):
        answered[code].add(org)
        if maturity in weak:
            gaps[code].add(org)
        if secret:
            confidential.add(code)
    minimum = region.min_group_size
    visible = visible_organisations(user, region)
    # Confidential questions: one by one only for coordinators (and the own admins).
    seen_confidential = confidential_visible(user, region)
    result: dict[str, int | None] = {}
    for code, orgs in answered.items():
        seen = seen_confidential if code in confidential else visible
        ok = disclosable(orgs, seen, minimum)
        # All or none of the hidden ones with a gap would tell about each of them.
        hidden = orgs - seen
        if hidden and (hidden <= gaps[code] or not hidden & gaps[code]):
            ok = False
        result[code] = len(gaps[code]) if ok else None
    return result
