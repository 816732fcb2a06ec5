"""Regional recommendations (Zorgrisicoprofiel adviezen) per actor."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from weerbaar.frameworks.models import Item
from weerbaar.organisations import access
from weerbaar.organisations.models import Role

from ..forms import RecommendationForm
from ..models import (
    RecommendationState,
    RecommendationStatus,
)
from ..recommendations import (
    StaleRecommendation,
    TooManyCodes,
    UnknownCodes,
    recommendation_set,
    recommendation_state,
    recommendations_framework,
)
from ..recommendations import overview as recommendation_overview
from .common import coordinates, region_for_insight


@login_required
def recommendations(request: HttpRequest, pk: int) -> HttpResponse:
    region = region_for_insight(request.user, pk)
    result = recommendation_overview(request.user, region)
    return render(
        request,
        "insights/recommendations.html",
        {
            "region": region,
            "overview": result,
            "states": RecommendationState.choices,
            "can_manage": coordinates(request.user, region),
            "round": None,
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def recommendation_edit(request: HttpRequest, pk: int, item_pk: int, role_key: str) -> HttpResponse:
    region = access.regions_for(request.user, Role.COORDINATOR).filter(pk=pk).first()
    framework = recommendations_framework()
    if region is None or framework is None:
        raise Http404("Not found")
    item = (
        Item.objects.filter(pk=item_pk, section__framework=framework)
        .prefetch_related("responsible_links__role")
        .first()
    )
    role = (
        next(
            (link.role for link in item.responsible_links.all() if link.role.key == role_key), None
        )
        if item
        else None
    )
    if item is None or role is None:
        raise Http404("Not found")
    status = RecommendationStatus.objects.filter(region=region, item=item, role=role).first()
    initial: dict[str, object] = {"version": 0, "state": RecommendationState.NOT_STARTED}
    if status is not None:
        initial = recommendation_state(status)
    form = RecommendationForm(request.POST if request.method == "POST" else None, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            recommendation_set(
                region=region,
                item=item,
                role=role,
                by=request.user,
                state=data["state"],
                owner=data["owner"],
                linked_codes=data["linked_codes"],
                note=data["note"],
                expected_version=data["version"] or 0,
            )
        except StaleRecommendation:  # someone else saved first (or the row is new)
            messages.error(
                request,
                _(
                    "Niet opgeslagen: iemand anders heeft deze status intussen gewijzigd. "
                    "Hieronder staat de actuele versie; breng uw wijziging opnieuw aan."
                ),
            )
            return redirect(request.path)
        except UnknownCodes as unknown:
            form.add_error(
                "linked_codes",
                _("Onbekende vraagcodes: %(codes)s") % {"codes": ", ".join(unknown.codes)},
            )
        except TooManyCodes as too_many:
            form.add_error(
                "linked_codes",
                _("Te veel vraagcodes: samen hoogstens %(n)d tekens.") % {"n": too_many.limit},
            )
        else:
            messages.success(request, _("Status opgeslagen."))
            return redirect("insights:recommendations", pk=region.pk)
    return render(
        request,
        "insights/recommendation_form.html",
        {
            "region": region,
            "item": item,
            "role": role,
            "form": form,
            "history": status.updates.select_related("by")[:20] if status else [],
            "round": None,
        },
        status=400 if request.method == "POST" else 200,
    )
