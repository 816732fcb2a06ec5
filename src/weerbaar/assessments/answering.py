"""Saving answers: validation, version check (no lost updates) and history."""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from typing import Any
from urllib.parse import urlparse

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from weerbaar.frameworks.models import AnswerPart, Item, PartType

from .models import Answer, AnswerRevision, AnswerValue, Assessment, Maturity
from .signals import answers_changed_send

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
    """Someone saved this answer after the version the person read. Nothing was saved."""

    def __init__(self, current: dict[str, Any], version: int) -> None:
        self.current = current
        self.version = version
        super().__init__(f"answer changed; now at version {version}")


class AnswerLocked(Exception):
    """The assessment is no longer in concept (submitted, reviewed or final)."""


@dataclass(frozen=True)
class SaveResult:
    answer: Answer
    changed: bool


def empty_snapshot(item: Item) -> dict[str, Any]:
    return {
        "not_applicable": False,
        "na_reason": "",
        "explanation": "",
        "evidence_link": "",
        "evidence_date": None,
        "values": {part.key: _empty(part) for part in item.parts.all()},
    }


def _empty(part: AnswerPart) -> Any:
    return "" if part.type in (PartType.MATURITY, PartType.TEXT) else None


def snapshot(answer: Answer | None, item: Item) -> dict[str, Any]:
    """The answer as plain JSON-able data (numbers as strings, dates ISO)."""
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
    for value in answer.values.all():
        data["values"][value.part.key] = _value_of(value)
    return data


def _value_of(value: AnswerValue) -> Any:
    kind = value.part.type
    if kind == PartType.MATURITY:
        return value.maturity
    if kind == PartType.NUMBER:
        return None if value.number is None else _plain_number(value.number)
    if kind in (PartType.RISK_FLAG, PartType.NEED_FLAG, PartType.BOOLEAN):
        return value.flag
    return value.text


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
    for part in item.parts.all():
        raw = values.get(part.key)
        try:
            result["values"][part.key] = _clean_part(part, raw)
        except ValueError as exc:
            errors[f"values.{part.key}"] = str(exc)
    unknown = set(values) - {part.key for part in item.parts.all()}
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


@transaction.atomic
def answer_save(
    *,
    assessment: Assessment,
    item: Item,
    data: dict[str, Any],
    expected_version: int,
    by: Any,
    source: str = AnswerRevision.Source.WEB,
) -> SaveResult:
    """Save an answer if nobody changed it since ``expected_version``.

    Raises AnswerInvalid (nothing saved), AnswerConflict (someone else saved first; nothing
    saved) or AnswerLocked (the assessment is no longer a concept). Saving also confirms an
    answer carried over from the previous round.
    """
    # Serialise saves per assessment (SQLite already has one writer; PostgreSQL locks here).
    locked = Assessment.objects.select_for_update().get(pk=assessment.pk)
    if "parts" not in getattr(item, "_prefetched_objects_cache", {}):
        item = Item.objects.prefetch_related("parts").get(pk=item.pk)
    new = clean(item, data)
    answer = (
        Answer.objects.select_for_update()
        .filter(assessment=locked, item=item)
        .prefetch_related("values__part")
        .first()
    )
    current_version = answer.version if answer else 0
    old = snapshot(answer, item)
    if expected_version != current_version:
        if answer is not None and new == old:
            # The same values saved twice (a retried request): nothing is lost.
            return SaveResult(answer, changed=False)
        raise AnswerConflict(old, current_version)
    # Saving an answer carried over from the last round confirms it, even unchanged.
    confirming = bool(answer and answer.carried_over and source != AnswerRevision.Source.PREFILL)
    if answer is not None and new == old and not confirming:
        return SaveResult(answer, changed=False)  # e.g. a late autosave of what was saved
    if not locked.is_editable:
        raise AnswerLocked
    if answer is None:
        answer = Answer(assessment=locked, item=item)
    answer.not_applicable = new["not_applicable"]
    answer.na_reason = new["na_reason"] if new["not_applicable"] else ""
    answer.explanation = new["explanation"]
    answer.evidence_link = new["evidence_link"]
    answer.evidence_date = (
        datetime.date.fromisoformat(new["evidence_date"]) if new["evidence_date"] else None
    )
    answer.carried_over = source == AnswerRevision.Source.PREFILL
    answer.version = current_version + 1
    answer.updated_at = timezone.now()
    answer.updated_by = by if getattr(by, "is_authenticated", False) else None
    answer.save()
    _write_values(answer, item, new["values"])
    AnswerRevision.objects.create(
        answer=answer,
        version=answer.version,
        by=answer.updated_by,
        source=source,
        old=None if current_version == 0 else old,
        new=snapshot(answer, item),
    )
    answers_changed_send(Answer, locked)
    return SaveResult(answer, changed=True)


def _write_values(answer: Answer, item: Item, values: dict[str, Any]) -> None:
    existing = {value.part_id: value for value in answer.values.all()}
    for value in value_rows(answer, item, values, existing):
        value.save()
    # Refresh the prefetched values so a snapshot right after sees the new ones.
    if hasattr(answer, "_prefetched_objects_cache"):
        answer._prefetched_objects_cache.pop("values", None)


def value_rows(
    answer: Answer, item: Item, values: dict[str, Any], existing: dict[int, AnswerValue]
) -> list[AnswerValue]:
    """One value row per part of ``item`` holding the cleaned ``values`` (``existing`` rows,
    by part id, are reused); not saved."""
    rows = []
    for part in item.parts.all():
        raw = values.get(part.key)
        value = existing.get(part.pk) or AnswerValue(answer=answer, part=part)
        value.maturity = str(raw or "") if part.type == PartType.MATURITY else ""
        value.number = Decimal(raw) if part.type == PartType.NUMBER and raw is not None else None
        value.flag = (
            raw if part.type in (PartType.RISK_FLAG, PartType.NEED_FLAG, PartType.BOOLEAN) else None
        )
        value.text = str(raw or "") if part.type == PartType.TEXT else ""
        rows.append(value)
    return rows


def is_complete(data: dict[str, Any], item: Item) -> bool:
    """Answered enough to count: N.v.t. with a reason, or every non-text part filled in
    (a text-only question needs its text)."""
    if data["not_applicable"]:
        return bool(data["na_reason"])
    parts = list(item.parts.all())
    required = [p for p in parts if p.type != PartType.TEXT] or parts
    return all(data["values"].get(p.key) not in (None, "") for p in required)


def describe(item: Item, data: dict[str, Any]) -> list[tuple[str, str]]:
    """(label, value) pairs of a snapshot as a person reads them."""
    rows: list[tuple[str, str]] = []
    if data.get("not_applicable"):
        rows.append((_("Niet van toepassing"), data.get("na_reason") or "—"))
    labels = dict(Maturity.choices)
    for part in item.parts.all():
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
