"""The gap list and theme scores of one organisation's self-assessment."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render

from weerbaar.assessments.models import Assessment
from weerbaar.organisations import access
from weerbaar.organisations.access import Level

from .gaps import insight


def assessment_for_insight(user: object, pk: int) -> Assessment:
    """Gaps are organisation-level data: admins, coordinators and sharing readers (404 for
    everyone else, respondents included)."""
    queryset = access.scope(
        Assessment.objects.select_related("round", "round__framework", "organisation"),
        user,
        Level.DETAIL,
    )
    assessment = queryset.filter(pk=pk).first()
    if assessment is None:
        raise Http404("Not found")
    return assessment


@login_required
def gaps(request: HttpRequest, pk: int) -> HttpResponse:
    assessment = assessment_for_insight(request.user, pk)
    return render(
        request, "insights/gaps.html", {"assessment": assessment, "insight": insight(assessment)}
    )
