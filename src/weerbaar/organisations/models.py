"""Regions, organisations, their locations and who belongs to them in which role."""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from weerbaar.organisations.owned import OwnedQuerySet
from weerbaar.sectors import Sector as Sector  # the organisation's sector, used everywhere


class Role(models.TextChoices):
    """The roles of DESIGN.md §2. The first two hold for a region, the others for one org."""

    COORDINATOR = "coordinator", _("Regiocoördinator")
    REGION_READER = "region_reader", _("Regiolezer")
    ORG_ADMIN = "org_admin", _("Organisatiebeheerder")
    RESPONDENT = "respondent", _("Respondent")


REGION_ROLES = frozenset({Role.COORDINATOR, Role.REGION_READER})
ORGANISATION_ROLES = frozenset({Role.ORG_ADMIN, Role.RESPONDENT})


class Region(models.Model):
    name = models.CharField(_("naam"), max_length=200, unique=True)
    code = models.SlugField(_("code"), max_length=50, unique=True)
    min_group_size = models.PositiveSmallIntegerField(
        _("minimale groepsgrootte"),
        default=3,
        validators=[MinValueValidator(2)],  # a "group" of one is that organisation's figure
        help_text=_(
            "Regionale cijfers over minder organisaties dan dit worden niet getoond (minstens 2)."
        ),
    )
    sitrep_interval_hours = models.PositiveSmallIntegerField(
        _("interval situatierapporten (uur)"),
        default=4,
        validators=[MinValueValidator(1), MaxValueValidator(48)],
        help_text=_(
            "Zolang een organisatie een lopend incident heeft, vraagt de regio elke zoveel uur "
            "een situatierapport; een ouder rapport geldt in het regiobeeld als verouderd."
        ),
    )
    contact_confirm_months = models.PositiveSmallIntegerField(
        _("bereikbaarheid bevestigen (maanden)"),
        default=6,
        validators=[MinValueValidator(1), MaxValueValidator(24)],
        help_text=_(
            "Een crisiscontact dat de organisatie langer dan dit niet heeft bevestigd, staat in "
            "het regionale overzicht als onbevestigd."
        ),
    )

    class Meta:
        verbose_name = _("regio")
        verbose_name_plural = _("regio's")
        ordering = ("name",)

    def __str__(self) -> str:
        return self.name


class Organisation(models.Model):
    ORGANISATION_PATH = ""

    region = models.ForeignKey(
        Region, on_delete=models.PROTECT, related_name="organisations", verbose_name=_("regio")
    )
    name = models.CharField(_("naam"), max_length=200)
    sector = models.CharField(_("sector"), max_length=32, choices=Sector.choices)
    kvk_number = models.CharField(_("KvK-nummer"), max_length=8, blank=True)
    shares_with_region_readers = models.BooleanField(
        _("deelt antwoorden met regiolezers"),
        default=False,
        help_text=_(
            "Als dit aan staat, zien regiolezers (GHOR, DPG, gemeenten) de antwoorden van deze "
            "organisatie. Regiocoördinatoren zien ze altijd."
        ),
    )
    is_active = models.BooleanField(_("actief"), default=True)
    created_at = models.DateTimeField(_("aangemaakt"), auto_now_add=True)

    objects = OwnedQuerySet.as_manager()

    class Meta:
        verbose_name = _("organisatie")
        verbose_name_plural = _("organisaties")
        ordering = ("name",)
        constraints = [
            models.UniqueConstraint(fields=["region", "name"], name="organisation_unique_name"),
        ]

    def __str__(self) -> str:
        return self.name


class Location(models.Model):
    ORGANISATION_PATH = "organisation"

    organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="locations"
    )
    name = models.CharField(_("naam"), max_length=200)
    address = models.CharField(_("adres"), max_length=200, blank=True)
    postcode = models.CharField(_("postcode"), max_length=7, blank=True)
    city = models.CharField(_("plaats"), max_length=100, blank=True)
    beds = models.PositiveIntegerField(_("aantal bedden"), null=True, blank=True)

    objects = OwnedQuerySet.as_manager()

    class Meta:
        verbose_name = _("locatie")
        verbose_name_plural = _("locaties")
        ordering = ("organisation", "name")

    def __str__(self) -> str:
        return f"{self.name} ({self.city})" if self.city else self.name


class Membership(models.Model):
    """A person's role: for a whole region (coordinator, reader) or for one organisation."""

    ORGANISATION_PATH = "organisation"

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="memberships",
        verbose_name=_("persoon"),
    )
    region = models.ForeignKey(
        Region, on_delete=models.CASCADE, related_name="memberships", verbose_name=_("regio")
    )
    organisation = models.ForeignKey(
        Organisation,
        on_delete=models.CASCADE,
        related_name="memberships",
        null=True,
        blank=True,
        verbose_name=_("organisatie"),
    )
    role = models.CharField(_("rol"), max_length=32, choices=Role.choices)
    job_title = models.CharField(_("functie"), max_length=200, blank=True)
    actor_key = models.SlugField(
        _("spreekt namens"),
        max_length=64,
        blank=True,
        help_text=_(
            "Voor regiolezers: de partij in de regionale adviezen (bijvoorbeeld ghor of "
            "gemeenten) waarvan deze persoon de status van de adviezen bijhoudt."
        ),
    )
    created_at = models.DateTimeField(_("aangemaakt"), auto_now_add=True)

    objects = OwnedQuerySet.as_manager()

    class Meta:
        verbose_name = _("lidmaatschap")
        verbose_name_plural = _("lidmaatschappen")
        ordering = ("region", "organisation", "role")
        constraints = [
            models.UniqueConstraint(
                fields=["user", "region", "organisation", "role"], name="membership_unique"
            ),
            models.UniqueConstraint(
                fields=["user", "region", "role"],
                condition=models.Q(organisation__isnull=True),
                name="membership_unique_region_role",
            ),
            models.CheckConstraint(
                condition=(
                    models.Q(role__in=sorted(REGION_ROLES), organisation__isnull=True)
                    | models.Q(role__in=sorted(ORGANISATION_ROLES), organisation__isnull=False)
                ),
                name="membership_role_scope",
            ),
        ]

    def __str__(self) -> str:
        scope = self.organisation or self.region
        return f"{self.user} — {self.get_role_display()} ({scope})"

    def clean(self) -> None:
        if self.role in REGION_ROLES and self.organisation_id is not None:
            raise ValidationError(
                {"organisation": _("Een regiorol hoort niet bij één organisatie.")}
            )
        if self.role in ORGANISATION_ROLES and self.organisation_id is None:
            raise ValidationError({"organisation": _("Kies de organisatie voor deze rol.")})
        if self.organisation is not None and self.organisation.region_id != self.region_id:
            raise ValidationError({"organisation": _("De organisatie hoort niet bij deze regio.")})


class Functionary(models.Model):
    """Maps a framework's responsible role (e.g. ``ciso``) to a person in an organisation.

    Role keys are normalised across framework versions, so a mapping survives a new version.
    """

    ORGANISATION_PATH = "organisation"

    organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="functionaries"
    )
    role_key = models.SlugField(_("verantwoordelijke rol"), max_length=64)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="functionary_roles"
    )

    objects = OwnedQuerySet.as_manager()

    class Meta:
        verbose_name = _("functionaris")
        verbose_name_plural = _("functionarissen")
        ordering = ("organisation", "role_key")
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "role_key", "user"], name="functionary_unique"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.role_key}: {self.user} ({self.organisation})"
