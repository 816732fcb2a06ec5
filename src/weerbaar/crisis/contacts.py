"""Reachability (Zorgrisicoprofiel, Advies 1 and 4: "hoe kunnen we elkaar bereiken als het
echt misgaat?"): each organisation keeps how to reach its key officers at any hour and its
chain partners' crisis contacts, and confirms them now and then; the region sees who has no
24/7 contact for a key function or has not confirmed in the last N months.

Who: the organisation's admins and the region's coordinators keep the contacts; the
organisation's admins confirm them; the organisation's people and the region's coordinators
and readers (the GHOR) see them.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field
from typing import Any

from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from weerbaar.audit.models import audit_record
from weerbaar.organisations import access
from weerbaar.organisations.access import Level, NotAllowed
from weerbaar.organisations.models import Organisation, Region
from weerbaar.versions import Stale, locked_at

from .models import ContactKind, CrisisContact, KeyFunction, RegionalContact
from .status import ReportInvalid, reads_region, region_number_set

KEY_FUNCTIONS = (KeyFunction.CRISIS, KeyFunction.BOARD, KeyFunction.FACILITIES, KeyFunction.ICT)
"""The functions every organisation needs a 24/7 contact for."""

FIELDS = (
    "kind",
    "function",
    "function_note",
    "partner",
    "name",
    "phone",
    "phone_alt",
    "alternative",
    "email",
    "always",
    "backup_name",
    "backup_phone",
)


class StaleContact(Stale):
    """Someone else changed the contact since it was read."""


def contacts_for(user: Any) -> QuerySet[CrisisContact]:
    return CrisisContact.objects.for_user(user)


def may_manage(user: Any, organisation: Organisation) -> bool:
    return access.can(user, organisation, Level.MANAGE)


def may_confirm(user: Any, organisation: Organisation) -> bool:
    return bool(getattr(user, "is_superuser", False)) or (
        organisation.pk in access.grants(user).admin_organisations
    )


def clean_contact(data: Any) -> dict[str, Any]:
    from .forms import ContactForm

    form = ContactForm(data)
    if not form.is_valid():
        raise ReportInvalid({k: [str(m) for m in v] for k, v in form.errors.items()})
    return dict(form.cleaned_data)


def _values(contact: CrisisContact) -> dict[str, Any]:
    return {name: getattr(contact, name) for name in FIELDS}


@transaction.atomic
def contact_save(
    *,
    organisation: Organisation,
    by: Any,
    values: dict[str, Any],
    contact: CrisisContact | None = None,
    expected_version: int = 0,
) -> CrisisContact:
    """Add a contact, or change ``contact`` (refused when someone else changed it since
    ``expected_version``). ``values`` as ``clean_contact`` returns them. Saved by the
    organisation's admin, the contact is confirmed as it stands; changed by the region, its
    confirmation is gone until the organisation confirms it again."""
    if not may_manage(by, organisation):
        raise NotAllowed(_("Alleen de organisatiebeheerder en de regio houden contacten bij."))
    if contact is not None:
        if contact.organisation_id != organisation.pk:
            raise NotAllowed(_("Dit contact hoort bij een andere organisatie."))
        current = locked_at(
            CrisisContact.objects.filter(pk=contact.pk), expected_version, StaleContact
        )
        assert current is not None
        old: dict[str, Any] | None = _values(current)
    else:
        current, old = CrisisContact(organisation=organisation), None
    for name in FIELDS:
        setattr(current, name, values.get(name, getattr(current, name)))
    current.updated_at = timezone.now()
    if may_confirm(by, organisation):
        current.confirmed_at, current.confirmed_by = current.updated_at, by
    elif old is not None and old != _values(current):
        current.confirmed_at, current.confirmed_by = None, None  # the organisation checks it
    current.version += 1
    current.save()
    audit_record(
        actor=by,
        action="contact.save",
        obj=current,
        organisation=organisation,
        old=old,
        new=_values(current),
    )
    return current


@transaction.atomic
def contact_remove(*, contact: CrisisContact, by: Any, expected_version: int) -> None:
    if not may_manage(by, contact.organisation):
        raise NotAllowed(_("Alleen de organisatiebeheerder en de regio houden contacten bij."))
    current = locked_at(CrisisContact.objects.filter(pk=contact.pk), expected_version, StaleContact)
    assert current is not None
    audit_record(
        actor=by,
        action="contact.remove",
        obj=current,
        organisation=current.organisation,
        old=_values(current),
    )
    current.delete()


@transaction.atomic
def contacts_confirm(*, organisation: Organisation, by: Any, pk: int | None = None) -> int:
    """The organisation's admin confirms its contacts (all, or the one ``pk``): they are
    right as they stand. Returns how many were confirmed."""
    if not may_confirm(by, organisation):
        raise NotAllowed(_("Alleen de organisatiebeheerder bevestigt de contacten."))
    chosen = CrisisContact.objects.filter(organisation=organisation)  # scoped: its admin
    if pk is not None:
        chosen = chosen.filter(pk=pk)
    ids = list(chosen.values_list("pk", flat=True))
    now = timezone.now()
    for contact in chosen.select_for_update():
        contact.confirmed_at = now
        contact.confirmed_by = by
        contact.save(update_fields=["confirmed_at", "confirmed_by"])
    audit_record(
        actor=by,
        action="contact.confirm",
        obj=organisation,
        organisation=organisation,
        new={"contacts": ids},
    )
    return len(ids)


# --- What the region sees -------------------------------------------------------------------


@dataclass
class Coverage:
    organisation: Organisation
    contacts: list[CrisisContact] = field(default_factory=list)
    missing: list[str] = field(default_factory=list)  # key functions without a 24/7 contact
    unconfirmed: list[CrisisContact] = field(default_factory=list)  # never, or too long ago

    @property
    def officers(self) -> list[CrisisContact]:
        return [c for c in self.contacts if c.kind == ContactKind.OFFICER]

    @property
    def partners(self) -> list[CrisisContact]:
        return [c for c in self.contacts if c.kind == ContactKind.PARTNER]

    @property
    def missing_labels(self) -> list[str]:
        return [str(KeyFunction(m).label) for m in self.missing]

    @property
    def complete(self) -> bool:
        return not self.missing and not self.unconfirmed


def confirmed_since(region: Region, now: datetime.datetime | None = None) -> datetime.datetime:
    """Confirmations before this moment are too old (the region's N months, 30 days each)."""
    now = now or timezone.now()
    return now - datetime.timedelta(days=30 * region.contact_confirm_months)


def coverage(
    organisation: Organisation, contacts: list[CrisisContact], since: datetime.datetime
) -> Coverage:
    always = {c.function for c in contacts if c.kind == ContactKind.OFFICER and c.always}
    return Coverage(
        organisation,
        contacts,
        [str(f) for f in KEY_FUNCTIONS if f not in always],
        [c for c in contacts if c.confirmed_at is None or c.confirmed_at < since],
    )


def region_coverage(region: Region, now: datetime.datetime | None = None) -> list[Coverage]:
    """Every active organisation of the region with its contacts and what is missing (two
    queries)."""
    since = confirmed_since(region, now)
    by_organisation: dict[int, list[CrisisContact]] = {}
    for contact in CrisisContact.objects.filter(  # scoped: the caller holds the region
        organisation__region=region
    ).order_by("kind", "function", "name"):
        by_organisation.setdefault(contact.organisation_id, []).append(contact)
    return [
        coverage(o, by_organisation.get(o.pk, []), since)
        for o in Organisation.objects.filter(  # scoped: the caller holds the region
            region=region, is_active=True
        ).order_by("name")
    ]


def confirm_months_set(*, region: Region, by: Any, months: Any) -> int:
    """How long a confirmation holds (1 to 24 months); the region's coordinators."""
    return region_number_set(
        region=region,
        by=by,
        field="contact_confirm_months",
        value=months,
        low=1,
        high=24,
        refusal=_("Kies een termijn van 1 tot en met 24 maanden."),
    )


# --- The region's own numbers ---------------------------------------------------------------


def sees_region_contacts(user: Any, region: Region) -> bool:
    """Everyone of the region: its coordinators and readers, and the people of its
    organisations (they are the ones who call)."""
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return False
    if user.is_superuser or reads_region(user, region.pk):
        return True
    own = access.grants(user).organisation_roles
    return Organisation.objects.filter(pk__in=sorted(own), region=region).exists()


def regional_contacts(region: Region) -> list[RegionalContact]:
    return list(RegionalContact.objects.filter(region=region).order_by("function", "pk"))


@transaction.atomic
def regional_contact_add(*, region: Region, by: Any, values: dict[str, Any]) -> RegionalContact:
    if not access.coordinates(by, region):
        raise NotAllowed(_("Alleen een regiocoördinator houdt de regionale contacten bij."))
    contact = RegionalContact.objects.create(region=region, updated_by=by, **values)
    audit_record(actor=by, action="regional_contact.add", obj=contact, new=dict(values))
    return contact


@transaction.atomic
def regional_contact_remove(*, contact: RegionalContact, by: Any) -> None:
    if not access.coordinates(by, contact.region):
        raise NotAllowed(_("Alleen een regiocoördinator houdt de regionale contacten bij."))
    audit_record(
        actor=by,
        action="regional_contact.remove",
        obj=contact,
        old={"function": contact.function, "name": contact.name, "phone": contact.phone},
    )
    contact.delete()
