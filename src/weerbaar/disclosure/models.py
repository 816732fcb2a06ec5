"""What was released to people who may not see an organisation's figures one by one."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class CapacityRelease(models.Model):
    """The casualty-care capacity of a round as the coordinator released it to everyone who
    may not see it per organisation: once per round, and frozen, so that no late submission or
    correction shows as a difference (which would give that organisation's figures away)."""

    round = models.ForeignKey(
        "assessments.Round", on_delete=models.CASCADE, related_name="capacity_releases"
    )
    released_at = models.DateTimeField(_("vrijgegeven op"), default=timezone.now)
    released_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    figures = models.JSONField(help_text="The rows as readers see them, withheld cells empty.")
    contributors = models.JSONField(
        help_text="Per sector and answer part, the organisations whose figures are in it (a "
        "record of what was released)."
    )

    class Meta:
        db_table = "insights_capacityrelease"  # the table it had in insights
        verbose_name = _("vrijgave capaciteit")
        verbose_name_plural = _("vrijgaven capaciteit")
        ordering = ("-released_at", "-pk")
        constraints = [
            models.UniqueConstraint(fields=["round"], name="capacity_release_once_per_round"),
        ]

    def __str__(self) -> str:
        return f"{self.round} {self.released_at:%Y-%m-%d %H:%M}"
