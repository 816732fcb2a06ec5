"""Active content in uploaded documents: one check for evidence uploads and Excel imports.

A document that runs, loads or calls something when it is opened is refused, with a Dutch
reason the person uploading can act on (save it again without that part, or print it to PDF).
Refused, whatever the parts are called (found by content and by declared type, not by name):

* Office Open XML (.docx, .xlsx): macros (a vbaProject part, a macro-enabled or macro-sheet
  content type, any part holding an OLE compound file, which is what vbaProject.bin,
  ActiveX binaries and embedded OLE objects are); ActiveX controls; embedded OLE objects;
  relationships to anything outside the package other than a plain hyperlink (a remote
  template, a linked image or frame, an external workbook link); Word fields that call other
  programs or fetch files (DDE, DDEAUTO, INCLUDETEXT, INCLUDEPICTURE, IMPORT, LINK), also
  when split over runs; Excel formulas and defined names that call out (WEBSERVICE, CALL,
  REGISTER, EXEC, RTD, and DDE references like ``cmd|'/c calc'!A1``); DDE and OLE links.
  Embedded Office packages (a chart's workbook inside a Word file) are checked the same way.
* OpenDocument (.odt, .ods): Basic macros and scripts, event listeners, OLE objects, DDE
  links, linked sections and objects loaded from outside.
* PDF: JavaScript, launch actions, embedded files, forms that submit or import data, remote
  go-to actions, rich media and XFA forms; names are read with their ``#xx`` escapes decoded,
  and object streams are unpacked, so a compressed or spelt-out action is found too. An
  encrypted PDF cannot be read through and is refused.

Every XML part is parsed through defusedxml (no entities, no external references).
"""

from __future__ import annotations

import io
import re
import zipfile
import zlib
from collections.abc import Iterator
from xml.etree.ElementTree import Element

from defusedxml import ElementTree as SafeET
from django.utils.translation import gettext as _

OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
MAX_DEPTH = 2  # packages inside packages inside the upload
MAX_XML_PART = 30 * 1024 * 1024  # larger parts are not parsed but refused as uncheckable
MAX_PDF_INFLATED = 50 * 1024 * 1024
MAX_ENTRIES = 2000  # per package, embedded ones included
MAX_UNPACKED = 60 * 1024 * 1024  # per package, embedded ones included

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
S = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"
MACRO_CONTENT = ("vbaproject", "macroenabled", "macrosheet", "vbadata", "ms-excel.addin")
ACTIVEX_CONTENT = ("activex",)
OLE_CONTENT = ("oleobject",)
MACRO_RELATIONS = ("/vbaproject", "/xlmacrosheet", "/xlintlmacrosheet", "/wordvbadata")
ACTIVEX_RELATIONS = ("/control", "/activexcontrol", "/activexcontrolbinary")
OLE_RELATIONS = ("/oleobject",)
WORD_FIELDS = {"DDE", "DDEAUTO", "INCLUDETEXT", "INCLUDEPICTURE", "IMPORT", "LINK"}
CALLING_FUNCTIONS = re.compile(
    r"(?<![A-Z0-9_.])(?:_xlfn\.)?(WEBSERVICE|CALL|REGISTER(?:\.ID)?|EXEC|RTD|IMAGE)\s*\(", re.I
)
# Anchored at the start of a name (the look-behind), so a long run of letters is tried once,
# not once per position.
DDE_REFERENCE = re.compile(r"(?<![A-Za-z0-9_.\-'])[A-Za-z0-9_.\-]+\|\s*'")
PDF_ACTIVE = {
    b"JavaScript",
    b"JS",
    b"Launch",
    b"EmbeddedFile",
    b"EmbeddedFiles",
    b"SubmitForm",
    b"ImportData",
    b"GoToR",
    b"GoToE",
    b"RichMedia",
    b"XFA",
    b"Rendition",
}


class ActiveContent(Exception):
    """The document carries active content; the message says what, in Dutch."""


def macros() -> str:
    return _("Bestanden met macro's worden niet geaccepteerd.")


def check(data: bytes) -> None:
    """Raise ``ActiveContent`` when ``data`` (a PDF, an Office Open XML or an OpenDocument
    file) would run, call or load something when opened. Other content passes: the caller
    decides which types it accepts at all."""
    if data.startswith(b"%PDF-"):
        _check_pdf(data)
    elif data.startswith(b"PK\x03\x04"):
        try:
            archive = zipfile.ZipFile(io.BytesIO(data))
            _check_package(archive, depth=0)
        except (zipfile.BadZipFile, zlib.error, EOFError, OSError, ValueError) as exc:
            raise ActiveContent(_("Het bestand is beschadigd.")) from exc
    elif data.startswith(OLE_MAGIC):
        raise ActiveContent(
            _(
                "Oude Office-bestanden (.doc, .xls) worden niet geaccepteerd. Sla op als "
                ".docx, .xlsx of PDF."
            )
        )


# --- Office Open XML and OpenDocument ---------------------------------------------------------


def _read(archive: zipfile.ZipFile, info: zipfile.ZipInfo) -> bytes:
    if info.file_size > MAX_XML_PART:
        raise ActiveContent(_("Het bestand is te groot om te controleren."))
    return archive.read(info)


def _parse(archive: zipfile.ZipFile, info: zipfile.ZipInfo, data: bytes | None = None) -> Element:
    """The part as XML (``data``: its bytes, when already read)."""
    try:
        return SafeET.fromstring(_read(archive, info) if data is None else data)
    except SafeET.ParseError as exc:
        raise ActiveContent(_("Het bestand is beschadigd.")) from exc
    except Exception as exc:  # defusedxml: entities, DTDs, external references
        if type(exc).__module__.startswith("defusedxml"):
            raise ActiveContent(
                _("Het bestand bevat XML-constructies die niet zijn toegestaan (zoals entiteiten).")
            ) from exc
        raise


def _check_package(archive: zipfile.ZipFile, depth: int) -> None:
    entries = archive.infolist()
    if len(entries) > MAX_ENTRIES or sum(e.file_size for e in entries) > MAX_UNPACKED:
        raise ActiveContent(_("Het bestand is uitgepakt te groot."))
    names = {entry.filename.lower(): entry for entry in entries}
    if any(
        "vbaproject" in name
        or name.startswith(("basic/", "scripts/"))
        or "/basic/" in name
        or "/scripts/" in name
        for name in names
    ):
        raise ActiveContent(macros())
    for entry in entries:
        if entry.is_dir():
            continue
        with archive.open(entry) as part:
            head = part.read(8)
        if head == OLE_MAGIC:
            raise ActiveContent(
                _(
                    "Het bestand bevat een ingesloten object of macro's (een OLE-onderdeel). "
                    "Verwijder het object of sla het document op als PDF."
                )
            )
        if head.startswith(b"PK\x03\x04"):
            if depth >= MAX_DEPTH:
                raise ActiveContent(_("Het bestand bevat te diep ingesloten documenten."))
            inner = zipfile.ZipFile(io.BytesIO(archive.read(entry)))
            _check_package(inner, depth + 1)
    if "[content_types].xml" in names:
        _check_ooxml(archive, names)
    elif "mimetype" in names or "meta-inf/manifest.xml" in names:
        _check_odf(archive, names)


def _check_ooxml(archive: zipfile.ZipFile, names: dict[str, zipfile.ZipInfo]) -> None:
    types = _parse(archive, names["[content_types].xml"])
    for element in types:
        content_type = element.get("ContentType", "").lower()
        if any(marker in content_type for marker in MACRO_CONTENT):
            raise ActiveContent(macros())
        if any(marker in content_type for marker in ACTIVEX_CONTENT):
            raise ActiveContent(_activex())
        if any(marker in content_type for marker in OLE_CONTENT):
            raise ActiveContent(_ole())
    for name, info in names.items():
        if name.endswith(".rels"):
            _check_relationships(_parse(archive, info))
    for name, info in names.items():
        if "/activex/" in f"/{name}":
            raise ActiveContent(_activex())
        if name.endswith(".rels") or name == "[content_types].xml" or info.is_dir():
            continue
        # Word and Excel find their parts through the relationships, not by folder or by
        # extension: every part that is XML is checked for both.
        data = _read(archive, info)
        if _may_hold(data, MARKUP):
            root = _parse(archive, info, data)
            _check_word_part(root)
            _check_excel_part(root)


# The elements the checks look at, as they must appear in a part's bytes (with or without a
# namespace prefix). A part without any of them is not parsed: a 4 MB sheet of plain values
# is passed in milliseconds. A part in another encoding than UTF-8 or ASCII, or with a
# document type declaration, is always parsed.
MARKUP = re.compile(
    rb"<(?:[^\s<>/:!?]+:)?(?:fldChar|fldSimple|instrText|delInstrText|control|object|f"
    rb"|definedName|ddeLink|oleLink|oleObject|connection|webPr|dbPr)[\s>/]"
)


def _may_hold(data: bytes, markup: re.Pattern[bytes]) -> bool:
    """Must this part be parsed and checked? Not when it is plainly no XML (an image), nor when
    it is plain UTF-8 XML without any element the checks look at."""
    head = data[:200]
    xml_like = data.lstrip()[:1] == b"<" or head.startswith((b"\xef\xbb\xbf", b"\xff", b"\xfe"))
    if not xml_like and b"\x00" not in head[:4]:
        return False  # not XML at all: an image, a font, a binary part
    declared = DECLARED_ENCODING.search(head)
    plain = (
        head.lstrip()[:1] == b"<"
        and b"\x00" not in head
        and (declared is None or declared[1].lower() in (b"utf-8", b"utf8", b"us-ascii", b"ascii"))
    )
    return not plain or b"<!DOCTYPE" in data or b"<!ENTITY" in data or bool(markup.search(data))


DECLARED_ENCODING = re.compile(rb"""encoding\s*=\s*["']([^"']+)["']""")


def _activex() -> str:
    return _("Het bestand bevat ActiveX-besturingselementen; die worden niet geaccepteerd.")


def _ole() -> str:
    return _(
        "Het bestand bevat een ingesloten object (OLE); dat wordt niet geaccepteerd. Verwijder "
        "het object of sla het document op als PDF."
    )


def _outside() -> str:
    return _(
        "Het bestand haalt bij het openen iets van buiten op (een externe sjabloon, een "
        "gekoppelde afbeelding of een koppeling naar een ander bestand). Sla het op zonder "
        "externe koppelingen en probeer het opnieuw."
    )


def _calls_out() -> str:
    return _(
        "Het bestand bevat een veld of formule dat bij het openen andere programma's, "
        "bestanden of internet aanroept (zoals DDE, INCLUDETEXT, LINK of WEBSERVICE). Vervang "
        "het door de waarde en probeer het opnieuw."
    )


def _check_relationships(root: Element) -> None:
    for relation in root:
        kind = relation.get("Type", "").lower()
        if kind.endswith(MACRO_RELATIONS):
            raise ActiveContent(macros())
        if kind.endswith(ACTIVEX_RELATIONS):
            raise ActiveContent(_activex())
        if kind.endswith(OLE_RELATIONS):
            raise ActiveContent(_ole())
        if kind.endswith("/afchunk"):  # a whole document of another kind (RTF, HTML) inside
            raise ActiveContent(_ole())
        external = relation.get("TargetMode", "").strip().lower() == "external"
        if external and not kind.endswith("/hyperlink"):
            raise ActiveContent(_outside())


def _local(tag: object) -> str:
    """An element's or attribute's name without its namespace: transitional and strict
    Office Open XML (and any prefix) are read alike."""
    return tag.rsplit("}", 1)[-1] if isinstance(tag, str) else ""


def _attribute(element: Element, local: str) -> str:
    for key, value in element.attrib.items():
        if _local(key) == local:
            return value
    return ""


def _field_instructions(root: Element) -> Iterator[str]:
    """The instruction of every field in a Word part: simple fields whole, complex fields
    gathered from their runs between begin and separate (a field inside another's
    instruction has its own entry on the stack)."""
    stack: list[tuple[list[str], list[bool]]] = []  # (instruction runs, [still reading])
    for element in root.iter():
        tag = _local(element.tag)
        if tag == "fldSimple":
            yield _attribute(element, "instr")
        elif tag == "fldChar":
            kind = _attribute(element, "fldCharType")
            if kind == "begin":
                stack.append(([], [True]))
            elif kind == "separate" and stack and stack[-1][1][0]:
                stack[-1][1][0] = False
                yield "".join(stack[-1][0])
            elif kind == "end" and stack:
                runs, reading = stack.pop()
                if reading[0]:
                    yield "".join(runs)
        elif tag in ("instrText", "delInstrText") and stack and stack[-1][1][0]:
            stack[-1][0].append(element.text or "")


WORDPROCESSING = (
    "{http://schemas.openxmlformats.org/wordprocessingml",
    "{http://purl.oclc.org/ooxml/wordprocessingml",
)


def _check_word_part(root: Element) -> None:
    for instruction in _field_instructions(root):
        words = instruction.replace('"', " ").split()
        if words and words[0].upper() in WORD_FIELDS:
            raise ActiveContent(_calls_out())
    for element in root.iter():
        tag = _local(element.tag)
        if tag == "control" and element.tag.startswith(WORDPROCESSING):
            raise ActiveContent(_activex())
        if tag == "object" and any(_local(child.tag) == "OLEObject" for child in element.iter()):
            raise ActiveContent(_ole())


QUOTED_SHEET = re.compile(r"'(?:[^']|'')*'")
STRING = re.compile(r'"(?:[^"]|"")*"')
STRUCTURED = re.compile(r"\[[^\]]*\]")


def _calls(formula: str) -> bool:
    # Sheet names, strings and table columns cannot call anything: leave them out first.
    code = STRUCTURED.sub("[]", STRING.sub('""', QUOTED_SHEET.sub("''", formula)))
    # A DDE reference is ``app|'topic'!item``: the topic is quoted, so look before stripping.
    return bool(CALLING_FUNCTIONS.search(code) or DDE_REFERENCE.search(formula))


def _check_excel_part(root: Element) -> None:
    for element in root.iter():
        tag = _local(element.tag)
        if tag in ("f", "definedName") and element.text and _calls(element.text):
            raise ActiveContent(_calls_out())
        if tag in ("ddeLink", "oleLink", "connection", "webPr", "dbPr"):
            raise ActiveContent(_calls_out())
        if tag == "control" and "spreadsheetml" in element.tag:
            raise ActiveContent(_activex())
        if tag == "oleObject" and "spreadsheetml" in element.tag:
            raise ActiveContent(_ole())


ODF_ACTIVE = {
    "{urn:oasis:names:tc:opendocument:xmlns:script:1.0}event-listener",
    "{urn:oasis:names:tc:opendocument:xmlns:office:1.0}event-listeners",
    "{urn:oasis:names:tc:opendocument:xmlns:office:1.0}script",
    "{urn:oasis:names:tc:opendocument:xmlns:office:1.0}dde-source",
    "{urn:oasis:names:tc:opendocument:xmlns:table:1.0}dde-link",
    "{urn:oasis:names:tc:opendocument:xmlns:text:1.0}dde-connection-decl",
    "{urn:oasis:names:tc:opendocument:xmlns:text:1.0}dde-connection",
}
ODF_OLE = "{urn:oasis:names:tc:opendocument:xmlns:drawing:1.0}object-ole"
XLINK_HREF = "{http://www.w3.org/1999/xlink}href"
OUTSIDE = re.compile(r"^\s*(?:[a-z][a-z0-9+.\-]*:|\\\\|//|/|\.\.)", re.I)


def _check_odf(archive: zipfile.ZipFile, names: dict[str, zipfile.ZipInfo]) -> None:
    parts = [
        name
        for name in names
        if name.rsplit("/", 1)[-1] in ("content.xml", "styles.xml", "settings.xml")
    ]
    for name in parts:
        for element in _parse(archive, names[name]).iter():
            if element.tag in ODF_ACTIVE:
                raise ActiveContent(_calls_out() if "dde" in element.tag else macros())
            if element.tag == ODF_OLE:
                raise ActiveContent(_ole())
            href = element.get(XLINK_HREF, "")
            local = element.tag.rsplit("}", 1)[-1]
            if href and local != "a" and OUTSIDE.match(href):
                raise ActiveContent(_outside())


# --- PDF ----------------------------------------------------------------------------------


# PDF white space includes NUL; a hex string holds hex digits and white space only.
TOKEN = re.compile(
    rb"[\s\x00]+|%[^\r\n]*|<<|>>|<[0-9A-Fa-f\s\x00]*>|/[^\s\x00()<>\[\]{}/%]*"
    rb"|[^\s\x00()<>\[\]{}/%]+|[\[\]{}]|\(|."
)
ESCAPED = re.compile(rb"#([0-9A-Fa-f]{2})")
OBJECT_HEAD = re.compile(rb"\d+[\s\x00]+\d+[\s\x00]+obj\b")
ARRAY = b"\x00filter-array"  # marks an object whose /Filter is an array


def _name(token: bytes) -> bytes:
    return ESCAPED.sub(lambda m: bytes([int(m[1], 16)]), token[1:])


def _skip_string(data: bytes, position: int) -> int:
    """The position after the literal string opening at ``position`` (nested, escaped)."""
    depth = 0
    while position < len(data):
        char = data[position]
        if char == 0x5C:  # backslash: the next byte is escaped
            position += 2
            continue
        if char == 0x28:
            depth += 1
        elif char == 0x29:
            depth -= 1
            if depth == 0:
                return position + 1
        position += 1
    return position


def _pdf_objects(data: bytes) -> Iterator[tuple[set[bytes], bytes | None]]:
    """Read ``data`` as PDF syntax: per object, the names in it (escapes decoded) and its
    stream, if any. Strings and comments are skipped as a reader skips them; a stream is
    skipped by its /Length (or up to ``endstream``), so its bytes are never read as syntax."""
    position = 0
    names: set[bytes] = set()
    length: int | None = None
    previous = b""
    while position < len(data):
        match = TOKEN.match(data, position)
        if match is None:  # pragma: no cover - the last alternative matches any byte
            break
        token = match[0]
        if token == b"<":  # not a dictionary and not a hex string: a reader would guess
            raise ActiveContent(_("Het bestand is beschadigd."))
        if token == b"(":
            position = _skip_string(data, position)
            previous = b""
            continue
        position = match.end()
        if token[:1] == b"/":
            names.add(_name(token))
        elif token == b"obj":
            if names:
                yield names, None
            names, length = set(), None
        elif token.isdigit() and previous == b"/Length":
            length = int(token)
        elif token == b"[" and previous in (b"/Filter", b"/F"):
            names.add(ARRAY)  # a chain of filters
        elif token == b"stream":
            if data[position : position + 2] == b"\r\n":
                position += 2
            elif data[position : position + 1] in (b"\n", b"\r"):
                position += 1
            end = position + length if length is not None else -1
            if end < 0 or data[end : end + 30].lstrip()[:9] != b"endstream":
                end = data.find(b"endstream", position)
                end = len(data) if end < 0 else end
            yield names, data[position:end]
            names, length = set(), None
            position = end + len(b"endstream")
        if not token.isspace() and token[:1] != b"%":
            previous = token
    if names:
        yield names, None


def _check_pdf(data: bytes) -> None:
    inflated_total = 0
    for names, stream in _pdf_objects(data):
        if b"Encrypt" in names:
            raise ActiveContent(
                _(
                    "Versleutelde PDF-bestanden kunnen niet worden gecontroleerd en worden niet "
                    "geaccepteerd. Sla de PDF op zonder wachtwoord of beveiliging."
                )
            )
        if names & PDF_ACTIVE:
            raise ActiveContent(_pdf_refusal(names & PDF_ACTIVE))
        if stream is None:
            continue
        if b"Filter" not in names and OBJECT_HEAD.search(stream):
            # Plain bytes that hold objects: a reader that follows the cross-reference table
            # into them reads them as objects, so they are read as such here too.
            for inner, _stream in _pdf_objects(stream):
                if inner & PDF_ACTIVE:
                    raise ActiveContent(_pdf_refusal(inner & PDF_ACTIVE))
        # An object stream holds objects (/N of them, from /First on), whatever its /Type.
        if not (names & {b"ObjStm"} or {b"N", b"First"} <= names):
            continue  # page content, fonts, images: data, not actions
        filters = names & {b"FlateDecode", b"Fl"}
        unreadable = names & (UNREAD_FILTERS | {b"DecodeParms", b"DP", b"Predictor", ARRAY})
        if unreadable or (b"Filter" in names and not filters):
            raise ActiveContent(_("De PDF kan niet worden gecontroleerd (onbekende compressie)."))
        body = stream
        if filters:
            room = MAX_PDF_INFLATED - inflated_total
            if room <= 0:
                raise ActiveContent(_("Het bestand is uitgepakt te groot."))
            inflater = zlib.decompressobj()
            try:
                body = inflater.decompress(stream, room)
            except zlib.error as exc:
                raise ActiveContent(_("Het bestand is beschadigd.")) from exc
            if inflater.unconsumed_tail:
                raise ActiveContent(_("Het bestand is uitgepakt te groot."))
        inflated_total += len(body)
        for inner, _stream in _pdf_objects(body):
            if inner & PDF_ACTIVE:
                raise ActiveContent(_pdf_refusal(inner & PDF_ACTIVE))


UNREAD_FILTERS = {b"LZWDecode", b"ASCII85Decode", b"ASCIIHexDecode", b"RunLengthDecode"}
UNREAD_FILTERS |= {b"LZW", b"A85", b"AHx", b"RL", b"Crypt"}


def _pdf_refusal(found: set[bytes]) -> str:
    if found & {b"JavaScript", b"JS", b"Rendition", b"RichMedia", b"XFA"}:
        return _(
            "De PDF bevat JavaScript of actieve inhoud; die wordt niet geaccepteerd. Druk het "
            "document opnieuw af als PDF en probeer het opnieuw."
        )
    if found & {b"Launch", b"GoToR", b"GoToE"}:
        return _(
            "De PDF start bij het openen een programma of een ander bestand; dat wordt niet "
            "geaccepteerd."
        )
    if found & {b"EmbeddedFile", b"EmbeddedFiles"}:
        return _(
            "De PDF bevat bijgevoegde bestanden; die worden niet geaccepteerd. Voeg ze los "
            "toe als bewijsstuk."
        )
    return _("De PDF verstuurt of laadt gegevens via een formulier; dat wordt niet geaccepteerd.")
