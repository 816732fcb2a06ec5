"""Numbers too large to be an id (issue 9): 404 or 422 with a Dutch message, never a 500.

SQLite cannot bind an integer beyond 64 bits at all, and PostgreSQL compares it as a numeric,
so each way an id comes in is probed with the first number past the largest id, and with one
far beyond: every URL with an id in it, the API's query parameters and JSON fields, and the
forms."""

from __future__ import annotations

import html
import re

import pytest
from django.test import Client
from django.urls import reverse

from weerbaar.assessments.models import ItemAssignment
from weerbaar.ids import MAX_ID, parse_id
from weerbaar.plan.models import ImprovementAction

from .conftest import World
from .factories import open_round

JUST_PAST = str(MAX_ID + 1)  # 9223372036854775808
FAR_PAST = "9" * 25


def test_parse_id() -> None:
    assert parse_id("42") == 42 and parse_id(str(MAX_ID)) == MAX_ID
    for bad in (JUST_PAST, FAR_PAST, "0", "-1", "1e3", " ", "", None, "٣", True, 2.5):
        assert parse_id(bad) is None, bad


def with_ids(route: str, value: str) -> str:
    return "/" + re.sub(r"<id:\w+>", value, route)


@pytest.mark.parametrize("value", [JUST_PAST, FAR_PAST])
def test_every_url_with_an_id_is_a_404_for_a_number_past_the_largest(
    world: World, value: str
) -> None:
    open_round(world, world.own)
    client = Client()
    client.force_login(world.coordinator)
    urls = id_urls(value)
    assert len(urls) >= 40, urls  # the site's and the API's URLs with an id
    for url in urls:
        for method in ("get", "post"):
            response = getattr(client, method)(url)
            assert response.status_code == 404, (method, url, response.status_code)


def id_urls(value: str) -> list[str]:
    """Every URL of the site with an id in it, the ids replaced by ``value``."""
    from django.urls import URLPattern, URLResolver, get_resolver

    found: list[str] = []

    def walk(resolver: URLResolver, prefix: str) -> None:
        for pattern in resolver.url_patterns:
            route = prefix + str(pattern.pattern)
            if isinstance(pattern, URLResolver):
                walk(pattern, route)
            elif isinstance(pattern, URLPattern) and "<id:" in route:
                found.append(with_ids(route, value).replace("^", "").replace("$", ""))

    walk(get_resolver(), "")
    return found


def test_the_api_answers_422_for_id_parameters_past_the_largest(world: World) -> None:
    round_ = open_round(world, world.own)
    client = Client()
    client.force_login(world.coordinator)
    region = world.own.region_id
    for value in (JUST_PAST, FAR_PAST, "-5"):
        for url in (
            f"/api/v1/assessments?round={value}",
            f"/api/v1/assessments?organisation={value}",
            f"/api/v1/regions/{region}/heatmap?round={value}",
            f"/api/v1/regions/{region}/capacity?round={value}",
            f"/api/v1/regions/{region}/needs?round={value}",
            f"/api/v1/regions/{region}/norms?round={value}",
        ):
            response = client.get(url)
            assert response.status_code == 422, (url, response.status_code)
            assert "detail" in response.json()
    assessment = round_.assessments.get()
    alice = Client()
    alice.force_login(world.alice)
    response = alice.put(
        f"/api/v1/assessments/{assessment.pk}/answers/CY-09",
        {"version": int(JUST_PAST), "values": {}},
        content_type="application/json",
    )
    assert response.status_code == 422
    response = alice.post(
        f"/api/v1/organisations/{world.own.pk}/actions",
        {"title": "Noodstroom testen", "assessment": int(FAR_PAST)},
        content_type="application/json",
    )
    assert response.status_code == 422
    assert not ImprovementAction.objects.exists()


def test_a_question_assignment_to_a_number_past_the_largest_is_a_form_error(
    world: World,
) -> None:
    assessment = open_round(world, world.own).assessments.get()
    client = Client()
    client.force_login(world.alice)
    for value in ("9999999999999999999999999", JUST_PAST):
        response = client.post(
            reverse("assessments:assign", args=[assessment.pk, "CY-09"]),
            {"users": [value]},
            follow=True,
        )
        assert response.status_code == 200
        assert "Kies alleen collega's van deze organisatie." in html.unescape(
            response.content.decode()
        )
    assert not ItemAssignment.objects.exists()


def test_forms_refuse_ids_past_the_largest(world: World) -> None:
    coordinator = Client()
    coordinator.force_login(world.coordinator)
    response = coordinator.post(
        reverse("assessments:round_create"),
        {
            "title": "Uitvraag",
            "framework": FAR_PAST,
            "organisations": [JUST_PAST],
            "opens_on": "2027-01-01",
            "deadline": "2027-03-01",
        },
    )
    assert response.status_code == 400  # the form again, with its errors
    assert "Selecteer een geldige keuze" in response.content.decode()
    assert (
        coordinator.get(
            reverse("insights:heatmap", args=[world.own.region_id]), {"ronde": FAR_PAST}
        ).status_code
        == 200
    )
    admin_url = f"/beheer/organisations/organisation/{JUST_PAST}/change/"
    assert coordinator.get(admin_url).status_code in (302, 404)
