"""``weerbaar reminders``: queue today's deadline reminders (``--now`` sends them directly)."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from weerbaar.assessments.reminders import send_reminders, send_reminders_task


class Command(BaseCommand):
    help = "Queue (or with --now send) reminders before the deadline and for overdue questions."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--now", action="store_true", help="Send now instead of queueing.")

    def handle(self, *args: Any, **options: Any) -> None:
        if options["now"]:
            self.stdout.write(f"{send_reminders()} reminder(s) sent")
            return
        result = send_reminders_task.enqueue()
        self.stdout.write(f"queued {result.id}; `weerbaar worker` sends them")
