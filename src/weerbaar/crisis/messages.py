"""Regional messages (handelingsperspectief): the GHOR — the region's coordinators and
readers — sends one to all or chosen organisations; each organisation acknowledges it once,
and the GHOR sees who has not."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from django.db import IntegrityError, transaction
from django.db.models import Count, Q, QuerySet
from django.http import Http404
from django.utils.translation import gettext as _

from weerbaar.audit.models import audit_record
from weerbaar.organisations import access
from weerbaar.organisations.access import NotAllowed
from weerbaar.organisations.models import Organisation, Region

from .models import Acknowledgement, RegionalMessage
from .status import ReportInvalid, reads_region

TITLE_LIMIT = 200
BODY_LIMIT = 4000


def messages_for(user: Any) -> QuerySet[RegionalMessage]:
    """The messages ``user`` may read: all of a region they coordinate or read, and those
    addressed to an organisation they belong to."""
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return RegionalMessage.objects.none()
    if user.is_superuser:
        return RegionalMessage.objects.all()
    held = access.grants(user)
    own = sorted(held.organisation_roles)
    regions = sorted(held.coordinator_regions | held.reader_regions)
    home_regions = Organisation.objects.filter(pk__in=own).values("region_id")
    return RegionalMessage.objects.filter(
        Q(region_id__in=regions)
        | Q(to_all=True, region_id__in=home_regions)
        | Q(recipients__in=own)
    ).distinct()


def get_message(user: Any, pk: Any) -> RegionalMessage:
    found = messages_for(user).select_related("region").filter(pk=pk).first()
    if found is None:
        raise Http404("Message not found")
    return found


def addressees(message: RegionalMessage) -> QuerySet[Organisation]:
    """The organisations a message is for (the active ones of its region when to all)."""
    if message.to_all:
        return Organisation.objects.filter(  # scoped: the caller holds the message
            region_id=message.region_id, is_active=True
        ).order_by("name")
    return message.recipients.order_by("name")


@transaction.atomic
def message_send(
    *,
    region: Region,
    by: Any,
    title: str,
    body: str,
    organisations: Iterable[Organisation] | None = None,
    is_exercise: bool = False,
) -> RegionalMessage:
    """Send a message to every organisation of the region (``organisations`` None) or to the
    chosen ones."""
    if not reads_region(by, region.pk):
        raise NotAllowed(_("Alleen de GHOR en de regiocoördinatoren sturen regionale berichten."))
    errors: dict[str, list[str]] = {}
    title, body = (title or "").strip(), (body or "").strip()
    if not title or len(title) > TITLE_LIMIT:
        errors["title"] = [_("Geef een onderwerp (hoogstens 200 tekens).")]
    if not body or len(body) > BODY_LIMIT:
        errors["body"] = [_("Schrijf het bericht (hoogstens 4000 tekens).")]
    chosen = list(organisations) if organisations is not None else None
    if chosen is not None and not chosen:
        errors["organisations"] = [_("Kies een of meer organisaties, of stuur aan allen.")]
    if chosen and any(o.region_id != region.pk for o in chosen):
        errors["organisations"] = [_("Kies alleen organisaties van de eigen regio.")]
    if errors:
        raise ReportInvalid(errors)
    message = RegionalMessage.objects.create(
        region=region,
        title=title,
        body=body,
        is_exercise=is_exercise,
        to_all=chosen is None,
        sent_by=by,
        sent_by_label=str(by.get_full_name() or by.email),
    )
    if chosen:
        message.recipients.set(chosen)
    audit_record(
        actor=by,
        action="message.send",
        obj=message,
        new={
            "title": title,
            "to": "all" if chosen is None else [o.pk for o in chosen],
            "oefening": is_exercise,
        },
    )
    return message


def may_acknowledge(user: Any, message: RegionalMessage, organisation: Organisation) -> bool:
    """A member of an addressed organisation (not the region acknowledging for it)."""
    return (
        organisation.pk in access.grants(user).organisation_roles
        and addressees(message).filter(pk=organisation.pk).exists()
    )


def message_acknowledge(
    *, message: RegionalMessage, organisation: Organisation, by: Any
) -> Acknowledgement:
    """Acknowledge for ``organisation``; a second acknowledgement keeps the first."""
    if not may_acknowledge(by, message, organisation):
        raise NotAllowed(_("Alleen een geadresseerde organisatie bevestigt een bericht."))
    existing = Acknowledgement.objects.filter(message=message, organisation=organisation).first()
    if existing is not None:
        return existing
    try:
        with transaction.atomic():
            ack = Acknowledgement.objects.create(
                message=message,
                organisation=organisation,
                by=by,
                by_label=str(by.get_full_name() or by.email),
            )
            audit_record(
                actor=by, action="message.acknowledge", obj=message, organisation=organisation
            )
    except IntegrityError:  # a colleague acknowledged at the same moment
        return Acknowledgement.objects.get(message=message, organisation=organisation)
    return ack


@dataclass
class Receipt:
    organisation: Organisation
    acknowledgement: Acknowledgement | None


def receipts(message: RegionalMessage) -> list[Receipt]:
    """Per addressed organisation: its acknowledgement, or None (not yet); those that have
    not acknowledged first, each group by name."""
    acks = {
        a.organisation_id: a
        for a in Acknowledgement.objects.filter(message=message)  # scoped: the message's
    }
    found = [Receipt(o, acks.get(o.pk)) for o in addressees(message)]
    return sorted(found, key=lambda r: r.acknowledgement is not None)  # who has not, first


def receipt_of(message: RegionalMessage, organisation: Organisation) -> Acknowledgement | None:
    return Acknowledgement.objects.filter(  # scoped: the caller holds both
        message=message, organisation=organisation
    ).first()


def unacknowledged(user: Any, organisation: Organisation) -> list[RegionalMessage]:
    """The messages to ``organisation`` that it has not acknowledged yet, newest first (for
    its own people)."""
    if organisation.pk not in access.grants(user).organisation_roles:
        return []
    done = Acknowledgement.objects.filter(organisation=organisation).values("message_id")
    return list(
        RegionalMessage.objects.filter(region_id=organisation.region_id)
        .filter(Q(to_all=True) | Q(recipients=organisation))
        .exclude(pk__in=done)
        .distinct()
        .order_by("-sent_at")[:20]
    )


def sent_in(region: Region, limit: int = 50, *, exercise: bool | None = None) -> list[Any]:
    """The region's newest messages (of exercises only, or real ones only, when ``exercise``
    says) with ``acknowledged`` and ``addressed`` counts (a fixed number of queries)."""
    found = RegionalMessage.objects.filter(region=region)
    if exercise is not None:
        found = found.filter(is_exercise=exercise)
    rows: list[Any] = list(
        found.annotate(
            acknowledged=Count("acknowledgements", distinct=True),
            chosen=Count("recipients", distinct=True),
        ).order_by("-sent_at", "-pk")[:limit]  # Meta.ordering does not apply to a GROUP BY
    )
    regions = {m.region_id for m in rows if m.to_all}
    active = dict(
        Organisation.objects.filter(region_id__in=regions, is_active=True)  # scoped: counts
        .values("region_id")
        .annotate(n=Count("pk"))
        .values_list("region_id", "n")
    )
    for message in rows:
        message.addressed = active.get(message.region_id, 0) if message.to_all else message.chosen
    return rows
