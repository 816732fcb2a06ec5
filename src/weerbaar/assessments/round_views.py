"""Pages of rounds (uitvragen): the list, opening one (at once or in the background, with its
progress), and a round's overview."""

from __future__ import annotations

import datetime
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db.models import Count, Q
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from weerbaar.organisations import access
from weerbaar.organisations.access import Level
from weerbaar.organisations.models import Role

from . import rounds
from .forms import RoundForm
from .models import AssessmentState, Round, RoundOpening
from .progress import round_progress
from .routing import assessments_for


def _rounds_for(user: Any) -> Any:
    regions = access.regions_for(user, Role.COORDINATOR, Role.REGION_READER)
    visible = assessments_for(user).values("round_id")
    return (
        Round.objects.filter(Q(region__in=regions) | Q(pk__in=visible))
        .select_related("framework", "region")
        .annotate(
            assessment_count=Count("assessments", distinct=True),
            submitted_count=Count(
                "assessments",
                filter=~Q(assessments__state=AssessmentState.CONCEPT),
                distinct=True,
            ),
        )
        .order_by("-opens_on", "title")
    )


def _openings_for(user: Any) -> Any:
    """Openings in the regions the user coordinates, newest first."""
    return RoundOpening.objects.filter(
        region__in=access.regions_for(user, Role.COORDINATOR)
    ).select_related("framework", "round")


@login_required
def round_list(request: HttpRequest) -> HttpResponse:
    """Coordinators and readers open a round's overview; organisations their own
    assessment in it. Coordinators also see the rounds still being opened."""
    overview_regions = set(
        access.regions_for(request.user, Role.COORDINATOR, Role.REGION_READER).values_list(
            "pk", flat=True
        )
    )
    own = {a.round_id: a for a in assessments_for(request.user)}
    rows = []
    for round_ in _rounds_for(request.user):
        if round_.region_id in overview_regions:
            url = reverse("assessments:round", args=[round_.pk])
        else:
            url = reverse("assessments:detail", args=[own[round_.pk].pk])
        rows.append({"round": round_, "url": url, "assessment": own.get(round_.pk)})
    rounds.fail_stale_openings()
    recent = timezone.now() - datetime.timedelta(days=7)
    openings = list(
        _openings_for(request.user)
        .exclude(status=RoundOpening.Status.DONE)
        .exclude(status=RoundOpening.Status.FAILED, finished_at__lt=recent)[:10]
    )
    return render(
        request,
        "assessments/round_list.html",
        {
            "rows": rows,
            "openings": openings,
            "can_create": access.regions_for(request.user, Role.COORDINATOR).exists(),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def round_create(request: HttpRequest) -> HttpResponse:
    regions = access.regions_for(request.user, Role.COORDINATOR)
    region = regions.order_by("name").first()
    if region is None:
        raise PermissionDenied
    organisations = access.organisations_for(request.user, Level.MANAGE).filter(
        region=region, is_active=True
    )
    form = RoundForm(request.POST or None, organisations=organisations)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        choices = {
            "region": region,
            "framework": data["framework"],
            "organisations": data["chosen"],
            "title": data["title"],
            "opens_on": data["opens_on"],
            "deadline": data["deadline"],
            "introduction": data["introduction"],
            "prefill": data["prefill"],
            "by": request.user,
        }
        if len(data["chosen"]) > rounds.inline_limit():
            opening = rounds.round_opening_request(**choices)
            return redirect("assessments:round_opening", pk=opening.pk)
        new_round = rounds.round_open(**choices)
        messages.success(
            request,
            _("Uitvraag geopend voor %(count)d organisaties.") % {"count": len(data["chosen"])},
        )
        return redirect("assessments:round", pk=new_round.pk)
    return render(
        request,
        "assessments/round_form.html",
        {"form": form, "region": region},
        status=400 if request.method == "POST" else 200,
    )


def _opening(request: HttpRequest, pk: int) -> RoundOpening:
    """An opening in a region the user coordinates; another region's is a 404."""
    opening = _openings_for(request.user).filter(pk=pk).first()
    if opening is None:
        raise Http404("Opening not found")
    return opening


@login_required
def round_opening(request: HttpRequest, pk: int) -> HttpResponse:
    """The progress of a round being opened; the page asks again every two seconds until
    it is done (htmx), and can be left and come back to."""
    rounds.fail_stale_openings()
    opening = _opening(request, pk)
    htmx = bool(getattr(request, "htmx", False))
    template = "assessments/_round_opening.html" if htmx else "assessments/round_opening.html"
    return render(request, template, {"opening": opening})


@login_required
@require_POST
def round_opening_retry(request: HttpRequest, pk: int) -> HttpResponse:
    opening = _opening(request, pk)
    try:
        rounds.round_opening_retry(opening=opening, by=request.user)
    except ValueError as exc:
        messages.error(request, str(exc))
    return redirect("assessments:round_opening", pk=opening.pk)


@login_required
def round_detail(request: HttpRequest, pk: int) -> HttpResponse:
    regions = access.regions_for(request.user, Role.COORDINATOR, Role.REGION_READER)
    round_ = get_object_or_404(Round.objects.select_related("framework"), pk=pk, region__in=regions)
    assessments = access.scope(round_.assessments.all(), request.user, Level.LIST)
    detail_ids = set(
        access.organisations_for(request.user, Level.DETAIL).values_list("pk", flat=True)
    )
    listed = list(
        assessments.select_related("organisation", "round__framework").order_by(
            "organisation__name"
        )
    )
    shown = round_progress([a for a in listed if a.organisation_id in detail_ids], request.user)
    rows = [
        {
            "assessment": assessment,
            "visible": assessment.pk in shown,
            "progress": shown.get(assessment.pk),
        }
        for assessment in listed
    ]
    return render(request, "assessments/round_detail.html", {"round": round_, "rows": rows})
