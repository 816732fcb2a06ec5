"""Uploaded evidence: only safe types, recognised by content; served only through access."""

from __future__ import annotations

import io
import time
import zipfile

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from weerbaar.assessments.models import Evidence

from .conftest import World
from .factories import open_round

MACRO_TYPES = (
    b'<Types><Default ContentType="application/vnd.ms-word.document.macroEnabled.12"/></Types>'
)
PDF = b"%PDF-1.7\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


@pytest.fixture
def assessment(world: World, settings, tmp_path):
    settings.PRIVATE_MEDIA_ROOT = tmp_path / "private"
    round_ = open_round(world, world.own, world.other)
    return round_.assessments.get(organisation=world.own)


def upload(client: Client, assessment, code: str, name: str, data: bytes):
    return client.post(
        reverse("assessments:evidence_upload", args=[assessment.pk, code]),
        {"file": SimpleUploadedFile(name, data, content_type="application/pdf")},
        follow=True,
    )


def office(inner: dict[str, bytes]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, content in inner.items():
            archive.writestr(name, content)
    return buffer.getvalue()


def test_upload_and_download_a_pdf(assessment, world: World, settings) -> None:
    client = Client()
    client.force_login(world.bob)
    response = upload(client, assessment, "CY-09", "IT-continuïteitsplan.pdf", PDF)
    assert "Bewijsstuk toegevoegd." in response.content.decode()
    evidence = Evidence.objects.get()
    assert (evidence.original_name, evidence.content_type, evidence.size) == (
        "IT-continuïteitsplan.pdf",
        "application/pdf",
        len(PDF),
    )
    stored = settings.PRIVATE_MEDIA_ROOT / "evidence" / evidence.file.name
    assert stored.read_bytes() == PDF
    assert "static" not in str(stored)
    download = client.get(reverse("assessments:evidence", args=[evidence.pk]))
    assert download.status_code == 200
    assert b"".join(download.streaming_content) == PDF
    assert download["Content-Disposition"].startswith("attachment;")
    assert download["X-Content-Type-Options"] == "nosniff"


@pytest.mark.parametrize(
    ("name", "data", "message"),
    [
        (
            "plan.pdf",
            b"<html><script>alert(1)</script></html>",
            "Dit soort bestand wordt niet geaccepteerd.",
        ),
        ("plan.exe", b"MZ\x90\x00" + b"\x00" * 100, "Dit soort bestand wordt niet geaccepteerd."),
        ("leeg.pdf", b"", "Het bestand is leeg."),
        ("groot.pdf", b"%PDF-" + b"0" * (10 * 1024 * 1024), "Het bestand is groter dan 10 MB."),
        (
            "macro.docx",
            office({"word/document.xml": b"<w/>", "word/vbaProject.bin": b"x"}),
            "Bestanden met macro",
        ),
        (
            "bom.xlsx",
            office({"xl/workbook.xml": b"0" * (60 * 1024 * 1024)}),
            "Het bestand is uitgepakt te groot.",
        ),
        ("kapot.docx", b"PK\x03\x04garbage", "Het bestand is beschadigd."),
    ],
)
def test_hostile_uploads_are_refused_quickly(
    assessment, world: World, name: str, data: bytes, message: str
) -> None:
    client = Client()
    client.force_login(world.alice)
    started = time.monotonic()
    response = upload(client, assessment, "CY-09", name, data)
    assert time.monotonic() - started < 1.0
    assert message in response.content.decode()
    assert not Evidence.objects.exists()


def test_office_file_is_accepted_and_named_by_its_content(assessment, world: World) -> None:
    client = Client()
    client.force_login(world.alice)
    upload(client, assessment, "CY-09", "oefenverslag", office({"word/document.xml": b"<w/>"}))
    evidence = Evidence.objects.get()
    assert evidence.original_name == "oefenverslag.docx"
    assert evidence.content_type.endswith("wordprocessingml.document")


def test_evidence_is_404_for_people_who_may_not_see_the_question(assessment, world: World) -> None:
    client = Client()
    client.force_login(world.alice)
    upload(client, assessment, "UV-01", "noodstroom.pdf", PDF)  # facilitair's question
    url = reverse("assessments:evidence", args=[Evidence.objects.get().pk])
    for person, status in (
        (world.alice, 200),
        (world.coordinator, 200),
        (world.bob, 404),
        (world.charlie, 404),
        (world.reader, 404),
    ):
        other = Client()
        other.force_login(person)
        assert other.get(url).status_code == status, person
    assert Client().get(url).status_code == 302


def test_only_people_who_answer_may_upload(assessment, world: World) -> None:
    coordinator = Client()
    coordinator.force_login(world.coordinator)
    assert upload(coordinator, assessment, "CY-09", "plan.pdf", PDF).status_code == 403
    bob = Client()
    bob.force_login(world.bob)
    assert upload(bob, assessment, "UV-01", "plan.pdf", PDF).status_code == 404
    assert not Evidence.objects.exists()


@pytest.mark.parametrize(
    ("name", "entries"),
    [
        (
            "renamed.docx",
            {
                "[Content_Types].xml": MACRO_TYPES,
                "word/document.xml": b"<w/>",
                "word/x.bin": b"vba",
            },
        ),
        (
            "script.odt",
            {
                "mimetype": b"application/vnd.oasis.opendocument.text",
                "Basic/Standard/Module1.xml": b"<m/>",
            },
        ),
    ],
)
def test_hidden_macros_are_refused(assessment, world: World, name: str, entries: dict) -> None:
    client = Client()
    client.force_login(world.alice)
    response = upload(client, assessment, "CY-09", name, office(entries))
    assert "Bestanden met macro" in response.content.decode()
    assert not Evidence.objects.exists()


@pytest.mark.django_db(transaction=True)
def test_a_file_is_removed_or_replaced_and_the_audit_trail_keeps_it(
    world: World, settings, tmp_path
) -> None:
    from django.core.management import call_command

    from weerbaar.audit.models import AuditEvent

    call_command("framework", "load", verbosity=0)
    settings.PRIVATE_MEDIA_ROOT = tmp_path / "private"
    assessment = open_round(world).assessments.get()
    client = Client()
    client.force_login(world.bob)
    upload(client, assessment, "CY-09", "plan-v1.pdf", PDF)
    first = Evidence.objects.get()
    first_file = settings.PRIVATE_MEDIA_ROOT / "evidence" / first.file.name
    # A refused new version keeps the old one.
    refused = client.post(
        reverse("assessments:evidence_upload", args=[assessment.pk, "CY-09"]),
        {
            "file": SimpleUploadedFile("plan-v2.pdf", b"<html>", content_type="application/pdf"),
            "vervangt": first.pk,
        },
        follow=True,
    )
    assert "Dit soort bestand wordt niet geaccepteerd." in refused.content.decode()
    assert list(Evidence.objects.values_list("pk", flat=True)) == [first.pk]
    assert first_file.exists()
    replaced = client.post(
        reverse("assessments:evidence_upload", args=[assessment.pk, "CY-09"]),
        {
            "file": SimpleUploadedFile(
                "plan-v2.pdf", PDF + b"%v2\n", content_type="application/pdf"
            ),
            "vervangt": first.pk,
        },
        follow=True,
    )
    assert "Bewijsstuk vervangen." in replaced.content.decode()
    second = Evidence.objects.get()
    assert second.original_name == "plan-v2.pdf" and not first_file.exists()
    # Someone who may see the question but not answer it cannot remove it.
    coordinator = Client()
    coordinator.force_login(world.coordinator)
    remove = reverse("assessments:evidence_remove", args=[second.pk])
    assert coordinator.post(remove).status_code == 403
    assert client.post(remove).status_code == 302
    assert not Evidence.objects.exists()
    assert not (settings.PRIVATE_MEDIA_ROOT / "evidence" / second.file.name).exists()
    actions = list(
        AuditEvent.objects.filter(action__startswith="evidence.").values_list("action", flat=True)
    )
    assert sorted(actions) == [
        "evidence.add",
        "evidence.add",
        "evidence.remove",
        "evidence.replace",
    ]
    removed = AuditEvent.objects.get(action="evidence.remove")
    assert removed.old["file"] == "plan-v2.pdf"
