"""The offline pack: every action card with checkboxes, the checklists with the organisation's
own status, its key figures and contacts, the region's numbers, "stand van" on every page —
and only what its maker may see."""

from __future__ import annotations

import shutil
import subprocess

import pytest
from django.core.management import CommandError, call_command
from django.test import Client
from django.urls import reverse

from weerbaar.crisis.contacts import clean_contact, contact_save, regional_contact_add
from weerbaar.frameworks.models import Section

from .conftest import World
from .factories import final_round

PDFTOTEXT = shutil.which("pdftotext")
pytestmark = pytest.mark.requires_tool(
    bool(PDFTOTEXT), "pdftotext (poppler-utils) reads the PDF back: apt-get install poppler-utils"
)


def text_of(pdf: bytes, tmp_path) -> str:
    path = tmp_path / "pack.pdf"
    path.write_bytes(pdf)
    return subprocess.run(
        [str(PDFTOTEXT), "-layout", str(path), "-"], capture_output=True, text=True, check=True
    ).stdout


def client(user) -> Client:
    c = Client()
    c.force_login(user)
    return c


@pytest.fixture
def prepared(world: World):
    contact_save(
        organisation=world.own,
        by=world.alice,
        values=clean_contact(
            {
                "kind": "sleutelfunctionaris",
                "function": "crisiscoordinator",
                "name": "Anna #set page(fill: red)",
                "phone": "06 1234 5678",
                "alternative": "Satelliettelefoon +8816 1",
                "always": "on",
            }
        ),
    )
    regional_contact_add(
        region=world.own.region,
        by=world.coordinator,
        values={"function": "GHOR-piket", "phone": "088 355 0000"},
    )
    final_round(
        world,
        "kader-weerbare-zorg",
        {"UV-01": {"values": {"noodstroom_uren": "48"}}, "ZC-02": {"values": {"bedden_ic": "6"}}},
    )
    final_round(world, "zorgcontinuiteit-in-balans", {"D5-P01": {"values": {"maturity": "3"}}})


def test_the_pack_holds_cards_checklists_figures_contacts_and_paper_forms(
    world: World, prepared, tmp_path
) -> None:
    response = client(world.alice).get(reverse("crisis:offline_pack", args=[world.own.pk]))
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"].startswith('attachment; filename="offline-pakket-')
    text = text_of(response.content, tmp_path)
    pages = [p for p in text.split("\f") if p.strip()]
    assert len(pages) > 8 and all("Stand van" in p for p in pages)  # dated on every page
    cards = Section.objects.filter(framework__slug="zorgcontinuiteit-in-balans")
    assert cards.count() == 8
    for card in cards:
        assert f"{card.code} · {card.title}" in text
    assert "48 uur" in text and "6 bedden" in text  # its own figures, confidential ones too
    assert "3 · Geregeld" in text and "onbekend" in text  # D5-P01 known, the rest unknown
    assert "Anna #set" in text and "page(fill: red)" in text  # as text, never as markup
    assert "06 1234 5678" in text and "GHOR-piket" in text and "088 355 0000" in text
    assert "Logboek op papier" in text and "Situatierapport op papier" in text
    assert "Geen 24/7-contact voor" in text  # board, facilities and ICT are missing


def test_only_its_admins_and_the_coordinators_make_an_organisations_pack(world: World) -> None:
    url = reverse("crisis:offline_pack", args=[world.own.pk])
    assert client(world.coordinator).get(url).status_code == 200
    assert client(world.bob).get(url).status_code == 404  # a respondent
    assert client(world.reader).get(url).status_code == 404  # Alfa does not share
    assert client(world.charlie).get(url).status_code == 404
    shared = reverse("crisis:offline_pack", args=[world.other.pk])
    assert client(world.reader).get(shared).status_code == 403  # shares, but not its phones


def test_the_regional_pack_shows_what_its_maker_may_see(world: World, prepared, tmp_path) -> None:
    url = reverse("crisis:region_pack", args=[world.own.region_id])
    assert client(world.alice).get(url).status_code == 404
    by_reader = text_of(client(world.reader).get(url).content, tmp_path)
    assert "Ziekenhuis Alfa" in by_reader and "Verpleeghuis Beta" in by_reader
    assert "06 1234 5678" in by_reader  # the GHOR reaches every crisis contact
    assert "niet zichtbaar voor u" in by_reader and "48 uur" not in by_reader  # Alfa's answers
    by_coordinator = text_of(client(world.coordinator).get(url).content, tmp_path)
    assert "48 uur" in by_coordinator and "6 bedden" in by_coordinator


def test_the_command_line_writes_a_pack(world: World, prepared, tmp_path) -> None:
    out = tmp_path / "alfa.pdf"
    call_command("offline-pack", organisation="Ziekenhuis Alfa", output=str(out))
    assert out.read_bytes().startswith(b"%PDF")
    call_command("offline-pack", organisation=str(world.own.pk), output=str(tmp_path / "a.pdf"))
    call_command("offline-pack", region="oost", output=str(tmp_path / "r.pdf"))
    assert "Verpleeghuis Beta" in text_of((tmp_path / "r.pdf").read_bytes(), tmp_path)
    with pytest.raises(CommandError, match="Geen organisatie gevonden"):
        call_command("offline-pack", organisation="Ziekenhuis", output=str(out))
    with pytest.raises(CommandError, match="bestaat niet"):
        call_command("offline-pack", region="oost", output=str(tmp_path / "nope" / "r.pdf"))
