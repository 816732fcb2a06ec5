"""Opening rounds (uitvragen): at once for a few organisations, in the background for many.

A round for a whole country (3,000 organisations, pre-filled with last year's answers) is
hundreds of thousands of rows. It is opened by the task queue in parts of ``PART``
organisations, each its own short transaction, so the people answering elsewhere meanwhile
wait at most a moment for the database. Until the last part is written the round is
``opening``: ``Round.objects`` and ``Assessment.objects`` leave it out, so nobody sees half a
round. A part that fails deletes everything written before it (all or nothing); the
coordinator sees the reason and can try again. The coordinator may leave the progress page
and come back to it, or find it under Uitvragen.

Pre-filling carries every answer of an organisation's last final self-assessment of the
same framework (any version with the same item codes) into the new one, to confirm or change:
the same answer, value and revision rows ``answer_save`` would write, in bulk. An old answer
that today's version of a question no longer accepts is left out, to be answered afresh.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable, Sequence
from typing import Any

from django.conf import settings
from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _
from django_tasks import task

from weerbaar import prepared
from weerbaar.audit.models import audit_record
from weerbaar.frameworks.catalogue import Entry, catalogue
from weerbaar.frameworks.models import Framework, Item
from weerbaar.organisations.models import Organisation, Region
from weerbaar.planner import refresh_statistics
from weerbaar.scoring.tally import tally_refresh

from .answering import AnswerInvalid, clean, empty_snapshot, part_value, stored, value_columns
from .models import (
    Answer,
    AnswerRevision,
    AnswerValue,
    Assessment,
    AssessmentState,
    Round,
    RoundOpening,
    RoundState,
)

PART = 100
"""Organisations per transaction when a round opens in the background."""

STALE_AFTER = datetime.timedelta(minutes=10)
"""An opening without progress for this long has lost its worker: it is undone."""


def _check(
    region: Region, organisations: Sequence[Organisation], opens_on: Any, deadline: Any
) -> None:
    if deadline < opens_on:
        raise ValueError(_("De deadline ligt vóór de openingsdatum."))
    if any(org.region_id != region.pk for org in organisations):
        raise ValueError(_("Alle organisaties moeten in de regio van de uitvraag liggen."))


def round_open(
    *,
    region: Region,
    framework: Framework,
    organisations: Iterable[Organisation],
    title: str,
    opens_on: datetime.date,
    deadline: datetime.date,
    introduction: str = "",
    prefill: bool = False,
    by: Any,
) -> Round:
    """Open a round at once, in one transaction, and give every organisation a
    self-assessment, optionally pre-filled (see the module)."""
    organisations = list(organisations)
    _check(region, organisations, opens_on, deadline)
    with transaction.atomic():
        round_ = Round.objects.create(
            region=region,
            framework=framework,
            title=title,
            introduction=introduction,
            opens_on=opens_on,
            deadline=deadline,
            prefilled=prefill,
            created_by=by,
        )
        open_part(round_, organisations, prefill=prefill)
        _audit_opened(round_, organisations, by)
    return round_


def round_opening_request(
    *,
    region: Region,
    framework: Framework,
    organisations: Iterable[Organisation],
    title: str,
    opens_on: datetime.date,
    deadline: datetime.date,
    introduction: str = "",
    prefill: bool = False,
    by: Any,
) -> RoundOpening:
    """Queue the opening of a round for the task queue; returns what tracks its progress."""
    organisations = list(organisations)
    _check(region, organisations, opens_on, deadline)
    with transaction.atomic():
        opening = RoundOpening.objects.create(
            region=region,
            framework=framework,
            title=title,
            introduction=introduction,
            opens_on=opens_on,
            deadline=deadline,
            prefill=prefill,
            requested_by=by if getattr(by, "is_authenticated", False) else None,
            total=len(organisations),
        )
        opening.organisations.set(organisations)
        audit_record(
            actor=by,
            action="round.open_requested",
            obj=opening,
            new={"title": title, "organisations": len(organisations), "prefill": prefill},
        )
        transaction.on_commit(lambda: open_round_task.enqueue(opening.pk))
    return opening


def round_opening_retry(*, opening: RoundOpening, by: Any) -> RoundOpening:
    """Queue a failed opening again, with the same choices."""
    with transaction.atomic():
        opening = RoundOpening.objects.select_for_update().get(pk=opening.pk)
        if opening.status != RoundOpening.Status.FAILED:
            raise ValueError(_("Alleen een mislukte opening kan opnieuw."))
        opening.status = RoundOpening.Status.QUEUED
        opening.done = 0
        opening.error = ""
        opening.requested_at = timezone.now()
        opening.finished_at = None
        opening.save(update_fields=["status", "done", "error", "requested_at", "finished_at"])
        audit_record(actor=by, action="round.open_retried", obj=opening)
        transaction.on_commit(lambda: open_round_task.enqueue(opening.pk))
    return opening


@task()
def open_round_task(opening_id: int) -> None:
    round_opening_run(opening_id)


def round_opening_run(opening_id: int) -> RoundOpening:
    """Carry out a queued opening (the worker runs this): the round and its self-assessments
    in parts, then open it at once; on any error, undo it all and say why."""
    with transaction.atomic():
        opening = RoundOpening.objects.select_for_update().get(pk=opening_id)
        if opening.status != RoundOpening.Status.QUEUED:
            return opening  # done, failed or taken by another worker
        round_ = Round.all_objects.create(
            region_id=opening.region_id,
            framework_id=opening.framework_id,
            title=opening.title,
            introduction=opening.introduction,
            opens_on=opening.opens_on,
            deadline=opening.deadline,
            prefilled=opening.prefill,
            created_by_id=opening.requested_by_id,
            state=RoundState.OPENING,
        )
        opening.round = round_
        opening.status = RoundOpening.Status.RUNNING
        opening.heartbeat_at = timezone.now()
        opening.save(update_fields=["round", "status", "heartbeat_at"])
    try:
        organisations = list(opening.organisations.order_by("pk"))
        for start in range(0, len(organisations), PART):
            part = organisations[start : start + PART]
            with transaction.atomic():
                open_part(round_, part, prefill=opening.prefill)
                RoundOpening.objects.filter(pk=opening.pk).update(
                    done=F("done") + len(part), heartbeat_at=timezone.now()
                )
        with transaction.atomic():
            Round.all_objects.filter(pk=round_.pk).update(state=RoundState.OPEN)
            opening.refresh_from_db()
            opening.status = RoundOpening.Status.DONE
            opening.finished_at = timezone.now()
            opening.save(update_fields=["status", "finished_at"])
            _audit_opened(round_, organisations, opening.requested_by)
    except Exception as exc:
        _undo(opening.pk, f"{type(exc).__name__}: {exc}")
        raise
    # Thousands of new rows at once: let the planner see them before the first overview.
    refresh_statistics(Assessment, Answer, AnswerValue, AnswerRevision)
    return opening


def _undo(opening_id: int, error: str) -> None:
    """Delete what a failed opening wrote, and say so on the opening."""
    with transaction.atomic():
        opening = RoundOpening.objects.select_for_update().get(pk=opening_id)
        if opening.round_id is not None:
            Round.all_objects.filter(pk=opening.round_id, state=RoundState.OPENING).delete()
        opening.status = RoundOpening.Status.FAILED
        opening.round = None
        opening.done = 0
        opening.error = error[:2000]
        opening.finished_at = timezone.now()
        opening.save(update_fields=["status", "round", "done", "error", "finished_at"])


def fail_stale_openings() -> int:
    """Undo openings whose worker stopped (no progress for ``STALE_AFTER``)."""
    cutoff = timezone.now() - STALE_AFTER
    stale = list(
        RoundOpening.objects.filter(
            status=RoundOpening.Status.RUNNING, heartbeat_at__lt=cutoff
        ).values_list("pk", flat=True)
    )
    for pk in stale:
        _undo(pk, _("De achtergrondtaak is gestopt voordat de uitvraag open was."))
    return len(stale)


def _audit_opened(round_: Round, organisations: Sequence[Organisation], by: Any) -> None:
    audit_record(
        actor=by,
        action="round.open",
        obj=round_,
        new={
            "title": round_.title,
            "framework": f"{round_.framework.slug} {round_.framework.version}",
            "organisations": sorted(org.name for org in organisations),
            "opens_on": round_.opens_on,
            "deadline": round_.deadline,
            "prefill": round_.prefilled,
        },
    )


def inline_limit() -> int:
    """Rounds for more organisations than this open in the background."""
    return int(settings.ROUND_INLINE_LIMIT)


# --- Writing a part -------------------------------------------------------------------------


def open_part(round_: Round, organisations: Sequence[Organisation], *, prefill: bool) -> None:
    """The self-assessments of ``organisations`` in ``round_``, pre-filled when asked, with
    their theme tallies; inside the caller's transaction. A fixed number of statements per
    part, whatever its size (a few per thousand rows)."""
    assessments = Assessment.all_objects.bulk_create(
        [Assessment(round=round_, organisation=organisation) for organisation in organisations]
    )
    if prefill and assessments:
        sectors = {organisation.pk: organisation.sector for organisation in organisations}
        _carry_over(round_, assessments, sectors)
        tally_refresh(Assessment.all_objects.filter(pk__in=[a.pk for a in assessments]))


def _carry_over(round_: Round, assessments: list[Assessment], sectors: dict[int, str]) -> int:
    framework = round_.framework
    previous = _previous_final(framework, [a.organisation_id for a in assessments], round_)
    if not previous:
        return 0
    old_answers, old_values = _old_answers(list(previous.values()))
    old_items = _items_by_id({framework_id for _pk, framework_id in previous.values()})
    entries = catalogue(framework)
    asked = {sector: _asked(entries, sector) for sector in set(sectors.values())}
    now = timezone.now()
    carried: list[tuple[int, Item, dict[str, Any]]] = []  # (assessment id, item, snapshot)
    for assessment in assessments:
        source = previous.get(assessment.organisation_id)
        if source is None:
            continue
        by_code = old_answers.get(source[0], {})
        for entry in asked[sectors[assessment.organisation_id]]:
            old = by_code.get(entry.item.code)
            if old is None:
                continue
            data = _old_snapshot(old, old_values.get(old["pk"], []), old_items)
            keys = {part.key for part in entry.item.part_list}
            data["values"] = {k: v for k, v in data["values"].items() if k in keys}
            try:
                new = stored(clean(entry.item, data))
            except AnswerInvalid:
                continue  # no longer valid in this version of the framework: asked afresh
            carried.append((assessment.pk, entry.item, new))
    if not carried:
        return 0
    # The rows answer_save would write (a test holds them equal), written in bulk.
    prepared.insert_rows(
        Answer,
        (
            "assessment_id",
            "item_id",
            "not_applicable",
            "na_reason",
            "explanation",
            "evidence_link",
            "evidence_date",
            "carried_over",
            "version",
            "updated_at",
        ),
        (
            (
                assessment_id,
                item.pk,
                new["not_applicable"],
                new["na_reason"],
                new["explanation"],
                new["evidence_link"],
                datetime.date.fromisoformat(new["evidence_date"]) if new["evidence_date"] else None,
                True,
                1,
                now,
            )
            for assessment_id, item, new in carried
        ),
    )
    ids = {
        (assessment_id, item_id): pk
        for pk, assessment_id, item_id in Answer.objects.filter(
            assessment_id__in={assessment_id for assessment_id, _i, _n in carried}
        )
        .order_by()
        .values_list("pk", "assessment_id", "item_id")
    }
    prepared.insert_rows(
        AnswerValue,
        ("answer_id", "part_id", "maturity", "number", "flag", "text"),
        (
            (ids[(assessment_id, item.pk)], *columns)
            for assessment_id, item, new in carried
            for columns in value_columns(item, new["values"])
        ),
    )
    prepared.insert_rows(
        AnswerRevision,
        ("answer_id", "version", "at", "by_id", "source", "old", "new"),
        (
            (ids[(assessment_id, item.pk)], 1, now, None, AnswerRevision.Source.PREFILL, None, new)
            for assessment_id, item, new in carried
        ),
    )
    return len(carried)


def _previous_final(
    framework: Framework, organisation_ids: list[int], round_: Round
) -> dict[int, tuple[int, int]]:
    """Organisation → (its last final self-assessment of this framework, its framework id)."""
    rows = (
        Assessment.objects.filter(
            organisation_id__in=organisation_ids,
            state=AssessmentState.FINAL,
            round__framework__slug=framework.slug,
        )
        .exclude(round=round_)
        .order_by(
            "organisation_id",
            F("finalised_at").desc(nulls_last=True),
            "-round__opens_on",
            "-pk",
        )
        .values_list("organisation_id", "pk", "round__framework_id")
    )
    previous: dict[int, tuple[int, int]] = {}
    for organisation_id, pk, framework_id in rows:
        previous.setdefault(organisation_id, (pk, framework_id))
    return previous


def _old_answers(
    sources: list[tuple[int, int]],
) -> tuple[dict[int, dict[str, dict[str, Any]]], dict[int, list[tuple[Any, ...]]]]:
    """The answers of the ``sources`` self-assessments (by assessment and item code), and
    their value rows (by answer), in two statements."""
    ids = [pk for pk, _framework in sources]
    answers: dict[int, dict[str, dict[str, Any]]] = {}
    for row in (
        Answer.objects.filter(assessment_id__in=ids)
        .order_by()
        .values(
            "pk",
            "assessment_id",
            "item_id",
            "item__code",
            "not_applicable",
            "na_reason",
            "explanation",
            "evidence_link",
            "evidence_date",
        )
    ):
        answers.setdefault(row["assessment_id"], {})[row["item__code"]] = dict(row)
    values: dict[int, list[tuple[Any, ...]]] = {}
    for answer_id, *columns in (
        AnswerValue.objects.filter(answer__assessment_id__in=ids)
        .order_by()
        .values_list("answer_id", "part_id", "maturity", "number", "flag", "text")
    ):
        values.setdefault(answer_id, []).append(tuple(columns))
    return answers, values


def _items_by_id(framework_ids: set[int]) -> dict[int, Entry]:
    """The items of the given frameworks by id (from the frameworks kept in memory)."""
    entries: dict[int, Entry] = {}
    for framework in Framework.objects.filter(pk__in=framework_ids):
        for entry in catalogue(framework).values():
            entries[entry.item.pk] = entry
    return entries


def _asked(entries: dict[str, Entry], sector: str) -> list[Entry]:
    """The items of a framework asked of ``sector`` (they can be answered and apply)."""
    return [entry for entry in entries.values() if entry.answerable and entry.applies_to(sector)]


def _old_snapshot(
    old: dict[str, Any], values: list[tuple[Any, ...]], items: dict[int, Entry]
) -> dict[str, Any]:
    """``answering.snapshot`` of an old answer, from its rows."""
    item = items[old["item_id"]].item
    data = empty_snapshot(item)
    data.update(
        not_applicable=old["not_applicable"],
        na_reason=old["na_reason"],
        explanation=old["explanation"],
        evidence_link=old["evidence_link"],
        evidence_date=old["evidence_date"].isoformat() if old["evidence_date"] else None,
    )
    parts = {part.pk: part for part in item.part_list}
    for part_id, maturity, number, flag, text in values:
        part = parts.get(part_id)
        if part is not None:
            data["values"][part.key] = part_value(part, maturity, number, flag, text)
    return data
