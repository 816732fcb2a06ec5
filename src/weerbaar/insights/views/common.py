"""Shared by the insight views: the round asked for."""

from __future__ import annotations

from django.http import HttpRequest

from weerbaar.assessments.models import Round
from weerbaar.ids import int_or_none
from weerbaar.insights import regional
from weerbaar.organisations.models import Region


def round_choice(request: HttpRequest, region: Region) -> tuple[list[Round], Round | None]:
    """The region's rounds (newest first) and the one asked for in ``?ronde=`` (default:
    the newest)."""
    rounds = list(regional.rounds_of(region))
    chosen = int_or_none(request.GET.get("ronde"))
    return rounds, next((r for r in rounds if r.pk == chosen), rounds[0] if rounds else None)
