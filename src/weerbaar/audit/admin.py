from __future__ import annotations

from django.contrib import admin
from django.db.models import Q, QuerySet
from django.http import HttpRequest

from weerbaar.organisations.access import Level, organisations_for

from .admin_mixins import RecordAdmin
from .models import AuditEvent


@admin.register(AuditEvent)
class AuditEventAdmin(RecordAdmin):
    list_display = ("at", "actor_label", "action", "object_type", "object_id", "organisation")
    list_filter = ("action", "object_type")
    search_fields = ("actor_label", "object_id")

    def get_queryset(self, request: HttpRequest) -> QuerySet[AuditEvent]:
        queryset = super().get_queryset(request)
        if request.user.is_superuser:
            return queryset
        return queryset.filter(
            Q(organisation__in=organisations_for(request.user, Level.MANAGE))
            | Q(actor=request.user)
        )
