"""Regional norms for numeric answers (configuration, never literals in code)."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from weerbaar.organisations.models import Region


class Norm(models.Model):
    """The minimum a numeric answer should reach in a region, e.g. 72 hours of emergency
    power; answers below it are gaps."""

    region = models.ForeignKey(
        Region, on_delete=models.CASCADE, related_name="norms", verbose_name=_("regio")
    )
    norm_key = models.SlugField(_("norm"), max_length=64)
    minimum = models.DecimalField(_("minimum"), max_digits=12, decimal_places=3)
    source = models.TextField(_("bron"), help_text=_("Waar deze norm vandaan komt."))
    updated_at = models.DateTimeField(_("gewijzigd"), default=timezone.now)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        verbose_name = _("norm")
        verbose_name_plural = _("normen")
        ordering = ("region", "norm_key")
        constraints = [
            models.UniqueConstraint(fields=["region", "norm_key"], name="norm_unique_key"),
        ]

    def __str__(self) -> str:
        return f"{self.norm_key} ≥ {self.minimum}"
