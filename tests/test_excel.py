"""Excel round-trip: export, edit, check, confirm — and hostile files refused."""

from __future__ import annotations

import io
import random
import shutil
import string
import subprocess
import time
import zipfile

import openpyxl
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from weerbaar.assessments.answering import answer_save
from weerbaar.assessments.excel import HEADERS, escape, unescape
from weerbaar.assessments.models import Answer, AnswerRevision
from weerbaar.frameworks.models import Item

from .conftest import World
from .factories import open_round


@pytest.fixture
def assessment(world: World):
    round_ = open_round(world, world.own)
    return round_.assessments.get()


def export(client: Client, assessment, query: str = "") -> openpyxl.Workbook:
    response = client.get(reverse("assessments:excel_export", args=[assessment.pk]) + query)
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    return openpyxl.load_workbook(io.BytesIO(response.content))


def to_bytes(book: openpyxl.Workbook) -> bytes:
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def upload(client: Client, assessment, content: bytes, name: str = "antwoorden.xlsx"):
    return client.post(
        reverse("assessments:excel_import", args=[assessment.pk]),
        {"file": SimpleUploadedFile(name, content)},
    )


def row_of(sheet, code: str, key: str) -> int:
    for row in range(2, sheet.max_row + 1):
        if (
            sheet.cell(row, 1).value == code
            and sheet.cell(row, HEADERS.index("Sleutel") + 1).value == key
        ):
            return row
    raise AssertionError(f"{code}/{key} not in the sheet")


def test_export_has_instructions_locked_columns_and_validation(assessment, world: World) -> None:
    client = Client()
    client.force_login(world.alice)
    book = export(client, assessment)
    assert book.sheetnames == ["Instructie", "Vragen"]
    sheet = book["Vragen"]
    assert [c.value for c in sheet[1]] == HEADERS
    assert sheet.protection.sheet is True
    row = row_of(sheet, "UV-01", "noodstroom_uren")
    assert sheet.cell(row, HEADERS.index("Vraag") + 1).protection.locked is True
    assert sheet.cell(row, HEADERS.index("Antwoord") + 1).protection.locked is False
    assert sheet.cell(row, HEADERS.index("Eenheid") + 1).value == "uur"
    kinds = {v.type for v in sheet.data_validations.dataValidation}
    assert {"list", "decimal", "whole"} <= kinds
    codes = {sheet.cell(r, 1).value for r in range(2, sheet.max_row + 1)}
    assert len(codes) == 69


def test_export_of_one_role(assessment, world: World) -> None:
    client = Client()
    client.force_login(world.alice)
    sheet = export(client, assessment, "?rol=ciso")["Vragen"]
    assert {sheet.cell(r, 1).value for r in range(2, sheet.max_row + 1)} == {
        f"CY-{n:02d}" for n in range(1, 11)
    }


def test_formula_like_text_is_escaped_on_export(assessment, world: World) -> None:
    item = Item.objects.get(section__framework__slug="kader-weerbare-zorg", code="CY-06")
    answer_save(
        assessment=assessment,
        item=item,
        data={"values": {"maturity": "2", "toelichting": '=HYPERLINK("http://x","klik")'}},
        expected_version=0,
        by=world.alice,
    )
    client = Client()
    client.force_login(world.alice)
    sheet = export(client, assessment)["Vragen"]
    values = [
        sheet.cell(r, HEADERS.index("Antwoord") + 1).value for r in range(2, sheet.max_row + 1)
    ]
    assert '\'=HYPERLINK("http://x","klik")' in values
    assert not any(isinstance(v, str) and v.startswith("=") for v in values)
    assert unescape(escape("@SUM(A1)")) == "@SUM(A1)"


def test_round_trip_checks_then_saves_only_after_confirmation(assessment, world: World) -> None:
    client = Client()
    client.force_login(world.alice)
    book = export(client, assessment)
    sheet = book["Vragen"]
    answer = HEADERS.index("Antwoord") + 1
    sheet.cell(row_of(sheet, "UV-01", "noodstroom_uren"), answer, 72)
    sheet.cell(row_of(sheet, "CY-01", "maturity"), answer, "3 · Geregeld")
    sheet.cell(row_of(sheet, "EW-03", "overstromingsrisico"), answer, "ja")
    preview = upload(client, assessment, to_bytes(book))
    assert preview.status_code == 200
    page = preview.content.decode()
    assert "3 antwoorden worden gewijzigd" in page
    assert not Answer.objects.exists()  # nothing saved before confirmation
    response = client.post(reverse("assessments:excel_import_confirm", args=[assessment.pk]))
    assert response.status_code == 302
    saved = {a.item.code: a for a in Answer.objects.select_related("item")}
    assert set(saved) == {"UV-01", "CY-01", "EW-03"}
    assert saved["UV-01"].values.get().number == 72
    assert set(AnswerRevision.objects.values_list("source", flat=True)) == {"excel"}


def test_import_reports_every_problem_with_row_and_saves_nothing(assessment, world: World) -> None:
    client = Client()
    client.force_login(world.alice)
    book = export(client, assessment)
    sheet = book["Vragen"]
    answer = HEADERS.index("Antwoord") + 1
    bad_hours = row_of(sheet, "UV-01", "noodstroom_uren")
    bad_level = row_of(sheet, "CY-01", "maturity")
    sheet.cell(bad_hours, answer, -4)
    sheet.cell(bad_level, answer, "heel goed")
    sheet.cell(row_of(sheet, "CY-03", "maturity"), answer, "4 · Geborgd")  # a good row
    response = upload(client, assessment, to_bytes(book))
    assert response.status_code == 400
    page = response.content.decode()
    assert f'<td class="num">{bad_hours}</td><td>UV-01: Vul minimaal 0 uur in.</td>' in page
    assert f"{bad_level}</td><td>CY-01: kies een niveau uit de lijst.</td>" in page
    assert "Bevestigen en opslaan" not in page
    assert (
        client.post(reverse("assessments:excel_import_confirm", args=[assessment.pk])).status_code
        == 302
    )
    assert not Answer.objects.exists()


def test_import_does_not_overwrite_newer_answers(assessment, world: World) -> None:
    client = Client()
    client.force_login(world.alice)
    book = export(client, assessment)
    item = Item.objects.get(section__framework__slug="kader-weerbare-zorg", code="UV-01")
    answer_save(
        assessment=assessment,
        item=item,
        data={"values": {"noodstroom_uren": "12"}},
        expected_version=0,
        by=world.alice,
    )
    answer_save(
        assessment=assessment,
        item=item,
        data={"values": {"noodstroom_uren": "24"}},
        expected_version=1,
        by=world.alice,
    )
    sheet = book["Vragen"]
    sheet.cell(row_of(sheet, "UV-01", "noodstroom_uren"), HEADERS.index("Antwoord") + 1, 96)
    response = upload(client, assessment, to_bytes(book))
    assert "UV-01 is in Weerbaar gewijzigd na de export" in response.content.decode()
    assert Answer.objects.get(item=item).values.get().number == 24


def zip_bytes(entries: dict[str, bytes], compression: int = zipfile.ZIP_DEFLATED) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression) as archive:
        for name, content in entries.items():
            archive.writestr(name, content)
    return buffer.getvalue()


CONTENT_TYPES = (
    b'<?xml version="1.0"?>'
    b'<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"/>'
)
LAUGHS = (
    b'<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol">'
    b'<!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">]>'
    b"<workbook>&lol2;</workbook>"
)

HOSTILE = [
    ("not-a-zip.xlsx", b"just text", "Dit is geen geldig .xlsx-bestand."),
    (
        "bomb.xlsx",
        zip_bytes({"xl/workbook.xml": b"<a/>", "xl/big.xml": b"0" * (40 * 1024 * 1024)}),
        "zip-bom",
    ),
    ("macro.xlsm", zip_bytes({"xl/workbook.xml": b"<a/>", "xl/vbaProject.bin": b"evil"}), "macro"),
    (
        "billion-laughs.xlsx",
        zip_bytes(
            {
                "[Content_Types].xml": CONTENT_TYPES,
                "xl/workbook.xml": LAUGHS,
            }
        ),
        "XML-constructies die niet zijn toegestaan",
    ),
    # Just over 5 MB passes the body limit (the file plus its form) and meets the form's own.
    ("too-big.xlsx", b"PK\x03\x04" + b"0" * (5 * 1024 * 1024 + 1024), "groter dan 5 MB"),
]


@pytest.mark.parametrize(("name", "content", "message"), HOSTILE, ids=[h[0] for h in HOSTILE])
def test_hostile_files_are_refused_within_a_second(
    assessment, world: World, name: str, content: bytes, message: str
) -> None:
    client = Client()
    client.force_login(world.alice)
    started = time.monotonic()
    response = upload(client, assessment, content, name)
    assert time.monotonic() - started < 1.0
    assert response.status_code == 400
    assert message in response.content.decode()
    assert not Answer.objects.exists()


def test_respondent_imports_only_their_own_questions(assessment, world: World) -> None:
    admin = Client()
    admin.force_login(world.alice)
    book = export(admin, assessment)
    sheet = book["Vragen"]
    sheet.cell(row_of(sheet, "UV-01", "noodstroom_uren"), HEADERS.index("Antwoord") + 1, 10)
    bob = Client()
    bob.force_login(world.bob)
    response = upload(bob, assessment, to_bytes(book))
    assert "Onbekende vraag ‘UV-01’ (of niet voor u)." in response.content.decode()
    assert not Answer.objects.exists()


SOFFICE = shutil.which("soffice")


@pytest.mark.requires_tool(
    SOFFICE is not None,
    "LibreOffice re-saves the file: apt-get install libreoffice-calc-nogui",
)
def test_file_saved_by_libreoffice_imports(assessment, world: World, tmp_path) -> None:
    client = Client()
    client.force_login(world.alice)
    book = export(client, assessment)
    sheet = book["Vragen"]
    sheet.cell(row_of(sheet, "UV-01", "noodstroom_uren"), HEADERS.index("Antwoord") + 1, 36)
    source = tmp_path / "in" / "antwoorden.xlsx"
    source.parent.mkdir()
    source.write_bytes(to_bytes(book))
    out = tmp_path / "out"
    subprocess.run(
        [
            SOFFICE,
            f"-env:UserInstallation=file://{tmp_path}/profile",
            "--headless",
            "--convert-to",
            "xlsx:Calc MS Excel 2007 XML",
            "--outdir",
            str(out),
            str(source),
        ],
        check=True,
        capture_output=True,
        timeout=120,
    )
    resaved = (out / "antwoorden.xlsx").read_bytes()
    assert resaved != source.read_bytes()  # really written by LibreOffice
    preview = upload(client, assessment, resaved)
    assert preview.status_code == 200, preview.content.decode()[-2000:]
    assert "1 antwoord wordt gewijzigd" in preview.content.decode()
    client.post(reverse("assessments:excel_import_confirm", args=[assessment.pk]))
    assert Answer.objects.get(item__code="UV-01").values.get().number == 36


def test_unchanged_round_trip_changes_nothing_and_keeps_na(assessment, world: World) -> None:
    item = Item.objects.get(section__framework__slug="kader-weerbare-zorg", code="UV-01")
    answer_save(
        assessment=assessment,
        item=item,
        data={"not_applicable": True, "na_reason": "Geen eigen gebouw", "explanation": "Huur"},
        expected_version=0,
        by=world.alice,
    )
    client = Client()
    client.force_login(world.alice)
    response = upload(client, assessment, to_bytes(export(client, assessment)))
    assert "Het bestand bevat geen wijzigingen." in response.content.decode()


def test_emptied_explanation_cell_clears_the_explanation(assessment, world: World) -> None:
    item = Item.objects.get(section__framework__slug="kader-weerbare-zorg", code="UV-01")
    answer_save(
        assessment=assessment,
        item=item,
        data={"values": {"noodstroom_uren": "12"}, "explanation": "oud"},
        expected_version=0,
        by=world.alice,
    )
    client = Client()
    client.force_login(world.alice)
    book = export(client, assessment)
    sheet = book["Vragen"]
    row = row_of(sheet, "UV-01", "noodstroom_uren")
    sheet.cell(row, HEADERS.index("Toelichting bij antwoord") + 1).value = None
    upload(client, assessment, to_bytes(book))
    client.post(reverse("assessments:excel_import_confirm", args=[assessment.pk]))
    assert Answer.objects.get(item=item).explanation == ""


def crafted_sheet(cell_xml: str) -> bytes:
    """A valid export whose sheet XML gets one crafted cell."""
    base = io.BytesIO()
    book = openpyxl.Workbook()
    book.worksheets[0].title = "Instructie"
    sheet = book.create_sheet("Vragen")
    sheet.append(HEADERS)
    sheet.append(["UV-01", "t", "v", "", "", "", 1, "", "", "noodstroom_uren", 0])
    book.save(base)
    source = zipfile.ZipFile(io.BytesIO(base.getvalue()))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for entry in source.infolist():
            data = source.read(entry.filename)
            if entry.filename == "xl/worksheets/sheet2.xml":
                data = data.replace(b'<c r="G2" t="n"><v>1</v></c>', cell_xml.encode())
                data = data.replace(b'<c r="G2"><v>1</v></c>', cell_xml.encode())
            target.writestr(entry, data)
    return out.getvalue()


@pytest.mark.parametrize(
    "cell",
    ['<c r="G2" t="n"><v>abc</v></c>', '<c r="G2" t="d"><v>notadate</v></c>', '<c r="G2"><v>1'],
    ids=["bad-number", "bad-date", "truncated"],
)
def test_crafted_cells_are_refused_not_a_server_error(assessment, world: World, cell: str) -> None:
    client = Client()
    client.force_login(world.alice)
    response = upload(client, assessment, crafted_sheet(cell))
    assert response.status_code == 400
    assert not Answer.objects.exists()


def test_huge_shared_strings_are_refused_quickly(assessment, world: World) -> None:
    content = zip_bytes(
        {
            "[Content_Types].xml": CONTENT_TYPES,
            "xl/workbook.xml": b"<workbook/>",
            "xl/sharedStrings.xml": b"<sst>" + b"<si><t>x</t></si>" * 400_000 + b"</sst>",
            "padding.bin": bytes(range(256)) * 20_000,
        },
        zipfile.ZIP_DEFLATED,
    )
    client = Client()
    client.force_login(world.alice)
    started = time.monotonic()
    response = upload(client, assessment, content)
    assert time.monotonic() - started < 1.0
    assert response.status_code == 400


def sheet_of_unknown_codes(rows: int) -> bytes:
    """A workbook in the export's shape whose every row names a question that does not exist
    (the attack: 31,186 such rows took seconds and rendered every one)."""
    noise = random.Random(9)
    book = openpyxl.Workbook(write_only=True)
    book.create_sheet("Instructie")
    sheet = book.create_sheet("Vragen")
    sheet.append(HEADERS)
    for n in range(rows):
        code = f"XX-{n:05d}-" + "".join(noise.choices(string.ascii_letters, k=12))
        sheet.append([code])  # every part under the 4 MB a part may have, like the attack
    return to_bytes(book)


def test_a_sheet_far_larger_than_an_export_is_refused_without_reading_it_all(
    assessment, world: World
) -> None:
    client = Client()
    client.force_login(world.alice)
    response = upload(client, assessment, sheet_of_unknown_codes(31_186))
    assert response.status_code == 400
    body = response.content.decode()
    assert "heeft meer dan 1.000 regels" in body
    assert "XX-00001" not in body  # no problem rows rendered
    assert not Answer.objects.exists()


def test_problems_are_listed_up_to_fifty_with_how_many_more(assessment, world: World) -> None:
    client = Client()
    client.force_login(world.alice)
    response = upload(client, assessment, sheet_of_unknown_codes(1_000))
    assert response.status_code == 400
    body = response.content.decode()
    assert "Er zijn 1000 problemen gevonden" in body
    assert body.count("Onbekende vraag") == 50
    assert "XX-00049" in body and "XX-00050" not in body
    assert "En nog 950 problemen, niet getoond." in body
    assert not Answer.objects.exists()


def test_an_oversized_body_is_refused_before_it_is_read(assessment, world: World) -> None:
    """Claimed 60 MB with an empty body: reading one byte would fail the test client, so a
    413 proves nothing was read. The same for the evidence upload and the API."""
    client = Client()
    client.force_login(world.alice)
    for url in (
        reverse("assessments:excel_import", args=[assessment.pk]),
        reverse("assessments:evidence_upload", args=[assessment.pk, "CY-09"]),
        reverse("api:answer_put", args=[assessment.pk, "CY-09"]),
    ):
        response = client.generic(
            "POST",
            url,
            b"",
            content_type="multipart/form-data; boundary=x",
            CONTENT_LENGTH=str(60 * 1024 * 1024),
        )
        assert response.status_code == 413, url
        assert "Het verzoek is te groot" in response.content.decode()
    # Within its limit, an upload goes through to the form's own checks.
    assert upload(client, assessment, b"PK\x03\x04" + b"0" * 4_000_000).status_code == 400
    assert not Answer.objects.exists()
