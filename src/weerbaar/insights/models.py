"""Regional exports made in the background."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class ExportStatus(models.TextChoices):
    QUEUED = "wachtrij", _("In de wachtrij")
    RUNNING = "bezig", _("Wordt gemaakt")
    DONE = "klaar", _("Klaar")
    FAILED = "mislukt", _("Mislukt")


class ExportKind(models.TextChoices):
    REGION_XLSX = "regio_xlsx", _("Regiobeeld (Excel)")
    REGION_PDF = "regio_pdf", _("Regiorapport (PDF)")


def _export_storage() -> Any:
    from weerbaar.assessments.models import PrivateStorage

    return PrivateStorage("exports")


class Export(models.Model):
    """A regional export made in the background (large regions). It holds what its requester
    may see, so only the requester downloads it, and only while they still have access."""

    region = models.ForeignKey("organisations.Region", on_delete=models.CASCADE, related_name="+")
    round = models.ForeignKey("assessments.Round", on_delete=models.CASCADE, related_name="+")
    kind = models.CharField(_("soort"), max_length=12, choices=ExportKind.choices)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+"
    )
    requested_at = models.DateTimeField(_("aangevraagd"), default=timezone.now)
    status = models.CharField(
        _("status"), max_length=10, choices=ExportStatus.choices, default=ExportStatus.QUEUED
    )
    finished_at = models.DateTimeField(_("klaar op"), null=True, blank=True)
    as_coordinator = models.BooleanField(
        default=False, help_text="Made with a coordinator's view: downloadable only as one."
    )
    file = models.FileField(storage=_export_storage, upload_to="%Y/%m/", blank=True)
    file_name = models.CharField(max_length=200, blank=True)
    error = models.TextField(blank=True)

    class Meta:
        verbose_name = _("export")
        verbose_name_plural = _("exports")
        ordering = ("-requested_at", "-pk")

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.requested_at:%Y-%m-%d %H:%M}"
