"""An organisation's improvement plan (verbeterplan)."""

from __future__ import annotations

import datetime

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from weerbaar.accounts.models import User
from weerbaar.assessments.models import Assessment
from weerbaar.formatting import day
from weerbaar.frameworks.models import Item
from weerbaar.ids import int_or_none
from weerbaar.organisations import access
from weerbaar.organisations.access import Level
from weerbaar.organisations.models import Organisation
from weerbaar.organisations.services import members
from weerbaar.plan.actions import StaleAction, action_create, action_update, gap_states
from weerbaar.plan.forms import ActionForm
from weerbaar.plan.models import ActionStatus, ImprovementAction


def _people(organisation: Organisation) -> QuerySet[User]:
    return members(organisation).order_by("full_name", "email")


def _warn_if_past(
    request: HttpRequest, due_on: datetime.date | None, status: str = ActionStatus.OPEN
) -> None:
    """Saved as given, with a question: an open action due in the past is usually a typo."""
    still_open = status in (ActionStatus.OPEN, ActionStatus.IN_PROGRESS)
    if due_on is not None and still_open and due_on < timezone.localdate():
        messages.warning(
            request,
            _("De datum ‘gereed op’ (%(date)s) ligt in het verleden. Klopt dit?")
            % {"date": day(due_on)},
        )


@login_required
def plan(request: HttpRequest, pk: int) -> HttpResponse:
    organisation = access.get_organisation(request.user, pk, Level.DETAIL)
    actions = list(
        organisation.improvement_actions.select_related(
            "item", "item__section", "owner", "assessment__round"
        ).order_by("status", "due_on", "pk")
    )
    status = request.GET.get("status") or ""
    if status in ActionStatus.values:
        actions = [a for a in actions if a.status == status]
    states = gap_states(
        organisation,
        {a.item.code for a in actions if a.item},
        confidential=access.sees_confidential(request.user, organisation),
    )
    return render(
        request,
        "plan/plan.html",
        {
            "organisation": organisation,
            "rows": [(a, states.get(a.item.code) if a.item else None) for a in actions],
            "statuses": ActionStatus.choices,
            "status": status,
            "overdue": sum(1 for a in actions if a.is_overdue),
            "can_manage": access.can(request.user, organisation, Level.MANAGE),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def action_new(request: HttpRequest, pk: int) -> HttpResponse:
    organisation = access.get_organisation(request.user, pk, Level.MANAGE)
    assessment = None
    item = None
    if source := int_or_none(request.GET.get("zelfevaluatie") or request.POST.get("zelfevaluatie")):
        assessment = access.get_scoped(
            Assessment.objects.select_related("round"),
            request.user,
            Level.MANAGE,
            pk=source,
            organisation=organisation,
        )
        code = request.GET.get("hiaat") or request.POST.get("hiaat") or ""
        item = (
            Item.objects.filter(section__framework_id=assessment.round.framework_id, code=code)
            .select_related("section")
            .first()
        )
    form = ActionForm(
        request.POST if request.method == "POST" else None,
        people=_people(organisation),
        initial={"title": item.text[:300] if item else "", "status": ActionStatus.OPEN},
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        action_create(
            organisation=organisation,
            title=data["title"],
            description=data["description"],
            owner=data["owner"],
            due_on=data["due_on"],
            status=data["status"],
            item=item,
            assessment=assessment,
            by=request.user,
        )
        messages.success(request, _("Actie toegevoegd aan het verbeterplan."))
        _warn_if_past(request, form.cleaned_data["due_on"])
        return redirect("plan:plan", pk=organisation.pk)
    return render(
        request,
        "plan/action_form.html",
        {"organisation": organisation, "form": form, "item": item, "assessment": assessment},
        status=400 if request.method == "POST" else 200,
    )


@login_required
@require_http_methods(["GET", "POST"])
def action_edit(request: HttpRequest, pk: int, action_pk: int) -> HttpResponse:
    organisation = access.get_organisation(request.user, pk, Level.MANAGE)
    action = access.get_scoped(
        ImprovementAction.objects.select_related("item", "assessment__round"),
        request.user,
        Level.MANAGE,
        pk=action_pk,
        organisation=organisation,
    )
    initial = {
        "title": action.title,
        "description": action.description,
        "owner": action.owner_id,
        "due_on": action.due_on,
        "status": action.status,
        "version": action.version,
    }
    form = ActionForm(
        request.POST if request.method == "POST" else None,
        people=_people(organisation),
        initial=initial,
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            action_update(
                action=action,
                expected_version=data["version"] or 0,
                by=request.user,
                title=data["title"],
                description=data["description"],
                owner=data["owner"],
                due_on=data["due_on"],
                status=data["status"],
            )
        except StaleAction:
            messages.error(
                request,
                _(
                    "Niet opgeslagen: iemand anders heeft deze actie intussen gewijzigd. "
                    "Hieronder staat de actuele versie; breng uw wijziging opnieuw aan."
                ),
            )
            return redirect("plan:action_edit", pk=organisation.pk, action_pk=action.pk)
        messages.success(request, _("Actie opgeslagen."))
        _warn_if_past(request, data["due_on"], data["status"])
        return redirect("plan:plan", pk=organisation.pk)
    return render(
        request,
        "plan/action_form.html",
        {
            "organisation": organisation,
            "form": form,
            "action": action,
            "item": action.item,
            "assessment": action.assessment,
        },
        status=400 if request.method == "POST" else 200,
    )
