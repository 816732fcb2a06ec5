"""Regional norms for numeric answers (configuration, never literals in code)."""

from __future__ import annotations

from typing import Any

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
        verbose_name = _("themasom")
        verbose_name_plural = _("themasommen")
        constraints = [
            models.UniqueConstraint(
                fields=["assessment", "section"], name="theme_tally_unique_section"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.assessment_id}/{self.section_id}: {self.levels}, {self.not_applicable}"


class ActionStatus(models.TextChoices):
    OPEN = "open", _("Open")
    IN_PROGRESS = "bezig", _("In uitvoering")
    DONE = "afgerond", _("Afgerond")
    CANCELLED = "vervallen", _("Vervallen")


class ImprovementAction(models.Model):
    """An action of an organisation's improvement plan (verbeterplan), linked to the gap it
    should close. Finishing an action does not close the gap: only a better answer does
    (the gap is derived from the answers of the latest self-assessment)."""

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

    class Meta:
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

    class Meta:
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


class ExportStatus(models.TextChoices):
    QUEUED = "wachtrij", _("In de wachtrij")
    RUNNING = "bezig", _("Wordt gemaakt")
    DONE = "klaar", _("Klaar")
    FAILED = "mislukt", _("Mislukt")


class ExportKind(models.TextChoices):
    REGION_XLSX = "regio_xlsx", _("Regiobeeld (Excel)")
    REGION_PDF = "regio_pdf", _("Regiorapport (PDF)")


def _export_storage() -> Any:
    from weerbaar.assessments.models import PrivateStorage

    return PrivateStorage("exports")


class Export(models.Model):
    """A regional export made in the background (large regions). It holds what its requester
    may see, so only the requester downloads it, and only while they still have access."""

    region = models.ForeignKey("organisations.Region", on_delete=models.CASCADE, related_name="+")
    round = models.ForeignKey("assessments.Round", on_delete=models.CASCADE, related_name="+")
    kind = models.CharField(_("soort"), max_length=12, choices=ExportKind.choices)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+"
    )
    requested_at = models.DateTimeField(_("aangevraagd"), default=timezone.now)
    status = models.CharField(
        _("status"), max_length=10, choices=ExportStatus.choices, default=ExportStatus.QUEUED
    )
    finished_at = models.DateTimeField(_("klaar op"), null=True, blank=True)
    as_coordinator = models.BooleanField(
        default=False, help_text="Made with a coordinator's view: downloadable only as one."
    )
    file = models.FileField(storage=_export_storage, upload_to="%Y/%m/", blank=True)
    file_name = models.CharField(max_length=200, blank=True)
    error = models.TextField(blank=True)

    class Meta:
        verbose_name = _("export")
        verbose_name_plural = _("exports")
        ordering = ("-requested_at", "-pk")

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.requested_at:%Y-%m-%d %H:%M}"


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
        ordering = ("-at", "-pk")

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d} {self.state}"


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
        verbose_name = _("vrijgave capaciteit")
        verbose_name_plural = _("vrijgaven capaciteit")
        ordering = ("-released_at", "-pk")
        constraints = [
            models.UniqueConstraint(fields=["round"], name="capacity_release_once_per_round"),
        ]

    def __str__(self) -> str:
        return f"{self.round} {self.released_at:%Y-%m-%d %H:%M}"
