"""The screens of what an organisation tells and asks the region during a crisis — status
reports and support requests — and the region's crisis picture."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from weerbaar.downloads import download
from weerbaar.ids import int_or_none
from weerbaar.organisations import access
from weerbaar.organisations.models import Role

from . import status as domain
from .forms import StatusReportForm, SupportForm
from .have import beds_csv, have_xml
from .messages import unacknowledged
from .models import SupportState
from .picture import picture


@login_required
@require_http_methods(["GET", "POST"])
def report_new(request: HttpRequest, pk: int) -> HttpResponse:
    """File a status report, prefilled from the previous one (or the established answers)."""
    organisation = domain.reporting_organisation(request.user, pk)
    running = domain.open_incidents(organisation)
    exercise = bool(running) and running[0].is_exercise
    begin = domain.start(organisation, exercise=exercise, user=request.user)
    if request.method == "POST":
        form = StatusReportForm(request.POST)
        if form.is_valid():
            try:
                domain.report_add(
                    organisation=organisation,
                    by=request.user,
                    figures=dict(form.cleaned_data),
                    incident=domain.chosen_incident(organisation, request.POST.get("incident")),
                    prefilled_from=request.POST.get("prefilled_from", ""),
                )
            except domain.ReportInvalid as exc:
                for name, errors in exc.errors.items():
                    for error in errors:
                        form.add_error(name if name in form.fields else None, error)
            else:
                messages.success(request, _("Situatierapport doorgegeven aan de regio."))
                return redirect("crisis:reports", pk=organisation.pk)
    else:
        form = StatusReportForm(initial=begin.initial)
    return render(
        request,
        "crisis/report_form.html",
        {
            "organisation": organisation,
            "form": form,
            "begin": begin,
            "running": running,
            "chosen": request.POST.get("incident", ""),
            "on_behalf": organisation.pk not in access.grants(request.user).organisation_roles,
            "sections": _sections(form),
        },
        status=400 if request.method == "POST" else 200,
    )


def _sections(form: StatusReportForm) -> list[tuple[str, list[Any]]]:
    """The form's fields in the groups a reader expects."""
    groups = (
        (_("Beschikbare bedden"), [name for name, _key in domain.BEDS]),
        (
            _("Noodstroom, water en medische gassen"),
            ["on_emergency_power", "power_hours", "fuel_litres", "water_hours", "medical_gases"],
        ),
        (_("Telecommunicatie"), list(domain.CHANNELS)),
        (_("Personeel en tekorten"), ["staff_shortage_pct", "critical_shortages"]),
        (_("Contact en toelichting"), ["contact_name", "contact_phone", "notes"]),
    )
    return [(title, [form[name] for name in names]) for title, names in groups]


@login_required
def reports(request: HttpRequest, pk: int) -> HttpResponse:
    """Every report of the organisation, newest first (none is ever overwritten)."""
    organisation = domain.reporting_organisation(request.user, pk)
    kept = list(
        domain.reports_for(request.user)
        .filter(organisation=organisation)
        .select_related("incident")
        .order_by("-reported_at", "-pk")[:200]
    )
    return render(
        request,
        "crisis/report_list.html",
        {
            "organisation": organisation,
            "reports": kept,
            "due": domain.due(organisation),
            "fields": _columns(),
            "support": list(
                domain.support_for(request.user)
                .filter(organisation=organisation)
                .select_related("handled_by")[:100]
            ),
            "asks": access.sees_drafts(request.user, organisation),
            "unread": unacknowledged(request.user, organisation),
        },
    )


def _columns() -> list[tuple[str, str]]:
    from .models import StatusReport

    return [
        (name, str(getattr(StatusReport._meta.get_field(name), "verbose_name", name)))
        for name in domain.FIGURES
        if name not in ("contact_name", "contact_phone", "notes", "critical_shortages")
    ]


@login_required
@require_http_methods(["GET", "POST"])
def support_new(request: HttpRequest, pk: int) -> HttpResponse:
    organisation = domain.reporting_organisation(request.user, pk)
    if not access.sees_drafts(request.user, organisation):
        raise access.NotAllowed(_("Alleen de organisatie zelf vraagt ondersteuning."))
    running = domain.open_incidents(organisation)
    form = SupportForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            domain.support_ask(
                organisation=organisation,
                by=request.user,
                incident=domain.chosen_incident(organisation, request.POST.get("incident")),
                **form.cleaned_data,
            )
        except domain.ReportInvalid as exc:
            for name, errors in exc.errors.items():
                for error in errors:
                    form.add_error(name if name in form.fields else None, error)
        else:
            messages.success(request, _("Uw verzoek om ondersteuning staat bij de GHOR."))
            return redirect("crisis:reports", pk=organisation.pk)
    return render(
        request,
        "crisis/support_form.html",
        {
            "organisation": organisation,
            "form": form,
            "running": running,
            "chosen": request.POST.get("incident", ""),
        },
        status=400 if request.method == "POST" else 200,
    )


@login_required
@require_http_methods(["GET", "POST"])
def support_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """One support request: the organisation follows it, the GHOR moves it on and replies."""
    found = (
        domain.support_for(request.user)
        .select_related("organisation__region", "requested_by", "handled_by", "incident")
        .filter(pk=pk)
        .first()
    )
    if found is None:
        raise Http404("Support request not found")
    handles = domain.may_handle(request.user, found)
    error: dict[str, list[str]] = {}
    state, reply = found.state, found.reply
    if request.method == "POST":
        if not handles:
            raise access.NotAllowed(
                _("Alleen de GHOR en de regiocoördinatoren behandelen verzoeken.")
            )
        state = request.POST.get("state", "")
        reply = request.POST.get("reply", "")
        try:
            domain.support_move(
                request=found,
                by=request.user,
                state=state,
                reply=reply,
                expected_version=int_or_none(request.POST.get("version")) or 0,
            )
        except domain.StaleRequest:
            stale = _(
                "Niet opgeslagen: iemand anders heeft dit verzoek intussen bijgewerkt. "
                "Hieronder staat de nieuwe stand."
            )
            error = {"": [stale]}
            found.refresh_from_db()
            state, reply = found.state, found.reply
        except domain.ReportInvalid as exc:
            error = exc.errors
        else:
            messages.success(
                request, _("Verzoek bijgewerkt; de organisatie ziet de nieuwe status.")
            )
            return redirect(
                "crisis:picture_exercise" if found.is_exercise else "crisis:picture",
                pk=found.organisation.region_id,
            )
    return render(
        request,
        "crisis/support_detail.html",
        {
            "request_": found,
            "handles": handles,
            "states": [
                (s, SupportState(s).label) for s in (found.state, *domain.FORWARD[found.state])
            ],
            "state": state,
            "reply": reply,
            "errors": error,
        },
        status=400 if error else 200,
    )


@login_required
def picture_view(request: HttpRequest, pk: int, exercise: bool = False) -> HttpResponse:
    """The regional crisis picture; htmx asks for the body again every 30 seconds."""
    region = domain.region_of(request.user, pk)
    context = {
        "picture": picture(region, exercise=exercise),
        "coordinates": access.coordinates(request.user, region),
        "refresh": settings.WEERBAAR_PICTURE_REFRESH_SECONDS,
    }
    if request.htmx:  # type: ignore[attr-defined]
        return render(request, "crisis/_picture.html", context)
    return render(request, "crisis/picture.html", context)


@login_required
@require_POST
def interval_set(request: HttpRequest, pk: int) -> HttpResponse:
    """A coordinator sets how often the region asks for a status report."""
    region = access.get_region(request.user, pk, Role.COORDINATOR)
    try:
        hours = domain.interval_set(region=region, by=request.user, hours=request.POST.get("hours"))
    except domain.ReportInvalid as exc:
        messages.error(request, str(exc))
    else:
        messages.success(
            request, _("De regio vraagt nu elke %(n)d uur een situatierapport.") % {"n": hours}
        )
    return redirect("crisis:picture", pk=region.pk)


def _beds_download(
    request: HttpRequest, reports: list[Any], name: str, exercise: bool, kind: str, back: str
) -> HttpResponse:
    if not reports:
        messages.error(request, _("Er is nog geen situatierapport om te exporteren."))
        return redirect(back)
    stamp = timezone.localtime().strftime("%Y%m%d-%H%M")
    prefix = "oefening-" if exercise else ""
    if kind == "csv":
        return download(beds_csv(reports), f"{prefix}bedden-{name}-{stamp}.csv", "text/csv")
    return download(have_xml(reports), f"{prefix}bedden-{name}-{stamp}.have.xml", "application/xml")


@login_required
def beds_export(request: HttpRequest, pk: int, kind: str) -> HttpResponse:
    """The organisation's bed availability from its latest report (EDXL-HAVE or CSV)."""
    organisation = domain.reporting_organisation(request.user, pk)
    exercise = request.GET.get("oefening") == "1"
    latest = (
        domain.reports_for(request.user)
        .filter(organisation=organisation, is_exercise=exercise)
        .select_related("organisation")
        .order_by("-reported_at", "-pk")
        .first()
    )
    return _beds_download(
        request,
        [latest] if latest else [],
        slugify(organisation.name),
        exercise,
        kind,
        reverse("crisis:reports", args=[organisation.pk]),
    )


@login_required
def region_beds_export(request: HttpRequest, pk: int, kind: str) -> HttpResponse:
    """The region's bed availability: each organisation's latest report in the picture."""
    region = domain.region_of(request.user, pk)
    exercise = request.GET.get("oefening") == "1"
    found = picture(region, exercise=exercise)
    reports = [row.latest for row in found.rows if row.latest is not None]
    back = reverse("crisis:picture_exercise" if exercise else "crisis:picture", args=[region.pk])
    return _beds_download(request, reports, region.code, exercise, kind, back)
