"""The framework library in real tables: framework → section → item → answer parts.

Rows are written only by the loader (``library.load_file``) and never edited in place:
a new version of a framework is a new file and new rows.
"""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from weerbaar.sectors import Sector


class FrameworkKind(models.TextChoices):
    QUESTIONNAIRE = "questionnaire", _("Vragenlijst")
    ACTION_CARDS = "action_cards", _("Denkkaarten en preparatie")
    RECOMMENDATIONS = "recommendations", _("Aanbevelingen")
    REFERENCE = "reference", _("Referentielijst")


class PartType(models.TextChoices):
    MATURITY = "maturity", _("Volwassenheidsniveau")
    NUMBER = "number", _("Getal")
    RISK_FLAG = "risk_flag", _("Risicovlag (ja/nee)")
    NEED_FLAG = "need_flag", _("Behoefte (ja/nee)")
    BOOLEAN = "boolean", _("Ja/nee")
    TEXT = "text", _("Vrije tekst")


class Framework(models.Model):
    slug = models.SlugField(_("id"), max_length=80)
    version = models.CharField(_("versie"), max_length=30)
    kind = models.CharField(_("soort"), max_length=20, choices=FrameworkKind.choices)
    title = models.CharField(_("titel"), max_length=500)
    subtitle = models.CharField(_("ondertitel"), max_length=500, blank=True)
    publisher = models.CharField(_("uitgever"), max_length=500)
    locale = models.CharField(_("taal"), max_length=5, default="nl")
    source = models.CharField(_("bron"), max_length=500)
    description = models.TextField(_("beschrijving"), blank=True)
    vocabulary = models.CharField(_("tagvocabulaire"), max_length=40, blank=True)
    gap_maturity_below = models.PositiveSmallIntegerField(
        _("hiaat onder niveau"),
        default=3,
        help_text=_("Een volwassenheidsniveau onder deze waarde telt als hiaat."),
    )
    format_version = models.PositiveSmallIntegerField(_("formaatversie"))
    file_name = models.CharField(_("bestand"), max_length=200)
    content_sha256 = models.CharField(_("inhoudshash"), max_length=64)
    loaded_at = models.DateTimeField(_("geladen"), auto_now_add=True)

    class Meta:
        verbose_name = _("kader")
        verbose_name_plural = _("kaders")
        ordering = ("title", "slug", "-version")
        constraints = [
            models.UniqueConstraint(fields=["slug", "version"], name="framework_unique_version"),
        ]

    def __str__(self) -> str:
        return f"{self.title} ({self.version})"


class ScaleLevel(models.Model):
    framework = models.ForeignKey(Framework, on_delete=models.CASCADE, related_name="scale")
    value = models.PositiveSmallIntegerField(_("niveau"))
    label = models.CharField(_("label"), max_length=200)
    meaning = models.TextField(_("betekenis"), blank=True)

    class Meta:
        ordering = ("framework", "value")
        constraints = [
            models.UniqueConstraint(fields=["framework", "value"], name="scale_unique_value"),
        ]

    def __str__(self) -> str:
        return f"{self.value} {self.label}"


class ResponsibleRole(models.Model):
    """A role inside an organisation that should answer an item (``ciso``, ``hr``…)."""

    framework = models.ForeignKey(Framework, on_delete=models.CASCADE, related_name="roles")
    key = models.SlugField(_("sleutel"), max_length=64)
    label = models.CharField(_("label"), max_length=500)
    order = models.PositiveSmallIntegerField()

    class Meta:
        ordering = ("framework", "order")
        constraints = [
            models.UniqueConstraint(fields=["framework", "key"], name="role_unique_key"),
        ]

    def __str__(self) -> str:
        return self.label


class Tag(models.Model):
    """An entry of a reference vocabulary (NATO requirement, noodzorg level, disbalans…)."""

    vocabulary = models.CharField(_("vocabulaire"), max_length=40)
    code = models.CharField(_("code"), max_length=32)
    label = models.CharField(_("label"), max_length=500)

    class Meta:
        ordering = ("vocabulary", "code")
        constraints = [
            models.UniqueConstraint(fields=["vocabulary", "code"], name="tag_unique_code"),
        ]

    def __str__(self) -> str:
        return f"{self.vocabulary}:{self.code} {self.label}"


class Section(models.Model):
    framework = models.ForeignKey(Framework, on_delete=models.CASCADE, related_name="sections")
    code = models.CharField(_("code"), max_length=32)
    title = models.CharField(_("titel"), max_length=500)
    introduction = models.TextField(_("inleiding"), blank=True)
    order = models.PositiveSmallIntegerField()
    links = models.ManyToManyField(
        "self", symmetrical=False, blank=True, related_name="linked_from"
    )

    class Meta:
        verbose_name = _("thema")
        verbose_name_plural = _("thema's")
        ordering = ("framework", "order")
        constraints = [
            models.UniqueConstraint(fields=["framework", "code"], name="section_unique_code"),
        ]

    def __str__(self) -> str:
        return f"{self.code} {self.title}"


class Phase(models.Model):
    section = models.ForeignKey(Section, on_delete=models.CASCADE, related_name="phases")
    title = models.CharField(_("titel"), max_length=500)
    order = models.PositiveSmallIntegerField()

    class Meta:
        ordering = ("section", "order")

    def __str__(self) -> str:
        return self.title


def step_code(section_code: str, phase_index: int, step_index: int) -> str:
    """The code a step gets when the library does not give one: its card, phase and place,
    counted from 1 (``D1-2.3``: card D1, second phase, third step). The same file always
    gives the same codes, so a ticked step in an incident log still names it after the
    library is loaded again; a later edition that inserts a step gives codes explicitly."""
    return f"{section_code}-{phase_index + 1}.{step_index + 1}"


class Step(models.Model):
    phase = models.ForeignKey(Phase, on_delete=models.CASCADE, related_name="steps")
    order = models.PositiveSmallIntegerField()
    code = models.CharField(
        _("code"),
        max_length=40,
        help_text=_("Vast per stap van een actiekaart, ook als de bibliotheek opnieuw laadt."),
    )
    text = models.TextField(_("tekst"))
    links = models.ManyToManyField(Section, blank=True, related_name="linked_from_steps")

    class Meta:
        ordering = ("phase", "order")
        constraints = [
            models.UniqueConstraint(fields=["phase", "code"], name="step_unique_code_in_phase"),
        ]

    def __str__(self) -> str:
        return self.text[:80]

    def as_text(self) -> str:
        """The step with its bullet points, one per line, as printed on an action card."""
        lines = [self.text] + [f"• {bullet.text}" for bullet in self.bullets.all()]
        return "\n".join(lines)


class StepBullet(models.Model):
    step = models.ForeignKey(Step, on_delete=models.CASCADE, related_name="bullets")
    order = models.PositiveSmallIntegerField()
    text = models.TextField(_("tekst"))

    class Meta:
        ordering = ("step", "order")

    def __str__(self) -> str:
        return self.text[:80]


class Item(models.Model):
    """A question, a preparation checklist item, a recommendation or a reference entry."""

    section = models.ForeignKey(Section, on_delete=models.CASCADE, related_name="items")
    code = models.CharField(_("code"), max_length=32)
    order = models.PositiveSmallIntegerField()
    number = models.PositiveSmallIntegerField(_("nummer"), null=True, blank=True)
    text = models.TextField(_("tekst"))
    explanation = models.TextField(_("toelichting"), blank=True)
    note = models.TextField(_("opmerking"), blank=True)
    confidential = models.BooleanField(_("vertrouwelijk"), default=False)
    responsible = models.ManyToManyField(
        ResponsibleRole, through="ItemResponsible", related_name="items", blank=True
    )
    tags = models.ManyToManyField(Tag, blank=True, related_name="items")

    class Meta:
        verbose_name = _("vraag")
        verbose_name_plural = _("vragen")
        ordering = ("section", "order")
        constraints = [
            models.UniqueConstraint(fields=["section", "code"], name="item_unique_code"),
        ]

    def __str__(self) -> str:
        return f"{self.code} {self.text[:80]}"

    @property
    def part_list(self) -> list[AnswerPart]:
        """The answer parts in order, read once per instance: a loaded framework version does
        not change, and saving or carrying over an answer asks for them several times (a
        country-wide round, hundreds of thousands of times)."""
        cached = self.__dict__.get("_part_list")
        if cached is None:
            cached = self.__dict__["_part_list"] = list(self.parts.all())
        return cached


class ItemResponsible(models.Model):
    item = models.ForeignKey(Item, on_delete=models.CASCADE, related_name="responsible_links")
    role = models.ForeignKey(ResponsibleRole, on_delete=models.CASCADE)
    order = models.PositiveSmallIntegerField()

    class Meta:
        ordering = ("item", "order")
        constraints = [
            models.UniqueConstraint(fields=["item", "role"], name="item_responsible_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.item_id}: {self.role_id}"


class ItemExample(models.Model):
    """One bullet of an item's explanation ("Denk daarbij aan: …")."""

    item = models.ForeignKey(Item, on_delete=models.CASCADE, related_name="examples")
    order = models.PositiveSmallIntegerField()
    text = models.TextField(_("tekst"))

    class Meta:
        ordering = ("item", "order")

    def __str__(self) -> str:
        return self.text[:80]


class ItemSector(models.Model):
    """A sector an item applies to. An item with no rows applies to every sector."""

    item = models.ForeignKey(Item, on_delete=models.CASCADE, related_name="sector_rows")
    sector = models.CharField(_("sector"), max_length=32, choices=Sector.choices)

    class Meta:
        ordering = ("item", "sector")
        constraints = [
            models.UniqueConstraint(fields=["item", "sector"], name="item_sector_unique"),
        ]

    def __str__(self) -> str:
        return self.sector


class AnswerPart(models.Model):
    item = models.ForeignKey(Item, on_delete=models.CASCADE, related_name="parts")
    order = models.PositiveSmallIntegerField()
    key = models.SlugField(_("sleutel"), max_length=64)
    type = models.CharField(_("soort"), max_length=20, choices=PartType.choices)
    label = models.CharField(_("label"), max_length=500, blank=True)
    unit = models.CharField(_("eenheid"), max_length=20, blank=True)
    min_value = models.DecimalField(
        _("minimum"), max_digits=12, decimal_places=3, null=True, blank=True
    )
    max_value = models.DecimalField(
        _("maximum"), max_digits=12, decimal_places=3, null=True, blank=True
    )
    integer = models.BooleanField(_("geheel getal"), default=False)
    norm_key = models.SlugField(_("norm"), max_length=64, blank=True)

    class Meta:
        ordering = ("item", "order")
        constraints = [
            models.UniqueConstraint(fields=["item", "key"], name="answer_part_unique_key"),
        ]

    def __str__(self) -> str:
        return f"{self.key} ({self.type})"
