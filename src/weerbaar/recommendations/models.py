"""Progress on the regional recommendations (Zorgrisicoprofiel adviezen) per actor."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class RecommendationState(models.TextChoices):
    NOT_STARTED = "niet_gestart", _("Niet gestart")
    IN_PROGRESS = "bezig", _("In uitvoering")
    DONE = "gerealiseerd", _("Gerealiseerd")
    NOT_APPLICABLE = "nvt", _("Niet van toepassing")


class RecommendationStatus(models.Model):
    """How far one actor (zorginstellingen, GHOR, gemeenten, …) is with one regional
    recommendation (Zorgrisicoprofiel advies) in a region; kept by the coordinator."""

    region = models.ForeignKey("organisations.Region", on_delete=models.CASCADE, related_name="+")
    item = models.ForeignKey("frameworks.Item", on_delete=models.PROTECT, related_name="+")
    role = models.ForeignKey(
        "frameworks.ResponsibleRole", on_delete=models.PROTECT, related_name="+"
    )
    state = models.CharField(
        _("status"),
        max_length=14,
        choices=RecommendationState.choices,
        default=RecommendationState.NOT_STARTED,
    )
    owner = models.CharField(_("eigenaar"), max_length=200, blank=True)
    linked_codes = models.CharField(
        _("gekoppelde vragen"),
        max_length=300,
        blank=True,
        help_text=_("Codes van vragen uit het Kader, bijvoorbeeld UV-01, CY-03."),
    )
    note = models.TextField(_("toelichting"), blank=True)
    version = models.PositiveIntegerField(default=1)
    updated_at = models.DateTimeField(_("gewijzigd"), default=timezone.now)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )

    class Meta:
        db_table = "insights_recommendationstatus"  # the table it had in insights
        verbose_name = _("status van een advies")
        verbose_name_plural = _("status van adviezen")
        constraints = [
            models.UniqueConstraint(
                fields=["region", "item", "role"], name="recommendation_status_unique_actor"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.item_id}/{self.role_id}: {self.state}"

    @property
    def codes(self) -> list[str]:
        return [code.strip() for code in self.linked_codes.split(",") if code.strip()]


class RecommendationUpdate(models.Model):
    """One step in the history of a recommendation's status (progress over time)."""

    status = models.ForeignKey(
        RecommendationStatus, on_delete=models.CASCADE, related_name="updates"
    )
    at = models.DateTimeField(default=timezone.now)
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    state = models.CharField(max_length=14, choices=RecommendationState.choices)
    note = models.TextField(blank=True)

    class Meta:
        db_table = "insights_recommendationupdate"  # the table it had in insights
        ordering = ("-at", "-pk")

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d} {self.state}"
