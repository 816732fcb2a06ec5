from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db.models import Count
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from weerbaar.frameworks.models import Framework, FrameworkKind

from . import access
from .access import Level
from .forms import FunctionariesForm
from .services import (
    StaleMapping,
    functionaries_set,
    functionary_rows,
    mapping_version,
    members,
    responsible_roles,
    role_item_counts,
)


@login_required
def organisation_list(request: HttpRequest) -> HttpResponse:
    organisations = access.organisations_for(request.user, Level.LIST).annotate(
        location_count=Count("locations", distinct=True)
    )
    sector = request.GET.get("sector", "")
    if sector:
        organisations = organisations.filter(sector=sector)
    detail_ids = set(
        access.organisations_for(request.user, Level.DETAIL).values_list("pk", flat=True)
    )
    return render(
        request,
        "organisations/list.html",
        {
            "organisations": organisations,
            "detail_ids": detail_ids,
            "sector": sector,
            "sectors": _sector_choices(),
        },
    )


def _sector_choices() -> list[tuple[str, str]]:
    from .models import Sector

    return [(value, str(label)) for value, label in Sector.choices]


def _questionnaires() -> list[Framework]:
    return list(
        Framework.objects.filter(
            kind__in=[FrameworkKind.QUESTIONNAIRE, FrameworkKind.ACTION_CARDS]
        ).order_by("slug", "-version")
    )


@login_required
def organisation_detail(request: HttpRequest, pk: int) -> HttpResponse:
    organisation = access.get_organisation(request.user, pk, Level.DETAIL)
    roles = responsible_roles(_questionnaires())
    return render(
        request,
        "organisations/detail.html",
        {
            "organisation": organisation,
            "locations": organisation.locations.all(),
            "memberships": access.members_of(request.user, organisation),
            "functionaries": [row for row in functionary_rows(organisation, roles) if row.people],
            "unmapped": [row for row in functionary_rows(organisation, roles) if not row.people],
            "can_manage": access.can(request.user, organisation, Level.MANAGE),
            "in_crisis_team": access.sees_drafts(request.user, organisation),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def organisation_functionaries(request: HttpRequest, pk: int) -> HttpResponse:
    organisation = access.get_organisation(request.user, pk, Level.MANAGE)
    roles = responsible_roles(_questionnaires())
    people = members(organisation)
    initial: dict[str, object] = {
        f"role_{row.key}": [person.pk for person in row.people]
        for row in functionary_rows(organisation, roles)
    }
    initial["version"] = mapping_version(organisation)
    data = request.POST if request.method == "POST" else None
    counts = role_item_counts(organisation, _questionnaires())
    form = FunctionariesForm(data, roles=roles, people=people, counts=counts, initial=initial)
    if form.is_valid():
        try:
            added, removed = functionaries_set(
                organisation=organisation,
                mapping=form.mapping(),
                by=request.user,  # type: ignore[arg-type]
                expected_version=form.cleaned_data["version"],
            )
        except StaleMapping:
            messages.error(
                request,
                _(
                    "Niet opgeslagen: iemand anders heeft de functionarissen intussen "
                    "gewijzigd. Hieronder staat de actuele koppeling; breng uw wijziging "
                    "opnieuw aan."
                ),
            )
            return redirect("organisations:functionaries", pk=organisation.pk)
        messages.success(
            request,
            _("Functionarissen opgeslagen: %(added)d toegevoegd, %(removed)d verwijderd.")
            % {"added": added, "removed": removed},
        )
        return redirect("organisations:detail", pk=organisation.pk)
    return render(
        request,
        "organisations/functionaries.html",
        {"organisation": organisation, "form": form, "has_people": people.exists()},
        status=400 if request.method == "POST" else 200,
    )


@login_required
@require_POST
def organisation_invite(request: HttpRequest, pk: int, user_pk: int) -> HttpResponse:
    """E-mail a colleague a one-time sign-in link to their questions."""
    from weerbaar.accounts.links import LinkRefused, sign_in_link_send

    organisation = access.get_organisation(request.user, pk, Level.MANAGE)
    person = members(organisation).filter(pk=user_pk).first()
    if person is None:
        raise Http404("Not a member")
    try:
        sign_in_link_send(
            user=person,
            by=request.user,
            base_url=settings.WEERBAAR_BASE_URL,
            organisation=organisation,
        )
    except LinkRefused:
        messages.error(
            request,
            _(
                "%(name)s meldt zich aan met wachtwoord en authenticator-app; een "
                "aanmeldlink is voor deze rol niet toegestaan."
            )
            % {"name": person.get_full_name()},
        )
    else:
        messages.success(
            request,
            _("Aanmeldlink gestuurd naar %(email)s (7 dagen geldig).") % {"email": person.email},
        )
    return redirect("organisations:detail", pk=organisation.pk)
