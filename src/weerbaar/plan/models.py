"""An organisation's improvement plan (verbeterplan)."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from weerbaar.organisations.owned import OwnedQuerySet


class ActionStatus(models.TextChoices):
    OPEN = "open", _("Open")
    IN_PROGRESS = "bezig", _("In uitvoering")
    DONE = "afgerond", _("Afgerond")
    CANCELLED = "vervallen", _("Vervallen")


class ImprovementAction(models.Model):
    """An action of an organisation's improvement plan (verbeterplan), linked to the gap it
    should close. Finishing an action does not close the gap: only a better answer does
    (the gap is derived from the answers of the latest self-assessment)."""

    ORGANISATION_PATH = "organisation"

    organisation = models.ForeignKey(
        "organisations.Organisation",
        on_delete=models.CASCADE,
        related_name="improvement_actions",
        verbose_name=_("organisatie"),
    )
    assessment = models.ForeignKey(
        "assessments.Assessment",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("zelfevaluatie waarin het hiaat is gevonden"),
    )
    item = models.ForeignKey(
        "frameworks.Item",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("hiaat (vraag)"),
    )
    title = models.CharField(_("actie"), max_length=300)
    description = models.TextField(_("toelichting"), blank=True)
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("eigenaar"),
    )
    due_on = models.DateField(_("gereed op"), null=True, blank=True)
    status = models.CharField(
        _("status"), max_length=12, choices=ActionStatus.choices, default=ActionStatus.OPEN
    )
    version = models.PositiveIntegerField(default=1)
    created_at = models.DateTimeField(_("aangemaakt"), default=timezone.now)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    updated_at = models.DateTimeField(_("gewijzigd"), default=timezone.now)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )

    objects = OwnedQuerySet.as_manager()

    class Meta:
        db_table = "insights_improvementaction"  # the table it had in insights
        verbose_name = _("verbeteractie")
        verbose_name_plural = _("verbeteracties")
        ordering = ("due_on", "pk")
        indexes = [models.Index(fields=["organisation", "status"], name="action_org_status")]

    def __str__(self) -> str:
        return self.title

    @property
    def is_overdue(self) -> bool:
        return (
            self.due_on is not None
            and self.status in (ActionStatus.OPEN, ActionStatus.IN_PROGRESS)
            and self.due_on < timezone.localdate()
        )
