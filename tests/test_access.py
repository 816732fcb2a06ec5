"""The one access layer: who sees which organisation, and nothing leaks."""

from __future__ import annotations

import pytest
from django.http import Http404
from django.test import Client
from django.urls import reverse

from weerbaar.organisations import access
from weerbaar.organisations.access import Level
from weerbaar.organisations.models import Functionary, Location

from .conftest import World
from .factories import LocationFactory


def names(user, level: Level) -> list[str]:
    return sorted(access.organisations_for(user, level).values_list("name", flat=True))


def test_access_coordinator_sees_every_organisation_of_their_region_only(world: World) -> None:
    expected = ["Verpleeghuis Beta", "Ziekenhuis Alfa"]
    assert names(world.coordinator, Level.LIST) == expected
    assert names(world.coordinator, Level.DETAIL) == expected
    assert names(world.coordinator, Level.MANAGE) == expected


def test_access_region_reader_sees_details_only_of_sharing_organisations(world: World) -> None:
    assert names(world.reader, Level.LIST) == ["Verpleeghuis Beta", "Ziekenhuis Alfa"]
    assert names(world.reader, Level.DETAIL) == ["Verpleeghuis Beta"]
    assert names(world.reader, Level.MANAGE) == []


def test_access_org_admin_sees_only_their_own_organisation(world: World) -> None:
    for level in Level:
        assert names(world.alice, level) == ["Ziekenhuis Alfa"]
        assert names(world.charlie, level) == ["Verpleeghuis Beta"]
        assert names(world.outsider, level) == ["Ziekenhuis West"]


def test_access_respondent_has_no_organisation_access(world: World) -> None:
    for level in Level:
        assert names(world.bob, level) == []


def test_access_inactive_user_sees_nothing(world: World) -> None:
    world.coordinator.is_active = False
    world.coordinator.save()
    assert names(world.coordinator, Level.LIST) == []


def test_access_get_organisation_raises_404_for_another_organisation(world: World) -> None:
    assert access.get_organisation(world.alice, world.own.pk) == world.own
    with pytest.raises(Http404):
        access.get_organisation(world.charlie, world.own.pk)
    with pytest.raises(Http404):
        access.get_organisation(world.alice, "not-a-number")


def test_access_scope_filters_organisation_owned_rows(world: World) -> None:
    LocationFactory(organisation=world.own, name="Alfa Noord")
    LocationFactory(organisation=world.other, name="Beta Zuid")
    scoped = access.scope(Location.objects.all(), world.charlie)
    assert list(scoped.values_list("name", flat=True)) == ["Beta Zuid"]
    with pytest.raises(Http404):
        access.get_scoped(Location.objects.all(), world.charlie, name="Alfa Noord")


def test_organisation_page_shows_people_to_its_admin_and_404_to_others(world: World) -> None:
    LocationFactory(organisation=world.own, name="Alfa Noord", city="Kampen")
    url = reverse("organisations:detail", args=[world.own.pk])
    alice = Client()
    alice.force_login(world.alice)
    page = alice.get(url).content.decode()
    assert "bob@alfa.test" in page
    assert "Alfa Noord" in page

    charlie = Client()
    charlie.force_login(world.charlie)
    response = charlie.get(url)
    assert response.status_code == 404
    assert "bob@alfa.test" not in response.content.decode()
    assert "Alfa Noord" not in response.content.decode()


def test_organisation_list_does_not_link_unshared_organisations_for_readers(world: World) -> None:
    client = Client()
    client.force_login(world.reader)
    page = client.get(reverse("organisations:list")).content.decode()
    assert reverse("organisations:detail", args=[world.other.pk]) in page
    assert reverse("organisations:detail", args=[world.own.pk]) not in page
    assert "Ziekenhuis Alfa" in page
    assert "Ziekenhuis West" not in page


def test_respondent_home_shows_only_their_routed_questions(world: World) -> None:
    client = Client()
    client.force_login(world.bob)
    page = client.get(reverse("home")).content.decode()
    assert "Voldoet de organisatie aan de NIS2?" in page  # CY-01, for the CISO
    assert "Hoe lang kan de organisatie draaien op noodstroom" not in page  # facilitair
    assert "alice@alfa.test" not in page
    assert reverse("organisations:detail", args=[world.own.pk]) not in page


def test_respondent_questions_follow_the_sector(world: World) -> None:
    # A CISO at a nursing home gets the cybersecurity questions; a capacity manager at a
    # nursing home does not get the hospital-only bed questions.
    from weerbaar.organisations.models import Role

    from .factories import functionary, member

    bed_question = "Welke bedden capaciteit kan de organisatie leveren"
    nursing_home = member(Role.RESPONDENT, world.other, email="kim@beta.test")
    functionary(world.other, "capaciteitsmanager", nursing_home)
    hospital = member(Role.RESPONDENT, world.own, email="kees@alfa.test")
    functionary(world.own, "capaciteitsmanager", hospital)
    assert Functionary.objects.filter(role_key="capaciteitsmanager").count() == 2

    client = Client()
    client.force_login(hospital)
    assert bed_question in client.get(reverse("home")).content.decode()
    client.force_login(nursing_home)
    assert bed_question not in client.get(reverse("home")).content.decode()
