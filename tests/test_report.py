"""The PDF report of a self-assessment: content, access, audit, and no markup from answers."""

from __future__ import annotations

import shutil
import subprocess

import pytest
from django.test import Client
from django.urls import reverse

from weerbaar.assessments.answering import answer_save
from weerbaar.audit.models import AuditEvent
from weerbaar.frameworks.models import Item
from weerbaar.plan.actions import action_create

from .conftest import World
from .factories import open_round

PDFTOTEXT = shutil.which("pdftotext")
pytestmark = pytest.mark.requires_tool(
    bool(PDFTOTEXT), "pdftotext (poppler-utils) reads the PDF back: apt-get install poppler-utils"
)


def text_of(pdf: bytes, tmp_path) -> str:
    path = tmp_path / "report.pdf"
    path.write_bytes(pdf)
    return subprocess.run(
        [str(PDFTOTEXT), "-layout", str(path), "-"], capture_output=True, text=True, check=True
    ).stdout


def test_report_has_summary_themes_gaps_actions_and_figures(world: World, tmp_path) -> None:
    assessment = open_round(world).assessments.get()
    item = Item.objects.get(section__framework__slug="kader-weerbare-zorg", code="UV-01")
    answer_save(
        assessment=assessment,
        item=item,
        data={"values": {"noodstroom_uren": "48"}, "explanation": "#set page(fill: red)"},
        expected_version=0,
        by=world.alice,
    )
    action_create(
        organisation=world.own,
        title="Tweede aggregaat #strong[bestellen]",
        item=item,
        assessment=assessment,
        by=world.alice,
    )
    client = Client()
    client.force_login(world.alice)
    response = client.get(reverse("insights:report", args=[assessment.pk]))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"].startswith('attachment; filename="weerbaarheid-')
    text = text_of(response.content, tmp_path)
    summary = text.index("Samenvatting voor het bestuur")
    assert summary < text.index("Scores per thema") < text.index("Verbeterplan")
    assert "Ziekenhuis Alfa" in text and "VERTROUWELIJK" in text
    assert "CY-01" in text and "Niet beantwoord" in text
    # Text from people is text: markup characters are printed, never obeyed.
    assert "Tweede aggregaat #strong[bestellen]" in text
    assert "48 uur" in text
    assert AuditEvent.objects.filter(action="report.download", actor=world.alice).exists()


def test_report_in_english(world: World, tmp_path) -> None:
    assessment = open_round(world).assessments.get()
    client = Client()
    client.force_login(world.alice)
    client.cookies["django_language"] = "en"
    response = client.get(reverse("insights:report", args=[assessment.pk]))
    text = text_of(response.content, tmp_path)
    assert "Summary for the board" in text and "CONFIDENTIAL" in text


def test_another_organisation_cannot_get_the_report(world: World) -> None:
    assessment = open_round(world).assessments.get()
    for user in (world.charlie, world.bob, world.reader):
        client = Client()
        client.force_login(user)
        assert client.get(reverse("insights:report", args=[assessment.pk])).status_code == 404
