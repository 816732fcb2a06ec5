"""Saving answers: validation, version check (no lost updates) and history."""

from __future__ import annotations

import datetime
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from itertools import accumulate
from typing import Any
from urllib.parse import urlparse

from django.db import IntegrityError, transaction
from django.db.models import FilteredRelation, Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from weerbaar import prepared
from weerbaar.frameworks.catalogue import catalogue
from weerbaar.frameworks.models import AnswerPart, Framework, Item, PartType
from weerbaar.organisations.models import Organisation
from weerbaar.prepared import Select, field_names, instance
from weerbaar.scoring.tally import tally_apply

from .models import (
    Answer,
    AnswerRevision,
    AnswerValue,
    Assessment,
    AssessmentState,
    Maturity,
    Round,
)

MATURITY_VALUES = {choice.value for choice in Maturity}
MAX_TEXT = 5000
MAX_LINK = 500
MAX_DECIMALS = 3


class AnswerInvalid(Exception):
    """The input has errors; ``errors`` maps a field to a Dutch message. Nothing was saved."""

    def __init__(self, errors: dict[str, str]) -> None:
        self.errors = errors
        super().__init__(errors)


class AnswerConflict(Exception):
    """Someone saved this answer after the version the person read. Nothing was saved.
    ``current`` is the answer as it is now stored (a snapshot), at ``version``."""

    def __init__(
        self, current: dict[str, Any], version: int, item: Item, carried_over: bool = False
    ) -> None:
        self.current = current
        self.version = version
        self.item = item
        self.carried_over = carried_over
        super().__init__(f"answer changed; now at version {version}")


class AnswerLocked(Exception):
    """The assessment is no longer in concept (submitted, reviewed or final)."""


@dataclass(frozen=True)
class SaveResult:
    answer: Answer
    changed: bool
    data: dict[str, Any]  # the answer as it is now stored (a snapshot)


def empty_snapshot(item: Item) -> dict[str, Any]:
    return {
        "not_applicable": False,
        "na_reason": "",
        "explanation": "",
        "evidence_link": "",
        "evidence_date": None,
        "values": {part.key: _empty(part) for part in item.part_list},
    }


def _empty(part: AnswerPart) -> Any:
    return "" if part.type in (PartType.MATURITY, PartType.TEXT) else None


def snapshot(
    answer: Answer | None, item: Item, values: Iterable[AnswerValue] | None = None
) -> dict[str, Any]:
    """The answer as plain JSON-able data (numbers as strings, dates ISO); ``values`` are its
    value rows, read from ``answer.values`` when not given."""
    data = empty_snapshot(item)
    if answer is None:
        return data
    data.update(
        not_applicable=answer.not_applicable,
        na_reason=answer.na_reason,
        explanation=answer.explanation,
        evidence_link=answer.evidence_link,
        evidence_date=answer.evidence_date.isoformat() if answer.evidence_date else None,
    )
    for value in answer.values.all() if values is None else values:
        data["values"][value.part.key] = _value_of(value)
    return data


def _value_of(value: AnswerValue) -> Any:
    return part_value(value.part, value.maturity, value.number, value.flag, value.text)


def part_value(
    part: AnswerPart, maturity: str, number: Decimal | None, flag: bool | None, text: str
) -> Any:
    """A stored value row's columns as its part's value in a snapshot."""
    if part.type == PartType.MATURITY:
        return maturity
    if part.type == PartType.NUMBER:
        return None if number is None else _plain_number(number)
    if part.type in (PartType.RISK_FLAG, PartType.NEED_FLAG, PartType.BOOLEAN):
        return flag
    return text


def _plain_number(number: Decimal) -> str:
    text = format(number.normalize(), "f")
    return text


def clean(item: Item, data: dict[str, Any]) -> dict[str, Any]:
    """Validate raw input (from a form, the API or Excel) into a snapshot, or AnswerInvalid."""
    errors: dict[str, str] = {}
    result = empty_snapshot(item)
    result["not_applicable"] = _bool(data.get("not_applicable")) is True
    result["na_reason"] = str(data.get("na_reason") or "").strip()
    result["explanation"] = str(data.get("explanation") or "").strip()
    link = str(data.get("evidence_link") or "").strip()
    if link:
        try:
            scheme, netloc = urlparse(link).scheme, urlparse(link).netloc
        except ValueError:
            scheme, netloc = "", ""
        if scheme not in ("http", "https") or not netloc:
            errors["evidence_link"] = _("Een link begint met https:// of http://.")
        elif len(link) > MAX_LINK:
            errors["evidence_link"] = _("Een link is maximaal %(max)d tekens.") % {"max": MAX_LINK}
    result["evidence_link"] = link
    result["evidence_date"] = None
    raw_date = data.get("evidence_date")
    if raw_date:
        try:
            day = (
                raw_date
                if isinstance(raw_date, datetime.date)
                else datetime.date.fromisoformat(str(raw_date))
            )
        except ValueError:
            errors["evidence_date"] = _("Vul een datum in als JJJJ-MM-DD.")
        else:
            if day > timezone.localdate():
                errors["evidence_date"] = _("Deze datum ligt in de toekomst.")
            result["evidence_date"] = day.isoformat()
    if result["not_applicable"] and not result["na_reason"]:
        errors["na_reason"] = _("Geef een reden waarom deze vraag niet van toepassing is.")
    for field in ("na_reason", "explanation"):
        if len(result[field]) > MAX_TEXT:
            errors[field] = _("Maximaal %(max)d tekens.") % {"max": MAX_TEXT}

    values = data.get("values") or {}
    for part in item.part_list:
        raw = values.get(part.key)
        try:
            result["values"][part.key] = _clean_part(part, raw)
        except ValueError as exc:
            errors[f"values.{part.key}"] = str(exc)
    unknown = set(values) - {part.key for part in item.part_list}
    if unknown:
        errors["values"] = _("Onbekende onderdelen: %(keys)s") % {
            "keys": ", ".join(sorted(unknown))
        }
    if errors:
        raise AnswerInvalid(errors)
    return result


def _bool(raw: Any) -> bool | None:
    if raw is None or raw == "":
        return None
    if isinstance(raw, bool):
        return raw
    text = str(raw).strip().lower()
    if text in {"1", "true", "ja", "yes", "on"}:
        return True
    if text in {"0", "false", "nee", "no", "off"}:
        return False
    raise ValueError(_("Kies ja of nee."))


def _clean_part(part: AnswerPart, raw: Any) -> Any:
    if part.type == PartType.MATURITY:
        value = "" if raw is None else str(raw).strip()
        if value and value not in MATURITY_VALUES:
            raise ValueError(_("Kies een niveau van 0 tot en met 4, of Onbekend."))
        return value
    if part.type == PartType.NUMBER:
        return _clean_number(part, raw)
    if part.type in (PartType.RISK_FLAG, PartType.NEED_FLAG, PartType.BOOLEAN):
        return _bool(raw)
    value = "" if raw is None else str(raw).strip()
    if len(value) > MAX_TEXT:
        raise ValueError(_("Maximaal %(max)d tekens.") % {"max": MAX_TEXT})
    return value


def _clean_number(part: AnswerPart, raw: Any) -> str | None:
    if raw is None or (isinstance(raw, str) and not raw.strip()):
        return None
    text = str(raw).strip().replace(" ", "")
    if "," in text and "." not in text:
        text = text.replace(",", ".")  # Dutch decimal comma
    try:
        number = Decimal(text)
    except InvalidOperation as exc:
        raise ValueError(_("Vul een getal in.")) from exc
    if not number.is_finite():
        raise ValueError(_("Vul een getal in."))
    if abs(number) >= Decimal("1e11"):
        raise ValueError(_("Dit getal is te groot."))
    if -number.as_tuple().exponent > MAX_DECIMALS and number != number.quantize(Decimal("0.001")):  # type: ignore[operator]
        raise ValueError(_("Gebruik hoogstens 3 decimalen."))
    unit = f" {part.unit}" if part.unit else ""
    if part.min_value is not None and number < part.min_value:
        raise ValueError(
            _("Vul minimaal %(min)s%(unit)s in.")
            % {"min": _plain_number(part.min_value), "unit": unit}
        )
    if part.max_value is not None and number > part.max_value:
        raise ValueError(
            _("Vul maximaal %(max)s%(unit)s in.")
            % {"max": _plain_number(part.max_value), "unit": unit}
        )
    if part.integer and number != number.to_integral_value():
        raise ValueError(_("Vul een geheel getal in."))
    return _plain_number(number)


class AnswerNotFound(Exception):
    """No such question for this person (or no such self-assessment): a 404."""


class AnswerForbidden(Exception):
    """The person sees the question but it is not theirs to answer: a 403."""


def answer_save(
    *,
    assessment: Assessment,
    item: Item,
    data: dict[str, Any],
    expected_version: int,
    by: Any,
    source: str = AnswerRevision.Source.WEB,
    tally: bool = True,
) -> SaveResult:
    """Save an answer if nobody changed it since ``expected_version``.

    Raises AnswerInvalid (nothing saved), AnswerConflict (someone else saved first; nothing
    saved) or AnswerLocked (the assessment is no longer a concept). Saving also confirms an
    answer carried over from the previous round. The caller has checked that ``by`` may
    answer ``item`` (``answer_save_as`` does both). Other saves, submissions and batches in
    this self-assessment wait until the surrounding transaction ends (an Excel import holds
    it for all its answers). Its theme tally changes with it; a batch of saves passes
    ``tally=False`` and calls ``tally_refresh`` once at the end (``apply_import``).
    """
    if "parts" not in getattr(item, "_prefetched_objects_cache", {}):
        item = Item.objects.prefetch_related("parts").get(pk=item.pk)
    new = clean(item, data)
    context = _context(assessment.pk)
    if context is None:
        raise Assessment.DoesNotExist
    return _save(context, item, new, expected_version, by, source, exclusive=True, tally=tally)


def answer_save_as(
    *,
    user: Any,
    assessment_id: int,
    code: str,
    data: dict[str, Any] | Callable[[Item], dict[str, Any]],
    expected_version: int,
    source: str = AnswerRevision.Source.WEB,
) -> tuple[Assessment, Item, SaveResult]:
    """What the browser's autosave and ``PUT /api/v1/…/answers/{code}`` do: find the
    self-assessment and the question as ``user`` reaches them, and save, in a handful of
    statements.

    ``data`` is the raw input, or a function that reads it for the question found (a form's
    field names follow the question's parts). Raises AnswerNotFound (not theirs to see),
    AnswerForbidden (theirs to see, not to answer), and what ``answer_save`` raises. Nothing
    is saved when it raises. Saves of other answers in the same self-assessment go on side by
    side; a submission or a batch waits for them, and they for it."""
    from .routing import reach

    assessment, guessed, current = _context_and_answer(assessment_id, code)
    if assessment is None:
        raise AnswerNotFound
    reached = reach(user, assessment, code)
    if reached is None:
        raise AnswerNotFound
    if not reached.answers:
        raise AnswerForbidden
    new = clean(reached.item, data(reached.item) if callable(data) else data)
    if guessed is None or guessed.pk != reached.item.pk:
        current = None  # read with the answer below
    result = _save(
        assessment,
        reached.item,
        new,
        expected_version,
        user,
        source,
        exclusive=False,
        current=current,
    )
    return assessment, reached.item, result


_ASSESSMENT = field_names(Assessment)
_ROUND = field_names(Round)
_FRAMEWORK = field_names(Framework)
_ORGANISATION = field_names(Organisation)
_ANSWER_FIELDS = field_names(Answer)
_VALUE_FIELDS = field_names(AnswerValue)
_CONTEXT_COLUMNS = (
    *_ASSESSMENT,
    *(f"round__{name}" for name in _ROUND),
    *(f"round__framework__{name}" for name in _FRAMEWORK),
    *(f"organisation__{name}" for name in _ORGANISATION),
)
_CONTEXT = Select(
    lambda pk: Assessment.objects.filter(pk=pk).order_by().values_list(*_CONTEXT_COLUMNS),
    pk=int,
)
# The same with the answer to one item and its values (a row per value), in one statement.
_CONTEXT_WITH_ANSWER = Select(
    lambda pk, item: (
        Assessment.objects.filter(pk=pk)
        .annotate(this=FilteredRelation("answers", condition=Q(answers__item_id=item)))
        .order_by()
        .values_list(
            *_CONTEXT_COLUMNS,
            *(f"this__{name}" for name in _ANSWER_FIELDS),
            *(f"this__values__{name}" for name in _VALUE_FIELDS),
        )
    ),
    pk=int,
    item=int,
)
_FRAMEWORK_OF: dict[int, tuple[int, str, Any]] = {}
"""Self-assessment → (framework id, content hash, load time) as last seen by this process,
so a save can name its question's row before it has read the self-assessment. Checked
against what the statement returns: a mistaken guess costs one statement more, nothing else."""
_FRAMEWORK_OF_LIMIT = 50_000


def _context(pk: int) -> Assessment | None:
    """The self-assessment ``pk`` with its round, framework and organisation (one statement)."""
    row = _CONTEXT.first(pk=pk)
    return None if row is None else _context_from(row)


def _context_from(row: tuple[Any, ...]) -> Assessment:
    ends = list(accumulate(map(len, (_ASSESSMENT, _ROUND, _FRAMEWORK, _ORGANISATION))))
    assessment = instance(Assessment, _ASSESSMENT, row[: ends[0]])
    round_ = instance(Round, _ROUND, row[ends[0] : ends[1]])
    round_.framework = framework = instance(Framework, _FRAMEWORK, row[ends[1] : ends[2]])
    assessment.round = round_
    assessment.organisation = instance(Organisation, _ORGANISATION, row[ends[2] : ends[3]])
    if len(_FRAMEWORK_OF) >= _FRAMEWORK_OF_LIMIT:
        _FRAMEWORK_OF.clear()
    _FRAMEWORK_OF[assessment.pk] = (framework.pk, framework.content_sha256, framework.loaded_at)
    return assessment


def _context_and_answer(
    pk: int, code: str
) -> tuple[Assessment | None, Item | None, tuple[Answer | None, dict[int, AnswerValue]] | None]:
    """The self-assessment ``pk`` in context and, when this process knows its framework, the
    item ``code`` and its answer read along (one statement); otherwise only the context."""
    known = _FRAMEWORK_OF.get(pk)
    entry = None
    if known is not None:
        framework = Framework(pk=known[0], content_sha256=known[1], loaded_at=known[2])
        entry = catalogue(framework).get(code)
    if entry is None:
        return _context(pk), None, None
    rows = _CONTEXT_WITH_ANSWER.rows(pk=pk, item=entry.item.pk)
    if not rows:
        return None, None, None
    context_width = len(_CONTEXT_COLUMNS)
    assessment = _context_from(rows[0][:context_width])
    if _FRAMEWORK_OF[pk] != known:
        return assessment, None, None  # the guess no longer holds: read the answer apart
    return assessment, entry.item, _answer_from([row[context_width:] for row in rows])


def _answer_from(
    rows: list[tuple[Any, ...]],
) -> tuple[Answer | None, dict[int, AnswerValue]]:
    """An answer and its values by part id from (answer columns, value columns) rows."""
    split = len(_ANSWER_FIELDS)
    if not rows or rows[0][0] is None:
        return None, {}
    answer = instance(Answer, _ANSWER_FIELDS, rows[0][:split])
    values = {}
    for row in rows:
        if row[split] is None:  # an answer without value rows
            continue
        value = instance(AnswerValue, _VALUE_FIELDS, row[split:])
        values[value.part_id] = value
    return answer, values


def _editable(pk: int) -> QuerySet[Assessment, tuple[Any, ...]]:
    return (
        Assessment.objects.filter(pk=pk, state=AssessmentState.CONCEPT)
        .select_for_update()
        .order_by()
        .values_list("pk")
    )


# The self-assessment, found only while it is a concept, and kept so until the transaction
# ends: its row locked, exclusively or shared with other saves (PostgreSQL; in SQLite the
# write transaction already holds the whole database).
_EDITABLE = Select(_editable, pk=int)
_SHARED_EDITABLE = Select(_editable, share=True, pk=int)


_ANSWER_WITH_VALUES = Select(
    lambda assessment, item: (
        Answer.objects.filter(assessment_id=assessment, item_id=item)
        .order_by()
        .values_list(*_ANSWER_FIELDS, *(f"values__{name}" for name in _VALUE_FIELDS))
    ),
    assessment=int,
    item=int,
)


def _current_of(assessment_id: int, item_id: int) -> tuple[Answer | None, dict[int, AnswerValue]]:
    """The answer to item ``item_id`` and its values by part id, in one statement."""
    return _answer_from(_ANSWER_WITH_VALUES.rows(assessment=assessment_id, item=item_id))


def _snapshot_of(
    answer: Answer | None, values: dict[int, AnswerValue], item: Item
) -> dict[str, Any]:
    parts = {part.pk: part for part in item.part_list}
    known = [value for value in values.values() if value.part_id in parts]
    for value in known:
        value.part = parts[value.part_id]
    return snapshot(answer, item, known)


def _conflict(assessment_id: int, item: Item) -> AnswerConflict:
    """The answer as someone else saved it just now."""
    answer, values = _current_of(assessment_id, item.pk)
    snapshot_now = _snapshot_of(answer, values, item)
    version = answer.version if answer else 0
    return AnswerConflict(snapshot_now, version, item, bool(answer and answer.carried_over))


# What a save changes in an existing answer and value row.
_CHANGING = (
    "not_applicable",
    "na_reason",
    "explanation",
    "evidence_link",
    "evidence_date",
    "carried_over",
    "version",
    "updated_at",
    "updated_by_id",
)
_VALUE_CHANGING = ("maturity", "number", "flag", "text")


def stored(new: dict[str, Any]) -> dict[str, Any]:
    """A cleaned answer as it is stored: the reason for N.v.t. only when N.v.t."""
    return {**new, "na_reason": new["na_reason"] if new["not_applicable"] else ""}


def _save(
    context: Assessment,
    item: Item,
    new: dict[str, Any],
    expected_version: int,
    by: Any,
    source: str,
    *,
    exclusive: bool,
    current: tuple[Answer | None, dict[int, AnswerValue]] | None = None,
    tally: bool = True,
) -> SaveResult:
    """Compare with the answer as stored, then write in a short transaction: the answer only
    if its version is still the one compared with, its values, the history row and the
    tallies."""
    new = stored(new)
    answer, values = current if current is not None else _current_of(context.pk, item.pk)
    current_version = answer.version if answer else 0
    old = _snapshot_of(answer, values, item)
    if expected_version != current_version:
        if answer is not None and new == old:
            # The same values saved twice (a retried request): nothing is lost.
            return SaveResult(answer, changed=False, data=old)
        raise AnswerConflict(
            old, current_version, item, carried_over=bool(answer and answer.carried_over)
        )
    # Saving an answer carried over from the last round confirms it, even unchanged.
    confirming = bool(answer and answer.carried_over and source != AnswerRevision.Source.PREFILL)
    if answer is not None and new == old and not confirming:
        return SaveResult(answer, changed=False, data=old)  # a late autosave of what was saved
    if not context.is_editable:
        raise AnswerLocked
    created = answer is None
    if answer is None:
        answer = Answer(assessment=context, item=item)
    answer.not_applicable = new["not_applicable"]
    answer.na_reason = new["na_reason"]
    answer.explanation = new["explanation"]
    answer.evidence_link = new["evidence_link"]
    answer.evidence_date = (
        datetime.date.fromisoformat(new["evidence_date"]) if new["evidence_date"] else None
    )
    answer.carried_over = source == AnswerRevision.Source.PREFILL
    answer.version = current_version + 1
    answer.updated_at = timezone.now()
    answer.updated_by = by if getattr(by, "is_authenticated", False) else None
    rows = value_rows(answer, item, new["values"], dict(values))
    try:
        with transaction.atomic():
            editable = _EDITABLE if exclusive else _SHARED_EDITABLE
            if created:
                if not editable.first(pk=context.pk):
                    raise AnswerLocked  # submitted (or gone) since we read it
                answer.save(force_insert=True)
                AnswerValue.objects.bulk_create(rows)
            else:
                # Only the version compared with, only while the self-assessment is a concept.
                changed = prepared.update(
                    Answer,
                    where={"pk": answer.pk, "version": current_version},
                    values={name: getattr(answer, name) for name in _CHANGING},
                    guard=editable,
                    guard_values={"pk": context.pk},
                )
                if not changed:
                    if not editable.first(pk=context.pk):
                        raise AnswerLocked  # submitted since we read it
                    # Saved by someone else since we read it (PostgreSQL: they held the row
                    # until they committed): theirs stands, nothing of ours is written.
                    raise _conflict(context.pk, item)
                for row in rows:
                    if row.pk is None:
                        row.save(force_insert=True)
                    elif old["values"].get(row.part.key) != new["values"].get(row.part.key):
                        prepared.update(
                            AnswerValue,
                            where={"pk": row.pk},
                            values={name: getattr(row, name) for name in _VALUE_CHANGING},
                        )
            prepared.insert(
                AnswerRevision,
                answer_id=answer.pk,
                version=answer.version,
                at=answer.updated_at,
                by_id=answer.updated_by_id,
                source=source,
                old=None if current_version == 0 else old,
                new=new,
            )
            if tally:
                tally_apply(context, [(item, old, new)])
    except IntegrityError:
        # Someone else created this answer at the same moment (the database refused the
        # second row): theirs stands.
        raise _conflict(context.pk, item) from None
    return SaveResult(answer, changed=True, data=new)


def value_rows(
    answer: Answer, item: Item, values: dict[str, Any], existing: dict[int, AnswerValue]
) -> list[AnswerValue]:
    """One value row per part of ``item`` holding the cleaned ``values`` (``existing`` rows,
    by part id, are reused); not saved."""
    rows = []
    for part, (_part_id, maturity, number, flag, text) in zip(
        item.part_list, value_columns(item, values), strict=True
    ):
        value = existing.get(part.pk) or AnswerValue(answer=answer, part=part)
        value.maturity, value.number, value.flag, value.text = maturity, number, flag, text
        rows.append(value)
    return rows


def value_columns(item: Item, values: dict[str, Any]) -> list[tuple[int, str, Any, Any, str]]:
    """(part id, maturity, number, flag, text) per part of ``item`` for cleaned ``values``:
    what the value rows hold."""
    columns = []
    for part in item.part_list:
        raw = values.get(part.key)
        columns.append(
            (
                part.pk,
                str(raw or "") if part.type == PartType.MATURITY else "",
                Decimal(raw) if part.type == PartType.NUMBER and raw is not None else None,
                raw
                if part.type in (PartType.RISK_FLAG, PartType.NEED_FLAG, PartType.BOOLEAN)
                else None,
                str(raw or "") if part.type == PartType.TEXT else "",
            )
        )
    return columns


def is_complete(data: dict[str, Any], item: Item) -> bool:
    """Answered enough to count: N.v.t. with a reason, or every non-text part filled in
    (a text-only question needs its text)."""
    if data["not_applicable"]:
        return bool(data["na_reason"])
    parts = list(item.part_list)
    required = [p for p in parts if p.type != PartType.TEXT] or parts
    return all(data["values"].get(p.key) not in (None, "") for p in required)


def describe(item: Item, data: dict[str, Any]) -> list[tuple[str, str]]:
    """(label, value) pairs of a snapshot as a person reads them."""
    rows: list[tuple[str, str]] = []
    if data.get("not_applicable"):
        rows.append((_("Niet van toepassing"), data.get("na_reason") or "—"))
    labels = dict(Maturity.choices)
    for part in item.part_list:
        value = data.get("values", {}).get(part.key)
        label = part.label or part.get_type_display()
        if part.type == PartType.MATURITY:
            shown = str(labels.get(value, "—")) if value else "—"
        elif part.type == PartType.NUMBER:
            shown = f"{value} {part.unit}".strip() if value not in (None, "") else "—"
        elif part.type in (PartType.RISK_FLAG, PartType.NEED_FLAG, PartType.BOOLEAN):
            flag = _bool_or_none(value)
            shown = "—" if flag is None else (_("ja") if flag else _("nee"))
        else:
            shown = value or "—"
        rows.append((label, shown))
    for key, label in (
        ("explanation", _("Toelichting")),
        ("evidence_link", _("Bewijs")),
        ("evidence_date", _("Laatst beoefend of getest")),
    ):
        if data.get(key):
            rows.append((label, str(data[key])))
    return rows


def _bool_or_none(value: Any) -> bool | None:
    try:
        return _bool(value)
    except ValueError:
        return None


def differences(
    item: Item, theirs: dict[str, Any], mine: dict[str, Any]
) -> list[tuple[str, str, str]]:
    """(label, their value, my value) for every field where two versions differ."""
    a, b = dict(describe(item, theirs)), dict(describe(item, mine))
    labels = list(dict.fromkeys([*a, *b]))
    return [
        (label, a.get(label, "—"), b.get(label, "—"))
        for label in labels
        if a.get(label, "—") != b.get(label, "—")
    ]
