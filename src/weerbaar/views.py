"""Project-level pages: the home page for each role and the health check."""

from __future__ import annotations

from typing import Any, cast

from django.contrib.auth.decorators import login_required
from django.db import DatabaseError, connection
from django.db.models import Count, OuterRef, Subquery
from django.http import HttpRequest, HttpResponse, HttpResponsePermanentRedirect, JsonResponse
from django.shortcuts import render
from django.templatetags.static import static
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from weerbaar.accounts.models import User
from weerbaar.assessments.models import Assessment, AssessmentState
from weerbaar.assessments.worklist import coordinator_worklist
from weerbaar.frameworks.models import Framework, FrameworkKind
from weerbaar.frameworks.routing import items_for_roles
from weerbaar.organisations import access
from weerbaar.organisations.access import Level
from weerbaar.organisations.models import Membership, Role, Sector


@login_required
def home(request: HttpRequest) -> HttpResponse:
    user = cast(User, request.user)  # login_required
    roles = access.roles_of(user)
    context: dict[str, object] = {"roles": roles}

    region_roles = {Role.COORDINATOR, Role.REGION_READER}
    if user.is_superuser or roles & region_roles:
        organisations = access.organisations_for(user, Level.LIST)
        labels = dict(Sector.choices)
        context["regions"] = access.regions_for(user, *region_roles)
        context["organisation_count"] = organisations.count()
        context["per_sector"] = [
            (labels.get(row["sector"], row["sector"]), row["n"])
            for row in organisations.values("sector").annotate(n=Count("pk")).order_by("sector")
        ]
        context["shared_count"] = access.organisations_for(user, Level.DETAIL).count()

    if user.is_superuser or Role.COORDINATOR in roles:
        context["work"] = coordinator_worklist(user)

    if Role.ORG_ADMIN in roles:
        # Counted apart from the filter on the admin's own membership, which would leave
        # only that one row to count.
        people = (  # scoped: correlated to the organisations the access layer gives below
            Membership.objects.filter(organisation=OuterRef("pk"), user__is_active=True)
            .order_by()
            .values("organisation")
            .annotate(n=Count("user", distinct=True))
            .values("n")
        )
        context["own_organisations"] = (
            access.organisations_for(user, Level.MANAGE)
            .filter(pk__in=user.memberships.filter(role=Role.ORG_ADMIN).values("organisation"))
            .annotate(member_count=Subquery(people))
        )

    if Role.RESPONDENT in roles or Role.ORG_ADMIN in roles:
        context["my_questions"] = _my_questions(user)

    context["frameworks"] = Framework.objects.filter(
        kind__in=[FrameworkKind.QUESTIONNAIRE, FrameworkKind.ACTION_CARDS]
    ).order_by("title")
    return render(request, "home.html", context)


def _my_questions(user: Any) -> list[dict[str, object]]:
    """Per organisation and questionnaire: the items routed to this person's roles."""
    result = []
    frameworks = list(Framework.objects.filter(kind=FrameworkKind.QUESTIONNAIRE))
    memberships = list(
        user.memberships.filter(role__in=[Role.ORG_ADMIN, Role.RESPONDENT]).select_related(
            "organisation"
        )
    )
    # Each question links to where it is answered: the organisation's open self-assessment.
    open_assessments = {
        (a.organisation_id, a.round.framework_id): a
        for a in Assessment.objects.filter(
            organisation__in=[m.organisation_id for m in memberships if m.organisation_id],
            state=AssessmentState.CONCEPT,
        )  # scoped: the organisations of the person's own memberships
        .select_related("round")
        .order_by("round__opens_on")
    }
    for membership in memberships:
        organisation = membership.organisation
        if organisation is None:
            continue
        keys = set(
            organisation.functionaries.filter(user_id=user.pk).values_list("role_key", flat=True)
        )
        for framework in frameworks:
            items = list(items_for_roles(framework, organisation.sector, keys)) if keys else []
            result.append(
                {
                    "organisation": organisation,
                    "framework": framework,
                    "items": items,
                    "role_keys": sorted(keys),
                    "assessment": open_assessments.get((organisation.pk, framework.pk)),
                }
            )
    return result


@require_GET
def favicon(request: HttpRequest) -> HttpResponsePermanentRedirect:
    """Browsers ask for /favicon.ico on pages without an icon link (the admin, JSON)."""
    return HttpResponsePermanentRedirect(static("weerbaar/favicon.svg"))


@never_cache
@require_GET
def healthz(request: HttpRequest) -> JsonResponse:
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except DatabaseError:
        return JsonResponse({"status": "error", "database": "unavailable"}, status=503)
    return JsonResponse({"status": "ok", "database": "ok"})
