"""Home pages to act from: the coordinator's work, the admin's people and questions."""

from __future__ import annotations

import datetime

from django.test import Client
from django.urls import reverse

from weerbaar.assessments import workflow
from weerbaar.organisations.models import Role

from .conftest import World
from .factories import functionary, member, open_round


def home(user) -> str:
    client = Client()
    client.force_login(user)
    response = client.get(reverse("home"))
    assert response.status_code == 200
    return response.content.decode()


def test_the_coordinator_sees_rounds_reviews_and_who_is_late(world: World) -> None:
    late = open_round(
        world,
        world.own,
        world.other,
        title="Uitvraag 2025",
        opens_on=datetime.date(2025, 1, 1),
        deadline=datetime.date(2025, 3, 1),
    )
    current = open_round(
        world, world.own, title="Uitvraag 2026", deadline=datetime.date(2099, 1, 1)
    )
    workflow.assessment_submit(
        assessment=late.assessments.get(organisation=world.own), by=world.alice
    )
    page = home(world.coordinator)
    assert "Te doen" in page
    assert f'href="/uitvragen/{late.pk}/"' in page and f'href="/uitvragen/{current.pk}/"' in page
    assert "1 van 2" in page  # one of the two organisations of 2025 submitted
    assert "Wacht op beoordeling (1)" in page
    own = late.assessments.get(organisation=world.own)
    other = late.assessments.get(organisation=world.other)
    assert f'href="/zelfevaluaties/{own.pk}/">Ziekenhuis Alfa</a> · Uitvraag 2025' in page
    assert "Over de deadline (1)" in page
    assert f'href="/zelfevaluaties/{other.pk}/">Verpleeghuis Beta</a>' in page
    assert "Te doen" not in home(world.reader)  # readers do not review


def test_the_admin_sees_how_many_people_and_links_to_each_question(world: World) -> None:
    member(Role.RESPONDENT, world.own, email="dora@alfa.test")
    functionary(world.own, "adviseur_crisisbeheersing", world.alice)
    assessment = open_round(world).assessments.get()
    page = home(world.alice)
    people = world.own.memberships.values("user").distinct().count()
    assert people == 3
    assert "3 personen" in page
    assert f'href="/zelfevaluaties/{assessment.pk}/#item-' in page
