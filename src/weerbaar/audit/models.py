"""The audit trail: who changed what, when, from which value to which value."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.serializers.json import DjangoJSONEncoder
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class AuditEvent(models.Model):
    at = models.DateTimeField(_("tijdstip"), default=timezone.now, db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    actor_label = models.CharField(_("door"), max_length=254, blank=True)
    organisation = models.ForeignKey(
        "organisations.Organisation",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    action = models.CharField(_("actie"), max_length=64)
    object_type = models.CharField(_("soort object"), max_length=100)
    object_id = models.CharField(_("object"), max_length=64, blank=True)
    old = models.JSONField(_("oud"), null=True, blank=True, encoder=DjangoJSONEncoder)
    new = models.JSONField(_("nieuw"), null=True, blank=True, encoder=DjangoJSONEncoder)

    class Meta:
        verbose_name = _("auditregel")
        verbose_name_plural = _("auditlog")
        ordering = ("-at", "-pk")

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {self.actor_label} {self.action} {self.object_type}"


def audit_record(
    *,
    actor: Any,
    action: str,
    obj: models.Model | None = None,
    object_type: str = "",
    organisation: Any = None,
    old: Any = None,
    new: Any = None,
) -> AuditEvent:
    """Write one audit event. Call it inside the transaction that makes the change."""
    is_user = actor is not None and getattr(actor, "is_authenticated", False)
    return AuditEvent.objects.create(
        actor=actor if is_user else None,
        actor_label=str(getattr(actor, "email", "") or "system") if is_user else "system",
        organisation=organisation,
        action=action,
        object_type=object_type or (obj._meta.label_lower if obj is not None else ""),
        object_id=str(obj.pk) if obj is not None else "",
        old=old,
        new=new,
    )
