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

from . import matrix_warm as warm
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
MATRIX.update(warm.MATRIX)  # the warme fase and the scenarios: tests/matrix_warm.py

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
        **warm.kwargs(world),
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
    warm.setup(world)
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
}
WRITES.update(warm.WRITES)


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
        **warm.write_bodies(world),
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
