"""Demo insight data: the capacity figures of last year's round released to the region's
readers."""

from __future__ import annotations

from typing import Any

from django.utils import timezone

from weerbaar.disclosure.models import CapacityRelease
from weerbaar.insights.capacity import ReleaseRefused, capacity_release
from weerbaar.organisations.models import Region


def release_demo_capacity(region: Region, by: Any) -> int:
    """Release the capacity figures of the region's past rounds, as a coordinator would after
    the deadline (once); returns how many were released."""
    released = 0
    for round_ in region.rounds.filter(deadline__lt=timezone.localdate()):
        if CapacityRelease.objects.filter(round=round_).exists():
            continue
        try:
            capacity_release(region=region, round_=round_, by=by)
        except ReleaseRefused:
            continue
        released += 1
    return released
