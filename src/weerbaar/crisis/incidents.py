"""Running an incident: open it with its disbalansen, activate another, work the steps of the
action cards, keep the logbook. Who may do what is decided here (``NotAllowed``).

The crisis team of an incident is its organisation's members and the region's coordinators
(``access.sees_drafts``: the same people who see its concept answers); only the organisation's
admin opens an incident. The steps are those of the action cards in the shipped library
(Zorgcontinuïteit in Balans), found by their stable codes; nothing of their text is written
here.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from django.db import transaction
from django.db.models import Prefetch, QuerySet
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from weerbaar.audit.models import audit_record
from weerbaar.formatting import day
from weerbaar.frameworks.models import Framework, Phase, Section, Step
from weerbaar.organisations import access
from weerbaar.organisations.access import NotAllowed
from weerbaar.organisations.models import Organisation
from weerbaar.organisations.services import members
from weerbaar.plan.actions import action_create
from weerbaar.versions import Stale, locked_at

from .models import (
    ActiveDisbalans,
    Incident,
    IncidentState,
    LogEntry,
    LogKind,
    StepProgress,
    StepState,
)

ACTION_CARDS = "zorgcontinuiteit-in-balans"
TEXT_LIMIT = 4000


class IncidentInvalid(ValueError):
    """Input that cannot be used (Dutch message); nothing was saved."""


class StaleStep(Stale):
    """Someone else changed the step since it was read."""


def action_cards() -> Framework:
    """The newest loaded version of the action cards."""
    framework = Framework.objects.filter(slug=ACTION_CARDS).order_by("-loaded_at", "-pk").first()
    if framework is None:
        raise IncidentInvalid(_("De actiekaarten zijn niet geladen (weerbaar framework load)."))
    return framework


def incidents_for(user: Any) -> QuerySet[Incident]:
    """Incidents whose details ``user`` may see: the organisation's own people and the
    region's coordinators (``TeamQuerySet``)."""
    return Incident.objects.for_user(user)


def team_organisation(user: Any, pk: Any) -> Organisation:
    """The organisation ``pk`` if ``user`` is in its crisis team; else ``Http404``."""
    team = access.drafts_condition(user)
    found = Organisation.objects.select_related("region")  # scoped: by the crisis team, here
    found = found if team is None else found.filter(team)
    try:
        return found.get(pk=pk)
    except (Organisation.DoesNotExist, ValueError, TypeError) as exc:
        raise Http404("Organisation not found") from exc


def in_team(user: Any, incident: Incident) -> bool:
    return access.sees_drafts(user, incident.organisation)


def _require_team(user: Any, incident: Incident) -> None:
    if not in_team(user, incident) or incident.state != IncidentState.OPEN:
        raise NotAllowed(_("Alleen het crisisteam werkt aan een lopend incident."))


def _cards(framework: Framework, codes: Iterable[str]) -> dict[str, Section]:
    wanted = set(codes)
    return {section.code: section for section in framework.sections.filter(code__in=wanted)}


def _clean_text(text: str, what: str) -> str:
    text = (text or "").strip()
    if len(text) > TEXT_LIMIT:
        raise IncidentInvalid(
            _("%(what)s: hoogstens %(n)d tekens.") % {"what": what, "n": TEXT_LIMIT}
        )
    return text


@transaction.atomic
def incident_open(
    *,
    organisation: Organisation,
    title: str,
    codes: Iterable[str],
    by: Any,
    started_at: datetime.datetime | None = None,
    is_exercise: bool = False,
    locations: Iterable[Any] = (),
) -> Incident:
    """Open an incident with one or more active disbalansen (their section codes, ``D5``)."""
    if not may_open(by, organisation):
        raise NotAllowed(_("Alleen de organisatiebeheerder opent een incident."))
    title = (title or "").strip()
    if not title or len(title) > 200:
        raise IncidentInvalid(_("Geef het incident een titel (hoogstens 200 tekens)."))
    codes = list(dict.fromkeys(codes))
    framework = action_cards()
    cards = _cards(framework, codes)
    if not codes or len(cards) != len(codes):
        raise IncidentInvalid(_("Kies een of meer disbalansen van de actiekaarten."))
    started_at = started_at or timezone.now()
    if started_at > timezone.now() + datetime.timedelta(minutes=5):
        raise IncidentInvalid(_("Het begin van het incident ligt in de toekomst."))
    chosen = list(locations)
    if any(location.organisation_id != organisation.pk for location in chosen):
        raise IncidentInvalid(_("Kies alleen locaties van uw eigen organisatie."))
    incident = Incident.objects.create(
        organisation=organisation,
        framework=framework,
        title=title,
        started_at=started_at,
        is_exercise=is_exercise,
        created_by=by,
    )
    incident.locations.set(chosen)
    for code in codes:
        ActiveDisbalans.objects.create(incident=incident, code=code, activated_by=by)
    audit_record(
        actor=by,
        action="incident.open",
        obj=incident,
        organisation=organisation,
        new={"title": title, "disbalansen": codes, "oefening": is_exercise},
    )
    _system_log(
        incident,
        by,
        _("Incident geopend met %(cards)s.")
        % {"cards": ", ".join(f"{c} {cards[c].title}" for c in codes)},
    )
    return incident


@transaction.atomic
def disbalans_activate(*, incident: Incident, code: str, by: Any) -> bool:
    """Bring another action card into the incident (``Zie Disbalans N``); False when it was
    active already."""
    _require_team(by, incident)
    card = _cards(incident.framework, [code]).get(code)
    if card is None:
        raise IncidentInvalid(_("Onbekende disbalans: %(code)s.") % {"code": code})
    _active, created = ActiveDisbalans.objects.get_or_create(
        incident=incident, code=code, defaults={"activated_by": by}
    )
    if created:
        audit_record(
            actor=by,
            action="incident.disbalans",
            obj=incident,
            organisation=incident.organisation,
            new={"disbalans": code},
        )
        _system_log(
            incident,
            by,
            _("Disbalans %(code)s %(title)s actief.") % {"code": code, "title": card.title},
        )
    return created


def colleague(incident: Incident, *, pk: Any = None, email: str = "") -> Any:
    """The active member of the incident's organisation with id ``pk`` or e-mail ``email``
    (whom a step can be assigned to); ``IncidentInvalid`` for anyone else."""
    people = members(incident.organisation)
    found = people.filter(pk=pk).first() if pk else people.filter(email__iexact=email).first()
    if found is None:
        raise IncidentInvalid(_("Wijs de stap toe aan een collega van de organisatie."))
    return found


def _step(incident: Incident, code: str) -> Step:
    active = set(incident.disbalansen.values_list("code", flat=True))
    step = (
        Step.objects.filter(phase__section__framework=incident.framework, code=code)
        .select_related("phase__section")
        .first()
    )
    if step is None or step.phase.section.code not in active:
        raise IncidentInvalid(_("Deze stap hoort niet bij een actieve disbalans."))
    return step


@transaction.atomic
def step_set(
    *,
    incident: Incident,
    code: str,
    by: Any,
    expected_version: int,
    state: str | None = None,
    note: str | None = None,
    skip_reason: str = "",
    assignee: Any = "unchanged",
) -> StepProgress:
    """Mark a step done, skipped (with a reason) or open again, annotate it, assign it to a
    colleague; refused when someone else changed it since ``expected_version``."""
    _require_team(by, incident)
    _step(incident, code)
    current = locked_at(
        StepProgress.objects.filter(incident=incident, step_code=code), expected_version, StaleStep
    )
    progress = current or StepProgress(incident=incident, step_code=code)
    old = {"state": progress.state, "note": progress.note, "assignee": progress.assignee_id}
    if state is not None:
        if state not in StepState.values:
            raise IncidentInvalid(_("Onbekende status van een stap."))
        if state == StepState.SKIPPED:
            progress.skip_reason = _clean_text(skip_reason, _("Reden"))
            if not progress.skip_reason:
                raise IncidentInvalid(_("Geef de reden om deze stap over te slaan."))
        else:
            progress.skip_reason = ""
        if state != progress.state:
            progress.state = state
            finished = state != StepState.OPEN
            progress.done_by = by if finished else None
            progress.done_at = timezone.now() if finished else None
    if note is not None:
        progress.note = _clean_text(note, _("Aantekening"))
    if assignee != "unchanged":
        progress.assignee = None if assignee is None else colleague(incident, pk=assignee.pk)
    progress.version += 1
    progress.save()
    audit_record(
        actor=by,
        action="incident.step",
        obj=incident,
        organisation=incident.organisation,
        old={"step": code, **old},
        new={
            "step": code,
            "state": progress.state,
            "note": progress.note,
            "assignee": progress.assignee_id,
        },
    )
    return progress


def _system_log(incident: Incident, by: Any, text: str) -> LogEntry:
    return LogEntry.objects.create(
        incident=incident,
        author=by if getattr(by, "is_authenticated", False) else None,
        author_label=_label(by),
        kind=LogKind.INFORMATION,
        text=text,
    )


def _label(by: Any) -> str:
    if not getattr(by, "is_authenticated", False):
        return "system"
    return str(by.get_full_name() or by.email)


@transaction.atomic
def log_add(
    *, incident: Incident, kind: str, text: str, by: Any, corrects: LogEntry | None = None
) -> LogEntry:
    """Add a line to the logbook; a correction points at the line it corrects."""
    _require_team(by, incident)
    if kind not in LogKind.values:
        raise IncidentInvalid(_("Kies de soort: besluit, actie, informatie of melding aan GHOR."))
    text = _clean_text(text, _("Tekst"))
    if not text:
        raise IncidentInvalid(_("Schrijf wat er besloten, gedaan of gemeld is."))
    if corrects is not None and corrects.incident_id != incident.pk:
        raise IncidentInvalid(_("Een correctie hoort bij een regel van hetzelfde incident."))
    entry = LogEntry.objects.create(
        incident=incident,
        author=by,
        author_label=_label(by),
        kind=kind,
        text=text,
        corrects=corrects,
    )
    audit_record(
        actor=by,
        action="incident.log",
        obj=entry,
        organisation=incident.organisation,
        new={"kind": kind, "text": text, "corrects": corrects.pk if corrects else None},
    )
    return entry


LESSONS_LIMIT = 20


@transaction.atomic
def incident_close(
    *, incident: Incident, by: Any, evaluation: str, lessons: Iterable[str] = ()
) -> list[Any]:
    """Close the incident after Normaliseren, with its evaluation; each lesson becomes an
    action of the organisation's improvement plan. Returns the actions made. The
    organisation's admin closes (``NotAllowed`` otherwise)."""
    if not may_open(by, incident.organisation) or incident.state != IncidentState.OPEN:
        raise NotAllowed(_("Alleen de organisatiebeheerder sluit een lopend incident."))
    evaluation = _clean_text(evaluation, _("Evaluatie"))
    if not evaluation:
        raise IncidentInvalid(_("Schrijf de evaluatie: wat ging goed, wat kan beter?"))
    learned = [line.strip() for line in lessons if line.strip()]
    if len(learned) > LESSONS_LIMIT or any(len(line) > 300 for line in learned):
        raise IncidentInvalid(
            _("Hoogstens %(n)d lessen, elk in een regel van hoogstens 300 tekens.")
            % {"n": LESSONS_LIMIT}
        )
    actions = [
        action_create(
            organisation=incident.organisation,
            title=line,
            description=_("Les uit incident ‘%(title)s’ (%(day)s).")
            % {"title": incident.title, "day": day(incident.started_at)},
            by=by,
        )
        for line in learned
    ]
    incident.state = IncidentState.CLOSED
    incident.closed_at = timezone.now()
    incident.closed_by = by
    incident.evaluation = evaluation
    incident.save(update_fields=["state", "closed_at", "closed_by", "evaluation"])
    audit_record(
        actor=by,
        action="incident.close",
        obj=incident,
        organisation=incident.organisation,
        old={"state": IncidentState.OPEN},
        new={"state": IncidentState.CLOSED, "evaluation": evaluation, "lessons": learned},
    )
    _system_log(
        incident,
        by,
        ngettext(
            "Incident gesloten; %(n)d les in het verbeterplan.",
            "Incident gesloten; %(n)d lessen in het verbeterplan.",
            len(actions),
        )
        % {"n": len(actions)},
    )
    return actions


def open_normalising_steps(incident: Incident) -> list[StepView]:
    """The steps of the Normaliseren phases that are still open: what closing should not
    forget."""
    return [
        s
        for card in cards(incident)
        for phase in card.phases
        if phase.phase.title.strip().lower() == "normaliseren"
        for s in phase.steps
        if s.state == StepState.OPEN
    ]


# --- The cards as the incident page shows them ----------------------------------------------


@dataclass
class StepView:
    step: Step
    progress: StepProgress | None
    links: list[Section]

    @property
    def state(self) -> str:
        return self.progress.state if self.progress else StepState.OPEN

    @property
    def version(self) -> int:
        return self.progress.version if self.progress else 0


@dataclass
class PhaseView:
    phase: Phase
    steps: list[StepView]


@dataclass
class CardView:
    section: Section
    active: ActiveDisbalans
    phases: list[PhaseView] = field(default_factory=list)
    context: Any = None  # crisis.context.CardContext: preparation and figures beside it

    @property
    def done(self) -> int:
        return sum(1 for p in self.phases for s in p.steps if s.state != StepState.OPEN)

    @property
    def total(self) -> int:
        return sum(len(p.steps) for p in self.phases)


def cards(incident: Incident) -> list[CardView]:
    """The active action cards with their phases and steps, in the order they were activated
    (a fixed number of queries)."""
    active = list(incident.disbalansen.all())
    sections = {
        s.code: s
        for s in incident.framework.sections.filter(
            code__in=[a.code for a in active]
        ).prefetch_related(
            Prefetch(
                "phases",
                queryset=Phase.objects.order_by("order").prefetch_related(
                    Prefetch(
                        "steps",
                        queryset=Step.objects.order_by("order").prefetch_related(
                            "bullets", "links"
                        ),
                    )
                ),
            )
        )
    }
    progress = {p.step_code: p for p in incident.steps.select_related("assignee", "done_by")}
    result = []
    for entry in active:
        section = sections.get(entry.code)
        if section is None:
            continue
        card = CardView(section, entry)
        for phase in section.phases.all():
            card.phases.append(
                PhaseView(
                    phase,
                    [
                        StepView(step, progress.get(step.code), list(step.links.all()))
                        for step in phase.steps.all()
                    ],
                )
            )
        result.append(card)
    return result


def may_open(user: Any, organisation: Organisation) -> bool:
    return bool(getattr(user, "is_superuser", False)) or (
        organisation.pk in access.grants(user).admin_organisations
    )
