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
    people, respondents included, and the region's coordinators. Region readers see status
    reports, not the logbook and the checklists — unless the organisation shares its answers
    with them; then they read along (``incidents.in_team`` decides who works)."""

    def for_user(self, user: Any, level: Any = None) -> Any:
        from django.db.models import Q

        from weerbaar.organisations import access

        path = self.model.ORGANISATION_PATH
        prefix = f"{path}__" if path else ""
        team = access.drafts_condition(user, prefix=prefix)
        if team is None:
            return self
        readers = sorted(access.grants(user).reader_regions)
        shared = Q(
            **{f"{prefix}region_id__in": readers, f"{prefix}shares_with_region_readers": True}
        )
        return self.filter(team | shared) if readers else self.filter(team)


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


class AppendOnlyRows:
    """Queryset half of an append-only table: no update, delete or bulk update."""

    def update(self, **kwargs: Any) -> int:
        raise AppendOnly("This record is append-only.")

    def delete(self) -> tuple[int, dict[str, int]]:
        raise AppendOnly("This record is append-only.")

    def bulk_update(self, *args: Any, **kwargs: Any) -> int:
        raise AppendOnly("This record is append-only.")


class AppendOnlyModel(models.Model):
    """Model half of an append-only table: a row is written once and never changed or
    removed; a correction is a new row."""

    class Meta:
        abstract = True

    def save(self, *args: Any, **kwargs: Any) -> None:
        if not self._state.adding:
            raise AppendOnly("This record is never changed: add a new one.")
        super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> tuple[int, dict[str, int]]:
        raise AppendOnly("This record is never removed: add a new one.")


class LogQuerySet(AppendOnlyRows, TeamQuerySet):
    pass


class LogEntry(AppendOnlyModel):
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

    class Meta(AppendOnlyModel.Meta):
        verbose_name = _("logboekregel")
        verbose_name_plural = _("logboek")
        ordering = ("at", "pk")

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {self.get_kind_display()}: {self.text[:60]}"


# --- What the region sees: status reports and support requests ------------------------------


class RegionQuerySet(OwnedQuerySet[Any]):
    """Status reports and support requests are meant for the region: the organisation's own
    people and the region's coordinators and readers (the GHOR) see them, whether or not the
    organisation shares its answers."""

    def for_user(self, user: Any, level: Any = None) -> Any:
        from django.db.models import Q

        from weerbaar.organisations import access

        prefix = f"{self.model.ORGANISATION_PATH}__"
        team = access.drafts_condition(user, prefix=prefix)
        if team is None:
            return self
        readers = access.grants(user).reader_regions
        return self.filter(team | Q(**{f"{prefix}region_id__in": sorted(readers)}))


class ReportQuerySet(AppendOnlyRows, RegionQuerySet):
    pass


class Channel(models.TextChoices):
    WORKS = "werkt", _("Werkt")
    DISTURBED = "verstoord", _("Verstoord")
    DOWN = "uitgevallen", _("Uitgevallen")


class Supply(models.TextChoices):
    ENOUGH = "voldoende", _("Voldoende")
    LIMITED = "beperkt", _("Beperkt")
    CRITICAL = "kritiek", _("Kritiek")


class Prefill(models.TextChoices):
    NONE = "", _("Leeg formulier")
    PREVIOUS = "vorig_rapport", _("Vorig rapport")
    ANSWERS = "antwoorden", _("Vastgestelde antwoorden")


class StatusReport(AppendOnlyModel):
    """A situation report (sitrep) of one organisation at one moment. Every report is kept:
    a new report follows the old one, nothing is overwritten. Blank figures are unknown."""

    ORGANISATION_PATH = "organisation"

    organisation = models.ForeignKey(
        "organisations.Organisation",
        on_delete=models.PROTECT,
        related_name="status_reports",
        verbose_name=_("organisatie"),
    )
    incident = models.ForeignKey(
        Incident, on_delete=models.PROTECT, null=True, blank=True, related_name="reports"
    )
    is_exercise = models.BooleanField(_("oefening"), default=False)
    reported_at = models.DateTimeField(_("gemeld op"), default=timezone.now)
    reported_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+"
    )
    reported_by_label = models.CharField(_("door"), max_length=254)
    on_behalf = models.BooleanField(
        _("doorgegeven aan de regio"),
        default=False,
        help_text="Entered by the region (GHOR, coordinator) for the organisation, e.g. by phone.",
    )
    prefilled_from = models.CharField(max_length=16, choices=Prefill.choices, blank=True)

    beds_ic = models.PositiveIntegerField(_("IC"), null=True, blank=True)
    beds_trauma = models.PositiveIntegerField(_("Heelkunde/trauma"), null=True, blank=True)
    beds_neurosurgery = models.PositiveIntegerField(_("Neurochirurgie"), null=True, blank=True)
    beds_rehabilitation = models.PositiveIntegerField(_("Revalidatie"), null=True, blank=True)
    beds_isolation = models.PositiveIntegerField(_("Isolatie"), null=True, blank=True)
    beds_other = models.PositiveIntegerField(_("Overig"), null=True, blank=True)

    on_emergency_power = models.BooleanField(_("draait op noodstroom"), null=True, blank=True)
    power_hours = models.DecimalField(
        _("uren noodstroom over"), max_digits=6, decimal_places=1, null=True, blank=True
    )
    fuel_litres = models.PositiveIntegerField(_("brandstof (liter)"), null=True, blank=True)
    water_hours = models.DecimalField(
        _("uren water over"), max_digits=6, decimal_places=1, null=True, blank=True
    )
    medical_gases = models.CharField(
        _("medische gassen"), max_length=12, choices=Supply.choices, blank=True
    )
    phone_fixed = models.CharField(
        _("vaste telefonie"), max_length=12, choices=Channel.choices, blank=True
    )
    phone_mobile = models.CharField(_("GSM"), max_length=12, choices=Channel.choices, blank=True)
    emergency_network = models.CharField(
        _("noodcommunicatie"), max_length=12, choices=Channel.choices, blank=True
    )
    radio = models.CharField(_("portofoon"), max_length=12, choices=Channel.choices, blank=True)
    staff_shortage_pct = models.PositiveSmallIntegerField(
        _("personeelstekort (%)"), null=True, blank=True
    )
    critical_shortages = models.TextField(_("kritieke tekorten"), blank=True)
    contact_name = models.CharField(_("contactpersoon"), max_length=200, blank=True)
    contact_phone = models.CharField(_("telefoon contactpersoon"), max_length=40, blank=True)
    notes = models.TextField(_("toelichting"), blank=True)

    objects: ClassVar[ReportQuerySet] = ReportQuerySet.as_manager()  # type: ignore[assignment]

    class Meta(AppendOnlyModel.Meta):
        verbose_name = _("situatierapport")
        verbose_name_plural = _("situatierapporten")
        ordering = ("-reported_at", "-pk")
        indexes = [
            models.Index(
                fields=["organisation", "is_exercise", "-reported_at"],
                name="report_latest_per_organisation",
            )
        ]

    def __str__(self) -> str:
        return f"{self.organisation} {self.reported_at:%Y-%m-%d %H:%M}"

    BED_FIELDS = (
        "beds_ic",
        "beds_trauma",
        "beds_neurosurgery",
        "beds_rehabilitation",
        "beds_isolation",
        "beds_other",
    )

    @property
    def beds_list(self) -> list[int | None]:
        return [getattr(self, name) for name in self.BED_FIELDS]


class SupportState(models.TextChoices):
    RECEIVED = "ontvangen", _("Ontvangen")
    IN_PROGRESS = "in_behandeling", _("In behandeling")
    ARRANGED = "geregeld", _("Geregeld")
    IMPOSSIBLE = "niet_mogelijk", _("Niet mogelijk")


class SupportRequest(models.Model):
    """What an organisation needs from the region (ondersteuningsbehoefte); the GHOR moves
    its status and replies."""

    ORGANISATION_PATH = "organisation"

    organisation = models.ForeignKey(
        "organisations.Organisation",
        on_delete=models.PROTECT,
        related_name="support_requests",
        verbose_name=_("organisatie"),
    )
    incident = models.ForeignKey(
        Incident, on_delete=models.PROTECT, null=True, blank=True, related_name="support"
    )
    is_exercise = models.BooleanField(_("oefening"), default=False)
    what = models.CharField(_("wat is nodig"), max_length=300)
    quantity = models.CharField(_("hoeveel"), max_length=100)
    needed_by = models.DateTimeField(_("nodig vóór"), null=True, blank=True)
    state = models.CharField(
        _("status"), max_length=16, choices=SupportState.choices, default=SupportState.RECEIVED
    )
    reply = models.TextField(_("antwoord"), blank=True)
    requested_at = models.DateTimeField(_("gevraagd op"), default=timezone.now)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    handled_at = models.DateTimeField(_("bijgewerkt op"), null=True, blank=True)
    handled_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    version = models.PositiveIntegerField(default=0)

    objects = RegionQuerySet.as_manager()

    class Meta:
        verbose_name = _("ondersteuningsverzoek")
        verbose_name_plural = _("ondersteuningsverzoeken")
        ordering = ("-requested_at", "-pk")

    def __str__(self) -> str:
        return f"{self.organisation}: {self.what}"

    @property
    def settled(self) -> bool:
        return self.state in (SupportState.ARRANGED, SupportState.IMPOSSIBLE)


class ReportReminder(models.Model):
    """A reminder sent to an organisation that its status report is due (at most one per
    interval of the region)."""

    organisation = models.ForeignKey(
        "organisations.Organisation", on_delete=models.CASCADE, related_name="+"
    )
    is_exercise = models.BooleanField(default=False)
    sent_at = models.DateTimeField(default=timezone.now)
    recipients = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ("-sent_at",)

    def __str__(self) -> str:
        return f"{self.organisation_id} {self.sent_at:%Y-%m-%d %H:%M}"


class RegionalMessage(models.Model):
    """A message of the GHOR to all or chosen organisations of the region (a
    handelingsperspectief); each organisation acknowledges it."""

    region = models.ForeignKey(
        "organisations.Region", on_delete=models.PROTECT, related_name="crisis_messages"
    )
    title = models.CharField(_("onderwerp"), max_length=200)
    body = models.TextField(_("bericht"))
    is_exercise = models.BooleanField(_("oefening"), default=False)
    to_all = models.BooleanField(_("aan alle organisaties"), default=True)
    recipients = models.ManyToManyField(
        "organisations.Organisation", related_name="crisis_messages", blank=True
    )
    sent_at = models.DateTimeField(_("verstuurd op"), default=timezone.now)
    sent_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    sent_by_label = models.CharField(_("door"), max_length=254)

    class Meta:
        verbose_name = _("regionaal bericht")
        verbose_name_plural = _("regionale berichten")
        ordering = ("-sent_at", "-pk")

    def __str__(self) -> str:
        return self.title


class Acknowledgement(models.Model):
    """An organisation has read a regional message (who, when)."""

    ORGANISATION_PATH = "organisation"

    message = models.ForeignKey(
        RegionalMessage, on_delete=models.CASCADE, related_name="acknowledgements"
    )
    organisation = models.ForeignKey(
        "organisations.Organisation", on_delete=models.CASCADE, related_name="+"
    )
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    by_label = models.CharField(_("door"), max_length=254)
    at = models.DateTimeField(_("gelezen op"), default=timezone.now)

    objects = OwnedQuerySet.as_manager()

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["message", "organisation"], name="acknowledged_once_per_organisation"
            )
        ]

    def __str__(self) -> str:
        return f"{self.message_id}: {self.organisation_id}"


class ContactKind(models.TextChoices):
    OFFICER = "sleutelfunctionaris", _("Sleutelfunctionaris")
    PARTNER = "ketenpartner", _("Ketenpartner")


class KeyFunction(models.TextChoices):
    """The functions the region must reach at any hour (Zorgrisicoprofiel, Advies 1 and 4)."""

    CRISIS = "crisiscoordinator", _("Crisiscoördinator")
    BOARD = "bestuurder", _("Bestuurder van dienst")
    FACILITIES = "facilitair", _("Technische dienst / facilitair")
    ICT = "ict", _("ICT-storingsdienst")
    OTHER = "overig", _("Overige functie")


class CrisisContact(models.Model):
    """How to reach a key officer of the organisation at any hour, or a chain partner's
    crisis contact; confirmed by the organisation now and then."""

    ORGANISATION_PATH = "organisation"

    organisation = models.ForeignKey(
        "organisations.Organisation", on_delete=models.CASCADE, related_name="crisis_contacts"
    )
    kind = models.CharField(
        _("soort"), max_length=20, choices=ContactKind.choices, default=ContactKind.OFFICER
    )
    function = models.CharField(
        _("functie"), max_length=20, choices=KeyFunction.choices, default=KeyFunction.CRISIS
    )
    function_note = models.CharField(
        _("functie (toelichting)"),
        max_length=200,
        blank=True,
        help_text=_("Bijvoorbeeld: Bestuurder van dienst, of de taak bij de ketenpartner."),
    )
    partner = models.CharField(
        _("ketenpartner"),
        max_length=200,
        blank=True,
        help_text=_("De organisatie van de ketenpartner, bijvoorbeeld Waterbedrijf Vitens."),
    )
    name = models.CharField(_("naam"), max_length=200)
    phone = models.CharField(_("telefoon"), max_length=40)
    phone_alt = models.CharField(_("tweede telefoon"), max_length=40, blank=True)
    alternative = models.CharField(
        _("alternatief kanaal"),
        max_length=200,
        blank=True,
        help_text=_("Als telefonie uitvalt: satelliettelefoon, portofoonkanaal, NCV, koerier."),
    )
    email = models.EmailField(_("e-mail"), blank=True)
    always = models.BooleanField(
        _("24/7 bereikbaar"), default=True, help_text=_("Dag en nacht, ook in het weekend.")
    )
    backup_name = models.CharField(_("vervanger"), max_length=200, blank=True)
    backup_phone = models.CharField(_("telefoon vervanger"), max_length=40, blank=True)
    confirmed_at = models.DateTimeField(_("bevestigd op"), null=True, blank=True)
    confirmed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    updated_at = models.DateTimeField(_("gewijzigd"), default=timezone.now)
    version = models.PositiveIntegerField(default=0)

    objects = RegionQuerySet.as_manager()

    class Meta:
        verbose_name = _("crisiscontact")
        verbose_name_plural = _("crisiscontacten")
        ordering = ("organisation", "kind", "function", "name")

    def __str__(self) -> str:
        return f"{self.name} ({self.get_function_display()})"


class RegionalContact(models.Model):
    """A number the organisations of the region call in a crisis (GHOR-piket, the regional
    patient distribution, the safety region's control room), kept by the coordinators."""

    region = models.ForeignKey(
        "organisations.Region", on_delete=models.CASCADE, related_name="crisis_contacts"
    )
    function = models.CharField(
        _("functie"),
        max_length=200,
        help_text=_("Bijvoorbeeld: GHOR-piket (OvD-G), RCPS, meldkamer veiligheidsregio."),
    )
    name = models.CharField(_("naam of dienst"), max_length=200, blank=True)
    phone = models.CharField(_("telefoon"), max_length=40)
    phone_alt = models.CharField(_("tweede telefoon"), max_length=40, blank=True)
    alternative = models.CharField(
        _("alternatief kanaal"),
        max_length=200,
        blank=True,
        help_text=_("Als telefonie uitvalt: satelliettelefoon, portofoonkanaal, NCV, koerier."),
    )
    always = models.BooleanField(_("24/7 bereikbaar"), default=True)
    updated_at = models.DateTimeField(_("gewijzigd"), default=timezone.now)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )

    class Meta:
        verbose_name = _("regionaal crisiscontact")
        verbose_name_plural = _("regionale crisiscontacten")
        ordering = ("region", "function", "pk")

    def __str__(self) -> str:
        return f"{self.function}: {self.phone}"
