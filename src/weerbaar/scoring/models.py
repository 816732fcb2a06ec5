"""Regional norms for numeric answers and the stored theme tallies behind the scores."""

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
        db_table = "insights_norm"  # the table it had in insights
        verbose_name = _("norm")
        verbose_name_plural = _("normen")
        ordering = ("region", "norm_key")
        constraints = [
            models.UniqueConstraint(fields=["region", "norm_key"], name="norm_unique_key"),
        ]

    def __str__(self) -> str:
        return f"{self.norm_key} ≥ {self.minimum}"


class ThemeTally(models.Model):
    """The sums behind one theme score of one self-assessment: the maturity levels of its
    applicable, answered items and how many of them are N.v.t. Kept by ``answer_save`` in the
    same transaction as the answer (``tally.py``), so the regional heatmap reads a few rows per
    organisation instead of adding up every answer. Derived data, never edited by hand; tests
    hold it equal to the live computation."""

    assessment = models.ForeignKey(
        "assessments.Assessment", on_delete=models.CASCADE, related_name="+"
    )
    section = models.ForeignKey("frameworks.Section", on_delete=models.CASCADE, related_name="+")
    levels = models.PositiveIntegerField(default=0)
    not_applicable = models.PositiveSmallIntegerField(default=0)
    # The same without the confidential questions: what people see who may not see those.
    public_levels = models.PositiveIntegerField(default=0)
    public_not_applicable = models.PositiveSmallIntegerField(default=0)

    class Meta:
        db_table = "insights_themetally"  # the table it had in insights
        verbose_name = _("themasom")
        verbose_name_plural = _("themasommen")
        constraints = [
            models.UniqueConstraint(
                fields=["assessment", "section"], name="theme_tally_unique_section"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.assessment_id}/{self.section_id}: {self.levels}, {self.not_applicable}"
