"""Status reports (sitreps), reminders when one is due, and support requests: what an
organisation tells the region during a crisis, and what it asks of it.

Who: an organisation's own people and the region's coordinators file a report; a region
reader (the GHOR) may enter one for an organisation that phoned it in (``on_behalf``). Reports
and support requests are for the region: its coordinators and readers see them
(``RegionQuerySet``); the GHOR — the region's coordinators and readers — moves a support
request. A report is never changed; the next one follows it.

A report belongs to the organisation's open incident when it has one; a report of an exercise
is an exercise report and stays out of the real regional picture.
"""

from __future__ import annotations

import datetime
import logging
from dataclasses import dataclass
from decimal import Decimal
from smtplib import SMTPException
from typing import Any, cast

from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction
from django.db.models import QuerySet
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django_tasks import task

from weerbaar.assessments.models import AnswerValue
from weerbaar.audit.models import audit_record
from weerbaar.organisations import access
from weerbaar.organisations.access import NotAllowed, reads_region
from weerbaar.organisations.models import Membership, Organisation, Region, Role
from weerbaar.versions import Stale, locked_at

from .context import KADER, latest_final
from .models import (
    Incident,
    IncidentState,
    Prefill,
    ReportReminder,
    StatusReport,
    SupportRequest,
    SupportState,
)

logger = logging.getLogger(__name__)

BEDS: tuple[tuple[str, str], ...] = tuple(
    zip(
        StatusReport.BED_FIELDS,
        (
            "bedden_ic",
            "bedden_heelkunde_trauma",
            "bedden_neurochirurgie",
            "bedden_revalidatie",
            "isolatie_units",
            "",
        ),
        strict=True,
    )
)
"""Available beds per type in a report, and the Kader's answer part (by key) that fills the
first report: the beds it can supply for casualty care (ZC-02) and its isolation units (ZC-06).
"""

HOURS: tuple[tuple[str, str], ...] = (
    ("power_hours", "noodstroom_uren"),
    ("water_hours", "drinkwater_uren"),
)
"""Hours left in a report and the norm key of the Kader's answer that fills the first one."""

CHANNELS = ("phone_fixed", "phone_mobile", "emergency_network", "radio")

FIGURES = (
    *(name for name, _key in BEDS),
    "on_emergency_power",
    "power_hours",
    "fuel_litres",
    "water_hours",
    "medical_gases",
    *CHANNELS,
    "staff_shortage_pct",
    "critical_shortages",
    "contact_name",
    "contact_phone",
    "notes",
)
"""Everything a report holds, in the order of the form; the next report starts from these."""

BED_LIMIT = 5000
HOUR_LIMIT = Decimal(2160)  # 90 days: more is a typing error, not a reserve
FUEL_LIMIT = 10_000_000
TEXT_LIMIT = 2000
PREFILL_LABELS = {
    Prefill.PREVIOUS: gettext_lazy("Ingevuld uit het vorige rapport van %(when)s."),
    Prefill.ANSWERS: gettext_lazy(
        "Ingevuld uit de vastgestelde antwoorden van %(round)s: dit is het eerste rapport. "
        "Controleer elk cijfer; een leeg veld is onbekend."
    ),
    Prefill.NONE: gettext_lazy(
        "Het eerste rapport, en er zijn geen vastgestelde antwoorden om het mee te vullen "
        "die u mag zien."
    ),
}


class _Newest:
    """The default incident of a report or request: the organisation's newest open real
    incident (none when it has none). Pass ``None`` for "no incident"."""


NEWEST: Any = _Newest()


class ReportInvalid(ValueError):
    """Input that cannot be used; ``errors`` maps a field (or ``""``) to Dutch messages.
    Nothing was saved."""

    def __init__(self, errors: dict[str, list[str]]) -> None:
        super().__init__("; ".join(m for messages in errors.values() for m in messages))
        self.errors = errors


class StaleRequest(Stale):
    """Someone else moved the support request since it was read."""


# --- Who ------------------------------------------------------------------------------------


def may_report(user: Any, organisation: Organisation) -> bool:
    """The organisation's crisis team, or the region entering a report phoned in to it."""
    return access.sees_drafts(user, organisation) or reads_region(user, organisation.region_id)


def reporting_organisation(user: Any, pk: Any) -> Organisation:
    """The organisation ``pk`` whose reports ``user`` may see and file; else ``Http404``."""
    from django.http import Http404

    found = Organisation.objects.select_related("region").filter(pk=pk).first()  # scoped: next
    if found is None or not may_report(user, found):
        raise Http404("Organisation not found")
    return found


def reports_for(user: Any) -> QuerySet[StatusReport]:
    return StatusReport.objects.for_user(user)


def support_for(user: Any) -> QuerySet[SupportRequest]:
    return SupportRequest.objects.for_user(user)


def open_incidents(organisation: Organisation) -> list[Incident]:
    """Its open incidents, real ones first, newest first."""
    return list(
        Incident.objects.filter(  # scoped: the caller holds the organisation
            organisation=organisation, state=IncidentState.OPEN
        ).order_by("is_exercise", "-started_at", "-pk")
    )


# --- Reports --------------------------------------------------------------------------------


@dataclass(frozen=True)
class Start:
    """What a new report form starts from, and a sentence saying so."""

    initial: dict[str, Any]
    source: str  # a Prefill value
    explanation: str


def latest_report(organisation: Organisation, *, exercise: bool) -> StatusReport | None:
    return (
        StatusReport.objects.filter(  # scoped: the caller holds the organisation
            organisation=organisation, is_exercise=exercise
        )
        .order_by("-reported_at", "-pk")
        .first()
    )


def start(organisation: Organisation, *, exercise: bool, user: Any = None) -> Start:
    """The previous report's figures, or for the first one the organisation's established
    answers (beds for casualty care, isolation units, hours on emergency power and water) —
    only those ``user`` may see (None: all): its answers need DETAIL access, the beds and
    isolation units (confidential) its admins or the coordinators."""
    from weerbaar.formatting import moment

    previous = latest_report(organisation, exercise=exercise)
    if previous is None and exercise:
        previous = latest_report(organisation, exercise=False)
    if previous is not None:
        initial = {name: _whole(getattr(previous, name)) for name in FIGURES}
        return Start(
            initial,
            Prefill.PREVIOUS,
            str(PREFILL_LABELS[Prefill.PREVIOUS]) % {"when": moment(previous.reported_at)},
        )
    answers = user is None or access.can(user, organisation, access.Level.DETAIL)
    confidential = user is None or access.sees_confidential(user, organisation)
    assessment = latest_final(organisation, KADER) if answers else None
    if assessment is None:
        return Start({}, Prefill.NONE, str(PREFILL_LABELS[Prefill.NONE]))
    keys = {key: name for name, key in BEDS if key}
    norm_keys = {key: name for name, key in HOURS}
    found: dict[str, Any] = {}
    for key, norm_key, number in AnswerValue.objects.filter(
        answer__assessment=assessment, answer__not_applicable=False, number__isnull=False
    ).values_list("part__key", "part__norm_key", "number"):
        if number is None:
            continue
        if norm_key in norm_keys:
            found[norm_keys[norm_key]] = _whole(number)
        elif key in keys and keys[key] not in found and confidential:
            found[keys[key]] = int(number)
    return Start(
        found,
        Prefill.ANSWERS,
        str(PREFILL_LABELS[Prefill.ANSWERS]) % {"round": assessment.round.title},
    )


def _whole(value: Any) -> Any:
    """36.0 hours shows as 36 in a form; 36.5 stays."""
    if isinstance(value, Decimal) and value == value.to_integral_value():
        return int(value)
    return value


def clean_report(data: Any) -> dict[str, Any]:
    """The report's figures from form or API data, or ``ReportInvalid`` with Dutch messages
    per field (the same rules for both)."""
    from .forms import StatusReportForm

    form = StatusReportForm(data)
    if not form.is_valid():
        raise ReportInvalid({k: [str(m) for m in v] for k, v in form.errors.items()})
    return dict(form.cleaned_data)


def _incident(organisation: Organisation, incident: Any) -> Incident | None:
    """The incident a report or request belongs to (see ``NEWEST``); ``ReportInvalid`` for
    one that is not an open incident of the organisation."""
    if incident is NEWEST:
        return next((i for i in open_incidents(organisation) if not i.is_exercise), None)
    if incident is not None and (
        incident.organisation_id != organisation.pk or incident.state != IncidentState.OPEN
    ):
        raise ReportInvalid({"incident": [_("Kies een lopend incident van deze organisatie.")]})
    return cast(Incident | None, incident)


def chosen_incident(organisation: Organisation, value: Any) -> Incident | None:
    """The incident chosen in a form or API call: ``0`` for none, an open incident's id, or
    nothing given (``None``/"") for the default (``NEWEST``)."""
    if value in (None, ""):
        return cast(Incident | None, NEWEST)
    if str(value) == "0":
        return None
    found = next((i for i in open_incidents(organisation) if str(i.pk) == str(value)), None)
    if found is None:
        raise ReportInvalid({"incident": [_("Kies een lopend incident van deze organisatie.")]})
    return found


def _label(by: Any) -> str:
    return str(by.get_full_name() or by.email)


@transaction.atomic
def report_add(
    *,
    organisation: Organisation,
    by: Any,
    figures: dict[str, Any],
    incident: Incident | None = NEWEST,
    prefilled_from: str = "",
) -> StatusReport:
    """File a status report (``figures`` as ``clean_report`` returns them). It belongs to
    ``incident`` (an open incident of the organisation) or, without one, to its newest open
    real incident; an exercise's report is an exercise report."""
    if not may_report(by, organisation):
        raise NotAllowed(_("Alleen de organisatie en de regio geven een situatierapport door."))
    incident = _incident(organisation, incident)
    unknown = set(figures) - set(FIGURES)
    if unknown:
        raise ReportInvalid({"": [_("Onbekende velden: %(f)s.") % {"f": ", ".join(unknown)}]})
    report = StatusReport.objects.create(
        organisation=organisation,
        incident=incident,
        is_exercise=bool(incident and incident.is_exercise),
        reported_by=by,
        reported_by_label=_label(by),
        on_behalf=organisation.pk not in access.grants(by).organisation_roles,
        prefilled_from=prefilled_from if prefilled_from in Prefill.values else "",
        **figures,
    )
    audit_record(
        actor=by,
        action="sitrep.add",
        obj=report,
        organisation=organisation,
        new={k: _plain(v) for k, v in figures.items() if v not in (None, "")},
    )
    return report


def _plain(value: Any) -> Any:
    return str(value) if isinstance(value, Decimal) else value


# --- Reminders ------------------------------------------------------------------------------


@dataclass(frozen=True)
class Due:
    organisation: Organisation
    exercise: bool
    last: StatusReport | None
    due_at: datetime.datetime  # when the next report was (or is) due
    interval: datetime.timedelta

    @property
    def overdue(self) -> bool:
        return self.due_at <= timezone.now()


def due(organisation: Organisation, *, now: datetime.datetime | None = None) -> Due | None:
    """When the organisation's next report is due while it has an open incident (real ones
    before exercises); None without one."""
    now = now or timezone.now()
    running = open_incidents(organisation)
    if not running:
        return None
    exercise = running[0].is_exercise
    since = min(i.started_at for i in running if i.is_exercise == exercise)
    interval = datetime.timedelta(hours=organisation.region.sitrep_interval_hours)
    last = latest_report(organisation, exercise=exercise)
    reference = last.reported_at if last is not None and last.reported_at > since else since
    return Due(organisation, exercise, last, reference + interval, interval)


def due_reminders(now: datetime.datetime) -> list[Due]:
    """Organisations whose report is overdue and who were not reminded in the last interval."""
    result = []
    organisations = (
        Organisation.objects.filter(  # scoped: a system task over all regions
            is_active=True,
            incidents__state=IncidentState.OPEN,
        )
        .select_related("region")
        .distinct()
    )
    for organisation in organisations:
        found = due(organisation, now=now)
        if found is None or found.due_at > now:
            continue
        reminded = ReportReminder.objects.filter(
            organisation=organisation,
            is_exercise=found.exercise,
            sent_at__gt=now - found.interval,
        ).exists()
        if not reminded:
            result.append(found)
    return result


def send_report_reminders(*, now: datetime.datetime | None = None, base_url: str = "") -> int:
    """E-mail the organisation admins whose report is overdue; returns how many
    organisations were reminded."""
    now = now or timezone.now()
    base_url = (base_url or settings.WEERBAAR_BASE_URL).rstrip("/")
    sent = 0
    for found in due_reminders(now):
        people = sorted(
            set(
                Membership.objects.filter(
                    organisation=found.organisation, role=Role.ORG_ADMIN, user__is_active=True
                ).values_list("user__email", flat=True)
            )
        )
        with transaction.atomic():
            # Two runs at once (the timer and someone's --now) remind once: the organisation
            # row is locked, and the check is made again under the lock.
            Organisation.objects.select_for_update().filter(pk=found.organisation.pk).first()
            if ReportReminder.objects.filter(
                organisation=found.organisation,
                is_exercise=found.exercise,
                sent_at__gt=now - found.interval,
            ).exists():
                continue
            ReportReminder.objects.create(
                organisation=found.organisation,
                is_exercise=found.exercise,
                sent_at=now,
                recipients=len(people),
            )
        if people:
            with translation.override("nl"):
                body = render_to_string(
                    "crisis/email/report_due.txt",
                    {
                        "due": found,
                        "url": base_url
                        + reverse("crisis:report_new", args=[found.organisation.pk]),
                    },
                )
                subject = (
                    "[OEFENING] Situatierapport gevraagd"
                    if found.exercise
                    else "Situatierapport gevraagd"
                )
            try:
                send_mail(subject, body, settings.DEFAULT_FROM_EMAIL, people)
            except (OSError, SMTPException):  # one failing mail does not stop the others
                logger.exception("report reminder to %s failed", found.organisation.pk)
                continue
        sent += 1
    return sent


# --- Support requests -----------------------------------------------------------------------

FORWARD: dict[str, tuple[str, ...]] = {
    SupportState.RECEIVED: (
        SupportState.IN_PROGRESS,
        SupportState.ARRANGED,
        SupportState.IMPOSSIBLE,
    ),
    SupportState.IN_PROGRESS: (SupportState.ARRANGED, SupportState.IMPOSSIBLE),
    SupportState.ARRANGED: (),
    SupportState.IMPOSSIBLE: (),
}
"""Where the GHOR can move a request: forward only; a settled request keeps its state and
only its reply can still be added to."""


def _short(text: str, limit: int, what: str, errors: dict[str, list[str]], field: str) -> str:
    text = (text or "").strip()
    if len(text) > limit:
        errors.setdefault(field, []).append(
            _("%(what)s: hoogstens %(n)d tekens.") % {"what": what, "n": limit}
        )
    return text


@transaction.atomic
def support_ask(
    *,
    organisation: Organisation,
    by: Any,
    what: str,
    quantity: str,
    needed_by: datetime.datetime | None = None,
    incident: Incident | None = NEWEST,
) -> SupportRequest:
    """Ask the region for support: what, how much, by when."""
    if not access.sees_drafts(by, organisation):
        raise NotAllowed(_("Alleen de organisatie zelf vraagt ondersteuning."))
    errors: dict[str, list[str]] = {}
    what = _short(what, 300, _("Wat is nodig"), errors, "what")
    quantity = _short(quantity, 100, _("Hoeveel"), errors, "quantity")
    if not what:
        errors.setdefault("what", []).append(_("Schrijf wat er nodig is."))
    if not quantity:
        errors.setdefault("quantity", []).append(
            _("Schrijf hoeveel er nodig is (bijvoorbeeld 2.000 liter diesel).")
        )
    if needed_by is not None and timezone.is_naive(needed_by):
        needed_by = timezone.make_aware(needed_by)  # the region's local time
    if needed_by is not None and needed_by < timezone.now() - datetime.timedelta(hours=1):
        errors.setdefault("needed_by", []).append(_("Deze tijd is al voorbij."))
    if errors:
        raise ReportInvalid(errors)
    incident = _incident(organisation, incident)
    request = SupportRequest.objects.create(
        organisation=organisation,
        incident=incident,
        is_exercise=bool(incident and incident.is_exercise),
        what=what,
        quantity=quantity,
        needed_by=needed_by,
        requested_by=by,
    )
    audit_record(
        actor=by,
        action="support.ask",
        obj=request,
        organisation=organisation,
        new={"what": what, "quantity": quantity, "needed_by": needed_by and needed_by.isoformat()},
    )
    return request


def may_handle(user: Any, request: SupportRequest) -> bool:
    return reads_region(user, request.organisation.region_id)


@transaction.atomic
def support_move(
    *, request: SupportRequest, by: Any, state: str, reply: str, expected_version: int
) -> SupportRequest:
    """The GHOR moves a request on (``FORWARD``) and replies; "niet mogelijk" needs a reply.
    Refused when someone else moved it since ``expected_version``."""
    if not may_handle(by, request):
        raise NotAllowed(_("Alleen de GHOR en de regiocoördinatoren behandelen verzoeken."))
    current = locked_at(
        SupportRequest.objects.filter(pk=request.pk), expected_version, StaleRequest
    )
    assert current is not None
    errors: dict[str, list[str]] = {}
    reply = _short(reply, TEXT_LIMIT, _("Antwoord"), errors, "reply")
    if state not in SupportState.values:
        errors.setdefault("state", []).append(_("Onbekende status."))
    elif state != current.state and state not in FORWARD[current.state]:
        errors.setdefault("state", []).append(
            _("Van ‘%(old)s’ kan een verzoek niet terug naar ‘%(new)s’.")
            % {"old": current.get_state_display(), "new": SupportState(state).label}
        )
    if state == SupportState.IMPOSSIBLE and not reply:
        errors.setdefault("reply", []).append(
            _("Leg uit waarom het niet mogelijk is, en wat de organisatie dan kan doen.")
        )
    if state == current.state and reply == current.reply:
        errors.setdefault("", []).append(_("Er is niets gewijzigd."))
    if errors:
        raise ReportInvalid(errors)
    old = {"state": current.state, "reply": current.reply}
    current.state = state
    current.reply = reply
    current.handled_by = by
    current.handled_at = timezone.now()
    current.version += 1
    current.save()
    audit_record(
        actor=by,
        action="support.move",
        obj=current,
        organisation=current.organisation,
        old=old,
        new={"state": state, "reply": reply},
    )
    return current


@transaction.atomic
def region_number_set(
    *, region: Region, by: Any, field: str, value: Any, low: int, high: int, refusal: str
) -> int:
    """Set a whole-number setting of the region (its coordinators), bounded; audited."""
    if not access.coordinates(by, region):
        raise NotAllowed(_("Alleen een regiocoördinator stelt dit in."))
    try:
        number = int(str(value).strip())
    except ValueError:
        number = low - 1
    if not low <= number <= high:
        raise ReportInvalid({field: [refusal]})
    old = getattr(region, field)
    setattr(region, field, number)
    region.save(update_fields=[field])
    audit_record(
        actor=by, action=f"region.{field}", obj=region, old={field: old}, new={field: number}
    )
    return number


def interval_set(*, region: Region, by: Any, hours: Any) -> int:
    """How often the region asks for a status report (1 to 48 hours)."""
    return region_number_set(
        region=region,
        by=by,
        field="sitrep_interval_hours",
        value=hours,
        low=1,
        high=48,
        refusal=_("Kies een interval van 1 tot en met 48 uur."),
    )


def region_of(user: Any, pk: Any) -> Region:
    """The region ``pk`` for its coordinators and readers; else ``Http404``."""
    return access.get_region(user, pk, *access.READS_REGION)


@task()
def send_report_reminders_task() -> int:
    return send_report_reminders()
