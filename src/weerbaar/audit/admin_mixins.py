"""Admin changes are audited like every other change: who, when, old and new values."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable, Iterable
from typing import Any

from django import forms
from django.contrib import admin
from django.contrib.admin.utils import flatten_fieldsets
from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.forms.models import model_to_dict
from django.http import HttpRequest
from django.utils.translation import gettext as _

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


GUARD = "loaded_state"
USAGE_FIELDS = {"last_login"}  # change by using the system, not by editing: no conflict


def fingerprint(obj: models.Model, related: Iterable[Iterable[models.Model]] = ()) -> str:
    """A short digest of what an object (and the rows edited with it, such as admin inlines)
    holds, to notice that somebody changed it since it was read."""
    state = {k: v for k, v in _snapshot(obj).items() if k not in USAGE_FIELDS}
    rows = [
        sorted(json.dumps(_snapshot(o), sort_keys=True, default=str) for o in r) for r in related
    ]
    data = json.dumps([state, rows], sort_keys=True, default=str)
    return hashlib.sha256(data.encode()).hexdigest()[:32]


class _ConcurrencyGuard(forms.BaseForm):
    """Carries the fingerprint of the object (with its inline rows) as the form was opened;
    refuses to save over a change somebody else made in between."""

    instance: models.Model
    related_of: Callable[[models.Model], list[Iterable[models.Model]]]

    def _fingerprint(self, instance: models.Model) -> str:
        return fingerprint(instance, type(self).related_of(instance))

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if not self.is_bound and self.instance.pk is not None:
            self.initial[GUARD] = self._fingerprint(self.instance)

    def clean(self) -> dict[str, Any]:
        cleaned: dict[str, Any] = super().clean() or {}
        if self.instance.pk is not None:
            current = type(self.instance)._default_manager.filter(pk=self.instance.pk).first()
            if current is not None and cleaned.get(GUARD) != self._fingerprint(current):
                raise ValidationError(
                    _(
                        "Iemand anders heeft dit intussen gewijzigd. Open het opnieuw en breng "
                        "uw wijziging opnieuw aan."
                    ),
                    code="stale",
                )
        return cleaned


def _foreign_key(inline: Any, parent: type[models.Model]) -> str:
    if getattr(inline, "fk_name", None):
        return str(inline.fk_name)
    return next(
        f.name
        for f in inline.model._meta.fields
        if f.remote_field is not None and f.remote_field.model is parent
    )


class AuditedAdminMixin(admin.ModelAdmin):
    """Every admin change is audited, and a change made by someone else since the form was
    opened is detected (never silently overwritten)."""

    def get_form(
        self, request: HttpRequest, obj: Any = None, change: bool = False, **kwargs: Any
    ) -> Any:
        kwargs["change"] = change  # by keyword: UserAdmin.get_form takes no third argument
        if obj is None:  # adding: nothing to overwrite
            return super().get_form(request, obj, **kwargs)
        base = kwargs.pop("form", self.form)
        inlines = [
            (inline.get_queryset(request), _foreign_key(inline, type(obj)))
            for inline in self.get_inline_instances(request, obj)
        ]

        def related_of(instance: models.Model) -> list[Iterable[models.Model]]:
            return [rows.filter(**{fk: instance}).order_by("pk") for rows, fk in inlines]

        guarded = type(
            base.__name__,
            (_ConcurrencyGuard, base),
            {
                GUARD: forms.CharField(widget=forms.HiddenInput, required=False),
                "related_of": staticmethod(related_of),
            },
        )
        return super().get_form(request, obj, form=guarded, **kwargs)

    def get_fieldsets(self, request: HttpRequest, obj: Any = None) -> Any:
        fieldsets = list(super().get_fieldsets(request, obj))
        if obj is not None and GUARD not in flatten_fieldsets(fieldsets):
            fieldsets.append((None, {"fields": [GUARD]}))
        return fieldsets

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


class RecordAdmin(admin.ModelAdmin):
    """A record that is read, never written, in /beheer/ (the audit trail, the logbook): for
    coordinators to look up; nobody adds, changes or removes a row here."""

    def has_module_permission(self, request: HttpRequest) -> bool:
        from weerbaar.organisations.access import is_coordinator

        return is_coordinator(request.user)

    def has_view_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return self.has_module_permission(request)

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False
