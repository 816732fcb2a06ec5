"""Shared by the insight views: the round asked for."""

from __future__ import annotations

from django.http import HttpRequest

from weerbaar.assessments.models import Round
from weerbaar.ids import int_or_none
from weerbaar.insights import regional
from weerbaar.organisations.models import Region


def round_choice(request: HttpRequest, region: Region) -> tuple[list[Round], Round | None]:
    """The region's rounds (newest first) and the one asked for in ``?ronde=``; by default
    the newest with submitted answers (a round just opened has none: everyone would show 0),
    or the newest when none has any."""
    rounds = list(regional.rounds_of(region))
    chosen = int_or_none(request.GET.get("ronde"))
    asked = next((r for r in rounds if r.pk == chosen), None)
    if asked is not None or not rounds:
        return rounds, asked
    return rounds, regional.latest_with_answers(rounds) or rounds[0]
