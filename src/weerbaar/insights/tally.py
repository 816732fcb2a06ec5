"""Keeping the stored theme tallies (``ThemeTally``) equal to the answers.

``answer_save`` sends ``answers_changed`` inside its transaction, after it has locked the
self-assessment, so two saves in one self-assessment never tally at the same time. A change of
an organisation's sector changes which items apply, so its self-assessments are tallied again.
Bulk writers that bypass ``answer_save`` (``weerbaar synth``) call ``tally_refresh`` themselves.
"""

from __future__ import annotations

from collections import defaultdict
from typing import Any

from django.db.models import QuerySet

from weerbaar.assessments.models import Assessment
from weerbaar.frameworks.models import Framework

from .models import ThemeTally
from .scoring import live_sums, scored_items

BATCH = 2000


def tally_refresh(assessments: QuerySet[Assessment]) -> int:
    """Recompute the tallies of ``assessments`` from their answers; returns rows written."""
    rows = list(
        assessments.values_list(
            "pk",
            "round__framework_id",
            "round__framework__content_sha256",
            "round__framework__loaded_at",
            "organisation__sector",
        ).order_by()
    )
    by_framework: dict[tuple[int, str, Any], dict[int, str]] = defaultdict(dict)
    for pk, framework_id, sha, loaded_at, sector in rows:
        by_framework[(framework_id, sha, loaded_at)][pk] = sector
    written = 0
    for (framework_id, sha, loaded_at), sectors in by_framework.items():
        items = scored_items(Framework(pk=framework_id, content_sha256=sha, loaded_at=loaded_at))
        ids = list(sectors)
        for start in range(0, len(ids), BATCH):
            chunk = ids[start : start + BATCH]
            chunk_sectors = {pk: sectors[pk] for pk in chunk}
            selection = Assessment.objects.filter(pk__in=chunk)
            sums = live_sums(selection, items, chunk_sectors)
            public = live_sums(selection, items.public(), chunk_sectors)
            ThemeTally.objects.filter(assessment_id__in=chunk).delete()
            tallies = [
                ThemeTally(
                    assessment_id=assessment_id,
                    section_id=section_id,
                    levels=sums.get(key, (0, 0))[0],
                    not_applicable=sums.get(key, (0, 0))[1],
                    public_levels=public.get(key, (0, 0))[0],
                    public_not_applicable=public.get(key, (0, 0))[1],
                )
                for key in {**sums, **public}
                for assessment_id, section_id in [key]
                if any(sums.get(key, (0, 0))) or any(public.get(key, (0, 0)))
            ]
            ThemeTally.objects.bulk_create(tallies, batch_size=BATCH)
            written += len(tallies)
    return written


def on_answers_changed(sender: Any, assessment: Assessment, **kwargs: Any) -> None:
    tally_refresh(Assessment.objects.filter(pk=assessment.pk))


def on_organisation_saved(sender: Any, instance: Any, **kwargs: Any) -> None:
    """A sector change changes which items apply: tally its self-assessments again."""
    if kwargs.get("created") or kwargs.get("raw"):
        return
    update_fields = kwargs.get("update_fields")
    if update_fields is not None and "sector" not in update_fields:
        return
    tally_refresh(Assessment.objects.filter(organisation_id=instance.pk))
