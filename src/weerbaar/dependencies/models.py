"""The dependency register: the critical suppliers an organisation depends on."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from weerbaar.organisations.owned import OwnedQuerySet


class DependencyCategory(models.TextChoices):
    FUEL = "brandstof", _("Brandstof (diesel voor noodstroom)")
    MEDICAL_GASES = "medische_gassen", _("Medische gassen / zuurstof")
    WHOLESALER = "geneesmiddelen", _("Geneesmiddelengroothandel")
    BLOOD = "bloedproducten", _("Bloedproducten")
    EHR = "it_epd", _("IT / EPD-leverancier")
    CLOUD = "cloud", _("Cloud")
    LOGISTICS = "logistiek", _("Logistiek centrum")
    WATER = "water", _("Water")
    COMMUNICATION = "noodcommunicatie", _("Noodcommunicatie")


IT_CATEGORIES = (DependencyCategory.EHR, DependencyCategory.CLOUD)


class Origin(models.TextChoices):
    NL = "nl", _("Nederland")
    EUROPE = "europa", _("Elders in Europa (EU/EER)")
    OUTSIDE = "buiten_europa", _("Buiten Europa")
    UNKNOWN = "onbekend", _("Onbekend")


class Dependency(models.Model):
    """A critical supplier an organisation depends on, in one category (dependency
    register). The region sees which suppliers many organisations share."""

    ORGANISATION_PATH = "organisation"

    organisation = models.ForeignKey(
        "organisations.Organisation",
        on_delete=models.CASCADE,
        related_name="dependencies",
        verbose_name=_("organisatie"),
    )
    category = models.CharField(_("categorie"), max_length=20, choices=DependencyCategory.choices)
    supplier = models.CharField(_("leverancier"), max_length=200)
    supplier_key = models.CharField(max_length=200, editable=False, db_index=True)
    origin = models.CharField(
        _("herkomst"),
        max_length=16,
        choices=Origin.choices,
        default=Origin.UNKNOWN,
        help_text=_("Waar de leverancier (of het moederbedrijf) gevestigd is."),
    )
    alternative = models.CharField(
        _("uitwijkmogelijkheid"),
        max_length=300,
        blank=True,
        help_text=_("Een tweede leverancier of wat u doet als deze uitvalt; leeg als er geen is."),
    )
    note = models.TextField(_("toelichting"), blank=True)
    version = models.PositiveIntegerField(default=1)
    updated_at = models.DateTimeField(_("gewijzigd"), default=timezone.now)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )

    objects = OwnedQuerySet.as_manager()

    class Meta:
        db_table = "insights_dependency"  # the table it had in insights
        verbose_name = _("afhankelijkheid")
        verbose_name_plural = _("afhankelijkheden")
        ordering = ("organisation", "category", "supplier")
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "category", "supplier_key"],
                name="dependency_unique_supplier",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_category_display()}: {self.supplier}"
