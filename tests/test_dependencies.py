"""The dependency register: suppliers per organisation, shared suppliers in the region."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from weerbaar.audit.models import AuditEvent
from weerbaar.dependencies.models import Dependency, Origin
from weerbaar.dependencies.register import (
    DuplicateDependency,
    StaleDependency,
    dependency_save,
    register,
    supplier_key,
)

from .conftest import World
from .factories import OrganisationFactory


def test_supplier_names_are_matched_loosely() -> None:
    assert supplier_key("Brandstoffen Oost B.V.") == supplier_key("brandstoffen  oost bv")
    assert supplier_key("Zuurstof Ñoord N.V.") == "zuurstof noord"
    assert supplier_key("Cloud Inc.") == "cloud"


def test_adding_changing_and_deleting_a_supplier_is_audited(world: World) -> None:
    client = Client()
    client.force_login(world.alice)
    response = client.post(
        reverse("dependencies:dependency_new", args=[world.own.pk]),
        {"category": "brandstof", "supplier": "Olie Oost B.V.", "origin": "nl", "alternative": ""},
    )
    assert response.status_code == 302
    dependency = Dependency.objects.get()
    url = reverse("dependencies:dependency_edit", args=[world.own.pk, dependency.pk])
    response = client.post(
        url,
        {
            "category": "brandstof",
            "supplier": "Olie Oost B.V.",
            "origin": "nl",
            "alternative": "Tweede contract",
            "version": 1,
        },
    )
    assert response.status_code == 302
    stale = client.post(
        url, {"category": "brandstof", "supplier": "X", "origin": "nl", "version": 1}
    )
    assert stale.status_code == 302 and stale["Location"] == url
    dependency.refresh_from_db()
    assert (dependency.alternative, dependency.version) == ("Tweede contract", 2)
    client.post(
        url,
        {
            "verwijderen": "1",
            "version": 2,
            "category": "brandstof",
            "supplier": "x",
            "origin": "nl",
        },
    )
    assert not Dependency.objects.exists()
    actions = list(
        AuditEvent.objects.filter(object_type="dependencies.dependency")
        .order_by("pk")
        .values_list("action", flat=True)
    )
    assert actions == ["dependency.create", "dependency.update", "dependency.delete"]


def test_bad_input_and_duplicates_are_refused_in_dutch(world: World) -> None:
    dependency_save(organisation=world.own, by=world.alice, category="water", supplier="Vitens")
    client = Client()
    client.force_login(world.alice)
    url = reverse("dependencies:dependency_new", args=[world.own.pk])
    empty = client.post(url, {"category": "water", "supplier": "", "origin": "nl"})
    assert (
        empty.status_code == 400 and "Vul de naam van de leverancier in." in empty.content.decode()
    )
    twice = client.post(url, {"category": "water", "supplier": " vitens ", "origin": "nl"})
    assert twice.status_code == 400
    assert "Deze leverancier staat al in deze categorie." in twice.content.decode()
    assert Dependency.objects.count() == 1
    with pytest.raises(DuplicateDependency):
        dependency_save(organisation=world.own, by=world.alice, category="water", supplier="VITENS")
    first = Dependency.objects.get()
    dependency_save(
        organisation=world.own,
        by=world.alice,
        category="water",
        supplier="Vitens",
        dependency=first,
        expected_version=1,
        note="hoofdleiding",
    )
    with pytest.raises(StaleDependency):
        dependency_save(
            organisation=world.own,
            by=world.alice,
            category="water",
            supplier="Vitens",
            dependency=first,
            expected_version=1,
        )


@pytest.fixture
def shared(world: World) -> list:
    orgs = [world.own, world.other] + [
        OrganisationFactory(region=world.own.region, name=f"Zorg {n}") for n in range(5)
    ]
    for index, org in enumerate(orgs):
        dependency_save(
            organisation=org,
            by=world.coordinator,
            category="brandstof",
            supplier="Brandstoffen Oost B.V." if index < 5 else f"Lokale pomp {index}",
            alternative="" if index % 2 else "Gemeente",
        )
        dependency_save(
            organisation=org,
            by=world.coordinator,
            category="cloud",
            supplier="Hyperscale Cloud Inc.",
            origin=Origin.OUTSIDE,
        )
    return orgs


def test_the_region_sees_single_points_of_failure_and_it_outside_europe(
    world: World, shared
) -> None:
    result = register(world.coordinator, world.own.region)
    fuel = next(c for c in result.categories if c.category == "brandstof")
    point = fuel.single_points[0]
    assert (point.name, point.organisations, point.of) == ("Brandstoffen Oost B.V.", 5, 7)
    assert point.without_alternative == 2
    assert "Ziekenhuis Alfa" in point.names
    assert [s.name for s in result.outside_europe_it] == ["Hyperscale Cloud Inc."]
    client = Client()
    client.force_login(world.coordinator)
    page = client.get(reverse("dependencies:region_dependencies", args=[world.own.region_id]))
    assert (
        "5 van 7 organisaties zijn afhankelijk van Brandstoffen Oost B.V." in page.content.decode()
    )


def test_a_reader_gets_counts_not_names_and_small_groups_are_withheld(world: World, shared) -> None:
    client = Client()
    client.force_login(world.reader)
    data = client.get(reverse("api:region_dependencies", args=[world.own.region_id])).json()
    fuel = next(c for c in data["categories"] if c["category"] == "brandstof")
    big = next(s for s in fuel["suppliers"] if s["name"] == "Brandstoffen Oost B.V.")
    assert big["organisations"] == 5 and big["single_point_of_failure"]
    # Only Verpleeghuis Beta shares with readers: the only name a reader may see.
    assert big["names"] == ["Verpleeghuis Beta"]
    small = [s for s in fuel["suppliers"] if s["suppressed"]]
    assert len(small) == 2 and all(s["name"] is None for s in small)
    page = client.get(reverse("dependencies:region_dependencies", args=[world.own.region_id]))
    assert "Lokale pomp" not in page.content.decode()
    assert "Ziekenhuis Alfa" not in page.content.decode()


def test_other_organisations_cannot_touch_the_register(world: World) -> None:
    dependency = dependency_save(
        organisation=world.own, by=world.alice, category="water", supplier="Vitens"
    )
    client = Client()
    client.force_login(world.charlie)
    url = reverse("dependencies:dependency_edit", args=[world.own.pk, dependency.pk])
    assert client.post(url, {"verwijderen": "1", "version": 1}).status_code == 404
    wrong = reverse("dependencies:dependency_edit", args=[world.other.pk, dependency.pk])
    assert client.get(wrong).status_code == 404
    assert Dependency.objects.filter(pk=dependency.pk).exists()


def test_a_supplier_changed_meanwhile_is_not_deleted(world: World) -> None:
    dependency = dependency_save(
        organisation=world.own, by=world.alice, category="water", supplier="Vitens"
    )
    dependency_save(
        organisation=world.own,
        by=world.coordinator,
        category="water",
        supplier="Vitens",
        dependency=dependency,
        expected_version=1,
        alternative="Noodwater gemeente",
    )
    client = Client()
    client.force_login(world.alice)
    url = reverse("dependencies:dependency_edit", args=[world.own.pk, dependency.pk])
    response = client.post(url, {"verwijderen": "1", "version": 1})
    assert response.status_code == 302 and response["Location"] == url
    assert Dependency.objects.filter(pk=dependency.pk).exists()


def test_without_alternative_is_withheld_when_every_hidden_organisation_lacks_one(
    world: World,
) -> None:
    """ "Azure: 3 organisations, 3 without a fallback" would tell it of each of them."""
    organisations = [OrganisationFactory(region=world.own.region, name=f"H{n}") for n in range(3)]
    for organisation in organisations:
        dependency_save(
            organisation=organisation, by=world.coordinator, category="cloud", supplier="Azure"
        )

    def azure(user):
        cloud = next(
            c for c in register(user, world.own.region).categories if c.category == "cloud"
        )
        return cloud.suppliers[0]

    assert azure(world.reader).organisations == 3
    assert azure(world.reader).without_alternative is None
    assert azure(world.coordinator).without_alternative == 3
    dependency_save(
        organisation=world.other,  # shares with readers; has a fallback
        by=world.coordinator,
        category="cloud",
        supplier="Azure",
        alternative="Lokale kopie van het dossier",
    )
    assert azure(world.reader).without_alternative is None  # the hidden three: still uniform


def test_a_very_long_decomposing_name_still_fits_the_matching_key() -> None:
    key = supplier_key("ﬃ" * 200)  # 200 characters that decompose into 600
    assert key.startswith("ffi") and len(key) <= 200
