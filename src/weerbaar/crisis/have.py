"""Bed availability for patient distribution (LCPS/RCPS): OASIS EDXL-HAVE 1.0 XML and CSV,
from the latest status report of each organisation.

HAVE knows 14 bed types; a status report has six kinds (``status.BEDS``). The mapping:

========================  =====================  ===================
report                    HAVE ``BedType``       ``SubCategoryBedType``
========================  =====================  ===================
IC                        AdultICU               —
Heelkunde/trauma          MedicalSurgical        Heelkunde/trauma
Neurochirurgie            MedicalSurgical        Neurochirurgie
Revalidatie               RehabLongTermCare      —
Isolatie                  OtherIsolation         —
Overig                    MedicalSurgical        Overig
========================  =====================  ===================

A figure the report left empty is unknown and is left out (never written as 0). HAVE has no
element for hours of emergency power or water; they go, with the critical shortages, into the
free-text ``ResourcesInformationText``. An exercise's export says OEFENING in each hospital's
``CommentText`` and in its file name. The tests validate every export against the published
schema in ``shared/standards/edxl-have-1.0``.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Iterable
from xml.etree import ElementTree as ET

from django.utils import timezone

from weerbaar.formatting import figure

from .models import StatusReport

HAVE = "urn:oasis:names:tc:emergency:EDXL:HAVE:1.0"
XPIL = "urn:oasis:names:tc:ciq:xpil:3"
XNL = "urn:oasis:names:tc:ciq:xnl:3"

BED_TYPES: tuple[tuple[str, str, str], ...] = (
    ("beds_ic", "AdultICU", ""),
    ("beds_trauma", "MedicalSurgical", "Heelkunde/trauma"),
    ("beds_neurosurgery", "MedicalSurgical", "Neurochirurgie"),
    ("beds_rehabilitation", "RehabLongTermCare", ""),
    ("beds_isolation", "OtherIsolation", ""),
    ("beds_other", "MedicalSurgical", "Overig"),
)
"""(report field, HAVE BedType, SubCategoryBedType) — see the table above."""

EXERCISE = "OEFENING — EXERCISE"

ET.register_namespace("", HAVE)
ET.register_namespace("xpil", XPIL)
ET.register_namespace("xnl", XNL)


NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")
"""Characters XML 1.0 does not allow; a form lets them through (a pasted vertical tab)."""


def _el(parent: ET.Element, ns: str, name: str, text: str | None = None) -> ET.Element:
    element = ET.SubElement(parent, f"{{{ns}}}{name}")
    if text is not None:
        element.text = NOT_XML.sub("", text)
    return element


def _resources_text(report: StatusReport) -> list[str]:
    lines = []
    if report.on_emergency_power:
        lines.append("Draait op noodstroom.")
    if report.power_hours is not None:
        lines.append(f"Noodstroom: nog {figure(report.power_hours)} uur.")
    if report.fuel_litres is not None:
        lines.append(f"Brandstof: {report.fuel_litres} liter.")
    if report.water_hours is not None:
        lines.append(f"Water: nog {figure(report.water_hours)} uur.")
    if report.medical_gases:
        lines.append(f"Medische gassen: {report.get_medical_gases_display()}.")
    if report.staff_shortage_pct is not None:
        lines.append(f"Personeelstekort: {report.staff_shortage_pct} %.")
    if report.critical_shortages:
        lines.append(f"Kritieke tekorten: {report.critical_shortages}")
    return lines


def have_xml(reports: Iterable[StatusReport]) -> bytes:
    """One ``HospitalStatus`` with a ``Hospital`` per report (its organisation's latest);
    at least one report (the schema wants a ``Hospital``)."""
    root = ET.Element(f"{{{HAVE}}}HospitalStatus")
    for report in reports:
        hospital = _el(root, HAVE, "Hospital")
        organization = _el(hospital, HAVE, "Organization")
        information = _el(organization, HAVE, "OrganizationInformation")
        names = _el(information, XNL, "OrganisationName")
        _el(names, XNL, "NameElement", report.organisation.name)
        if report.organisation.kvk_number:
            identifiers = _el(information, XPIL, "Identifiers")
            identifier = _el(identifiers, XPIL, "Identifier")
            identifier.set(f"{{{XPIL}}}Type", "RegistrationID")  # the KvK number
            _el(identifier, XPIL, "IdentifierElement", report.organisation.kvk_number)
            issuer = _el(identifier, XPIL, "IssuerName")
            _el(issuer, XNL, "NameElement", "Kamer van Koophandel")
        if report.is_exercise:
            _el(organization, HAVE, "CommentText", EXERCISE)
        known = [
            (t, s, getattr(report, f)) for f, t, s in BED_TYPES if getattr(report, f) is not None
        ]
        if known:
            beds = _el(hospital, HAVE, "HospitalBedCapacityStatus")
            for bed_type, sub, count in known:
                capacity = _el(beds, HAVE, "BedCapacity")
                _el(capacity, HAVE, "BedType", bed_type)
                if sub:
                    _el(capacity, HAVE, "SubCategoryBedType", sub)
                status = _el(capacity, HAVE, "Capacity")
                if not sub:  # the schema: a sub-category's parent is never "NotAvailable"
                    _el(
                        status,
                        HAVE,
                        "CapacityStatus",
                        "Vacant/Available" if count else "NotAvailable",
                    )
                _el(status, HAVE, "AvailableCount", str(count))
        lines = _resources_text(report)
        if lines:
            resources = _el(hospital, HAVE, "HospitalResourcesStatus")
            for line in lines:
                _el(resources, HAVE, "ResourcesInformationText", line)
        _el(hospital, HAVE, "LastUpdateTime", timezone.localtime(report.reported_at).isoformat())
    ET.indent(root)
    return ET.tostring(root, encoding="utf-8", xml_declaration=True)


CSV_COLUMNS = (
    "organisatie",
    "kvk",
    "gemeld_op",
    "oefening",
    "bedtype",
    "have_bedtype",
    "have_subcategorie",
    "beschikbaar",
)


def beds_csv(reports: Iterable[StatusReport]) -> bytes:
    """A row per organisation and known bed type (UTF-8 with a byte order mark and a
    semicolon, as Dutch spreadsheet programs expect)."""
    labels = {
        name: str(getattr(StatusReport._meta.get_field(name), "verbose_name", name))
        for name, _t, _s in BED_TYPES
    }
    out = io.StringIO()
    writer = csv.writer(out, delimiter=";", lineterminator="\r\n")
    writer.writerow(CSV_COLUMNS)
    for report in reports:
        for name, bed_type, sub in BED_TYPES:
            count = getattr(report, name)
            if count is None:
                continue
            writer.writerow(
                [
                    _cell(report.organisation.name),
                    _cell(report.organisation.kvk_number),
                    timezone.localtime(report.reported_at).isoformat(timespec="minutes"),
                    "ja" if report.is_exercise else "nee",
                    labels[name],
                    bed_type,
                    sub,
                    count,
                ]
            )
    return ("\ufeff" + out.getvalue()).encode("utf-8")


def _cell(text: str) -> str:
    """No formula injection: a cell that a spreadsheet would run starts with a quote."""
    return f"'{text}" if text[:1] in ("=", "+", "-", "@", "\t", "\r") else text
