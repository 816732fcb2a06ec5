"""What a coordinator has to do now, for the home page: the open rounds with how far the
organisations are, the self-assessments waiting for review, and who is past the deadline."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.db.models import Count, Q
from django.utils import timezone

from weerbaar.organisations import access
from weerbaar.organisations.access import Level
from weerbaar.organisations.models import Role

from .models import Assessment, AssessmentState, Round

SHOWN = 15  # rows per list; the rest is one click away


@dataclass(frozen=True)
class OpenRound:
    round: Round
    organisations: int
    submitted: int  # submitted or further
    overdue: int  # still a concept after the deadline

    @property
    def percent(self) -> int:
        return round(100 * self.submitted / self.organisations) if self.organisations else 0


@dataclass(frozen=True)
class Worklist:
    rounds: list[OpenRound]
    to_review: list[Assessment]
    to_review_count: int
    overdue: list[Assessment]
    overdue_count: int


def coordinator_worklist(user: Any) -> Worklist:
    """The coordinator's work in the regions they coordinate (a handful of queries)."""
    today = timezone.localdate()
    regions = access.regions_for(user, Role.COORDINATOR)
    further = [AssessmentState.SUBMITTED, AssessmentState.REVIEWED, AssessmentState.FINAL]
    rounds = (
        Round.objects.filter(region__in=regions)
        .select_related("framework", "region")
        .annotate(
            organisations=Count("assessments"),
            submitted=Count("assessments", filter=Q(assessments__state__in=further)),
            late=Count(
                "assessments",
                filter=Q(assessments__state=AssessmentState.CONCEPT, deadline__lt=today),
            ),
        )
        .order_by("deadline", "pk")
    )
    mine = Assessment.objects.for_user(user, Level.DETAIL).filter(round__region__in=regions)
    review = mine.filter(state=AssessmentState.SUBMITTED).select_related("organisation", "round")
    late = mine.filter(state=AssessmentState.CONCEPT, round__deadline__lt=today).select_related(
        "organisation", "round"
    )
    return Worklist(
        rounds=[OpenRound(r, r.organisations, r.submitted, r.late) for r in rounds],
        to_review=list(review.order_by("submitted_at", "pk")[:SHOWN]),
        to_review_count=review.count(),
        overdue=list(late.order_by("round__deadline", "organisation__name")[:SHOWN]),
        overdue_count=late.count(),
    )
