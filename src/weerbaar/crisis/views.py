"""The crisis screens: an organisation's incidents, one incident with its live action cards
and its logbook."""

from __future__ import annotations

import datetime

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_http_methods, require_POST

from weerbaar.ids import int_or_none
from weerbaar.organisations import access
from weerbaar.organisations.services import members

from . import incidents as domain
from . import status
from .context import card_context
from .forms import IncidentForm, LogForm
from .messages import unacknowledged
from .models import Incident, StepState


def _incident(request: HttpRequest, pk: int) -> Incident:
    incident = (
        domain.incidents_for(request.user)
        .select_related("organisation__region", "framework")
        .filter(pk=pk)
        .first()
    )
    if incident is None:
        raise Http404("Incident not found")
    return incident


@login_required
def incident_list(request: HttpRequest, pk: int) -> HttpResponse:
    organisation = domain.team_organisation(request.user, pk)
    incidents = domain.incidents_for(request.user).filter(organisation=organisation)
    return render(
        request,
        "crisis/incident_list.html",
        {
            "organisation": organisation,
            "incidents": incidents.prefetch_related("disbalansen"),
            "may_open": domain.may_open(request.user, organisation),
            "due": status.due(organisation),
            "unread": unacknowledged(request.user, organisation),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def incident_new(request: HttpRequest, pk: int) -> HttpResponse:
    organisation = domain.team_organisation(request.user, pk)
    if not domain.may_open(request.user, organisation):
        raise access.NotAllowed(_("Alleen de organisatiebeheerder opent een incident."))
    framework = domain.action_cards()
    cards = [(s.code, f"{s.code} · {s.title}") for s in framework.sections.order_by("order")]
    locations = list(organisation.locations.order_by("name"))
    form = IncidentForm(
        request.POST if request.method == "POST" else None,
        cards=cards,
        locations=locations,
        initial={"started_at": timezone.localtime().replace(second=0, microsecond=0)},
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        chosen = [loc for loc in locations if str(loc.pk) in set(data["locations"])]
        try:
            incident = domain.incident_open(
                organisation=organisation,
                title=data["title"],
                codes=data["codes"],
                by=request.user,
                started_at=data["started_at"],
                is_exercise=data["is_exercise"],
                locations=chosen,
            )
        except domain.IncidentInvalid as exc:
            form.add_error(None, str(exc))
        else:
            return redirect("crisis:incident", pk=incident.pk)
    return render(
        request,
        "crisis/incident_form.html",
        {"organisation": organisation, "form": form},
        status=400 if request.method == "POST" else 200,
    )


def _page(request: HttpRequest, incident: Incident, **extra: object) -> dict[str, object]:
    active = set(incident.disbalansen.values_list("code", flat=True))
    cards = domain.cards(incident)
    for card in cards:
        card.context = card_context(incident, card.section.code)
    return {
        "incident": incident,
        "cards": cards,
        "others": [
            s for s in incident.framework.sections.order_by("order") if s.code not in active
        ],
        "log": incident.log.select_related("corrects").prefetch_related("corrections"),
        "log_form": LogForm(),
        "people": list(members(incident.organisation)),
        "states": StepState,
        "may_close": domain.may_open(request.user, incident.organisation),
        "team": domain.in_team(request.user, incident),
        "works": domain.in_team(request.user, incident) and incident.state == "open",
        "due": status.due(incident.organisation),
        **extra,
    }


@login_required
def incident_detail(request: HttpRequest, pk: int) -> HttpResponse:
    incident = _incident(request, pk)
    return render(request, "crisis/incident_detail.html", _page(request, incident))


@login_required
@require_POST
def disbalans_activate(request: HttpRequest, pk: int) -> HttpResponse:
    incident = _incident(request, pk)
    code = request.POST.get("code", "")
    try:
        if domain.disbalans_activate(incident=incident, code=code, by=request.user):
            messages.success(request, _("Disbalans %(code)s is actief.") % {"code": code})
    except domain.IncidentInvalid as exc:
        messages.error(request, str(exc))
    return redirect(f"{incident_url(incident)}#card-{code}")


@login_required
@require_POST
def step_update(request: HttpRequest, pk: int, code: str) -> HttpResponse:
    incident = _incident(request, pk)
    if not domain.in_team(request.user, incident):
        raise access.NotAllowed(_("Alleen het crisisteam werkt aan een lopend incident."))
    post = request.POST
    error = ""
    try:
        assignee: object = "unchanged"
        if "assignee" in post:
            chosen = int_or_none(post.get("assignee"))
            assignee = domain.colleague(incident, pk=chosen) if chosen else None
        domain.step_set(
            incident=incident,
            code=code,
            by=request.user,
            expected_version=int_or_none(post.get("version")) or 0,
            state=post.get("state") or None,
            note=post.get("note") if "note" in post else None,
            skip_reason=post.get("skip_reason", ""),
            assignee=assignee,
        )
    except domain.StaleStep:
        error = _("Niet opgeslagen: iemand anders heeft deze stap intussen gewijzigd.")
    except domain.IncidentInvalid as exc:
        error = str(exc)
    if request.htmx:  # type: ignore[attr-defined]
        found = next(
            (
                (card, s)
                for card in domain.cards(incident)
                for p in card.phases
                for s in p.steps
                if s.step.code == code
            ),
            None,
        )
        if found is None:
            raise Http404("Step not found")
        card, view = found
        return render(
            request,
            "crisis/_step.html",
            {
                "incident": incident,
                "s": view,
                "oob_card": card,  # its count goes along (out of band)
                "works": True,  # only the team gets here
                "people": list(members(incident.organisation)),
                "states": StepState,
                "error": error,
            },
            status=422 if error else 200,
        )
    if error:
        messages.error(request, error)
    return redirect(f"{incident_url(incident)}#step-{code}")


@login_required
@require_POST
def log_add(request: HttpRequest, pk: int) -> HttpResponse:
    incident = _incident(request, pk)
    form = LogForm(request.POST)
    corrects = None
    if form.is_valid() and form.cleaned_data["corrects"]:
        corrects = incident.log.filter(pk=form.cleaned_data["corrects"]).first()
    if not form.is_valid():
        return render(
            request,
            "crisis/incident_detail.html",
            _page(request, incident, log_form=form),
            status=400,
        )
    try:
        domain.log_add(
            incident=incident,
            kind=form.cleaned_data["kind"],
            text=form.cleaned_data["text"],
            by=request.user,
            corrects=corrects,
        )
    except domain.IncidentInvalid as exc:
        form.add_error("text", str(exc))
        return render(
            request,
            "crisis/incident_detail.html",
            _page(request, incident, log_form=form),
            status=400,
        )
    messages.success(request, _("In het logboek gezet."))
    return redirect(f"{incident_url(incident)}#logboek")


@login_required
@require_http_methods(["GET", "POST"])
def incident_close(request: HttpRequest, pk: int) -> HttpResponse:
    """Close after Normaliseren: the evaluation, and the lessons for the improvement plan."""
    incident = _incident(request, pk)
    if not domain.may_open(request.user, incident.organisation) or incident.state != "open":
        raise access.NotAllowed(_("Alleen de organisatiebeheerder sluit een lopend incident."))
    evaluation = request.POST.get("evaluatie", "")
    lessons = request.POST.get("lessen", "")
    error = ""
    if request.method == "POST":
        try:
            actions = domain.incident_close(
                incident=incident,
                by=request.user,
                evaluation=evaluation,
                lessons=lessons.splitlines(),
            )
        except domain.IncidentInvalid as exc:
            error = str(exc)
        else:
            messages.success(
                request,
                ngettext(
                    "Incident gesloten. %(n)d les staat in het verbeterplan.",
                    "Incident gesloten. %(n)d lessen staan in het verbeterplan.",
                    len(actions),
                )
                % {"n": len(actions)},
            )
            return redirect("crisis:incident", pk=incident.pk)
    return render(
        request,
        "crisis/incident_close.html",
        {
            "incident": incident,
            "open_steps": domain.open_normalising_steps(incident),
            "evaluation": evaluation,
            "lessons": lessons,
            "error": error,
        },
        status=400 if error else 200,
    )


def incident_url(incident: Incident) -> str:
    return reverse("crisis:incident", args=[incident.pk])


@login_required
def exercises(request: HttpRequest, pk: int) -> HttpResponse:
    """The organisation's exercises of the last twelve months: evidence beside the
    self-assessment (the Kader's "Geborgd" asks for one). For its crisis team."""
    organisation = domain.team_organisation(request.user, pk)
    since = timezone.now() - datetime.timedelta(days=365)
    done = list(
        domain.incidents_for(request.user)
        .filter(organisation=organisation, is_exercise=True, started_at__gte=since)
        .prefetch_related("disbalansen")
        .order_by("-started_at")
    )
    return render(
        request, "crisis/_exercises.html", {"organisation": organisation, "exercises": done}
    )
