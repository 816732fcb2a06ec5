"""Shared by the insight views: who may open what, the round asked for, downloads."""

from __future__ import annotations

from django.http import Http404, HttpRequest, HttpResponse

from weerbaar.assessments.models import Assessment, Round
from weerbaar.ids import parse_version
from weerbaar.organisations import access
from weerbaar.organisations.access import Level
from weerbaar.organisations.models import Region, Role

from .. import regional


def assessment_for_insight(user: object, pk: int) -> Assessment:
    """Gaps are organisation-level data: admins, coordinators and sharing readers (404 for
    everyone else, respondents included)."""
    queryset = access.scope(
        Assessment.objects.select_related(
            "round", "round__framework", "round__region", "organisation"
        ),
        user,
        Level.DETAIL,
    )
    assessment = queryset.filter(pk=pk).first()
    if assessment is None:
        raise Http404("Not found")
    return assessment


def region_for_insight(user: object, pk: int) -> Region:
    """The regional picture is for the region's coordinators and readers (404 for others)."""
    region = access.regions_for(user, Role.COORDINATOR, Role.REGION_READER).filter(pk=pk).first()
    if region is None:
        raise Http404("Not found")
    return region


def int_or_none(value: str | None) -> int | None:
    """An id (or a version) from a query parameter or form field; None when it cannot be one."""
    return parse_version(value) if value else None


def round_choice(request: HttpRequest, region: Region) -> tuple[list[Round], Round | None]:
    """The region's rounds (newest first) and the one asked for in ``?ronde=`` (default:
    the newest)."""
    rounds = list(regional.rounds_of(region))
    chosen = int_or_none(request.GET.get("ronde"))
    return rounds, next((r for r in rounds if r.pk == chosen), rounds[0] if rounds else None)


XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def download(content: bytes, name: str, content_type: str) -> HttpResponse:
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    response["Cache-Control"] = "no-store"
    response["X-Content-Type-Options"] = "nosniff"
    return response


coordinates = access.coordinates
