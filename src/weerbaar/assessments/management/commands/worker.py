"""``weerbaar worker``: run the background task queue (reminders, large exports)."""

from __future__ import annotations

from typing import Any

from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandParser


class Command(BaseCommand):
    help = "Run the database-backed task queue (no other service needed)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--batch", action="store_true", help="Stop when the queue is empty.")

    def handle(self, *args: Any, **options: Any) -> None:
        arguments = ["--queue-name", "*"]
        if options["batch"]:
            arguments.append("--batch")
        call_command("db_worker", *arguments)
