"""Reminders before the deadline and on overdue questions, sent through the task queue.

``weerbaar reminders`` (daily, e.g. from cron or a systemd timer) enqueues the task;
``weerbaar worker`` runs the queue. Each person gets a reminder once in the week before the
deadline and once a week while questions of theirs are overdue.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django_tasks import task

from weerbaar.organisations.models import Membership, Role

from .models import Assessment, AssessmentState, ReminderSent
from .progress import progress
from .routing import items_of, routed_items

BEFORE_DAYS = 7
OVERDUE_EVERY_DAYS = 7


@dataclass(frozen=True)
class Reminder:
    user: Any
    assessment: Assessment
    kind: str
    open_items: int


def _open_count(assessment: Assessment, items: Any) -> int:
    return len(progress(assessment, items).open_items)


def due_reminders(today: datetime.date) -> list[Reminder]:
    """Who should get which reminder today (nothing is sent)."""
    due: list[Reminder] = []
    assessments = Assessment.objects.filter(
        state=AssessmentState.CONCEPT,
        round__opens_on__lte=today,
        round__deadline__lte=today + datetime.timedelta(days=BEFORE_DAYS),
    ).select_related("round", "round__framework", "organisation")
    for assessment in assessments:
        kind = (
            ReminderSent.Kind.OVERDUE
            if assessment.round.deadline < today
            else ReminderSent.Kind.BEFORE_DEADLINE
        )
        members = Membership.objects.filter(
            organisation=assessment.organisation,
            role__in=[Role.ORG_ADMIN, Role.RESPONDENT],
            user__is_active=True,
        ).select_related("user")
        people: dict[int, Any] = {}
        admins: set[int] = set()
        for membership in members:
            people[membership.user_id] = membership.user
            if membership.role == Role.ORG_ADMIN:
                admins.add(membership.user_id)
        for user_id, user in people.items():  # one reminder per person, even with two roles
            if _already_sent(user, assessment, kind, today):
                continue
            items = items_of(assessment) if user_id in admins else routed_items(assessment, user)
            count = _open_count(assessment, items)
            if count:
                due.append(Reminder(user, assessment, kind, count))
    return due


def _already_sent(user: Any, assessment: Assessment, kind: str, today: datetime.date) -> bool:
    sent = ReminderSent.objects.filter(user=user, assessment=assessment, kind=kind)
    if kind == ReminderSent.Kind.OVERDUE:
        sent = sent.filter(sent_on__gt=today - datetime.timedelta(days=OVERDUE_EVERY_DAYS))
    return sent.exists()


def send_reminders(*, today: datetime.date | None = None, base_url: str = "") -> int:
    """Send today's reminders; returns how many went out."""
    today = today or timezone.localdate()
    base_url = (base_url or settings.WEERBAAR_BASE_URL).rstrip("/")
    sent = 0
    for reminder in due_reminders(today):
        with transaction.atomic():
            ReminderSent.objects.create(
                user=reminder.user,
                assessment=reminder.assessment,
                kind=reminder.kind,
                sent_on=today,
                open_items=reminder.open_items,
            )
            with translation.override("nl"):
                body = render_to_string(
                    "assessments/email/reminder.txt",
                    {
                        "reminder": reminder,
                        "round": reminder.assessment.round,
                        "url": base_url + reverse("assessments:mine"),
                        "overdue": reminder.kind == ReminderSent.Kind.OVERDUE,
                    },
                )
            subject = (
                "Herinnering: de deadline is verstreken"
                if reminder.kind == ReminderSent.Kind.OVERDUE
                else "Herinnering: nog open vragen in Weerbaar"
            )
            send_mail(subject, body, settings.DEFAULT_FROM_EMAIL, [reminder.user.email])
        sent += 1
    return sent


@task()
def send_reminders_task() -> int:
    return send_reminders()
