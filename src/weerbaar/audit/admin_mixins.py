"""Admin changes are audited like every other change: who, when, old and new values."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.db import models, transaction
from django.forms.models import model_to_dict
from django.http import HttpRequest

from .models import audit_record


def _snapshot(obj: models.Model) -> dict[str, Any]:
    data = model_to_dict(obj)
    data.pop("password", None)  # never store password hashes in the audit trail
    return {key: _plain(value) for key, value in data.items()}


def _plain(value: Any) -> Any:
    if isinstance(value, models.Model):
        return value.pk
    if isinstance(value, list | tuple | set):
        return [_plain(v) for v in value]
    return value


def _organisation_of(obj: models.Model) -> Any:
    from weerbaar.organisations.models import Organisation

    if isinstance(obj, Organisation):
        return obj
    return getattr(obj, "organisation", None)


class AuditedAdminMixin(admin.ModelAdmin):
    def save_model(self, request: HttpRequest, obj: Any, form: Any, change: bool) -> None:
        with transaction.atomic():
            old = None
            if change and obj.pk is not None:
                before = type(obj)._default_manager.filter(pk=obj.pk).first()
                old = _snapshot(before) if before is not None else None
            super().save_model(request, obj, form, change)
            new = _snapshot(obj)
            if old is not None:
                changed = {k for k in new if old.get(k) != new.get(k)}
                if not changed:
                    return  # saved without changes: nothing to record
                old = {k: old.get(k) for k in changed}
                new = {k: new[k] for k in changed}
            audit_record(
                actor=request.user,
                action="admin.change" if change else "admin.add",
                obj=obj,
                organisation=_organisation_of(obj),
                old=old,
                new=new,
            )

    def save_formset(self, request: HttpRequest, form: Any, formset: Any, change: bool) -> None:
        """Inline rows (locations, memberships) are audited like the main object."""
        with transaction.atomic():
            before = {
                obj.pk: _snapshot(obj) for obj in formset.get_queryset() if obj.pk is not None
            }
            super().save_formset(request, form, formset, change)
            for obj in formset.new_objects:
                audit_record(
                    actor=request.user,
                    action="admin.add",
                    obj=obj,
                    organisation=_organisation_of(obj),
                    new=_snapshot(obj),
                )
            for obj, _fields in formset.changed_objects:
                old, new = before.get(id(obj), {}), _snapshot(obj)
                changed = {k for k in new if old.get(k) != new.get(k)}
                if changed:
                    audit_record(
                        actor=request.user,
                        action="admin.change",
                        obj=obj,
                        organisation=_organisation_of(obj),
                        old={k: old.get(k) for k in changed},
                        new={k: new[k] for k in changed},
                    )
            for obj in formset.deleted_objects:
                audit_record(
                    actor=request.user,
                    action="admin.delete",
                    obj=obj,
                    organisation=_organisation_of(obj),
                    old=before.get(id(obj)),
                )

    def delete_model(self, request: HttpRequest, obj: Any) -> None:
        with transaction.atomic():
            audit_record(
                actor=request.user,
                action="admin.delete",
                obj=obj,
                organisation=_organisation_of(obj),
                old=_snapshot(obj),
            )
            super().delete_model(request, obj)

    def delete_queryset(self, request: HttpRequest, queryset: Any) -> None:
        for obj in queryset:
            self.delete_model(request, obj)
