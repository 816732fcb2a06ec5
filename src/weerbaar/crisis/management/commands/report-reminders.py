"""``weerbaar report-reminders``: queue the reminders to organisations whose status report
is due during an open incident (``--now`` sends them directly). Run it every quarter of an
hour (cron, systemd timer); each organisation is reminded at most once per interval."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from weerbaar.crisis.status import send_report_reminders, send_report_reminders_task


class Command(BaseCommand):
    help = "Queue (or with --now send) reminders that a status report is due."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--now", action="store_true", help="Send now instead of queueing.")

    def handle(self, *args: Any, **options: Any) -> None:
        if options["now"]:
            self.stdout.write(f"{send_report_reminders()} organisation(s) reminded")
            return
        result = send_report_reminders_task.enqueue()
        self.stdout.write(f"queued {result.id}; `weerbaar worker` sends them")
