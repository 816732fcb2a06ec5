"""List pages make the same number of queries for few and for many rows (no N+1)."""

from __future__ import annotations

from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from weerbaar.organisations.models import Role, Sector

from .conftest import World
from .factories import LocationFactory, OrganisationFactory, functionary, member


def queries(client: Client, url: str) -> int:
    with CaptureQueriesContext(connection) as context:
        response = client.get(url)
    assert response.status_code == 200
    return len(context.captured_queries)


def grow(world: World, n: int) -> None:
    for i in range(n):
        org = OrganisationFactory(region=world.own.region, sector=list(Sector)[i % 12])
        LocationFactory(organisation=org)
        person = member(Role.RESPONDENT, org)
        functionary(org, "ciso", person)


def test_organisation_list_queries_do_not_grow(world: World) -> None:
    client = Client()
    client.force_login(world.coordinator)
    url = reverse("organisations:list")
    few = queries(client, url)
    grow(world, 40)
    assert queries(client, url) == few


def test_home_queries_do_not_grow_for_a_coordinator(world: World) -> None:
    client = Client()
    client.force_login(world.coordinator)
    few = queries(client, reverse("home"))
    grow(world, 40)
    assert queries(client, reverse("home")) == few


def test_organisation_detail_queries_do_not_grow(world: World) -> None:
    client = Client()
    client.force_login(world.alice)
    url = reverse("organisations:detail", args=[world.own.pk])
    few = queries(client, url)
    for _ in range(15):
        LocationFactory(organisation=world.own)
        functionary(world.own, "hr", member(Role.RESPONDENT, world.own))
    assert queries(client, url) == few


def test_framework_page_queries_do_not_depend_on_its_size(world: World) -> None:
    client = Client()
    client.force_login(world.bob)
    kader = queries(client, reverse("frameworks:detail", args=["kader-weerbare-zorg", "2025-11"]))
    zib = queries(client, reverse("frameworks:detail", args=["zorgcontinuiteit-in-balans", "2024"]))
    reference = queries(client, reverse("frameworks:detail", args=["niveaus-noodzorg", "2025"]))
    # Prefetching: a fixed number per kind of content (phases, steps and bullets add three),
    # not per theme or per question.
    assert kader == reference
    assert zib == kader + 3


def test_api_organisation_list_queries_do_not_grow(world: World) -> None:
    client = Client()
    client.force_login(world.coordinator)
    few = queries(client, "/api/v1/organisations")
    grow(world, 40)
    assert queries(client, "/api/v1/organisations") == few
