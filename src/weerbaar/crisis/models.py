"""The warme fase: an incident of one organisation, the action cards (disbalansen) active in
it, the progress of their steps, and the logbook (besluitenlijst)."""

from __future__ import annotations

from typing import Any, ClassVar

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from weerbaar.organisations.owned import OwnedQuerySet


class TeamQuerySet(OwnedQuerySet[Any]):
    """Incidents (and what hangs off them) are for the crisis team: the organisation's own
    people, respondents included, and the region's coordinators — not region readers, who
    see status reports, not the logbook."""

    def for_user(self, user: Any, level: Any = None) -> Any:
        from weerbaar.organisations import access

        prefix = self.model.ORGANISATION_PATH
        team = access.drafts_condition(user, prefix=f"{prefix}__" if prefix else "")
        return self if team is None else self.filter(team)


class IncidentState(models.TextChoices):
    OPEN = "open", _("Lopend")
    CLOSED = "gesloten", _("Gesloten")


class Incident(models.Model):
    """A disruption an organisation is working through; one or more disbalansen at once."""

    ORGANISATION_PATH = "organisation"

    organisation = models.ForeignKey(
        "organisations.Organisation",
        on_delete=models.PROTECT,
        related_name="incidents",
        verbose_name=_("organisatie"),
    )
    framework = models.ForeignKey(
        "frameworks.Framework",
        on_delete=models.PROTECT,
        related_name="+",
        help_text="The action cards (Zorgcontinuïteit in Balans) as loaded when it opened.",
    )
    title = models.CharField(_("titel"), max_length=200)
    started_at = models.DateTimeField(_("begonnen op"), default=timezone.now)
    locations = models.ManyToManyField(
        "organisations.Location", blank=True, related_name="incidents", verbose_name=_("locaties")
    )
    is_exercise = models.BooleanField(_("oefening"), default=False)
    state = models.CharField(
        _("status"), max_length=10, choices=IncidentState.choices, default=IncidentState.OPEN
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(_("aangemaakt"), default=timezone.now)
    closed_at = models.DateTimeField(_("gesloten op"), null=True, blank=True)
    closed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    evaluation = models.TextField(_("evaluatie"), blank=True)

    objects = TeamQuerySet.as_manager()

    class Meta:
        verbose_name = _("incident")
        verbose_name_plural = _("incidenten")
        ordering = ("-started_at", "-pk")

    def __str__(self) -> str:
        return f"{self.title} ({self.organisation})"


class ActiveDisbalans(models.Model):
    """An action card at work in an incident, by its section code in the library (``D5``)."""

    ORGANISATION_PATH = "incident__organisation"

    incident = models.ForeignKey(Incident, on_delete=models.CASCADE, related_name="disbalansen")
    code = models.CharField(_("disbalans"), max_length=16)
    activated_at = models.DateTimeField(_("actief sinds"), default=timezone.now)
    activated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )

    objects = TeamQuerySet.as_manager()

    class Meta:
        ordering = ("activated_at", "pk")
        constraints = [
            models.UniqueConstraint(fields=["incident", "code"], name="disbalans_once_per_incident")
        ]

    def __str__(self) -> str:
        return f"{self.incident_id}: {self.code}"


class StepState(models.TextChoices):
    OPEN = "open", _("Open")
    DONE = "gedaan", _("Gedaan")
    SKIPPED = "overgeslagen", _("Overgeslagen")


class StepProgress(models.Model):
    """How far one step of an action card is in an incident, by the step's stable code
    (``D5-2.1``): the code survives a new load of the library."""

    ORGANISATION_PATH = "incident__organisation"

    incident = models.ForeignKey(Incident, on_delete=models.CASCADE, related_name="steps")
    step_code = models.CharField(_("stap"), max_length=32)
    state = models.CharField(
        _("status"), max_length=12, choices=StepState.choices, default=StepState.OPEN
    )
    assignee = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("toegewezen aan"),
    )
    note = models.TextField(_("aantekening"), blank=True)
    skip_reason = models.TextField(_("reden van overslaan"), blank=True)
    done_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    done_at = models.DateTimeField(_("afgehandeld op"), null=True, blank=True)
    version = models.PositiveIntegerField(default=0)

    objects = TeamQuerySet.as_manager()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["incident", "step_code"], name="step_once_per_incident")
        ]

    def __str__(self) -> str:
        return f"{self.step_code}: {self.state}"


class AppendOnly(Exception):
    """A logbook entry is never changed or removed: a correction is a new entry."""


class LogKind(models.TextChoices):
    DECISION = "besluit", _("Besluit")
    ACTION = "actie", _("Actie")
    INFORMATION = "informatie", _("Informatie")
    GHOR = "melding_ghor", _("Melding aan GHOR")


class LogQuerySet(TeamQuerySet):
    def update(self, **kwargs: Any) -> int:
        raise AppendOnly("The logbook is append-only.")

    def delete(self) -> tuple[int, dict[str, int]]:
        raise AppendOnly("The logbook is append-only.")

    def bulk_update(self, *args: Any, **kwargs: Any) -> int:
        raise AppendOnly("The logbook is append-only.")


class LogEntry(models.Model):
    """One line of the logbook: when, who, what kind, what. Append-only."""

    ORGANISATION_PATH = "incident__organisation"

    incident = models.ForeignKey(Incident, on_delete=models.PROTECT, related_name="log")
    at = models.DateTimeField(_("tijdstip"), default=timezone.now)
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", null=True
    )
    author_label = models.CharField(_("door"), max_length=254)
    kind = models.CharField(_("soort"), max_length=14, choices=LogKind.choices)
    text = models.TextField(_("tekst"))
    corrects = models.ForeignKey(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="corrections",
        verbose_name=_("corrigeert"),
    )

    objects: ClassVar[LogQuerySet] = LogQuerySet.as_manager()  # type: ignore[assignment]

    class Meta:
        verbose_name = _("logboekregel")
        verbose_name_plural = _("logboek")
        ordering = ("at", "pk")

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {self.get_kind_display()}: {self.text[:60]}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        if not self._state.adding:
            raise AppendOnly("A logbook entry is never changed: add a correction.")
        super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> tuple[int, dict[str, int]]:
        raise AppendOnly("A logbook entry is never removed: add a correction.")
