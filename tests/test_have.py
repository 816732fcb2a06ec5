"""Bed availability for patient distribution: EDXL-HAVE 1.0 XML validated against the OASIS
schema (shared/standards), and CSV — from the latest report, unknown never written as 0."""

from __future__ import annotations

import csv
import io
from pathlib import Path

import pytest
from django.test import Client
from django.urls import reverse
from lxml import etree

from weerbaar.crisis import incidents
from weerbaar.crisis import status as domain
from weerbaar.crisis.have import HAVE

from .conftest import World

SCHEMA = Path(__file__).parent / "standards/edxl-have-1.0/edxl-have/1.0/edxl-have.xsd"
NS = {"h": HAVE}


@pytest.fixture(scope="module")
def schema() -> etree.XMLSchema:
    return etree.XMLSchema(etree.parse(str(SCHEMA)))


def client(user) -> Client:
    c = Client()
    c.force_login(user)
    return c


def report(world: World, organisation, by, **figures):
    data = dict.fromkeys(domain.FIGURES, "")
    data.update({k: str(v) for k, v in figures.items()})
    return domain.report_add(organisation=organisation, by=by, figures=domain.clean_report(data))


def valid(schema: etree.XMLSchema, content: bytes) -> etree._Element:
    document = etree.fromstring(content)
    assert schema.validate(document), schema.error_log
    return document


def test_the_region_export_is_valid_have_with_each_latest_report(world: World, schema) -> None:
    world.own.kvk_number = "12345678"
    world.own.save()
    incidents.incident_open(organisation=world.own, title="Stroom", codes=["D5"], by=world.alice)
    report(world, world.own, world.alice, beds_ic=9)
    report(
        world,
        world.own,
        world.alice,
        beds_ic=3,
        beds_trauma=0,
        beds_neurosurgery=2,
        beds_isolation=1,
        power_hours="30,5",
        critical_shortages="Diesel",
    )
    report(world, world.other, world.charlie, beds_rehabilitation=4)
    response = client(world.reader).get(
        reverse("crisis:region_beds_have", args=[world.own.region_id])
    )
    assert response.status_code == 200 and response["Content-Type"] == "application/xml"
    assert "attachment" in response["Content-Disposition"]
    document = valid(schema, response.content)
    hospitals = document.findall("h:Hospital", NS)
    assert len(hospitals) == 2
    alfa = next(h for h in hospitals if "Alfa" in "".join(h.itertext()))
    beds = {
        (
            c.findtext("h:BedType", namespaces=NS),
            c.findtext("h:SubCategoryBedType", namespaces=NS),
        ): int(c.findtext("h:Capacity/h:AvailableCount", namespaces=NS))
        for c in alfa.iterfind("h:HospitalBedCapacityStatus/h:BedCapacity", NS)
    }
    assert beds == {
        ("AdultICU", None): 3,  # the latest report, not the earlier 9
        ("MedicalSurgical", "Heelkunde/trauma"): 0,
        ("MedicalSurgical", "Neurochirurgie"): 2,
        ("OtherIsolation", None): 1,
    }  # rehabilitation and other: unknown, left out
    text = " ".join(alfa.itertext())
    assert "Noodstroom: nog 30,5 uur." in text and "12345678" in text


def test_an_exercise_export_says_so_and_stays_apart(world: World, schema) -> None:
    drill = incidents.incident_open(
        organisation=world.own, title="Oefening", codes=["D5"], by=world.alice, is_exercise=True
    )
    domain.report_add(
        organisation=world.own,
        by=world.alice,
        figures=domain.clean_report({"beds_ic": "5"}),
        incident=drill,
    )
    url = reverse("crisis:region_beds_have", args=[world.own.region_id])
    real = client(world.reader).get(url)
    assert real.status_code == 302  # nothing real to export: back to the picture, with a message
    drill_export = client(world.reader).get(url + "?oefening=1")
    assert "oefening-" in drill_export["Content-Disposition"]
    document = valid(schema, drill_export.content)
    assert "OEFENING" in document.findtext("h:Hospital/h:Organization/h:CommentText", namespaces=NS)


def test_the_csv_and_the_api_and_who_gets_them(world: World, schema) -> None:
    report(world, world.own, world.alice, beds_ic=3, beds_other=1)
    url = reverse("crisis:beds_csv", args=[world.own.pk])
    rows = list(
        csv.reader(
            io.StringIO(client(world.alice).get(url).content.decode("utf-8-sig")), delimiter=";"
        )
    )
    assert rows[0][:2] == ["organisatie", "kvk"]
    assert [(r[4], r[5], r[6], r[7]) for r in rows[1:]] == [
        ("IC", "AdultICU", "", "3"),
        ("Overig", "MedicalSurgical", "Overig", "1"),
    ]
    assert client(world.charlie).get(url).status_code == 404
    api = client(world.reader).get(f"/api/v1/regions/{world.own.region_id}/beds.have.xml")
    assert api.status_code == 200
    valid(schema, api.content)
    own = client(world.alice).get(f"/api/v1/organisations/{world.own.pk}/beds.have.xml")
    valid(schema, own.content)
    assert (
        client(world.charlie).get(f"/api/v1/organisations/{world.own.pk}/beds.have.xml").status_code
        == 404
    )
    assert (
        client(world.outsider)
        .get(f"/api/v1/regions/{world.own.region_id}/beds.have.xml")
        .status_code
        == 404
    )
    empty = client(world.charlie).get(f"/api/v1/organisations/{world.other.pk}/beds.have.xml")
    assert empty.status_code == 404 and "nog geen situatierapport" in empty.json()["detail"]


def test_a_name_that_a_spreadsheet_would_run_is_quoted(world: World) -> None:
    world.own.name = '=HYPERLINK("http://x")'
    world.own.save()
    report(world, world.own, world.alice, beds_ic=1)
    body = client(world.alice).get(reverse("crisis:beds_csv", args=[world.own.pk])).content
    assert "'=HYPERLINK" in body.decode("utf-8-sig")


def test_characters_xml_does_not_allow_are_left_out(world: World, schema) -> None:
    report(world, world.own, world.alice, beds_ic=1, critical_shortages="Diesel\x0bop")
    xml = client(world.alice).get(reverse("crisis:beds_have", args=[world.own.pk])).content
    texts = valid(schema, xml).findall(
        "h:Hospital/h:HospitalResourcesStatus/h:ResourcesInformationText", NS
    )
    assert "Kritieke tekorten: Dieselop" in [t.text for t in texts]
