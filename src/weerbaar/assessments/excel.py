"""Excel round-trip of a self-assessment: export for offline answering, import back.

Export: an instruction sheet and one row per answer part, with drop-downs for the maturity
scale and yes/no, validated number cells, and every column but the answers locked. Cells
whose text starts with ``= + - @`` are escaped so a spreadsheet never runs them.

Import is hostile until proven otherwise: size cap, zip checks (entries, total size,
compression ratio: zip bombs), macros refused, XML parsed through defusedxml, a time limit.
Every row is validated; nothing is saved unless the whole file is clean and the person
confirms; then all changes are saved in one transaction, with the version each row was
exported at (a newer answer in Weerbaar is a conflict, not an overwrite).
"""

from __future__ import annotations

import io
import itertools
import re
import time
import zipfile
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

import openpyxl
import openpyxl.xml
from django.core.exceptions import ImproperlyConfigured
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from openpyxl.styles import Alignment, Font, PatternFill, Protection
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation

from weerbaar.formatting import count
from weerbaar.frameworks.models import Item, PartType
from weerbaar.ids import parse_version
from weerbaar.scoring.tally import tally_refresh

from . import active_content
from .answering import AnswerInvalid, answer_save, snapshot
from .models import Answer, AnswerRevision, Assessment, Maturity
from .progress import progress

if not openpyxl.xml.DEFUSEDXML:  # openpyxl parses XML with defusedxml only when installed
    raise ImproperlyConfigured("defusedxml must be installed for Excel imports")

SHEET = "Vragen"
INSTRUCTIONS = "Instructie"
HEADERS = [
    "Code",
    "Thema",
    "Vraag",
    "Toelichting",
    "Onderdeel",
    "Eenheid",
    "Antwoord",
    "Reden n.v.t.",
    "Toelichting bij antwoord",
    "Sleutel",
    "Versie",
]
COL = {name: index + 1 for index, name in enumerate(HEADERS)}
NA = "N.v.t."
YES, NO = "ja", "nee"
MATURITY_LABELS = {value: str(label) for value, label in Maturity.choices}
MATURITY_BY_LABEL = {label.lower(): value for value, label in MATURITY_LABELS.items()}

MAX_UPLOAD = 5 * 1024 * 1024
MAX_UNCOMPRESSED = 20 * 1024 * 1024
MAX_PART = 4 * 1024 * 1024  # one XML part (a sheet, the shared strings): parsed in well under 1 s
MAX_RATIO = 100
MAX_ENTRIES = 500
MAX_SECONDS = 5.0
# An export holds one row per answer part: the Kader has 127. A sheet with more rows than this
# is not an export and is refused before the rest is read; the problems listed are bounded.
MAX_ROWS = 1000
MAX_PROBLEMS = 50
DANGEROUS = ("=", "+", "-", "@")


def escape(value: Any) -> Any:
    """Text that a spreadsheet would read as a formula gets a leading apostrophe."""
    if isinstance(value, str) and value.startswith(DANGEROUS):
        return "'" + value
    return value


def unescape(value: Any) -> Any:
    if isinstance(value, str) and value.startswith("'") and value[1:2] in DANGEROUS:
        return value[1:]
    return value


def export_assessment(assessment: Assessment, items: Any) -> bytes:
    state = progress(assessment, items)
    book = openpyxl.Workbook()
    intro = book.worksheets[0]
    intro.title = INSTRUCTIONS
    lines = [
        f"{assessment.organisation.name} — {assessment.round.title}",
        f"{assessment.round.framework.title} {assessment.round.framework.version}; "
        f"deadline {assessment.round.deadline:%d-%m-%Y}",
        "",
        "Vul op het blad ‘Vragen’ alleen de gele kolommen in: Antwoord, Reden n.v.t. en "
        "Toelichting bij antwoord. De andere kolommen zijn beveiligd.",
        "Volwassenheid: kies in de lijst 0 tot en met 4, Onbekend, of N.v.t. (geef dan een reden).",
        "Getallen: alleen het getal, in de eenheid van de kolom Eenheid.",
        "Ja/nee-vragen: kies ja of nee.",
        "Importeer het bestand daarna in Weerbaar; u ziet eerst een controle, er wordt pas "
        "opgeslagen als u bevestigt. Antwoorden die intussen in Weerbaar zijn gewijzigd, "
        "worden niet overschreven.",
        "",
        f"Geëxporteerd op {timezone.localtime():%d-%m-%Y %H:%M}.",
    ]
    for row, line in enumerate(lines, start=1):
        intro.cell(row=row, column=1, value=escape(line))
    intro["A1"].font = Font(bold=True, size=14)
    intro.column_dimensions["A"].width = 120

    sheet = book.create_sheet(SHEET)
    for column, header in enumerate(HEADERS, start=1):
        cell = sheet.cell(row=1, column=column, value=header)
        cell.font = Font(bold=True)
    maturity_list = ",".join([*MATURITY_LABELS.values(), NA])
    validations = {
        "maturity": DataValidation(type="list", formula1=f'"{maturity_list}"', allow_blank=True),
        "flag": DataValidation(type="list", formula1=f'"{YES},{NO}"', allow_blank=True),
    }
    for validation in validations.values():
        validation.error = _("Kies een waarde uit de lijst.")
        validation.showErrorMessage = True
        sheet.add_data_validation(validation)
    answer_fill = PatternFill("solid", fgColor="FFF6CC")
    row = 2
    for section in state.sections:
        for item_state in section.items:
            item = item_state.item
            data = item_state.data
            version = item_state.answer.version if item_state.answer else 0
            for index, part in enumerate(item.parts.all()):
                value = _export_value(part, data)
                cells = {
                    "Code": item.code,
                    "Thema": section.section.title,
                    "Vraag": item.text,
                    "Toelichting": item.explanation,
                    "Onderdeel": part.label or part.get_type_display(),
                    "Eenheid": part.unit,
                    "Antwoord": value,
                    "Reden n.v.t.": data["na_reason"] if index == 0 else None,
                    "Toelichting bij antwoord": data["explanation"] if index == 0 else None,
                    "Sleutel": part.key,
                    "Versie": version,
                }
                for name, content in cells.items():
                    cell = sheet.cell(row=row, column=COL[name], value=escape(content))
                    if isinstance(content, str):
                        cell.data_type = "s"
                    cell.alignment = Alignment(wrap_text=True, vertical="top")
                editable = ["Antwoord"] + (
                    ["Reden n.v.t.", "Toelichting bij antwoord"] if index == 0 else []
                )
                for name in editable:
                    cell = sheet.cell(row=row, column=COL[name])
                    cell.protection = Protection(locked=False)
                    cell.fill = answer_fill
                coordinate = sheet.cell(row=row, column=COL["Antwoord"]).coordinate
                if part.type == PartType.MATURITY:
                    validations["maturity"].add(coordinate)
                elif part.type in (PartType.RISK_FLAG, PartType.NEED_FLAG, PartType.BOOLEAN):
                    validations["flag"].add(coordinate)
                elif part.type == PartType.NUMBER:
                    number = DataValidation(
                        type="whole" if part.integer else "decimal",
                        operator="between",
                        formula1=str(part.min_value if part.min_value is not None else -1e12),
                        formula2=str(part.max_value if part.max_value is not None else 1e12),
                        allow_blank=True,
                    )
                    number.error = _("Vul een getal in binnen de grenzen.")
                    number.showErrorMessage = True
                    sheet.add_data_validation(number)
                    number.add(coordinate)
                row += 1
    widths = {
        "Code": 9,
        "Thema": 22,
        "Vraag": 60,
        "Toelichting": 40,
        "Onderdeel": 28,
        "Eenheid": 9,
        "Antwoord": 22,
        "Reden n.v.t.": 28,
        "Toelichting bij antwoord": 40,
        "Sleutel": 4,
        "Versie": 4,
    }
    for name, width in widths.items():
        sheet.column_dimensions[get_column_letter(COL[name])].width = width
    for name in ("Sleutel", "Versie"):
        sheet.column_dimensions[get_column_letter(COL[name])].hidden = True
    sheet.freeze_panes = "C2"
    sheet.protection.sheet = True
    sheet.protection.formatColumns = False
    sheet.protection.formatRows = False
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def _export_value(part: Any, data: dict[str, Any]) -> Any:
    if data["not_applicable"] and part.type == PartType.MATURITY:
        return NA
    value = data["values"].get(part.key)
    if part.type == PartType.MATURITY:
        return MATURITY_LABELS.get(value, "") if value else None
    if part.type == PartType.NUMBER:
        return None if value in (None, "") else Decimal(value)
    if part.type in (PartType.RISK_FLAG, PartType.NEED_FLAG, PartType.BOOLEAN):
        return None if value is None else (YES if value else NO)
    return value or None


@dataclass
class Problem:
    sheet: str
    row: int
    reason: str


@dataclass
class Change:
    code: str
    version: int
    data: dict[str, Any]
    labels: list[tuple[str, str, str]] = field(default_factory=list)


@dataclass
class ImportReport:
    changes: list[Change] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)  # the first MAX_PROBLEMS
    more_problems: int = 0  # found beyond those

    @property
    def clean(self) -> bool:
        return not self.problems

    @property
    def problem_count(self) -> int:
        return len(self.problems) + self.more_problems

    def problem(self, problem: Problem) -> None:
        if len(self.problems) < MAX_PROBLEMS:
            self.problems.append(problem)
        else:
            self.more_problems += 1


class ImportRefused(ValueError):
    """The file itself is refused (not a safe .xlsx); the message says why."""


def _check_archive(content: bytes) -> None:
    if len(content) > MAX_UPLOAD:
        raise ImportRefused(_("Het bestand is groter dan 5 MB."))
    try:
        archive = zipfile.ZipFile(io.BytesIO(content))
        entries = archive.infolist()
    except zipfile.BadZipFile as exc:
        raise ImportRefused(_("Dit is geen geldig .xlsx-bestand.")) from exc
    if len(entries) > MAX_ENTRIES:
        raise ImportRefused(_("Het bestand bevat te veel onderdelen."))
    total = sum(entry.file_size for entry in entries)
    compressed = sum(entry.compress_size for entry in entries) or 1
    if (
        total > MAX_UNCOMPRESSED
        or total / compressed > MAX_RATIO
        or any(entry.file_size > MAX_PART for entry in entries)
    ):
        raise ImportRefused(_("Het bestand is uitgepakt te groot (mogelijk een zip-bom)."))
    names = {entry.filename.lower() for entry in entries}
    if "xl/workbook.xml" not in names:
        raise ImportRefused(_("Dit is geen geldig .xlsx-bestand."))
    try:
        active_content.check(content)
    except active_content.ActiveContent as refused:
        raise ImportRefused(str(refused)) from refused
    # Count the rows before openpyxl sees the file: without a <dimension> element it reads a
    # whole sheet just to learn its size (seconds for tens of thousands of rows).
    for entry in entries:
        name = entry.filename.lower()
        if name.startswith("xl/worksheets/") and name.endswith(".xml"):
            rows = ROW.finditer(archive.read(entry))
            if sum(1 for _ in itertools.islice(rows, MAX_ROWS + 2)) > MAX_ROWS + 1:
                raise ImportRefused(too_many_rows())


ROW = re.compile(rb"<(?:[^\s<>/:!?]+:)?row[\s>/]")


def too_many_rows() -> str:
    return _(
        "Het blad ‘Vragen’ heeft meer dan %(rows)s regels; een export uit Weerbaar heeft er "
        "één per antwoordonderdeel. Gebruik een export uit Weerbaar."
    ) % {"rows": count(MAX_ROWS)}


def parse_import(assessment: Assessment, items: Any, content: bytes) -> ImportReport:
    """Read an exported file back into changes (nothing is saved). Any file that cannot be
    read as an export is refused with a message, never an error page."""
    _check_archive(content)
    try:
        return _parse(assessment, items, content)
    except ImportRefused:
        raise
    except Exception as exc:
        raise ImportRefused(_("Het bestand kan niet worden gelezen.")) from exc


def _parse(assessment: Assessment, items: Any, content: bytes) -> ImportReport:
    started = time.monotonic()
    try:
        book = openpyxl.load_workbook(io.BytesIO(content), read_only=True, data_only=True)
    except Exception as exc:
        raise ImportRefused(_("Het bestand kan niet worden gelezen.")) from exc
    report = ImportReport()
    if SHEET not in book.sheetnames:
        raise ImportRefused(_("Het blad ‘Vragen’ ontbreekt. Gebruik een export uit Weerbaar."))
    sheet = book[SHEET]
    header = [
        str(c or "").strip()
        for c in next(sheet.iter_rows(min_row=1, max_row=1, values_only=True), ())
    ]
    if header[: len(HEADERS)] != HEADERS:
        raise ImportRefused(_("De kolommen zijn gewijzigd. Gebruik een export uit Weerbaar."))
    allowed = {item.code: item for item in items.prefetch_related("parts")}
    rows: dict[str, dict[str, Any]] = {}
    rows_read = sheet.iter_rows(min_row=2, max_row=MAX_ROWS + 2, values_only=True)
    for number, values in enumerate(rows_read, start=2):
        if number > MAX_ROWS + 1 and any(v not in (None, "") for v in values):
            raise ImportRefused(too_many_rows())
        if time.monotonic() - started > MAX_SECONDS:
            raise ImportRefused(_("Het bestand is te groot om te verwerken."))
        if not any(v not in (None, "") for v in values):
            continue
        values = (tuple(values) + (None,) * len(HEADERS))[: len(HEADERS)]
        cells = dict(zip(HEADERS, values, strict=True))
        code = str(cells["Code"] or "").strip()
        item = allowed.get(code)
        if item is None:
            report.problem(
                Problem(
                    SHEET,
                    number,
                    _("Onbekende vraag ‘%(code)s’ (of niet voor u).") % {"code": code},
                )
            )
            continue
        key = str(cells["Sleutel"] or "").strip()
        part = next((p for p in item.parts.all() if p.key == key), None)
        if part is None:
            report.problem(
                Problem(SHEET, number, _("Onbekend onderdeel bij %(code)s.") % {"code": code})
            )
            continue
        first = code not in rows
        entry = rows.setdefault(
            code,
            {"item": item, "version": cells["Versie"], "row": number, "data": {"values": {}}},
        )
        answer = unescape(cells["Antwoord"])
        if part.type == PartType.MATURITY:
            text = str(answer or "").strip()
            entry["data"]["not_applicable"] = text == NA
            if text == NA:
                entry["data"]["values"][key] = ""
            elif text:
                value = MATURITY_BY_LABEL.get(text.lower()) or (
                    text if text in MATURITY_LABELS else None
                )
                if value is None:
                    report.problem(
                        Problem(
                            SHEET,
                            number,
                            _("%(code)s: kies een niveau uit de lijst.") % {"code": code},
                        )
                    )
                    continue
                entry["data"]["values"][key] = value
            else:
                entry["data"]["values"][key] = ""
        elif part.type in (PartType.RISK_FLAG, PartType.NEED_FLAG, PartType.BOOLEAN):
            text = str(answer or "").strip().lower()
            entry["data"]["values"][key] = {YES: True, NO: False, "": None}.get(text, text)
        elif part.type == PartType.NUMBER:
            entry["data"]["values"][key] = None if answer in (None, "") else str(answer)
        else:
            entry["data"]["values"][key] = str(answer or "")
        if first:
            # The first row of a question carries its reason and explanation; an empty
            # cell clears them (the export wrote the current text there).
            reason = str(unescape(cells["Reden n.v.t."]) or "").strip()
            entry["data"]["na_reason"] = reason
            entry["data"]["explanation"] = str(
                unescape(cells["Toelichting bij antwoord"]) or ""
            ).strip()
            if not any(p.type == PartType.MATURITY for p in item.parts.all()):
                # Without a maturity list, a reason is how a question is marked N.v.t.
                entry["data"]["not_applicable"] = bool(reason)
    book.close()

    existing = {
        answer.item_id: answer
        for answer in Answer.objects.filter(assessment=assessment).prefetch_related("values__part")
    }
    from .answering import clean, differences

    for code, entry in rows.items():
        asked: Item = entry["item"]
        version = parse_version(entry["version"] or 0)
        if version is None:
            report.problem(
                Problem(
                    SHEET,
                    entry["row"],
                    _("%(code)s: de verborgen versie is gewijzigd.") % {"code": code},
                )
            )
            continue
        current = existing.get(asked.pk)
        before = snapshot(current, asked)
        data = {**before, **{k: v for k, v in entry["data"].items() if k != "values"}}
        data["values"] = {**before["values"], **entry["data"]["values"]}
        try:
            cleaned = clean(asked, data)
        except AnswerInvalid as exc:
            for message in exc.errors.values():
                report.problem(Problem(SHEET, entry["row"], f"{code}: {message}"))
            continue
        if cleaned == before:
            continue
        if current is not None and current.version != version:
            report.problem(
                Problem(
                    SHEET,
                    entry["row"],
                    _(
                        "%(code)s is in Weerbaar gewijzigd na de export; exporteer opnieuw of pas "
                        "het daar aan."
                    )
                    % {"code": code},
                )
            )
            continue
        report.changes.append(Change(code, version, cleaned, differences(asked, before, cleaned)))
    return report


@transaction.atomic
def apply_import(assessment: Assessment, items: Any, changes: list[Change], by: Any) -> int:
    """Save every change or none (a conflict or lock rolls everything back)."""
    by_code = {item.code: item for item in items}
    for change in changes:
        answer_save(
            assessment=assessment,
            item=by_code[change.code],
            data=change.data,
            expected_version=change.version,
            by=by,
            source=AnswerRevision.Source.EXCEL,
            tally=False,
        )
    if changes:  # one tally for the whole import, in its transaction
        tally_refresh(Assessment.all_objects.filter(pk=assessment.pk))
    return len(changes)
