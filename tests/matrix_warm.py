"""The authorization-matrix rows of the warme fase (crisis) and the scenarios: what each of
the six visitors gets on every such URL, the objects the rows point at, and the writes.
``tests/test_authorization_matrix.py`` merges them into its tables and walks them."""

from __future__ import annotations

from typing import Any

from .conftest import World

# url name: (coordinator, reader, org_admin, respondent, other_org, anonymous)
MATRIX: dict[str, tuple[int, int, int, int, int, int]] = {
    # The warme fase: the crisis team (the organisation's people and the coordinators) only.
    "crisis:incidents": (200, 404, 200, 200, 404, 302),
    "crisis:incident_new": (403, 404, 200, 403, 404, 302),  # the admin opens
    "crisis:incident": (200, 404, 200, 200, 404, 302),
    "crisis:exercises": (200, 404, 200, 200, 404, 302),
    "crisis:activate": (405, 405, 405, 405, 405, 302),
    "crisis:step": (405, 405, 405, 405, 405, 302),
    "crisis:log": (405, 405, 405, 405, 405, 302),
    "crisis:close": (403, 404, 200, 403, 404, 302),  # the admin closes
    "api:incident_create": (405, 405, 405, 405, 405, 405),
    "api:incident_detail": (200, 404, 200, 200, 404, 401),
    "api:incident_step": (405, 405, 405, 405, 405, 405),
    "api:incident_log": (405, 405, 405, 405, 405, 405),
    # Status reports and support requests are for the region: its readers (the GHOR) see
    # them and may enter a phoned-in report; only the organisation itself asks for support.
    "crisis:reports": (200, 200, 200, 200, 404, 302),
    "crisis:report_new": (200, 200, 200, 200, 404, 302),
    "crisis:support_new": (200, 403, 200, 200, 404, 302),
    "crisis:support": (200, 200, 200, 200, 404, 302),
    "crisis:picture": (200, 200, 404, 404, 404, 302),
    "crisis:picture_exercise": (200, 200, 404, 404, 404, 302),
    "crisis:interval": (405, 405, 405, 405, 405, 302),
    "api:sitrep_create": (405, 405, 405, 405, 405, 405),
    "api:sitrep_list": (200, 200, 200, 200, 404, 401),
    "api:support_create": (405, 405, 405, 405, 405, 405),
    "api:support_list": (200, 200, 200, 200, 404, 401),
    "api:support_detail": (200, 200, 200, 200, 404, 401),
    "api:support_move": (200, 200, 200, 200, 404, 401),
    "api:region_picture": (200, 200, 404, 404, 404, 401),
    # Regional messages: the GHOR (coordinators, readers) sends them; the addressed
    # organisations' people read and acknowledge them (the message goes to all).
    "crisis:messages": (200, 200, 404, 404, 404, 302),
    "crisis:message": (200, 200, 200, 200, 200, 302),
    "crisis:message_ack": (405, 405, 405, 405, 405, 302),
    "api:region_messages": (200, 200, 404, 404, 404, 401),
    "api:region_message_send": (200, 200, 404, 404, 404, 401),
    "api:message_detail": (200, 200, 200, 200, 200, 401),
    "api:message_ack": (405, 405, 405, 405, 405, 405),
    # Bed availability (EDXL-HAVE, CSV) from the status reports: whoever sees the reports.
    "crisis:beds_have": (200, 200, 200, 200, 404, 302),
    "crisis:beds_csv": (200, 200, 200, 200, 404, 302),
    "crisis:region_beds_have": (200, 200, 404, 404, 404, 302),
    "crisis:region_beds_csv": (200, 200, 404, 404, 404, 302),
    "api:beds_have": (200, 200, 200, 200, 404, 401),
    "api:region_beds_have": (200, 200, 404, 404, 404, 401),
    # Reachability: the organisation and the region keep the contacts, the GHOR reaches them.
    "crisis:contacts": (200, 200, 200, 200, 404, 302),
    "crisis:contact_new": (200, 403, 200, 403, 404, 302),
    "crisis:contact_edit": (200, 403, 200, 403, 404, 302),
    "crisis:contact_remove": (405, 405, 405, 405, 405, 302),
    "crisis:contacts_confirm": (405, 405, 405, 405, 405, 302),
    "crisis:region_contacts": (200, 200, 404, 404, 404, 302),
    "crisis:contact_months": (405, 405, 405, 405, 405, 302),
    "crisis:regional_contact_remove": (405, 405, 405, 405, 405, 302),
    # The offline packs: an organisation's for its admins and the coordinators (all its
    # figures and phones); the region's for the GHOR.
    "crisis:offline_pack": (200, 404, 200, 404, 404, 302),
    "crisis:region_pack": (200, 200, 404, 404, 404, 302),
    "api:contact_list": (200, 200, 200, 200, 404, 401),
    "api:contact_create": (200, 200, 200, 200, 404, 401),
    "api:contacts_confirm": (405, 405, 405, 405, 405, 405),
    "api:contact_put": (405, 405, 405, 405, 405, 405),
    "api:contact_delete": (405, 405, 405, 405, 405, 405),
    "api:region_contacts": (200, 200, 404, 404, 404, 401),
    "api:scenario_run": (405, 405, 405, 405, 405, 405),
    # Power-dependent clients at home: whoever sees the organisation's data; its admins and
    # the coordinators keep them.
    "scenarios:clients": (200, 404, 200, 404, 404, 302),
    "scenarios:clients_remove": (405, 405, 405, 405, 405, 302),
    "api:clients": (200, 404, 200, 404, 404, 401),
    "api:clients_add": (200, 404, 200, 404, 404, 401),
    "api:clients_remove": (405, 405, 405, 405, 405, 405),
    # Stress tests: whoever reads the region runs them (a region reader on what they may
    # see); a saved scenario is changed by its maker and the coordinators.
    "scenarios:list": (200, 200, 404, 404, 404, 302),
    "scenarios:preset": (200, 200, 404, 404, 404, 302),
    "scenarios:preset_pdf": (200, 200, 404, 404, 404, 302),
    "scenarios:copy": (405, 405, 405, 405, 405, 302),
    "scenarios:compare": (200, 200, 404, 404, 404, 302),
    "scenarios:scenario": (200, 200, 404, 404, 404, 302),
    "scenarios:edit": (200, 403, 404, 404, 404, 302),
    "scenarios:remove": (200, 403, 404, 404, 404, 302),  # GET: asks first
    "scenarios:pdf": (200, 200, 404, 404, 404, 302),
    "scenarios:json": (200, 200, 404, 404, 404, 302),
}

WRITES: dict[str, tuple[str, tuple[int, int, int, int, int, int]]] = {
    "crisis:incident_new": ("POST", (403, 404, 302, 403, 404, 302)),
    "crisis:activate": ("POST", (302, 404, 302, 302, 404, 302)),
    "crisis:step": ("POST", (302, 404, 302, 302, 404, 302)),
    "crisis:log": ("POST", (302, 404, 302, 302, 404, 302)),
    "crisis:close": ("POST", (403, 404, 302, 403, 404, 302)),
    "api:incident_create": ("POST", (403, 404, 201, 403, 404, 401)),
    "api:incident_step": ("PUT", (200, 404, 200, 200, 404, 401)),
    "api:incident_log": ("POST", (201, 404, 201, 201, 404, 401)),
    "crisis:report_new": ("POST", (302, 302, 302, 302, 404, 302)),
    "crisis:support_new": ("POST", (302, 403, 302, 302, 404, 302)),
    "crisis:support": ("POST", (302, 302, 403, 403, 404, 302)),  # the GHOR moves it
    "crisis:interval": ("POST", (302, 404, 404, 404, 404, 302)),
    "api:sitrep_create": ("POST", (201, 201, 201, 201, 404, 401)),
    "api:support_create": ("POST", (201, 403, 201, 201, 404, 401)),
    "api:support_move": ("PUT", (200, 200, 403, 403, 404, 401)),
    "crisis:messages": ("POST", (302, 302, 404, 404, 404, 302)),
    "crisis:message_ack": ("POST", (403, 403, 302, 302, 403, 302)),  # its own people only
    "api:region_message_send": ("POST", (201, 201, 404, 404, 404, 401)),
    "api:message_ack": ("POST", (403, 403, 200, 200, 403, 401)),
    "crisis:contact_new": ("POST", (302, 403, 302, 403, 404, 302)),
    "crisis:contact_edit": ("POST", (302, 403, 302, 403, 404, 302)),
    "crisis:contact_remove": ("POST", (302, 403, 302, 403, 404, 302)),
    "crisis:contacts_confirm": ("POST", (403, 403, 302, 403, 404, 302)),  # its admin only
    "crisis:contact_months": ("POST", (302, 404, 404, 404, 404, 302)),
    "crisis:region_contacts": ("POST", (302, 403, 404, 404, 404, 302)),
    "crisis:regional_contact_remove": ("POST", (302, 403, 404, 404, 404, 302)),
    "api:contact_create": ("POST", (201, 403, 201, 403, 404, 401)),
    "api:contacts_confirm": ("POST", (403, 403, 200, 403, 404, 401)),
    "api:contact_put": ("PUT", (200, 403, 200, 403, 404, 401)),
    "api:contact_delete": ("DELETE", (204, 403, 204, 403, 404, 401)),
    # Scenarios: whoever reads the region; the coordinators' scenario is theirs to change.
    "api:scenario_run": ("POST", (200, 200, 404, 404, 404, 401)),
    "scenarios:copy": ("POST", (302, 302, 404, 404, 404, 302)),
    "scenarios:edit": ("POST", (302, 403, 404, 404, 404, 302)),
    "scenarios:remove": ("POST", (302, 403, 404, 404, 404, 302)),
    "scenarios:clients": ("POST", (302, 404, 302, 404, 404, 302)),
    "scenarios:clients_remove": ("POST", (302, 404, 302, 404, 404, 302)),
    "api:clients_add": ("POST", (201, 404, 201, 404, 404, 401)),
    "api:clients_remove": ("DELETE", (204, 404, 204, 404, 404, 401)),
}


def setup(world: World) -> None:
    """What the rows point at: an incident of Alice's organisation, a status report, a
    support request, a regional message, contacts and power-dependent clients."""
    from weerbaar.crisis.incidents import incident_open

    incident_open(organisation=world.own, title="Stroomuitval", codes=["D5"], by=world.alice)
    from weerbaar.crisis.status import clean_report, report_add, support_ask

    report_add(organisation=world.own, by=world.alice, figures=clean_report({"beds_ic": "2"}))
    support_ask(organisation=world.own, by=world.alice, what="Diesel", quantity="2.000 liter")
    from weerbaar.crisis.messages import message_send

    message_send(region=world.own.region, by=world.reader, title="Water", body="Spaar water.")
    from weerbaar.crisis.contacts import clean_contact, contact_save, regional_contact_add

    regional_contact_add(
        region=world.own.region,
        by=world.coordinator,
        values={"function": "GHOR-piket", "phone": "088 123 4567"},
    )
    from weerbaar.scenarios.saved import preset_source, scenario_copy

    scenario_copy(
        region=world.own.region, by=world.coordinator, source=preset_source("stroomuitval-72-uur")
    )
    from weerbaar.scenarios.clients import clients_add

    clients_add(
        organisation=world.own,
        by=world.alice,
        values={"municipality": "Zwolle", "device": "pomp", "count": 3, "battery_hours": 6},
    )
    contact_save(
        organisation=world.own,
        by=world.alice,
        values=clean_contact(
            {
                "kind": "sleutelfunctionaris",
                "function": "ict",
                "name": "Piet",
                "phone": "038 123 4567",
                "always": "on",
            }
        ),
    )


def _incident_pk() -> int:
    from weerbaar.crisis.models import Incident

    incident = Incident.objects.first()
    return incident.pk if incident else 999999


def _support_pk() -> int:
    from weerbaar.crisis.models import SupportRequest

    found = SupportRequest.objects.first()
    return found.pk if found else 999999


def _message_pk() -> int:
    from weerbaar.crisis.models import RegionalMessage

    found = RegionalMessage.objects.first()
    return found.pk if found else 999999


def _contact_pk() -> int:
    from weerbaar.crisis.models import CrisisContact

    found = CrisisContact.objects.first()
    return found.pk if found else 999999


def _regional_contact_pk() -> int:
    from weerbaar.crisis.models import RegionalContact

    found = RegionalContact.objects.first()
    return found.pk if found else 999999


def _clients_pk() -> int:
    from weerbaar.scenarios.models import PowerDependentClients

    found = PowerDependentClients.objects.first()
    return found.pk if found else 999999


def _scenario_pk() -> int:
    from weerbaar.scenarios.models import Scenario

    found = Scenario.objects.first()
    return found.pk if found else 999999


def scenario_form(**changes: str) -> dict[str, str]:
    """A valid scenario form (version 1, one power cut of 72 hours), with ``changes``."""
    body = {
        "version": "1",
        "name": "Stroomuitval oefening",
        "horizon_days": "7",
        "staff_absence_pct": "0",
        "supply_start_day": "0",
        "supply_days": "0",
        "inflow_days": "0",
        "isolation_pct": "0",
        "a_rationing_stretch": "1.5",
        "a_plan_level": "3",
        "a_absence_bed_share": "1",
        "a_isolation_hours": "24",
        "a_power_loss_closes_beds": "on",
        "a_improvement_hours": "24",
        "a_improvement_days": "7",
        "uitval-TOTAL_FORMS": "1",
        "uitval-INITIAL_FORMS": "0",
        "uitval-0-kind": "power",
        "uitval-0-start_hour": "0",
        "uitval-0-duration_hours": "72",
    }
    for care in ("ic", "trauma", "neuro", "rehab", "isolation"):
        body[f"per_day_{care}"] = "0"
        body[f"stay_{care}"] = "7"
    body.update(changes)
    return body


def kwargs(world: World) -> dict[str, dict[str, Any]]:
    return {
        "crisis:incidents": {"pk": world.own.pk},
        "crisis:incident_new": {"pk": world.own.pk},
        "crisis:incident": {"pk": _incident_pk()},
        "crisis:exercises": {"pk": world.own.pk},
        "crisis:activate": {"pk": _incident_pk()},
        "crisis:step": {"pk": _incident_pk(), "code": "D5-1.1"},
        "crisis:log": {"pk": _incident_pk()},
        "crisis:close": {"pk": _incident_pk()},
        "api:incident_detail": {"pk": _incident_pk()},
        "api:incident_step": {"pk": _incident_pk(), "code": "D5-1.1"},
        "api:incident_log": {"pk": _incident_pk()},
        "crisis:reports": {"pk": world.own.pk},
        "crisis:report_new": {"pk": world.own.pk},
        "crisis:support_new": {"pk": world.own.pk},
        "crisis:support": {"pk": _support_pk()},
        "crisis:picture": {"pk": world.own.region_id},
        "crisis:picture_exercise": {"pk": world.own.region_id},
        "crisis:interval": {"pk": world.own.region_id},
        "api:sitrep_list": {"pk": world.own.pk},
        "api:support_list": {"pk": world.own.pk},
        "api:support_detail": {"pk": _support_pk()},
        "api:support_move": {"pk": _support_pk()},
        "api:region_picture": {"pk": world.own.region_id},
        "crisis:messages": {"pk": world.own.region_id},
        "crisis:message": {"pk": _message_pk()},
        "crisis:message_ack": {"pk": _message_pk()},
        "api:region_messages": {"pk": world.own.region_id},
        "api:region_message_send": {"pk": world.own.region_id},
        "api:message_detail": {"pk": _message_pk()},
        "api:message_ack": {"pk": _message_pk()},
        "crisis:beds_have": {"pk": world.own.pk},
        "crisis:beds_csv": {"pk": world.own.pk},
        "crisis:region_beds_have": {"pk": world.own.region_id},
        "crisis:region_beds_csv": {"pk": world.own.region_id},
        "api:beds_have": {"pk": world.own.pk},
        "api:region_beds_have": {"pk": world.own.region_id},
        "crisis:contacts": {"pk": world.own.pk},
        "crisis:contact_new": {"org": world.own.pk},
        "crisis:contact_edit": {"pk": _contact_pk()},
        "crisis:contact_remove": {"pk": _contact_pk()},
        "crisis:contacts_confirm": {"pk": world.own.pk},
        "crisis:region_contacts": {"pk": world.own.region_id},
        "crisis:contact_months": {"pk": world.own.region_id},
        "crisis:regional_contact_remove": {"pk": _regional_contact_pk()},
        "crisis:offline_pack": {"pk": world.own.pk},
        "crisis:region_pack": {"pk": world.own.region_id},
        "api:contact_list": {"pk": world.own.pk},
        "api:contact_create": {"pk": world.own.pk},
        "api:contacts_confirm": {"pk": world.own.pk},
        "api:contact_put": {"pk": _contact_pk()},
        "api:contact_delete": {"pk": _contact_pk()},
        "api:region_contacts": {"pk": world.own.region_id},
        "scenarios:clients": {"pk": world.own.pk},
        "scenarios:clients_remove": {"pk": _clients_pk()},
        "api:clients": {"pk": world.own.pk},
        "api:clients_add": {"pk": world.own.pk},
        "api:clients_remove": {"pk": world.own.pk, "group": _clients_pk()},
        "scenarios:list": {"pk": world.own.region_id},
        "scenarios:preset": {"pk": world.own.region_id, "key": "stroomuitval-72-uur"},
        "scenarios:preset_pdf": {"pk": world.own.region_id, "key": "stroomuitval-72-uur"},
        "scenarios:copy": {"pk": world.own.region_id},
        "scenarios:compare": {"pk": world.own.region_id},
        "scenarios:scenario": {"pk": _scenario_pk()},
        "scenarios:edit": {"pk": _scenario_pk()},
        "scenarios:remove": {"pk": _scenario_pk()},
        "scenarios:pdf": {"pk": _scenario_pk()},
        "scenarios:json": {"pk": _scenario_pk()},
    }


def write_bodies(world: World) -> dict[str, dict[str, Any]]:
    """A request that succeeds for whoever may send it."""
    contact = {
        "kind": "sleutelfunctionaris",
        "function": "ict",
        "name": "Piet",
        "phone": "038 123 4567",
        "always": "on",
    }
    return {
        "crisis:incident_new": {
            "title": "Brand",
            "started_at": "2026-11-20T03:10",
            "codes": ["D1"],
        },
        "crisis:activate": {"code": "D8"},
        "crisis:step": {"version": "0", "state": "gedaan"},
        "crisis:log": {"kind": "besluit", "text": "Vleugel B ontruimen"},
        "crisis:close": {"evaluatie": "Noodstroom hield het 30 uur.", "lessen": "Diesel"},
        "api:incident_create": {
            "organisation": world.own.pk,
            "title": "Brand",
            "disbalansen": ["D1"],
        },
        "api:incident_step": {"version": 0, "state": "gedaan"},
        "api:incident_log": {"kind": "besluit", "text": "Vleugel B ontruimen"},
        "crisis:report_new": {"beds_ic": "2", "power_hours": "30"},
        "crisis:support_new": {"what": "Water", "quantity": "5.000 liter"},
        "crisis:support": {"state": "in_behandeling", "reply": "", "version": "0"},
        "crisis:interval": {"hours": "6"},
        "api:sitrep_create": {"organisation": world.own.pk, "beds_ic": 2},
        "api:support_create": {"organisation": world.own.pk, "what": "Water", "quantity": "5 m3"},
        "api:support_move": {"version": 0, "state": "in_behandeling"},
        "crisis:messages": {"title": "Water", "body": "Spaar water.", "to_all": "on"},
        "crisis:message_ack": {"organisation": str(world.own.pk)},
        "api:region_message_send": {"title": "Water", "body": "Spaar water."},
        "api:message_ack": {"organisation": world.own.pk},
        "crisis:contact_new": {**contact, "name": "Anna"},
        "crisis:contact_edit": {**contact, "version": "1"},
        "crisis:contact_remove": {"version": "1"},
        "crisis:contacts_confirm": {},
        "crisis:contact_months": {"months": "12"},
        "crisis:region_contacts": {"function": "RCPS", "phone": "088 765 4321", "always": "on"},
        "crisis:regional_contact_remove": {},
        "api:contact_create": {"name": "Anna", "phone": "06 1234 5678"},
        "api:contacts_confirm": {},
        "api:contact_put": {"version": 1, "name": "Piet", "phone": "038 123 4567"},
        "api:contact_delete": {"version": 1},
        "api:scenario_run": {"region": world.own.region_id, "preset": "stroomuitval-72-uur"},
        "scenarios:clients": {
            "municipality": "Kampen",
            "device": "zuurstofconcentrator",
            "count": "4",
            "battery_hours": "3",
        },
        "scenarios:clients_remove": {},
        "api:clients_add": {
            "municipality": "Kampen",
            "device": "pomp",
            "count": 2,
            "battery_hours": 12,
        },
        "api:clients_remove": {},
        "scenarios:copy": {"van": "preset:stroomuitval-72-uur"},
        "scenarios:edit": scenario_form(),
        "scenarios:remove": {"version": "1"},
    }
