"""The dependency register: an organisation's suppliers and the regional picture."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from weerbaar.dependencies.forms import DependencyForm
from weerbaar.dependencies.models import Dependency, DependencyCategory
from weerbaar.dependencies.register import (
    DuplicateDependency,
    StaleDependency,
    dependency_delete,
    dependency_save,
    dependency_state,
    register,
)
from weerbaar.ids import int_or_none
from weerbaar.organisations import access
from weerbaar.organisations.access import Level


@login_required
def organisation_dependencies(request: HttpRequest, pk: int) -> HttpResponse:
    organisation = access.get_organisation(request.user, pk, Level.DETAIL)
    return render(
        request,
        "dependencies/dependencies.html",
        {
            "organisation": organisation,
            "dependencies": organisation.dependencies.order_by("category", "supplier"),
            "categories": DependencyCategory.choices,
            "can_manage": access.can(request.user, organisation, Level.MANAGE),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def dependency_edit(
    request: HttpRequest, pk: int, dependency_pk: int | None = None
) -> HttpResponse:
    organisation = access.get_organisation(request.user, pk, Level.MANAGE)
    dependency = None
    if dependency_pk is not None:
        dependency = access.get_scoped(
            Dependency.objects.all(),
            request.user,
            Level.MANAGE,
            pk=dependency_pk,
            organisation=organisation,
        )
    initial: dict[str, object] = {"category": request.GET.get("categorie", "")}
    if dependency is not None:
        initial = dependency_state(dependency)
    form = DependencyForm(request.POST if request.method == "POST" else None, initial=initial)
    if request.method == "POST" and request.POST.get("verwijderen") and dependency is not None:
        try:
            dependency_delete(
                dependency=dependency,
                by=request.user,
                expected_version=int_or_none(request.POST.get("version")) or 0,
            )
        except StaleDependency:
            messages.error(
                request,
                _("Niet verwijderd: iemand anders heeft deze leverancier intussen gewijzigd."),
            )
            return redirect(
                "dependencies:dependency_edit", pk=organisation.pk, dependency_pk=dependency.pk
            )
        messages.success(request, _("Leverancier verwijderd."))
        return redirect("dependencies:dependencies", pk=organisation.pk)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            dependency_save(
                organisation=organisation,
                by=request.user,
                category=data["category"],
                supplier=data["supplier"],
                origin=data["origin"],
                alternative=data["alternative"],
                note=data["note"],
                dependency=dependency,
                expected_version=data["version"],
            )
        except StaleDependency as stale:
            messages.error(
                request,
                _(
                    "Niet opgeslagen: iemand anders heeft deze leverancier intussen gewijzigd. "
                    "Hieronder staat de actuele versie; breng uw wijziging opnieuw aan."
                ),
            )
            if stale.current is None:  # removed meanwhile
                return redirect("dependencies:dependencies", pk=organisation.pk)
            return redirect(
                "dependencies:dependency_edit", pk=organisation.pk, dependency_pk=stale.current.pk
            )
        except DuplicateDependency:
            form.add_error("supplier", _("Deze leverancier staat al in deze categorie."))
        else:
            messages.success(request, _("Leverancier opgeslagen."))
            return redirect("dependencies:dependencies", pk=organisation.pk)
    return render(
        request,
        "dependencies/dependency_form.html",
        {"organisation": organisation, "form": form, "dependency": dependency},
        status=400 if request.method == "POST" else 200,
    )


@login_required
def region_dependencies(request: HttpRequest, pk: int) -> HttpResponse:
    region = access.get_region(request.user, pk, *access.READS_REGION)
    return render(
        request,
        "dependencies/region_dependencies.html",
        {"region": region, "register": register(request.user, region), "round": None},
    )
