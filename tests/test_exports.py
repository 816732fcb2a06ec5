"""Exports: regional Excel and PDF (at once or in the background), an organisation's gaps."""

from __future__ import annotations

import io

import pytest
from django.test import Client
from django.urls import reverse
from openpyxl import load_workbook

from weerbaar.assessments.models import Assessment, AssessmentState
from weerbaar.audit.models import AuditEvent
from weerbaar.insights.exports import build_export
from weerbaar.insights.models import Export, ExportStatus

from .conftest import World
from .factories import OrganisationFactory, open_round


@pytest.fixture
def round_(world: World):
    extra = [
        OrganisationFactory(region=world.own.region, name=name, sector="ziekenhuis")
        for name in ('=HYPERLINK("http://x")', "Ziekenhuis Gamma", "Ziekenhuis Delta")
    ]
    round_ = open_round(world, world.own, world.other, *extra)
    Assessment.objects.filter(round=round_).update(state=AssessmentState.SUBMITTED)
    return round_


def workbook(content: bytes):
    return load_workbook(io.BytesIO(content), read_only=True)


def test_a_small_region_is_exported_at_once_with_every_view(world: World, round_) -> None:
    client = Client()
    client.force_login(world.coordinator)
    url = reverse("insights:export_request", args=[world.own.region_id])
    response = client.post(f"{url}?ronde={round_.pk}", {"soort": "xlsx"})
    assert response.status_code == 200
    assert response["Content-Disposition"].endswith('.xlsx"')
    book = workbook(response.content)
    assert {
        "Toelichting",
        "Scores",
        "Normen",
        "Capaciteit",
        "Behoeften",
        "Afhankelijkheden",
    } <= set(book.sheetnames)
    names = [row[0] for row in book["Scores"].iter_rows(min_row=2, values_only=True)]
    assert "Ziekenhuis Alfa" in names
    # Text from people never becomes a formula.
    assert '\'=HYPERLINK("http://x")' in names
    pdf = client.post(f"{url}?ronde={round_.pk}", {"soort": "pdf"})
    assert pdf.status_code == 200 and pdf.content.startswith(b"%PDF")
    assert AuditEvent.objects.filter(action="export.regio_pdf", actor=world.coordinator).exists()


def test_a_readers_export_holds_only_what_the_reader_sees(world: World, round_) -> None:
    client = Client()
    client.force_login(world.reader)
    url = reverse("insights:export_request", args=[world.own.region_id])
    book = workbook(client.post(url, {"soort": "xlsx"}).content)
    names = [row[0] for row in book["Scores"].iter_rows(min_row=2, values_only=True)]
    assert "Verpleeghuis Beta" in names
    assert "Ziekenhuis Alfa" not in names and "Ziekenhuis Gamma" not in names


def test_a_large_region_is_exported_in_the_background(
    world: World, round_, settings, django_capture_on_commit_callbacks
) -> None:
    settings.EXPORT_INLINE_LIMIT = 1
    from django_tasks_db.models import DBTaskResult

    client = Client()
    client.force_login(world.coordinator)
    url = reverse("insights:export_request", args=[world.own.region_id])
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url, {"soort": "xlsx"})
    assert response.status_code == 302
    assert response["Location"] == reverse("insights:exports", args=[world.own.region_id])
    export = Export.objects.get()
    assert export.status == ExportStatus.QUEUED
    assert DBTaskResult.objects.filter(task_path__endswith="build_export_task").exists()
    listing = client.get(response["Location"]).content.decode()
    assert 'hx-trigger="every 5s"' in listing
    build_export(export.pk)  # what `weerbaar worker` runs
    export.refresh_from_db()
    assert export.status == ExportStatus.DONE
    download = client.get(reverse("insights:export_download", args=[export.pk]))
    assert download.status_code == 200
    assert "Scores" in workbook(b"".join(download.streaming_content)).sheetnames
    # Nobody else downloads it — not even another coordinator of the region.
    for other in (world.reader, world.alice):
        someone = Client()
        someone.force_login(other)
        assert someone.get(reverse("insights:export_download", args=[export.pk])).status_code == 404


def test_a_failed_export_says_so(world: World, round_, settings, monkeypatch) -> None:
    settings.EXPORT_INLINE_LIMIT = 1
    client = Client()
    client.force_login(world.coordinator)
    client.post(reverse("insights:export_request", args=[world.own.region_id]), {"soort": "pdf"})
    export = Export.objects.get()

    def broken(*args, **kwargs):
        raise RuntimeError("typst crashed")

    monkeypatch.setattr("weerbaar.insights.region_report.region_pdf", broken)
    with pytest.raises(RuntimeError):
        build_export(export.pk)
    export.refresh_from_db()
    assert export.status == ExportStatus.FAILED and "typst crashed" in export.error
    listing = client.get(reverse("insights:exports", args=[world.own.region_id]))
    assert "Mislukt" in listing.content.decode()


def test_an_organisations_gaps_in_excel(world: World, round_) -> None:
    mine = round_.assessments.get(organisation=world.own)
    client = Client()
    client.force_login(world.alice)
    response = client.get(reverse("insights:gaps_excel", args=[mine.pk]))
    assert response.status_code == 200
    book = workbook(response.content)
    assert book.sheetnames == ["Thema's", "Hiaten", "Verbeterplan"]
    codes = [row[0] for row in book["Hiaten"].iter_rows(min_row=2, values_only=True)]
    assert "CY-01" in codes


def test_a_coordinators_export_is_not_for_them_once_they_are_only_a_reader(
    world: World, round_, settings, django_capture_on_commit_callbacks
) -> None:
    from weerbaar.organisations.models import Membership

    settings.EXPORT_INLINE_LIMIT = 1
    client = Client()
    client.force_login(world.coordinator)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(
            reverse("insights:export_request", args=[world.own.region_id]), {"soort": "xlsx"}
        )
    export = Export.objects.get()
    assert export.as_coordinator
    build_export(export.pk)
    url = reverse("insights:export_download", args=[export.pk])
    assert client.get(url).status_code == 200
    assert AuditEvent.objects.filter(action="export.download", actor=world.coordinator).exists()
    Membership.objects.filter(user=world.coordinator, role="coordinator").update(
        role="region_reader"
    )
    demoted = Client()
    demoted.force_login(world.coordinator)
    assert demoted.get(url).status_code == 404
