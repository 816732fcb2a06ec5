"""Rounds (uitvragen), assessments, answers with their history, and review comments.

Answers change only through ``answering.answer_save``: it checks the version the person read
(lost updates are impossible) and writes a revision with the old and new values. The answer
querysets refuse ``update()`` and ``bulk_update()``, which would bypass that history.
"""

from __future__ import annotations

import os
from typing import Any, ClassVar, Self

from django.conf import settings
from django.core.files.storage import FileSystemStorage
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from weerbaar.frameworks.models import AnswerPart, Framework, Item
from weerbaar.organisations.models import Organisation, Region
from weerbaar.organisations.owned import OwnedQuerySet


class RoundState(models.TextChoices):
    OPENING = "opening", _("Wordt geopend")
    OPEN = "open", _("Open")


class OpenRounds(models.Manager["Round"]):
    """Rounds that are open: the one everyone gets (``Round.objects``)."""

    def get_queryset(self) -> models.QuerySet[Round]:
        return super().get_queryset().filter(state=RoundState.OPEN)


class Round(models.Model):
    """An uitvraag: one framework version asked of a set of organisations by a deadline.

    A round opened in the background (``rounds.round_opening_run``) is ``opening`` until all
    its self-assessments exist. ``Round.objects`` and ``Assessment.objects`` leave such a round
    and its self-assessments out, so nobody sees a half-opened round, whatever the query; a
    failed opening deletes it again. Only the opening itself uses ``all_objects``."""

    region = models.ForeignKey(Region, on_delete=models.PROTECT, related_name="rounds")
    framework = models.ForeignKey(Framework, on_delete=models.PROTECT, related_name="rounds")
    title = models.CharField(_("titel"), max_length=200)
    introduction = models.TextField(_("introductie"), blank=True)
    opens_on = models.DateField(_("open vanaf"))
    deadline = models.DateField(_("deadline"))
    prefilled = models.BooleanField(
        _("vooraf ingevuld"),
        default=False,
        help_text=_("Antwoorden overgenomen uit de laatste vastgestelde uitvraag."),
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(_("aangemaakt"), default=timezone.now)
    state = models.CharField(
        _("stand"), max_length=10, choices=RoundState.choices, default=RoundState.OPEN
    )

    all_objects = models.Manager()
    objects = OpenRounds()

    class Meta:
        verbose_name = _("uitvraag")
        verbose_name_plural = _("uitvragen")
        ordering = ("-opens_on", "title")
        default_manager_name = "objects"
        base_manager_name = "all_objects"

    def __str__(self) -> str:
        return self.title

    @property
    def is_open(self) -> bool:
        today = timezone.localdate()
        return self.opens_on <= today


class RoundOpening(models.Model):
    """A coordinator's request to open a round for many organisations, carried out by the
    task queue (``weerbaar worker``) in parts, with its progress; all or nothing."""

    class Status(models.TextChoices):
        QUEUED = "wacht", _("Wacht op de achtergrondtaak")
        RUNNING = "bezig", _("Bezig")
        DONE = "klaar", _("Klaar")
        FAILED = "mislukt", _("Mislukt")

    region = models.ForeignKey(Region, on_delete=models.CASCADE, related_name="+")
    framework = models.ForeignKey(Framework, on_delete=models.PROTECT, related_name="+")
    title = models.CharField(_("titel"), max_length=200)
    introduction = models.TextField(_("introductie"), blank=True)
    opens_on = models.DateField(_("open vanaf"))
    deadline = models.DateField(_("deadline"))
    prefill = models.BooleanField(_("vooraf ingevuld"), default=False)
    organisations = models.ManyToManyField(Organisation, related_name="+")
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    requested_at = models.DateTimeField(_("aangevraagd"), default=timezone.now)
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.QUEUED
    )
    round = models.OneToOneField(
        Round, on_delete=models.SET_NULL, null=True, blank=True, related_name="opening"
    )
    total = models.PositiveIntegerField(_("organisaties"), default=0)
    done = models.PositiveIntegerField(_("klaar"), default=0)
    heartbeat_at = models.DateTimeField(_("laatste voortgang"), null=True, blank=True)
    finished_at = models.DateTimeField(_("klaar op"), null=True, blank=True)
    error = models.TextField(_("fout"), blank=True)

    class Meta:
        verbose_name = _("opening van een uitvraag")
        verbose_name_plural = _("openingen van uitvragen")
        ordering = ("-requested_at", "-pk")

    def __str__(self) -> str:
        return f"{self.title} ({self.get_status_display()})"

    @property
    def percent(self) -> int:
        return round(100 * self.done / self.total) if self.total else 0

    @property
    def pending(self) -> bool:
        return self.status in (self.Status.QUEUED, self.Status.RUNNING)


class AssessmentState(models.TextChoices):
    CONCEPT = "concept", _("Concept")
    SUBMITTED = "ingediend", _("Ingediend")
    REVIEWED = "beoordeeld", _("Beoordeeld")
    FINAL = "vastgesteld", _("Vastgesteld")


SUBMITTED_STATES = ("ingediend", "beoordeeld", "vastgesteld")
"""Submitted or further: what an organisation has handed in (and shares)."""


class AssessmentQuerySet(OwnedQuerySet["Assessment"]):
    def for_user(self, user: Any, level: Any = None) -> Self:
        """As for every organisation-owned row, and a concept only for those who see drafts
        (``access.sees_drafts``): what an organisation shares with region readers is what it
        submitted."""
        from weerbaar.organisations import access

        scoped = super().for_user(user, level)
        drafts = access.drafts_condition(user, prefix="organisation__")
        return scoped if drafts is None else scoped.filter(Q(state__in=SUBMITTED_STATES) | drafts)


class OpenAssessments(models.Manager.from_queryset(AssessmentQuerySet)):  # type: ignore[misc]
    """Self-assessments of open rounds (``Assessment.objects``; see ``Round``)."""

    def get_queryset(self) -> models.QuerySet[Assessment]:
        return super().get_queryset().filter(round__state=RoundState.OPEN)


class Assessment(models.Model):
    """One organisation's answers in one round."""

    round = models.ForeignKey(Round, on_delete=models.CASCADE, related_name="assessments")
    organisation = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="assessments"
    )
    state = models.CharField(
        _("status"),
        max_length=16,
        choices=AssessmentState.choices,
        default=AssessmentState.CONCEPT,
    )
    submitted_at = models.DateTimeField(_("ingediend op"), null=True, blank=True)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    reviewed_at = models.DateTimeField(_("beoordeeld op"), null=True, blank=True)
    finalised_at = models.DateTimeField(_("vastgesteld op"), null=True, blank=True)
    # Why the coordinator sent it back (return, reopen): shown to the organisation until it
    # submits again; every earlier reason stays in the audit trail.
    return_reason = models.TextField(_("reden van terugsturen"), blank=True)
    returned_at = models.DateTimeField(_("teruggestuurd op"), null=True, blank=True)
    returned_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    ORGANISATION_PATH = "organisation"
    all_objects = AssessmentQuerySet.as_manager()
    objects = OpenAssessments()

    class Meta:
        verbose_name = _("zelfevaluatie")
        verbose_name_plural = _("zelfevaluaties")
        ordering = ("round", "organisation__name")
        default_manager_name = "objects"
        base_manager_name = "all_objects"
        constraints = [
            models.UniqueConstraint(
                fields=["round", "organisation"], name="assessment_unique_organisation"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.round} — {self.organisation}"

    @property
    def is_editable(self) -> bool:
        return self.state == AssessmentState.CONCEPT


class HistoryProtectedQuerySet(OwnedQuerySet):
    """Bulk writes would change answers without a revision: they are refused."""

    def update(self, **kwargs: Any) -> int:
        raise TypeError("Answers change only through answer_save(), which keeps their history.")

    def bulk_update(self, *args: Any, **kwargs: Any) -> int:
        raise TypeError("Answers change only through answer_save(), which keeps their history.")


class Maturity(models.TextChoices):
    LEVEL_0 = "0", _("0 · Niet geregeld")
    LEVEL_1 = "1", _("1 · In ontwikkeling")
    LEVEL_2 = "2", _("2 · Deels geregeld")
    LEVEL_3 = "3", _("3 · Geregeld")
    LEVEL_4 = "4", _("4 · Geborgd")
    UNKNOWN = "unknown", _("Onbekend")


class Answer(models.Model):
    """The answer to one item. The values of its parts are ``AnswerValue`` rows."""

    ORGANISATION_PATH = "assessment__organisation"

    assessment = models.ForeignKey(Assessment, on_delete=models.CASCADE, related_name="answers")
    item = models.ForeignKey(Item, on_delete=models.PROTECT, related_name="answers")
    not_applicable = models.BooleanField(_("niet van toepassing"), default=False)
    na_reason = models.TextField(_("reden niet van toepassing"), blank=True)
    explanation = models.TextField(_("toelichting"), blank=True)
    evidence_link = models.URLField(_("link naar bewijs"), max_length=500, blank=True)
    evidence_date = models.DateField(_("laatst beoefend of getest"), null=True, blank=True)
    carried_over = models.BooleanField(
        _("overgenomen"),
        default=False,
        help_text=_("Overgenomen uit de vorige uitvraag; bevestig of wijzig."),
    )
    version = models.PositiveIntegerField(_("versie"), default=0)
    updated_at = models.DateTimeField(_("gewijzigd"), null=True, blank=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    objects: ClassVar[HistoryProtectedQuerySet] = HistoryProtectedQuerySet.as_manager()  # type: ignore[assignment]

    class Meta:
        verbose_name = _("antwoord")
        verbose_name_plural = _("antwoorden")
        ordering = ("assessment", "item__section__order", "item__order")
        constraints = [
            models.UniqueConstraint(fields=["assessment", "item"], name="answer_unique_item"),
        ]

    def __str__(self) -> str:
        return f"{self.item.code} ({self.assessment})"


class AnswerValue(models.Model):
    """The value of one answer part (maturity level, number, yes/no or text)."""

    ORGANISATION_PATH = "answer__assessment__organisation"

    answer = models.ForeignKey(Answer, on_delete=models.CASCADE, related_name="values")
    part = models.ForeignKey(AnswerPart, on_delete=models.PROTECT, related_name="+")
    maturity = models.CharField(_("niveau"), max_length=8, choices=Maturity.choices, blank=True)
    number = models.DecimalField(_("getal"), max_digits=14, decimal_places=3, null=True, blank=True)
    flag = models.BooleanField(_("ja/nee"), null=True, blank=True)
    text = models.TextField(_("tekst"), blank=True)

    objects: ClassVar[HistoryProtectedQuerySet] = HistoryProtectedQuerySet.as_manager()  # type: ignore[assignment]

    class Meta:
        ordering = ("answer", "part__order")
        constraints = [
            models.UniqueConstraint(fields=["answer", "part"], name="answer_value_unique_part"),
        ]

    def __str__(self) -> str:
        return f"{self.part.key}={self.maturity or self.number or self.flag or self.text}"


class AnswerRevision(models.Model):
    """One change of an answer: who, when, from which values to which values."""

    ORGANISATION_PATH = "answer__assessment__organisation"

    class Source(models.TextChoices):
        WEB = "web", _("website")
        API = "api", _("API")
        EXCEL = "excel", _("Excel-import")
        PREFILL = "prefill", _("overgenomen")

    answer = models.ForeignKey(Answer, on_delete=models.CASCADE, related_name="revisions")
    version = models.PositiveIntegerField(_("versie"))
    at = models.DateTimeField(_("tijdstip"), default=timezone.now)
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    source = models.CharField(_("bron"), max_length=10, choices=Source.choices)
    old = models.JSONField(_("oud"), null=True, blank=True)
    new = models.JSONField(_("nieuw"))

    objects = OwnedQuerySet.as_manager()

    class Meta:
        ordering = ("answer", "-version")
        constraints = [
            models.UniqueConstraint(fields=["answer", "version"], name="revision_unique_version"),
        ]

    def __str__(self) -> str:
        return f"{self.answer} v{self.version}"


class ReviewComment(models.Model):
    """A remark on one answer in the review: a comment, a challenge of N.v.t., or a reply."""

    ORGANISATION_PATH = "answer__assessment__organisation"

    class Kind(models.TextChoices):
        COMMENT = "comment", _("Opmerking")
        CHALLENGE_NA = "challenge_na", _("N.v.t. betwist")
        REPLY = "reply", _("Reactie")

    answer = models.ForeignKey(Answer, on_delete=models.CASCADE, related_name="comments")
    kind = models.CharField(_("soort"), max_length=16, choices=Kind.choices)
    text = models.TextField(_("tekst"))
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(_("geplaatst"), default=timezone.now)

    objects = OwnedQuerySet.as_manager()

    class Meta:
        ordering = ("answer", "created_at")

    def __str__(self) -> str:
        return f"{self.get_kind_display()}: {self.text[:60]}"


class ItemAssignment(models.Model):
    """An override: this item of this assessment goes to this person, whatever the roles say."""

    ORGANISATION_PATH = "assessment__organisation"

    assessment = models.ForeignKey(
        Assessment, on_delete=models.CASCADE, related_name="item_assignments"
    )
    item = models.ForeignKey(Item, on_delete=models.CASCADE, related_name="+")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="item_assignments"
    )

    objects = OwnedQuerySet.as_manager()

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["assessment", "item", "user"], name="item_assignment_unique"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.item.code} → {self.user}"


class ReminderSent(models.Model):
    """A reminder e-mail that went out, so nobody gets the same one twice."""

    ORGANISATION_PATH = "assessment__organisation"

    class Kind(models.TextChoices):
        BEFORE_DEADLINE = "before", _("voor de deadline")
        OVERDUE = "overdue", _("na de deadline")

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    assessment = models.ForeignKey(Assessment, on_delete=models.CASCADE, related_name="reminders")
    kind = models.CharField(_("soort"), max_length=10, choices=Kind.choices)
    sent_on = models.DateField(_("verstuurd op"))
    open_items = models.PositiveIntegerField(_("open vragen"))

    objects = OwnedQuerySet.as_manager()

    class Meta:
        ordering = ("-sent_on",)
        constraints = [
            models.UniqueConstraint(
                fields=["user", "assessment", "kind", "sent_on"], name="reminder_unique_day"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.user} {self.kind} {self.sent_on}"


class PrivateStorage(FileSystemStorage):
    """Files outside any public path, under ``PRIVATE_MEDIA_ROOT/<folder>`` (evidence,
    exports); served only by access-checked views. The location is read when used, not at
    import."""

    def __init__(self, folder: str = "evidence", **kwargs: Any) -> None:
        self.folder = folder
        super().__init__(**kwargs)

    @property
    def base_location(self) -> str:
        return str(settings.PRIVATE_MEDIA_ROOT / self.folder)

    @property
    def location(self) -> str:
        return os.path.abspath(self.base_location)

    def url(self, name: str | None) -> str:
        raise ValueError("Private files have no public URL; use the access-checked view.")


def _evidence_storage() -> PrivateStorage:
    return PrivateStorage()


def _evidence_path(instance: Evidence, filename: str) -> str:
    return f"{instance.answer.assessment_id}/{instance.sha256[:2]}/{instance.sha256}"


class Evidence(models.Model):
    """An uploaded file supporting an answer (a plan, protocol, exercise report)."""

    ORGANISATION_PATH = "answer__assessment__organisation"

    answer = models.ForeignKey(Answer, on_delete=models.CASCADE, related_name="evidence")
    file = models.FileField(storage=_evidence_storage, upload_to=_evidence_path, max_length=300)
    original_name = models.CharField(_("bestandsnaam"), max_length=200)
    content_type = models.CharField(_("soort"), max_length=100)
    size = models.PositiveIntegerField(_("grootte"))
    sha256 = models.CharField(max_length=64)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    uploaded_at = models.DateTimeField(_("toegevoegd"), default=timezone.now)

    objects = OwnedQuerySet.as_manager()

    class Meta:
        verbose_name = _("bewijsstuk")
        verbose_name_plural = _("bewijsstukken")
        ordering = ("answer", "uploaded_at")

    def __str__(self) -> str:
        return self.original_name
