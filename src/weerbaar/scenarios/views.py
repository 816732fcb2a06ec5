"""The screens of the scenarios app (so far: the power-dependent clients at home)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from weerbaar.organisations import access
from weerbaar.organisations.access import Level

from . import clients as domain
from .forms import ClientsForm
from .models import PowerDependentClients


@login_required
@require_http_methods(["GET", "POST"])
def clients(request: HttpRequest, pk: int) -> HttpResponse:
    """An organisation's clients at home who depend on power, per municipality and device."""
    organisation = access.get_organisation(request.user, pk, Level.DETAIL)
    keeps = domain.may_keep(request.user, organisation)
    form = ClientsForm(request.POST if request.method == "POST" else None)
    if request.method == "POST":
        if not keeps:
            raise access.NotAllowed(_("Alleen de organisatiebeheerder en de regio houden dit bij."))
        if form.is_valid():
            try:
                domain.clients_add(
                    organisation=organisation, by=request.user, values=dict(form.cleaned_data)
                )
            except domain.ClientsInvalid as exc:
                form.add_error(None, str(exc))
            else:
                messages.success(request, _("Opgeslagen."))
                return redirect("scenarios:clients", pk=organisation.pk)
    groups = list(
        PowerDependentClients.objects.for_user(request.user)
        .filter(organisation=organisation)
        .order_by("municipality", "device")
    )
    return render(
        request,
        "scenarios/clients.html",
        {
            "organisation": organisation,
            "groups": groups,
            "total": sum(g.count for g in groups),
            "form": form,
            "keeps": keeps,
        },
        status=400 if request.method == "POST" else 200,
    )


@login_required
@require_POST
def clients_remove(request: HttpRequest, pk: int) -> HttpResponse:
    group = access.get_scoped(
        PowerDependentClients.objects.select_related("organisation__region"),
        request.user,
        Level.DETAIL,
        pk=pk,
    )
    domain.clients_remove(group=group, by=request.user)
    messages.success(request, _("Verwijderd."))
    return redirect("scenarios:clients", pk=group.organisation_id)
