"""Role × URL → expected status, walked from Django's URL resolver.

Every URL the project serves must have a row here, with an expected status for each of the
six kinds of visitor; a new URL without a row fails ``test_every_url_has_a_row``. Object
URLs point at Alice's organisation (``world.own``), so the rows also prove that a user of
another organisation gets a 404.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterator

import pytest
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from weerbaar.assessments.models import Assessment
from weerbaar.assessments.rounds import round_open
from weerbaar.frameworks.export import get_framework

from .conftest import World

ROLES = ("coordinator", "reader", "org_admin", "respondent", "other_org", "anonymous")

# url name: (coordinator, reader, org_admin, respondent, other_org, anonymous)
# 302 for anonymous is the redirect to the sign-in page.
MATRIX: dict[str, tuple[int, int, int, int, int, int]] = {
    "home": (200, 200, 200, 200, 200, 302),
    "healthz": (200, 200, 200, 200, 200, 200),
    "favicon": (301, 301, 301, 301, 301, 301),
    "frameworks:list": (200, 200, 200, 200, 200, 302),
    "frameworks:detail": (200, 200, 200, 200, 200, 302),
    "organisations:list": (200, 200, 200, 200, 200, 302),
    "organisations:detail": (200, 404, 200, 404, 404, 302),
    "organisations:functionaries": (200, 404, 200, 404, 404, 302),
    "organisations:invite": (405, 405, 405, 405, 405, 302),
    "sign_in_link": (200, 200, 200, 200, 200, 200),
    "set_language": (302, 302, 302, 302, 302, 302),
    # Rounds and assessments (the assessment is Alice's; Bob is its CISO).
    "assessments:rounds": (200, 200, 200, 200, 200, 302),
    "assessments:round_create": (200, 403, 403, 403, 403, 302),
    "assessments:round": (200, 200, 404, 404, 404, 302),
    # A round being opened in the background: the region's coordinators only.
    "assessments:round_opening": (200, 404, 404, 404, 404, 302),
    "assessments:round_opening_retry": (405, 405, 405, 405, 405, 302),
    "assessments:detail": (200, 404, 200, 200, 404, 302),
    "assessments:answer": (200, 404, 200, 200, 404, 302),
    "assessments:comment": (405, 405, 405, 405, 405, 302),
    # A workflow step's confirmation page (submitting Alice's concept): hers to take.
    "assessments:step": (403, 404, 200, 403, 404, 302),
    "assessments:mine": (200, 200, 200, 200, 200, 302),
    "insights:gaps": (200, 404, 200, 404, 404, 302),
    "insights:report": (200, 404, 200, 404, 404, 302),
    "api:assessment_gaps": (200, 404, 200, 404, 404, 401),
    # The regional picture: coordinators and region readers of the region only.
    "insights:heatmap": (200, 200, 404, 404, 404, 302),
    "api:region_heatmap": (200, 200, 404, 404, 404, 401),
    "insights:norms": (200, 200, 404, 404, 404, 302),
    "api:region_norms": (200, 200, 404, 404, 404, 401),
    "insights:capacity": (200, 200, 404, 404, 404, 302),
    "insights:capacity_release": (405, 404, 404, 404, 404, 302),  # POST, coordinators only
    "api:region_capacity": (200, 200, 404, 404, 404, 401),
    "api:region_capacity_release": (405, 405, 405, 405, 405, 405),  # POST: test_capacity
    "dependencies:region_dependencies": (200, 200, 404, 404, 404, 302),
    "insights:trend": (200, 200, 404, 404, 404, 302),
    "insights:needs": (200, 200, 404, 404, 404, 302),
    "recommendations:recommendations": (200, 200, 404, 404, 404, 302),
    # Advies 1 is the zorginstellingen' part: the coordinators keep it; the reader (who speaks
    # for no party) sees the region but may not change it.
    "recommendations:recommendation_edit": (200, 403, 404, 404, 404, 302),
    "insights:export_request": (405, 405, 405, 405, 405, 302),
    "insights:exports": (200, 200, 404, 404, 404, 302),
    "insights:export_download": (404, 404, 404, 404, 404, 302),
    "insights:gaps_excel": (200, 404, 200, 404, 404, 302),
    "api:region_needs": (200, 200, 404, 404, 404, 401),
    "api:region_trend": (200, 200, 404, 404, 404, 401),
    "api:region_dependencies": (200, 200, 404, 404, 404, 401),
    "dependencies:dependencies": (200, 404, 200, 404, 404, 302),
    "dependencies:dependency_new": (200, 404, 200, 404, 404, 302),
    "dependencies:dependency_edit": (200, 404, 200, 404, 404, 302),
    # The improvement plan: organisation data (sharing readers may read it, not change it).
    "plan:plan": (200, 404, 200, 404, 404, 302),
    "plan:action_new": (200, 404, 200, 404, 404, 302),
    "plan:action_edit": (200, 404, 200, 404, 404, 302),
    "api:action_list": (200, 404, 200, 404, 404, 401),
    "api:action_create": (200, 404, 200, 404, 404, 401),  # same URL as the list (GET)
    "api:action_put": (405, 405, 405, 405, 405, 405),
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
    "assessments:evidence_upload": (405, 405, 405, 405, 405, 302),
    "assessments:evidence": (404, 404, 404, 404, 404, 302),
    "assessments:evidence_remove": (405, 405, 405, 405, 405, 302),
    "assessments:assign": (405, 405, 405, 405, 405, 302),
    "assessments:excel_export": (200, 404, 200, 200, 404, 302),
    "assessments:excel_import": (405, 405, 405, 405, 405, 302),
    "assessments:excel_import_confirm": (405, 405, 405, 405, 405, 302),
    "api:api-root": (404, 404, 404, 404, 404, 404),
    "api:openapi-json": (200, 200, 200, 200, 200, 200),
    "api:me": (200, 200, 200, 200, 200, 401),
    "api:framework_list": (200, 200, 200, 200, 200, 401),
    "api:framework_detail": (200, 200, 200, 200, 200, 401),
    "api:organisation_list": (200, 200, 200, 200, 200, 401),
    "api:organisation_detail": (200, 404, 200, 404, 404, 401),
    "api:assessment_list": (200, 200, 200, 200, 200, 401),
    "api:assessment_detail": (200, 404, 200, 200, 404, 401),
    "api:assessment_answers": (200, 404, 200, 200, 404, 401),
    "api:answer_put": (405, 405, 405, 405, 405, 405),
    "api:submit": (405, 405, 405, 405, 405, 405),
    # allauth: signed-in people are sent on from the entrance pages.
    "account_login": (302, 302, 302, 302, 302, 200),
    "account_logout": (200, 200, 200, 200, 200, 302),
    "account_signup": (302, 302, 302, 302, 302, 200),
    "account_inactive": (200, 200, 200, 200, 200, 200),
    "account_reauthenticate": (200, 200, 200, 200, 200, 302),
    "account_email": (200, 200, 200, 200, 200, 302),
    "account_email_verification_sent": (200, 200, 200, 200, 200, 200),
    "account_change_password": (200, 200, 200, 200, 200, 302),
    "account_set_password": (302, 302, 302, 302, 302, 302),
    "account_reset_password": (200, 200, 200, 200, 200, 200),
    "account_reset_password_done": (200, 200, 200, 200, 200, 200),
    "account_confirm_login_code": (302, 302, 302, 302, 302, 302),
    # Re-authentication by an e-mailed code is switched off (password or MFA only).
    "account_request_reauthentication_code": (403, 403, 403, 403, 403, 302),
    "account_confirm_reauthentication_code": (403, 403, 403, 403, 403, 302),
    "account_confirm_email": (200, 200, 200, 200, 200, 200),
    "account_reset_password_from_key": (200, 200, 200, 200, 200, 200),
    "account_reset_password_from_key_done": (200, 200, 200, 200, 200, 200),
    # MFA pages: setting up or removing a factor first asks to re-authenticate (302);
    # recovery codes do not exist until they are generated (404).
    "mfa_index": (200, 200, 200, 200, 200, 302),
    "mfa_authenticate": (302, 302, 302, 302, 302, 302),
    "mfa_reauthenticate": (200, 302, 200, 302, 200, 302),
    "mfa_activate_totp": (302, 302, 302, 302, 302, 302),
    "mfa_deactivate_totp": (302, 404, 302, 404, 302, 302),
    "mfa_view_recovery_codes": (404, 404, 404, 404, 404, 302),
    "mfa_generate_recovery_codes": (302, 302, 302, 302, 302, 302),
    "mfa_download_recovery_codes": (404, 404, 404, 404, 404, 302),
}

# The Django admin is for regional coordinators (staff); everyone else is sent to its
# sign-in page. Its URLs are checked by rule: index and every changelist. Platform tables
# (sign-in logs, authenticators, the task queue) are for superusers only.
ADMIN_FOR_COORDINATOR = 200
ADMIN_FOR_OTHERS = 302
PLATFORM_ONLY = {
    "admin:account_emailaddress_changelist",
    "admin:axes_accessattempt_changelist",
    "admin:axes_accessfailurelog_changelist",
    "admin:axes_accesslog_changelist",
    "admin:django_tasks_database_dbtaskresult_changelist",
    "admin:mfa_authenticator_changelist",
}


def url_names() -> Iterator[tuple[str, URLPattern]]:
    def walk(resolver: URLResolver, namespace: str | None) -> Iterator[tuple[str, URLPattern]]:
        for pattern in resolver.url_patterns:
            if isinstance(pattern, URLResolver):
                ns = pattern.namespace
                full = f"{namespace}:{ns}" if namespace and ns else (ns or namespace)
                yield from walk(pattern, full)
            elif pattern.name:
                yield (f"{namespace}:{pattern.name}" if namespace else pattern.name), pattern

    yield from walk(get_resolver(), None)


def _action_pk(world: World) -> int:
    from weerbaar.plan.models import ImprovementAction

    action = ImprovementAction.objects.filter(organisation=world.own).first()
    return action.pk if action else 999999


def _dependency_pk(world: World) -> int:
    from weerbaar.dependencies.models import Dependency

    dependency = Dependency.objects.filter(organisation=world.own).first()
    return dependency.pk if dependency else 999999


def _recommendation_kwargs(world: World) -> dict[str, object]:
    from weerbaar.frameworks.models import Item

    item = Item.objects.filter(section__framework__slug="zorgrisicoprofiel-adviezen").first()
    link = item.responsible_links.select_related("role").first() if item else None
    return {
        "pk": world.own.region_id,
        "item_pk": item.pk if item else 1,
        "role_key": link.role.key if link else "ghor",
    }


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


def _evidence_pk() -> int:
    from weerbaar.assessments.models import Evidence

    evidence = Evidence.objects.first()
    return evidence.pk if evidence else 999999


def _opening_pk(world: World) -> int:
    from weerbaar.assessments.models import RoundOpening

    opening = RoundOpening.objects.filter(region=world.own.region).first()
    return opening.pk if opening else 999999


def kwargs_for(name: str, world: World, assessment: Assessment | None = None) -> dict[str, object]:
    assessment_pk = assessment.pk if assessment else 1
    round_pk = assessment.round_id if assessment else 1
    return {
        "assessments:round": {"pk": round_pk},
        "assessments:round_opening": {"pk": _opening_pk(world)},
        "assessments:round_opening_retry": {"pk": _opening_pk(world)},
        "api:assessment_detail": {"pk": assessment_pk},
        "api:assessment_answers": {"pk": assessment_pk},
        "api:answer_put": {"pk": assessment_pk, "code": "CY-01"},
        "api:submit": {"pk": assessment_pk},
        "assessments:detail": {"pk": assessment_pk},
        "insights:gaps": {"pk": assessment_pk},
        "insights:report": {"pk": assessment_pk},
        "api:assessment_gaps": {"pk": assessment_pk},
        "insights:heatmap": {"pk": world.own.region_id},
        "api:region_heatmap": {"pk": world.own.region_id},
        "insights:norms": {"pk": world.own.region_id},
        "api:region_norms": {"pk": world.own.region_id},
        "insights:capacity": {"pk": world.own.region_id},
        "insights:capacity_release": {"pk": world.own.region_id},
        "api:region_capacity": {"pk": world.own.region_id},
        "api:region_capacity_release": {"pk": world.own.region_id},
        "dependencies:region_dependencies": {"pk": world.own.region_id},
        "insights:trend": {"pk": world.own.region_id},
        "insights:needs": {"pk": world.own.region_id},
        "recommendations:recommendations": {"pk": world.own.region_id},
        "recommendations:recommendation_edit": _recommendation_kwargs(world),
        "insights:export_request": {"pk": world.own.region_id},
        "insights:exports": {"pk": world.own.region_id},
        "insights:export_download": {"pk": 999999},
        "insights:gaps_excel": {"pk": assessment_pk},
        "api:region_needs": {"pk": world.own.region_id},
        "api:region_trend": {"pk": world.own.region_id},
        "api:region_dependencies": {"pk": world.own.region_id},
        "dependencies:dependencies": {"pk": world.own.pk},
        "dependencies:dependency_new": {"pk": world.own.pk},
        "dependencies:dependency_edit": {
            "pk": world.own.pk,
            "dependency_pk": _dependency_pk(world),
        },
        "plan:plan": {"pk": world.own.pk},
        "plan:action_new": {"pk": world.own.pk},
        "plan:action_edit": {"pk": world.own.pk, "action_pk": _action_pk(world)},
        "api:action_list": {"pk": world.own.pk},
        "api:action_create": {"pk": world.own.pk},
        "api:action_put": {"pk": world.own.pk, "action_pk": _action_pk(world)},
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
        "assessments:step": {"pk": assessment_pk, "name": "submit"},
        "assessments:answer": {"pk": assessment_pk, "code": "CY-01"},
        "assessments:comment": {"pk": assessment_pk, "code": "CY-01"},
        "assessments:evidence_upload": {"pk": assessment_pk, "code": "CY-01"},
        "assessments:evidence": {"pk": 999999},
        "assessments:evidence_remove": {"pk": _evidence_pk()},
        "assessments:assign": {"pk": assessment_pk, "code": "CY-01"},
        "assessments:excel_export": {"pk": assessment_pk},
        "assessments:excel_import": {"pk": assessment_pk},
        "assessments:excel_import_confirm": {"pk": assessment_pk},
        "frameworks:detail": {"slug": "kader-weerbare-zorg", "version": "2025-11"},
        "organisations:detail": {"pk": world.own.pk},
        "organisations:functionaries": {"pk": world.own.pk},
        "organisations:invite": {"pk": world.own.pk, "user_pk": world.bob.pk},
        "sign_in_link": {"token": "not-a-token"},
        "api:framework_detail": {"slug": "kader-weerbare-zorg"},
        "api:organisation_detail": {"pk": world.own.pk},
        "account_confirm_email": {"key": "not-a-key"},
        "account_reset_password_from_key": {"uidb36": "0", "key": "not-a-key"},
    }.get(name, {})


def client_for(role: str, world: World) -> Client:
    client = Client()
    user = {
        "coordinator": world.coordinator,
        "reader": world.reader,
        "org_admin": world.alice,
        "respondent": world.bob,
        "other_org": world.charlie,
        "anonymous": None,
    }[role]
    if user is not None:
        client.force_login(user)
    return client


def test_every_url_has_a_row() -> None:
    names = {name for name, _pattern in url_names() if not name.startswith("admin:")}
    assert sorted(names - set(MATRIX)) == []
    assert sorted(set(MATRIX) - names) == []


@pytest.fixture
def assessment(world: World) -> Assessment:
    round_ = round_open(
        region=world.own.region,
        framework=get_framework("kader-weerbare-zorg"),
        organisations=[world.own, world.other],
        title="Uitvraag",
        opens_on=datetime.date(2026, 11, 1),
        deadline=datetime.date(2026, 12, 31),
        by=world.coordinator,
    )
    from weerbaar.assessments.rounds import round_opening_request
    from weerbaar.plan.actions import action_create

    round_opening_request(
        region=world.own.region,
        framework=get_framework("kader-weerbare-zorg"),
        organisations=[world.own, world.other],
        title="Uitvraag op de achtergrond",
        opens_on=datetime.date(2026, 11, 1),
        deadline=datetime.date(2026, 12, 31),
        by=world.coordinator,
    )
    action_create(organisation=world.own, title="Noodstroomplan oefenen", by=world.alice)
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
    from django.core.files.uploadedfile import SimpleUploadedFile

    from weerbaar.assessments.answering import answer_save
    from weerbaar.assessments.evidence import evidence_add
    from weerbaar.frameworks.models import Item

    own = round_.assessments.get(organisation=world.own)
    cy01 = Item.objects.get(section__framework=round_.framework, code="CY-01")
    answered = answer_save(
        assessment=own,
        item=cy01,
        data={"values": {"maturity": "2"}},
        expected_version=0,
        by=world.alice,
    ).answer
    evidence_add(
        answer=answered,
        upload=SimpleUploadedFile("beleid.pdf", _pdf_bytes(), content_type="application/pdf"),
        by=world.alice,
    )
    from weerbaar.dependencies.register import dependency_save

    dependency_save(
        organisation=world.own, by=world.alice, category="brandstof", supplier="Olie Oost B.V."
    )
    return round_.assessments.get(organisation=world.own)


@pytest.mark.parametrize("role", ROLES)
def test_matrix(role: str, world: World, assessment: Assessment) -> None:
    client = client_for(role, world)
    index = ROLES.index(role)
    failures = []
    for name, expected in MATRIX.items():
        url = reverse(name, kwargs=kwargs_for(name, world, assessment))
        status = client.get(url).status_code
        if status != expected[index]:
            failures.append(f"{name} ({url}): expected {expected[index]}, got {status}")
    assert failures == [], "\n".join(failures)


@pytest.mark.parametrize("role", ROLES)
def test_admin_urls_by_rule(role: str, world: World) -> None:
    client = client_for(role, world)
    names = ["admin:index"] + [
        name
        for name, _p in url_names()
        if name.startswith("admin:") and name.endswith("_changelist")
    ]
    assert len(names) >= 9
    failures = []
    for name in names:
        if role != "coordinator":
            expected = ADMIN_FOR_OTHERS
        else:
            expected = 403 if name in PLATFORM_ONLY else ADMIN_FOR_COORDINATOR
        status = client.get(reverse(name)).status_code
        if status != expected:
            failures.append(f"{name}: expected {expected}, got {status}")
    assert failures == [], "\n".join(failures)


# --- Writes -------------------------------------------------------------------------------
# Every URL that changes something, sent as each kind of visitor with a valid request: the
# people allowed get their change through (302 after a form, 200/201 from autosave and the
# API), the others the refusal the access layer promises: 404 when they may not see the
# object, 403 when they may see it but not change it, the sign-in page (302) or a 401 for
# anonymous visitors. Each write is rolled back before the next one.

WRITES: dict[str, tuple[str, tuple[int, int, int, int, int, int]]] = {
    # url name: (method, (coordinator, reader, org_admin, respondent, other_org, anonymous))
    "organisations:invite": ("POST", (302, 404, 302, 404, 404, 302)),
    "assessments:answer": ("POST", (403, 404, 302, 302, 404, 302)),
    "assessments:evidence_upload": ("POST", (403, 404, 302, 302, 404, 302)),
    "assessments:evidence_remove": ("POST", (403, 404, 302, 302, 404, 302)),
    # Without a file (the import itself: test_excel): who may start one at all.
    # Without a file (the import itself: test_excel): who may start one at all; the people
    # who may get "choose a file" (400).
    "assessments:excel_import": ("POST", (403, 404, 400, 400, 404, 302)),
    # Nothing checked is waiting in anyone's session: sent back to the self-assessment (those
    # who may open it) with nothing saved. A checked import is kept in its checker's own
    # session, and each of its questions is checked again when it is saved.
    "assessments:excel_import_confirm": ("POST", (302, 404, 302, 302, 404, 302)),
    # A coordinator comments in the review, not on a concept.
    "assessments:comment": ("POST", (403, 404, 302, 302, 404, 302)),
    "assessments:step": ("POST", (403, 404, 302, 403, 404, 302)),  # submit, signed off
    "assessments:assign": ("POST", (403, 404, 302, 403, 404, 302)),
    "assessments:round_opening_retry": ("POST", (302, 404, 404, 404, 404, 302)),
    "insights:capacity_release": ("POST", (302, 404, 404, 404, 404, 302)),
    # A small region's export comes back at once (200); a large one's is queued (302).
    "insights:export_request": ("POST", (200, 200, 404, 404, 404, 302)),
    "recommendations:recommendation_edit": ("POST", (302, 403, 404, 404, 404, 302)),
    "dependencies:dependency_new": ("POST", (302, 404, 302, 404, 404, 302)),
    "dependencies:dependency_edit": ("POST", (302, 404, 302, 404, 404, 302)),
    "plan:action_new": ("POST", (302, 404, 302, 404, 404, 302)),
    "plan:action_edit": ("POST", (302, 404, 302, 404, 404, 302)),
    "api:answer_put": ("PUT", (403, 404, 200, 200, 404, 401)),
    "api:submit": ("POST", (403, 404, 200, 403, 404, 401)),
    "api:action_create": ("POST", (201, 404, 201, 404, 404, 401)),
    "api:action_put": ("PUT", (200, 404, 200, 404, 404, 401)),
    "api:region_capacity_release": ("POST", (409, 404, 404, 404, 404, 401)),
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
    # Scenarios: the region's coordinators (readers wait for the small-group rules).
    "api:scenario_run": ("POST", (200, 403, 404, 404, 404, 401)),
    "scenarios:clients": ("POST", (302, 404, 302, 404, 404, 302)),
    "scenarios:clients_remove": ("POST", (302, 404, 302, 404, 404, 302)),
    "api:clients_add": ("POST", (201, 404, 201, 404, 404, 401)),
    "api:clients_remove": ("DELETE", (204, 404, 204, 404, 404, 401)),
}


def _pdf_bytes() -> bytes:
    return (
        b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n"
        b"2 0 obj<</Type/Pages/Kids[]/Count 0>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n"
    )


def _pdf() -> object:
    from django.core.files.uploadedfile import SimpleUploadedFile

    return SimpleUploadedFile("plan.pdf", _pdf_bytes(), content_type="application/pdf")


def write_body(name: str, world: World, assessment: Assessment) -> dict[str, object]:
    """A request that succeeds for whoever may send it."""
    from weerbaar.dependencies.models import Dependency
    from weerbaar.plan.models import ImprovementAction

    action = ImprovementAction.objects.get(organisation=world.own)
    dependency = Dependency.objects.get(organisation=world.own)
    supplier = {"category": "brandstof", "origin": "nl", "alternative": "", "note": ""}
    contact = {
        "kind": "sleutelfunctionaris",
        "function": "ict",
        "name": "Piet",
        "phone": "038 123 4567",
        "always": "on",
    }
    return {
        "organisations:invite": {},
        "assessments:answer": {"version": "1", "v-maturity": "3"},
        "assessments:comment": {"kind": "comment", "text": "Graag een toelichting."},
        "assessments:step": {"akkoord": "1"},
        "assessments:assign": {"users": [str(world.bob.pk)]},
        "assessments:evidence_upload": {"file": _pdf()},
        "assessments:evidence_remove": {},
        "assessments:excel_import": {},
        "assessments:excel_import_confirm": {},
        "assessments:round_opening_retry": {},
        "insights:capacity_release": {"ronde": str(assessment.round_id)},
        "insights:export_request": {"ronde": str(assessment.round_id), "soort": "regio_xlsx"},
        "recommendations:recommendation_edit": {"state": "bezig", "version": "0"},
        "dependencies:dependency_new": {**supplier, "supplier": "Diesel Noord", "version": ""},
        "dependencies:dependency_edit": {
            **supplier,
            "supplier": "Olie Oost",
            "version": str(dependency.version),
        },
        "plan:action_new": {"title": "Oefenen", "status": "open"},
        "plan:action_edit": {"title": "Oefenen", "status": "bezig", "version": str(action.version)},
        "api:answer_put": {"version": 1, "values": {"maturity": "3"}},
        "api:submit": {},
        "api:action_create": {"title": "Oefenen"},
        "api:action_put": {"title": "Oefenen", "status": "bezig", "version": action.version},
        "api:region_capacity_release": {},
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
    }[name]


def test_every_write_url_has_a_row() -> None:
    """A URL that answers a GET with 405 only takes writes: it must be in WRITES."""
    writes_only = {name for name, row in MATRIX.items() if set(row[:5]) == {405}}
    assert sorted(writes_only - set(WRITES)) == []


@pytest.mark.parametrize("role", ROLES)
def test_write_matrix(role: str, world: World, assessment: Assessment) -> None:
    import json

    from django.db import transaction

    client = client_for(role, world)
    index = ROLES.index(role)
    failures = []
    for name, (method, expected) in WRITES.items():
        url = reverse(name, kwargs=kwargs_for(name, world, assessment))
        body = write_body(name, world, assessment)
        with transaction.atomic():
            if name.startswith("api:"):
                response = client.generic(
                    method, url, json.dumps(body), content_type="application/json"
                )
            else:
                response = client.post(url, body)
            transaction.set_rollback(True)
        if response.status_code != expected[index]:
            failures.append(
                f"{method} {name} ({url}): expected {expected[index]}, "
                f"got {response.status_code} {response.content[:200]!r}"
            )
    assert failures == [], "\n".join(failures)
