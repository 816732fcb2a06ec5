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
from weerbaar.organisations.access import coordinates
from weerbaar.recommendations.forms import RecommendationForm
from weerbaar.recommendations.models import RecommendationState, RecommendationStatus
from weerbaar.recommendations.status import (
    StaleRecommendation,
    TooManyCodes,
    UnknownCodes,
    may_keep,
    recommendation_set,
    recommendation_state,
    recommendations_framework,
)
from weerbaar.recommendations.status import overview as recommendation_overview


@login_required
def recommendations(request: HttpRequest, pk: int) -> HttpResponse:
    region = access.get_region(request.user, pk, *access.READS_REGION)
    result = recommendation_overview(request.user, region)
    return render(
        request,
        "recommendations/recommendations.html",
        {
            "region": region,
            "overview": result,
            "states": RecommendationState.choices,
            "can_manage": coordinates(request.user, region),
            "keeps": access.speaks_for(request.user, region),
            "round": None,
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def recommendation_edit(request: HttpRequest, pk: int, item_pk: int, role_key: str) -> HttpResponse:
    region = access.get_region(request.user, pk, *access.READS_REGION)
    framework = recommendations_framework()
    if framework is None:
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
    if not may_keep(request.user, region, role):
        raise access.NotAllowed(
            _("Alleen de regiocoördinator en de partij zelf houden deze status bij.")
        )
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
            return redirect("recommendations:recommendations", pk=region.pk)
    return render(
        request,
        "recommendations/recommendation_form.html",
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
