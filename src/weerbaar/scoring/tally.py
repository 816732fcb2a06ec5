"""Keeping the stored theme tallies (``ThemeTally``) equal to the answers, by explicit calls.

``answer_save`` calls ``tally_apply`` inside its transaction, after it has locked the
self-assessment, so two saves in one self-assessment never tally at the same time: the change
it made is added to the stored sums. The writers of many answers at once compute them again
with ``tally_refresh`` at their end: the Excel import (``apply_import``), the pre-filled
round (``rounds.open_part``) and ``weerbaar synth``. A change of an organisation's sector
changes which items apply: ``tally_organisation`` tallies its self-assessments again. Nothing
here runs behind a caller's back (no signals).
"""

from __future__ import annotations

from collections import defaultdict
from typing import Any

from django.db.models import QuerySet

from weerbaar import prepared
from weerbaar.assessments.models import Assessment
from weerbaar.frameworks.models import Framework, PartType
from weerbaar.scoring.models import ThemeTally
from weerbaar.scoring.themes import live_sums, scored_items

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
            selection = Assessment.all_objects.filter(pk__in=chunk)
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


Change = tuple[Any, dict[str, Any], dict[str, Any]]  # (item, old snapshot, new snapshot)


def tally_apply(assessment: Assessment, changes: list[Change]) -> int:
    """Add the difference that ``changes`` make to the tallies of ``assessment``: at most one
    statement per theme touched, none when no maturity level or N.v.t. changed. The caller
    holds the self-assessment's lock (``answer_save``): exclusive of batches and submissions,
    shared with other saves, whose additions to the same row wait for each other; so the
    tallies were equal to the answers before and are after. ``assessment`` needs its round's
    framework and organisation loaded. Returns the themes changed."""
    items = scored_items(assessment.round.framework)
    applicable = items.applies(assessment.organisation.sector)
    deltas: dict[int, list[int]] = defaultdict(lambda: [0, 0, 0, 0])
    for item, old, new in changes:
        if item.pk not in applicable:
            continue
        before, after = _contribution(item, old), _contribution(item, new)
        delta = deltas[items.section_of[item.pk]]
        public = item.pk not in items.confidential
        for index, change in enumerate((after[0] - before[0], after[1] - before[1])):
            delta[index] += change
            if public:
                delta[index + 2] += change
    touched = 0
    for section_id, (levels, skipped, public_levels, public_skipped) in deltas.items():
        if not (levels or skipped or public_levels or public_skipped):
            continue
        touched += 1
        where = {"assessment_id": assessment.pk, "section_id": section_id}
        add = {
            "levels": levels,
            "not_applicable": skipped,
            "public_levels": public_levels,
            "public_not_applicable": public_skipped,
        }
        if not prepared.update(ThemeTally, where=where, add=add):
            # The first answer of this theme: start its row at zero (or find the one a save
            # beside this one just started), then add.
            ThemeTally.objects.bulk_create(
                [ThemeTally(assessment=assessment, section_id=section_id)],
                ignore_conflicts=True,
            )
            prepared.update(ThemeTally, where=where, add=add)
    return touched


def _contribution(item: Any, data: dict[str, Any]) -> tuple[int, int]:
    """What one answer adds to its theme's (levels, N.v.t.), as ``scoring.live_sums`` counts:
    an N.v.t. answer one N.v.t.; otherwise the levels 1–4 of its maturity parts."""
    if data["not_applicable"]:
        return 0, 1
    levels = 0
    for part in item.parts.all():
        value = data["values"].get(part.key)
        if part.type == PartType.MATURITY and value in LEVELS:
            levels += int(value)
    return levels, 0


LEVELS = frozenset({"1", "2", "3", "4"})


def tally_organisation(organisation: Any) -> int:
    """A change of sector changes which items apply: tally the organisation's
    self-assessments again (the Organisation admin calls it when it saves a new sector)."""
    return tally_refresh(Assessment.all_objects.filter(organisation_id=organisation.pk))
