from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.db.models import QuerySet
from django.http import HttpRequest

from weerbaar.organisations.access import regions_for
from weerbaar.organisations.admin import CoordinatorAdmin, scoped_foreign_keys
from weerbaar.organisations.models import Role
from weerbaar.scoring.models import Norm


@admin.register(Norm)
class NormAdmin(CoordinatorAdmin):
    """Coordinators set their region's norms; each change is audited with old and new."""

    list_display = ("norm_key", "minimum", "region", "updated_at")
    fields = ("region", "norm_key", "minimum", "source")

    def get_queryset(self, request: HttpRequest) -> QuerySet[Norm]:
        return (
            super()
            .get_queryset(request)
            .filter(region__in=regions_for(request.user, Role.COORDINATOR))
        )

    def formfield_for_foreignkey(self, db_field: Any, request: HttpRequest, **kwargs: Any) -> Any:
        scoped_foreign_keys(db_field, request, kwargs)
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def save_model(self, request: HttpRequest, obj: Any, form: Any, change: bool) -> None:
        obj.updated_by = request.user
        super().save_model(request, obj, form, change)
