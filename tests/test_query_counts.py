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


def test_round_overview_queries_do_not_grow_with_its_organisations(world: World) -> None:
    """The round overview shows every organisation's progress: a few queries per sector, not
    several per row (it was ~8 per row)."""
    from .factories import open_round

    def round_of(n: int):
        organisations = [
            OrganisationFactory(region=world.own.region, sector=Sector.ZIEKENHUIS) for _ in range(n)
        ]
        return open_round(world, world.own, *organisations, title=f"Uitvraag {n}")

    client = Client()
    client.force_login(world.coordinator)
    few = queries(client, reverse("assessments:round", args=[round_of(2).pk]))
    many = queries(client, reverse("assessments:round", args=[round_of(30).pk]))
    assert many == few


def test_round_overview_progress_is_what_each_page_shows(world: World) -> None:
    """Batched, the progress per row is the same as each self-assessment's own page shows
    the viewer: for a coordinator, a region reader, and a reader who also answers for one
    organisation (routed questions)."""
    from weerbaar.assessments.answering import answer_save
    from weerbaar.assessments.progress import progress, round_progress
    from weerbaar.assessments.routing import items_for_user
    from weerbaar.frameworks.models import Item

    from .factories import open_round

    sharing = OrganisationFactory(
        region=world.own.region, sector=Sector.ZIEKENHUIS, shares_with_region_readers=True
    )  # the reader sees it, without its confidential questions, and is no member of it
    round_ = open_round(world, world.own, world.other, sharing)
    for assessment in round_.assessments.all():
        for code in ("CY-01", "ZC-02"):
            answer_save(
                assessment=assessment,
                item=Item.objects.get(section__framework=round_.framework, code=code),
                data={"not_applicable": True, "na_reason": "Niet van toepassing"},
                expected_version=0,
                by=world.coordinator,
            )
    functionary(world.other, "ciso", world.reader)
    member(Role.RESPONDENT, world.other, email="extra@beta.test")
    from weerbaar.organisations.models import Membership

    Membership.objects.create(
        user=world.reader,
        region=world.other.region,
        organisation=world.other,
        role=Role.RESPONDENT,
    )
    from weerbaar.organisations import access
    from weerbaar.organisations.access import Level

    everyone = list(round_.assessments.select_related("organisation", "round__framework"))
    for user in (world.coordinator, world.reader):
        detail = set(access.organisations_for(user, Level.DETAIL).values_list("pk", flat=True))
        assessments = [a for a in everyone if a.organisation_id in detail]  # as the page does
        assert sharing.pk in {a.organisation_id for a in assessments}
        batched = round_progress(assessments, user)
        for assessment in assessments:
            one = progress(assessment, items_for_user(assessment, user))
            assert (batched[assessment.pk].done, batched[assessment.pk].total) == (
                one.done,
                one.total,
            ), (user, assessment.organisation)
