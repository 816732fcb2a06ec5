"""Uploaded evidence: hostile until proven otherwise.

Only a short list of document and image types is accepted, recognised by their content
(magic bytes), not by the name or the browser's claim; office files must be well-formed zip
archives; nothing may run, call out or load from outside when the file is opened (macros,
ActiveX, OLE objects, remote templates, DDE fields, calling formulas, PDF JavaScript and launch
actions: see ``active_content``); sizes are capped. Files are stored under a content hash
outside any public path and served only as downloads through an access-checked view.
"""

from __future__ import annotations

import hashlib
import io
import zipfile
from dataclasses import dataclass
from typing import Any

from django.core.files.base import ContentFile
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils.text import get_valid_filename
from django.utils.translation import gettext as _

from weerbaar.audit.models import audit_record

from . import active_content
from .models import Answer, Evidence

MAX_BYTES = 10 * 1024 * 1024
MAX_FILES_PER_ANSWER = 10
MAX_UNCOMPRESSED = 50 * 1024 * 1024
MAX_ZIP_ENTRIES = 2000


@dataclass(frozen=True)
class Kind:
    extensions: tuple[str, ...]
    content_type: str


KINDS = {
    "pdf": Kind((".pdf",), "application/pdf"),
    "png": Kind((".png",), "image/png"),
    "jpeg": Kind((".jpg", ".jpeg"), "image/jpeg"),
    "docx": Kind(
        (".docx",), "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
    ),
    "xlsx": Kind((".xlsx",), "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"),
    "odt": Kind((".odt",), "application/vnd.oasis.opendocument.text"),
    "ods": Kind((".ods",), "application/vnd.oasis.opendocument.spreadsheet"),
}


class EvidenceRefused(ValueError):
    """The file is not accepted; the message says why, in Dutch."""


def _sniff(head: bytes, data: bytes, name: str) -> str:
    if head.startswith(b"%PDF-"):
        return "pdf"
    if head.startswith(b"\x89PNG\r\n\x1a\n"):
        return "png"
    if head.startswith(b"\xff\xd8\xff"):
        return "jpeg"
    if head.startswith(b"PK\x03\x04"):
        return _office_kind(data, name)
    raise EvidenceRefused(
        _(
            "Dit soort bestand wordt niet geaccepteerd. Gebruik PDF, Word, Excel, "
            "OpenDocument, PNG of JPEG."
        )
    )


def _office_kind(data: bytes, name: str) -> str:
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
        entries = archive.infolist()
    except zipfile.BadZipFile as exc:
        raise EvidenceRefused(_("Het bestand is beschadigd.")) from exc
    if len(entries) > MAX_ZIP_ENTRIES or sum(e.file_size for e in entries) > MAX_UNCOMPRESSED:
        raise EvidenceRefused(_("Het bestand is uitgepakt te groot."))
    names = {entry.filename.lower() for entry in entries}
    if "word/document.xml" in names:
        return "docx"
    if "xl/workbook.xml" in names:
        return "xlsx"
    if "mimetype" in names:
        mimetype = archive.read("mimetype")[:100]
        if mimetype == b"application/vnd.oasis.opendocument.text":
            return "odt"
        if mimetype == b"application/vnd.oasis.opendocument.spreadsheet":
            return "ods"
    raise EvidenceRefused(_("Dit soort bestand wordt niet geaccepteerd."))


@transaction.atomic
def evidence_add(*, answer: Answer, upload: UploadedFile, by: Any) -> Evidence:
    if upload.size is None or upload.size > MAX_BYTES:
        raise EvidenceRefused(_("Het bestand is groter dan 10 MB."))
    if upload.size == 0:
        raise EvidenceRefused(_("Het bestand is leeg."))
    if answer.evidence.count() >= MAX_FILES_PER_ANSWER:
        raise EvidenceRefused(_("Er zijn al 10 bestanden bij dit antwoord."))
    data = upload.read(MAX_BYTES + 1)
    if len(data) > MAX_BYTES:
        raise EvidenceRefused(_("Het bestand is groter dan 10 MB."))
    name = get_valid_filename((upload.name or "bestand").rsplit("/", 1)[-1])[:200] or "bestand"
    kind = KINDS[_sniff(data[:16], data, name)]
    try:
        active_content.check(data)
    except active_content.ActiveContent as refused:
        raise EvidenceRefused(str(refused)) from refused
    if not name.lower().endswith(kind.extensions):
        name = f"{name}{kind.extensions[0]}"
    digest = hashlib.sha256(data).hexdigest()
    evidence = Evidence(
        answer=answer,
        original_name=name,
        content_type=kind.content_type,
        size=len(data),
        sha256=digest,
        uploaded_by=by,
    )
    evidence.file.save(digest, ContentFile(data), save=False)
    evidence.save()
    audit_record(
        actor=by,
        action="evidence.add",
        obj=evidence,
        organisation=answer.assessment.organisation,
        new={"item": answer.item.code, "file": name, "size": len(data), "sha256": digest},
    )
    return evidence


def _forget_file(evidence: Evidence) -> None:
    """Remove the stored file once the removal is committed (a rollback keeps it)."""
    file_name = evidence.file.name
    storage = evidence.file.storage
    transaction.on_commit(lambda: storage.delete(file_name) if file_name else None)


@transaction.atomic
def evidence_remove(*, evidence: Evidence, by: Any) -> None:
    """Remove a file from its answer (and from the disk); the audit trail keeps what it was."""
    answer = evidence.answer
    audit_record(
        actor=by,
        action="evidence.remove",
        obj=evidence,
        organisation=answer.assessment.organisation,
        old={
            "item": answer.item.code,
            "file": evidence.original_name,
            "size": evidence.size,
            "sha256": evidence.sha256,
        },
    )
    _forget_file(evidence)
    evidence.delete()


@transaction.atomic
def evidence_replace(*, evidence: Evidence, upload: UploadedFile, by: Any) -> Evidence:
    """A new version of a file: checked like any upload; the old one goes only when the new
    one is accepted."""
    answer = evidence.answer
    Evidence.objects.filter(pk=evidence.pk).select_for_update().first()
    old = {"file": evidence.original_name, "sha256": evidence.sha256}
    _forget_file(evidence)
    evidence.delete()  # first, so that a full answer (10 files) can still take the new one
    new = evidence_add(answer=answer, upload=upload, by=by)
    audit_record(
        actor=by,
        action="evidence.replace",
        obj=new,
        organisation=answer.assessment.organisation,
        old={"item": answer.item.code, **old},
        new={"file": new.original_name, "sha256": new.sha256},
    )
    return new
