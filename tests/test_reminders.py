"""Reminders before the deadline and for overdue questions, through the task queue."""

from __future__ import annotations

import datetime
from io import StringIO

import pytest
from django.core import mail
from django.core.management import call_command

from weerbaar.assessments.answering import answer_save
from weerbaar.assessments.models import ReminderSent
from weerbaar.assessments.reminders import send_reminders
from weerbaar.assessments.rounds import round_open
from weerbaar.assessments.workflow import assessment_submit
from weerbaar.frameworks.export import get_framework
from weerbaar.frameworks.models import Item

from .conftest import World

DEADLINE = datetime.date(2026, 12, 10)


@pytest.fixture
def assessment(world: World):
    round_ = round_open(
        region=world.own.region,
        framework=get_framework("kader-weerbare-zorg"),
        organisations=[world.own],
        title="Uitvraag 2026",
        opens_on=datetime.date(2026, 11, 1),
        deadline=DEADLINE,
        by=world.coordinator,
    )
    return round_.assessments.get()


def test_no_reminders_long_before_the_deadline(assessment) -> None:
    assert send_reminders(today=DEADLINE - datetime.timedelta(days=20)) == 0
    assert mail.outbox == []


def test_reminder_in_the_week_before_the_deadline_counts_own_open_questions(
    assessment, world: World
) -> None:
    answer_save(
        assessment=assessment,
        item=Item.objects.get(section__framework__slug="kader-weerbare-zorg", code="CY-01"),
        data={"values": {"maturity": "3"}},
        expected_version=0,
        by=world.bob,
    )
    assert (
        send_reminders(
            today=DEADLINE - datetime.timedelta(days=5), base_url="https://weerbaar.test"
        )
        == 2
    )
    bodies = {m.to[0]: m.body for m in mail.outbox}
    assert set(bodies) == {"alice@alfa.test", "bob@alfa.test"}
    assert "Er staan nog 9 vragen voor u open bij Ziekenhuis Alfa." in bodies["bob@alfa.test"]
    assert "Er staan nog 68 vragen voor u open" in bodies["alice@alfa.test"]
    assert "https://weerbaar.test/mijn-vragen/" in bodies["bob@alfa.test"]
    assert mail.outbox[0].subject == "Herinnering: nog open vragen in Weerbaar"
    # Once only before the deadline.
    assert send_reminders(today=DEADLINE - datetime.timedelta(days=4)) == 0


def test_overdue_reminders_weekly_until_submitted(assessment, world: World) -> None:
    assert send_reminders(today=DEADLINE + datetime.timedelta(days=1)) == 2
    assert mail.outbox[0].subject == "Herinnering: de deadline is verstreken"
    assert send_reminders(today=DEADLINE + datetime.timedelta(days=3)) == 0
    assert send_reminders(today=DEADLINE + datetime.timedelta(days=8)) == 2
    assessment_submit(assessment=assessment, by=world.alice)
    assert send_reminders(today=DEADLINE + datetime.timedelta(days=15)) == 0
    assert ReminderSent.objects.count() == 4


@pytest.mark.django_db(transaction=True)
def test_reminders_go_through_the_database_queue_and_the_worker(world: World) -> None:
    """The worker commits and closes connections, so this runs outside a test transaction."""
    from django.utils import timezone

    call_command("framework", "load", verbosity=0)  # earlier transactional tests flush it
    round_open(
        region=world.own.region,
        framework=get_framework("kader-weerbare-zorg"),
        organisations=[world.own],
        title="Uitvraag nu",
        opens_on=timezone.localdate() - datetime.timedelta(days=10),
        deadline=timezone.localdate() + datetime.timedelta(days=3),
        by=world.coordinator,
    )
    out = StringIO()
    call_command("reminders", stdout=out)
    assert out.getvalue().startswith("queued ")
    assert mail.outbox == []  # queued, not sent
    call_command("worker", "--batch", stdout=StringIO(), stderr=StringIO())
    assert sorted(m.to[0] for m in mail.outbox) == ["alice@alfa.test", "bob@alfa.test"]


def test_person_with_two_roles_gets_one_reminder(assessment, world: World) -> None:
    from weerbaar.organisations.models import Membership, Role

    Membership.objects.create(
        user=world.alice, region=world.own.region, organisation=world.own, role=Role.RESPONDENT
    )
    assert send_reminders(today=DEADLINE - datetime.timedelta(days=2)) == 2
    assert sorted(m.to[0] for m in mail.outbox) == ["alice@alfa.test", "bob@alfa.test"]
