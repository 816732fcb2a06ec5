"""What the scenarios need that the answers do not hold: the clients at home who depend on
power (seed 001: "stroomafhankelijkheid van zorgbehoevenden neemt sterk toe"), recorded by
home-care and nursing organisations per municipality."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from weerbaar.organisations.owned import OwnedQuerySet


class Device(models.TextChoices):
    VENTILATION = "thuisbeademing", _("Thuisbeademing")
    OXYGEN = "zuurstofconcentrator", _("Zuurstofconcentrator")
    PUMP = "pomp", _("Voedings- of medicatiepomp")
    MATTRESS = "antidecubitusmatras", _("Antidecubitusmatras")
    OTHER = "overig", _("Overig apparaat")


class PowerDependentClients(models.Model):
    """How many clients of the organisation in one municipality depend on one kind of device,
    and how long it holds on its battery."""

    ORGANISATION_PATH = "organisation"

    organisation = models.ForeignKey(
        "organisations.Organisation",
        on_delete=models.CASCADE,
        related_name="power_dependent_clients",
        verbose_name=_("organisatie"),
    )
    municipality = models.CharField(_("gemeente"), max_length=100)
    device = models.CharField(_("apparaat"), max_length=24, choices=Device.choices)
    count = models.PositiveIntegerField(
        _("aantal cliënten"), validators=[MinValueValidator(1), MaxValueValidator(100_000)]
    )
    battery_hours = models.DecimalField(
        _("uren op de accu"),
        max_digits=5,
        decimal_places=1,
        validators=[MinValueValidator(0), MaxValueValidator(720)],
        help_text=_("Hoe lang het apparaat het zonder stroom volhoudt; 0 als het geen accu heeft."),
    )
    updated_at = models.DateTimeField(_("gewijzigd"), default=timezone.now)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )

    objects = OwnedQuerySet.as_manager()

    class Meta:
        verbose_name = _("stroomafhankelijke cliënten")
        verbose_name_plural = _("stroomafhankelijke cliënten")
        ordering = ("organisation", "municipality", "device")
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "municipality", "device"],
                name="clients_once_per_municipality_and_device",
            )
        ]

    def __str__(self) -> str:
        return f"{self.municipality}: {self.count} × {self.get_device_display()}"


class ScenarioQuerySet(models.QuerySet["Scenario"]):
    def for_user(self, user: Any) -> ScenarioQuerySet:
        """The saved scenarios of the regions ``user`` coordinates or reads."""
        from weerbaar.organisations import access

        return self.filter(region__in=access.regions_for(user, *access.READS_REGION))


class Scenario(models.Model):
    """A scenario of the region, saved to be run again: a copy of a preset (or of another
    scenario) that a coordinator or a region reader adapted — for a regional exercise, or
    during a crisis ("if this power cut lasts 48 more hours"). ``description`` is in the form
    of a preset and of ``weerbaar scenario run FILE``: the same JSON everywhere."""

    region = models.ForeignKey(
        "organisations.Region",
        on_delete=models.CASCADE,
        related_name="scenarios",
        verbose_name=_("regio"),
    )
    name = models.CharField(_("naam"), max_length=200)
    preset = models.CharField(
        _("gebaseerd op"), max_length=60, blank=True, help_text=_("De preset van de kopie.")
    )
    description = models.JSONField(_("beschrijving"))
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(_("gemaakt"), default=timezone.now)
    updated_at = models.DateTimeField(_("gewijzigd"), default=timezone.now)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    version = models.PositiveIntegerField(default=0)

    objects = ScenarioQuerySet.as_manager()

    class Meta:
        verbose_name = _("scenario")
        verbose_name_plural = _("scenario's")
        ordering = ("region", "name", "pk")

    def __str__(self) -> str:
        return self.name
