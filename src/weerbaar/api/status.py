"""/api/v1/sitreps and /api/v1/support: status reports and support requests, with the same
rules, checks and Dutch messages as the screens."""

from __future__ import annotations

import datetime
from decimal import Decimal
from typing import Any

from django.http import HttpRequest, HttpResponse
from ninja import Router, Schema, Status
from ninja.errors import HttpError

from weerbaar.crisis import contacts as reachability
from weerbaar.crisis import messages as regional_messages
from weerbaar.crisis import status as domain
from weerbaar.crisis.have import have_xml
from weerbaar.crisis.models import StatusReport, SupportRequest
from weerbaar.ids import Id, Version

from .schemas import InputSchema, aware

sitreps = Router(tags=["sitreps"])
support = Router(tags=["support"])
by_organisation = Router(tags=["sitreps"])  # mounted at /organisations


class Problem(Schema):
    detail: str
    errors: dict[str, list[str]] = {}


class SitrepFigures(Schema):
    beds_ic: int | None = None
    beds_trauma: int | None = None
    beds_neurosurgery: int | None = None
    beds_rehabilitation: int | None = None
    beds_isolation: int | None = None
    beds_other: int | None = None
    on_emergency_power: bool | None = None
    power_hours: Decimal | None = None
    fuel_litres: int | None = None
    water_hours: Decimal | None = None
    medical_gases: str = ""
    phone_fixed: str = ""
    phone_mobile: str = ""
    emergency_network: str = ""
    radio: str = ""
    staff_shortage_pct: int | None = None
    critical_shortages: str = ""
    contact_name: str = ""
    contact_phone: str = ""
    notes: str = ""


class SitrepIn(InputSchema, SitrepFigures):
    organisation: Id
    incident: int | None = None  # an open incident's id; 0: none; absent: the newest real one


class SitrepOut(SitrepFigures):
    id: int
    organisation: int
    incident: int | None
    exercise: bool
    reported_at: datetime.datetime
    reported_by: str
    on_behalf: bool


class SupportIn(InputSchema):
    organisation: Id
    what: str
    quantity: str
    needed_by: datetime.datetime | None = None
    incident: int | None = None  # as for a sitrep


class SupportMoveIn(InputSchema):
    version: Version
    state: str
    reply: str = ""


class SupportOut(Schema):
    id: int
    organisation: int
    incident: int | None
    exercise: bool
    what: str
    quantity: str
    needed_by: datetime.datetime | None
    state: str
    reply: str
    requested_at: datetime.datetime
    handled_at: datetime.datetime | None
    version: int


def _user(request: HttpRequest) -> Any:
    return request.auth  # type: ignore[attr-defined]


def _form_data(payload: SitrepFigures) -> dict[str, str]:
    """The payload as the report form reads it: the one set of rules for page and API."""
    data: dict[str, str] = {}
    for name in domain.FIGURES:
        value = getattr(payload, name)
        if value is None:
            data[name] = ""
        elif isinstance(value, bool):
            data[name] = "true" if value else "false"
        else:
            data[name] = str(value)
    return data


def sitrep_out(report: StatusReport) -> dict[str, Any]:
    return {
        **{name: getattr(report, name) for name in domain.FIGURES},
        "id": report.pk,
        "organisation": report.organisation_id,
        "incident": report.incident_id,
        "exercise": report.is_exercise,
        "reported_at": report.reported_at,
        "reported_by": report.reported_by_label,
        "on_behalf": report.on_behalf,
    }


def _invalid(exc: domain.ReportInvalid) -> Any:
    return Status(422, {"detail": str(exc), "errors": exc.errors})


@sitreps.post("", response={201: SitrepOut, 422: Problem}, url_name="sitrep_create")
def sitrep_create(request: HttpRequest, payload: SitrepIn) -> Any:
    """File a status report. Empty figures are unknown. Reports are never changed: there is
    no PUT or DELETE; the next report follows this one."""
    organisation = domain.reporting_organisation(_user(request), payload.organisation)
    try:
        report = domain.report_add(
            organisation=organisation,
            by=_user(request),
            figures=domain.clean_report(_form_data(payload)),
            incident=domain.chosen_incident(organisation, payload.incident),
        )
    except domain.ReportInvalid as exc:
        return _invalid(exc)
    return Status(201, sitrep_out(report))


@by_organisation.get("/{id:pk}/sitreps", response=list[SitrepOut], url_name="sitrep_list")
def sitrep_list(request: HttpRequest, pk: int, exercise: bool = False) -> list[dict[str, Any]]:
    """The organisation's reports, newest first (at most 200; ``exercise=true``: those of
    its exercises)."""
    found = domain.reporting_organisation(_user(request), pk)
    reports = (
        domain.reports_for(_user(request))
        .filter(organisation=found, is_exercise=exercise)
        .order_by("-reported_at", "-pk")[:200]
    )
    return [sitrep_out(r) for r in reports]


def support_out(item: SupportRequest) -> dict[str, Any]:
    return {
        "id": item.pk,
        "organisation": item.organisation_id,
        "incident": item.incident_id,
        "exercise": item.is_exercise,
        "what": item.what,
        "quantity": item.quantity,
        "needed_by": item.needed_by,
        "state": item.state,
        "reply": item.reply,
        "requested_at": item.requested_at,
        "handled_at": item.handled_at,
        "version": item.version,
    }


def _one(rows: Any, pk: int) -> Any:
    """Row ``pk`` of an access-scoped queryset, or a 404."""
    found = rows.select_related("organisation__region").filter(pk=pk).first()
    if found is None:
        raise HttpError(404, "Not found")
    return found


def _support(request: HttpRequest, pk: int) -> SupportRequest:
    return _one(domain.support_for(_user(request)), pk)


@support.post("", response={201: SupportOut, 422: Problem}, url_name="support_create")
def support_create(request: HttpRequest, payload: SupportIn) -> Any:
    """Ask the region for support (the organisation's own people)."""
    organisation = domain.reporting_organisation(_user(request), payload.organisation)
    try:
        item = domain.support_ask(
            organisation=organisation,
            by=_user(request),
            what=payload.what,
            quantity=payload.quantity,
            needed_by=aware(payload.needed_by),
            incident=domain.chosen_incident(organisation, payload.incident),
        )
    except domain.ReportInvalid as exc:
        return _invalid(exc)
    return Status(201, support_out(item))


@by_organisation.get("/{id:pk}/support", response=list[SupportOut], url_name="support_list")
def support_list(request: HttpRequest, pk: int) -> list[dict[str, Any]]:
    """The organisation's support requests and their status, newest first."""
    found = domain.reporting_organisation(_user(request), pk)
    return [
        support_out(s) for s in domain.support_for(_user(request)).filter(organisation=found)[:200]
    ]


@support.get("/{id:pk}", response=SupportOut, url_name="support_detail")
def support_detail(request: HttpRequest, pk: int) -> dict[str, Any]:
    return support_out(_support(request, pk))


@support.put(
    "/{id:pk}", response={200: SupportOut, 409: Problem, 422: Problem}, url_name="support_move"
)
def support_move(request: HttpRequest, pk: int, payload: SupportMoveIn) -> Any:
    """The GHOR moves a request on (``in_behandeling``, ``geregeld``, ``niet_mogelijk`` with a
    reply); ``version`` is the one you read (409 otherwise)."""
    item = _support(request, pk)
    try:
        moved = domain.support_move(
            request=item,
            by=_user(request),
            state=payload.state,
            reply=payload.reply,
            expected_version=payload.version,
        )
    except domain.StaleRequest:
        return Status(409, {"detail": "Iemand anders heeft dit verzoek intussen bijgewerkt."})
    except domain.ReportInvalid as exc:
        return _invalid(exc)
    return Status(200, support_out(moved))


# --- Regional messages ----------------------------------------------------------------------

messages = Router(tags=["messages"])


class MessageIn(InputSchema):
    title: str
    body: str
    organisations: list[Id] | None = None  # none: every organisation of the region
    exercise: bool = False


class ReceiptOut(Schema):
    organisation: int
    name: str
    acknowledged_at: datetime.datetime | None
    acknowledged_by: str | None


class MessageOut(Schema):
    id: int
    region: int
    title: str
    body: str
    exercise: bool
    to_all: bool
    sent_at: datetime.datetime
    sent_by: str
    receipts: list[ReceiptOut]  # the region's side only; empty for an organisation


class AckIn(InputSchema):
    organisation: Id


def message_out(message: Any, user: Any) -> dict[str, Any]:
    region_side = domain.reads_region(user, message.region_id)
    return {
        "id": message.pk,
        "region": message.region_id,
        "title": message.title,
        "body": message.body,
        "exercise": message.is_exercise,
        "to_all": message.to_all,
        "sent_at": message.sent_at,
        "sent_by": message.sent_by_label,
        "receipts": [
            {
                "organisation": r.organisation.pk,
                "name": r.organisation.name,
                "acknowledged_at": r.acknowledgement.at if r.acknowledgement else None,
                "acknowledged_by": r.acknowledgement.by_label if r.acknowledgement else None,
            }
            for r in (regional_messages.receipts(message) if region_side else [])
        ],
    }


@messages.get("/{id:pk}", response=MessageOut, url_name="message_detail")
def message_detail(request: HttpRequest, pk: int) -> dict[str, Any]:
    return message_out(regional_messages.get_message(_user(request), pk), _user(request))


@messages.post("/{id:pk}/ack", response={200: MessageOut, 404: Problem}, url_name="message_ack")
def message_ack(request: HttpRequest, pk: int, payload: AckIn) -> Any:
    """Acknowledge a message for an addressed organisation you belong to (once; again is
    harmless)."""
    message = regional_messages.get_message(_user(request), pk)
    organisation = regional_messages.addressees(message).filter(pk=payload.organisation).first()
    if organisation is None:
        raise HttpError(404, "Not found")
    regional_messages.message_acknowledge(
        message=message, organisation=organisation, by=_user(request)
    )
    return Status(200, message_out(message, _user(request)))


# --- Reachability ---------------------------------------------------------------------------

contacts = Router(tags=["contacts"])


class ContactIn(InputSchema):
    version: Version = 0
    kind: str = "sleutelfunctionaris"
    function: str = "crisiscoordinator"
    function_note: str = ""
    partner: str = ""
    name: str
    phone: str
    phone_alt: str = ""
    alternative: str = ""
    email: str = ""
    always: bool = True
    backup_name: str = ""
    backup_phone: str = ""


class ContactOut(Schema):
    id: int
    organisation: int
    kind: str
    function: str
    function_note: str
    partner: str
    name: str
    phone: str
    phone_alt: str
    alternative: str
    email: str
    always: bool
    backup_name: str
    backup_phone: str
    confirmed_at: datetime.datetime | None
    version: int


class CoverageOut(Schema):
    organisation: int
    name: str
    missing: list[str]  # key functions without a 24/7 contact
    unconfirmed: list[int]  # contacts not confirmed within the region's term
    contacts: list[ContactOut]


def contact_out(contact: Any) -> dict[str, Any]:
    return {
        **{name: getattr(contact, name) for name in reachability.FIELDS},
        "id": contact.pk,
        "organisation": contact.organisation_id,
        "confirmed_at": contact.confirmed_at,
        "version": contact.version,
    }


def coverage_out(row: Any) -> dict[str, Any]:
    return {
        "organisation": row.organisation.pk,
        "name": row.organisation.name,
        "missing": row.missing,
        "unconfirmed": [c.pk for c in row.unconfirmed],
        "contacts": [contact_out(c) for c in row.contacts],
    }


def _contact_values(payload: ContactIn) -> dict[str, Any]:
    data = payload.dict()
    data.pop("version")
    data["always"] = "on" if data["always"] else ""
    return reachability.clean_contact(data)


@by_organisation.get("/{id:pk}/contacts", response=CoverageOut, url_name="contact_list")
def contact_list(request: HttpRequest, pk: int) -> dict[str, Any]:
    """The organisation's crisis contacts and what is missing or unconfirmed."""
    organisation = domain.reporting_organisation(_user(request), pk)
    found = list(reachability.contacts_for(_user(request)).filter(organisation=organisation))
    since = reachability.confirmed_since(organisation.region)
    return coverage_out(reachability.coverage(organisation, found, since))


@by_organisation.post(
    "/{id:pk}/contacts", response={201: ContactOut, 422: Problem}, url_name="contact_create"
)
def contact_create(request: HttpRequest, pk: int, payload: ContactIn) -> Any:
    organisation = domain.reporting_organisation(_user(request), pk)
    try:
        contact = reachability.contact_save(
            organisation=organisation, by=_user(request), values=_contact_values(payload)
        )
    except domain.ReportInvalid as exc:
        return _invalid(exc)
    return Status(201, contact_out(contact))


@by_organisation.post(
    "/{id:pk}/contacts/confirm", response={200: CoverageOut}, url_name="contacts_confirm"
)
def contacts_confirm(request: HttpRequest, pk: int) -> dict[str, Any]:
    """The organisation's admin confirms all its contacts as they stand."""
    organisation = domain.reporting_organisation(_user(request), pk)
    reachability.contacts_confirm(organisation=organisation, by=_user(request))
    return contact_list(request, pk)


def _contact(request: HttpRequest, pk: int) -> Any:
    return _one(reachability.contacts_for(_user(request)), pk)


@contacts.put(
    "/{id:pk}", response={200: ContactOut, 409: Problem, 422: Problem}, url_name="contact_put"
)
def contact_put(request: HttpRequest, pk: int, payload: ContactIn) -> Any:
    """Change a contact; ``version`` is the one you read (409 otherwise)."""
    contact = _contact(request, pk)
    try:
        saved = reachability.contact_save(
            organisation=contact.organisation,
            by=_user(request),
            values=_contact_values(payload),
            contact=contact,
            expected_version=payload.version,
        )
    except reachability.StaleContact:
        return Status(409, {"detail": "Iemand anders heeft dit contact intussen gewijzigd."})
    except domain.ReportInvalid as exc:
        return _invalid(exc)
    return Status(200, contact_out(saved))


class VersionIn(InputSchema):
    version: Version


@contacts.delete("/{id:pk}", response={204: None, 409: Problem}, url_name="contact_delete")
def contact_delete(request: HttpRequest, pk: int, payload: VersionIn) -> Any:
    """Remove a contact; the body holds the ``version`` you read (409 otherwise)."""
    contact = _contact(request, pk)
    try:
        reachability.contact_remove(
            contact=contact, by=_user(request), expected_version=payload.version
        )
    except reachability.StaleContact:
        return Status(409, {"detail": "Iemand anders heeft dit contact intussen gewijzigd."})
    return Status(204, None)


@by_organisation.get(
    "/{id:pk}/beds.have.xml", response={200: None, 404: Problem}, url_name="beds_have"
)
def beds_have(request: HttpRequest, pk: int, exercise: bool = False) -> Any:
    """The organisation's available beds from its latest status report, as EDXL-HAVE 1.0."""
    organisation = domain.reporting_organisation(_user(request), pk)
    latest = (
        domain.reports_for(_user(request))
        .filter(organisation=organisation, is_exercise=exercise)
        .select_related("organisation")
        .order_by("-reported_at", "-pk")
        .first()
    )
    if latest is None:
        return Status(404, {"detail": "Er is nog geen situatierapport.", "errors": {}})
    return HttpResponse(have_xml([latest]), content_type="application/xml")
