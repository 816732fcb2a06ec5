"""What the scenarios need that the answers do not hold: the clients at home who depend on
power (seed 001: "stroomafhankelijkheid van zorgbehoevenden neemt sterk toe"), recorded by
home-care and nursing organisations per municipality."""

from __future__ import annotations

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
