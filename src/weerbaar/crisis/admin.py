"""The logbook in /beheer/: to read, never to change or remove (it is append-only)."""

from __future__ import annotations

from django.contrib import admin
from django.db.models import QuerySet
from django.http import HttpRequest

from weerbaar.audit.admin_mixins import RecordAdmin
from weerbaar.organisations.access import coordinated_organisations

from .models import LogEntry


@admin.register(LogEntry)
class LogEntryAdmin(RecordAdmin):
    list_display = ("at", "incident", "kind", "author_label", "text")
    list_filter = ("kind",)
    readonly_fields = ("incident", "at", "author", "author_label", "kind", "text", "corrects")

    def get_queryset(self, request: HttpRequest) -> QuerySet[LogEntry]:
        return (
            super()
            .get_queryset(request)
            .filter(incident__organisation__in=coordinated_organisations(request.user))
        )
