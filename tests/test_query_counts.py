"""List pages make the same number of queries for few and for many rows (no N+1)."""

from __future__ import annotations

from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from weerbaar.organisations.models import Role, Sector

from .conftest import World
from .factories import LocationFactory, OrganisationFactory, functionary, member


def queries(client: Client, url: str) -> int:
    with CaptureQueriesContext(connection) as context:
        response = client.get(url)
    assert response.status_code == 200
    return len(context.captured_queries)


def grow(world: World, n: int) -> None:
    for i in range(n):
        org = OrganisationFactory(region=world.own.region, sector=list(Sector)[i % 12])
        LocationFactory(organisation=org)
        person = member(Role.RESPONDENT, org)
        functionary(org, "ciso", person)


def test_organisation_list_queries_do_not_grow(world: World) -> None:
    client = Client()
    client.force_login(world.coordinator)
    url = reverse("organisations:list")
    few = queries(client, url)
    grow(world, 40)
    assert queries(client, url) == few


def test_home_queries_do_not_grow_for_a_coordinator(world: World) -> None:
    client = Client()
    client.force_login(world.coordinator)
    few = queries(client, reverse("home"))
    grow(world, 40)
    assert queries(client, reverse("home")) == few


def test_organisation_detail_queries_do_not_grow(world: World) -> None:
    client = Client()
    client.force_login(world.alice)
    url = reverse("organisations:detail", args=[world.own.pk])
    few = queries(client, url)
    for _ in range(15):
        LocationFactory(organisation=world.own)
        functionary(world.own, "hr", member(Role.RESPONDENT, world.own))
    assert queries(client, url) == few


def test_framework_page_queries_do_not_depend_on_its_size(world: World) -> None:
    client = Client()
    client.force_login(world.bob)
    kader = queries(client, reverse("frameworks:detail", args=["kader-weerbare-zorg", "2025-11"]))
    zib = queries(client, reverse("frameworks:detail", args=["zorgcontinuiteit-in-balans", "2024"]))
    reference = queries(client, reverse("frameworks:detail", args=["niveaus-noodzorg", "2025"]))
    # Prefetching: a fixed number per kind of content (phases, steps and bullets add three),
    # not per theme or per question.
    assert kader == reference
    assert zib == kader + 3


def test_api_organisation_list_queries_do_not_grow(world: World) -> None:
    client = Client()
    client.force_login(world.coordinator)
    few = queries(client, "/api/v1/organisations")
    grow(world, 40)
    assert queries(client, "/api/v1/organisations") == few


def test_round_overview_queries_do_not_grow_with_its_organisations(world: World) -> None:
    """The round overview shows every organisation's progress: a few queries per sector, not
    several per row (it was ~8 per row)."""
    from .factories import open_round

    def round_of(n: int):
        organisations = [
            OrganisationFactory(region=world.own.region, sector=Sector.ZIEKENHUIS) for _ in range(n)
        ]
        return open_round(world, world.own, *organisations, title=f"Uitvraag {n}")

    client = Client()
    client.force_login(world.coordinator)
    few = queries(client, reverse("assessments:round", args=[round_of(2).pk]))
    many = queries(client, reverse("assessments:round", args=[round_of(30).pk]))
    assert many == few


def test_round_overview_progress_is_what_each_page_shows(world: World) -> None:
    """Batched, the progress per row is the same as each self-assessment's own page shows
    the viewer: for a coordinator, a region reader, and a reader who also answers for one
    organisation (routed questions)."""
    from weerbaar.assessments.answering import answer_save
    from weerbaar.assessments.progress import progress, round_progress
    from weerbaar.assessments.routing import items_for_user
    from weerbaar.frameworks.models import Item

    from .factories import open_round

    sharing = OrganisationFactory(
        region=world.own.region, sector=Sector.ZIEKENHUIS, shares_with_region_readers=True
    )  # the reader sees it, without its confidential questions, and is no member of it
    round_ = open_round(world, world.own, world.other, sharing)
    for assessment in round_.assessments.all():
        for code in ("CY-01", "ZC-02"):
            answer_save(
                assessment=assessment,
                item=Item.objects.get(section__framework=round_.framework, code=code),
                data={"not_applicable": True, "na_reason": "Niet van toepassing"},
                expected_version=0,
                by=world.coordinator,
            )
    functionary(world.other, "ciso", world.reader)
    member(Role.RESPONDENT, world.other, email="extra@beta.test")
    from weerbaar.organisations.models import Membership

    Membership.objects.create(
        user=world.reader,
        region=world.other.region,
        organisation=world.other,
        role=Role.RESPONDENT,
    )
    from weerbaar.organisations import access
    from weerbaar.organisations.access import Level

    everyone = list(round_.assessments.select_related("organisation", "round__framework"))
    for user in (world.coordinator, world.reader):
        detail = set(access.organisations_for(user, Level.DETAIL).values_list("pk", flat=True))
        assessments = [a for a in everyone if a.organisation_id in detail]  # as the page does
        assert sharing.pk in {a.organisation_id for a in assessments}
        batched = round_progress(assessments, user)
        for assessment in assessments:
            one = progress(assessment, items_for_user(assessment, user))
            assert (batched[assessment.pk].done, batched[assessment.pk].total) == (
                one.done,
                one.total,
            ), (user, assessment.organisation)


# --- Every other list page: the same queries for a few rows and for many -------------------


def _actions(world: World, n: int) -> None:
    from weerbaar.plan.actions import action_create

    for i in range(n):
        action_create(organisation=world.own, title=f"Actie {i}", by=world.alice, owner=world.alice)


def _own_suppliers(world: World, n: int) -> None:
    from weerbaar.dependencies.register import dependency_save

    start = world.own.dependencies.count()
    for i in range(start, start + n):
        dependency_save(
            organisation=world.own, by=world.alice, category="cloud", supplier=f"Cloud {i}"
        )


def _regional_suppliers(world: World, n: int) -> None:
    from weerbaar.dependencies.register import dependency_save

    for i in range(n):
        org = OrganisationFactory(region=world.own.region, shares_with_region_readers=True)
        dependency_save(
            organisation=org, by=world.coordinator, category="brandstof", supplier="Olie"
        )
        dependency_save(organisation=org, by=world.coordinator, category="cloud", supplier=f"C{i}")


def _statuses(world: World, n: int) -> None:
    from weerbaar.frameworks.models import Item
    from weerbaar.recommendations.status import recommendation_set

    items = Item.objects.filter(section__framework__slug="zorgrisicoprofiel-adviezen")
    links = [(item, link.role) for item in items for link in item.responsible_links.all()]
    from weerbaar.recommendations.models import RecommendationStatus

    start = RecommendationStatus.objects.count()
    for item, role in links[start : start + n]:
        recommendation_set(
            region=world.own.region, item=item, role=role, by=world.coordinator, state="bezig"
        )


def _rounds(world: World, n: int) -> None:
    from .factories import open_round

    for i in range(n):
        open_round(world, world.own, world.other, title=f"Uitvraag {i}")


def _exports(world: World, n: int) -> None:
    from weerbaar.insights.models import Export, ExportKind

    from .factories import open_round

    round_ = open_round(world, world.own, title="Uitvraag export")
    Export.objects.bulk_create(
        Export(
            region=world.own.region,
            round=round_,
            kind=ExportKind.REGION_XLSX,
            requested_by=world.coordinator,
        )
        for _ in range(n)
    )


def _crisis(world: World, n: int) -> None:
    """n organisations with an open incident, two reports, a support request and a message."""
    from weerbaar.crisis.incidents import incident_open
    from weerbaar.crisis.messages import message_send
    from weerbaar.crisis.status import clean_report, report_add, support_ask

    figures = clean_report({"beds_ic": "2", "power_hours": "30"})
    for _ in range(n):
        org = OrganisationFactory(region=world.own.region)
        admin = member(Role.ORG_ADMIN, org)
        incident_open(organisation=org, title="Stroom", codes=["D5", "D1"], by=admin)
        report_add(organisation=org, by=admin, figures=figures)
        report_add(organisation=org, by=admin, figures={**figures, "beds_ic": 1})
        support_ask(organisation=org, by=admin, what="Diesel", quantity="1.000 liter")
        message_send(
            region=world.own.region, by=world.reader, title="Water", body="b", organisations=[org]
        )


def _scenarios(world: World, n: int) -> None:
    """n saved copies of a preset."""
    from weerbaar.scenarios.saved import preset_source, scenario_copy

    for _ in range(n):
        scenario_copy(
            region=world.own.region,
            by=world.coordinator,
            source=preset_source("stroomuitval-72-uur"),
        )


def _scenario_organisations(world: World, n: int) -> None:
    """n organisations that share with the readers, each with a location, power-dependent
    clients at home and a status report (used with ``?meldingen=1``)."""
    from weerbaar.crisis.status import clean_report, report_add
    from weerbaar.scenarios.clients import clients_add

    for _ in range(n):
        org = OrganisationFactory(region=world.own.region, shares_with_region_readers=True)
        LocationFactory(organisation=org, city="Deventer")
        admin = member(Role.ORG_ADMIN, org)
        clients_add(
            organisation=org,
            by=admin,
            values={"municipality": "Deventer", "device": "pomp", "count": 2, "battery_hours": 4},
        )
        report_add(organisation=org, by=admin, figures=clean_report({"power_hours": "20"}))


LIST_PAGES = {
    # page: (who looks, its URL, what adds rows)
    "verbeterplan": ("alice", lambda w: reverse("plan:plan", args=[w.own.pk]), _actions),
    "verbeterplan (API)": (
        "alice",
        lambda w: f"/api/v1/organisations/{w.own.pk}/actions",
        _actions,
    ),
    "afhankelijkheden": (
        "alice",
        lambda w: reverse("dependencies:dependencies", args=[w.own.pk]),
        _own_suppliers,
    ),
    "afhankelijkheden regio": (
        "reader",
        lambda w: reverse("dependencies:region_dependencies", args=[w.own.region_id]),
        _regional_suppliers,
    ),
    "adviezen": (
        "coordinator",
        lambda w: reverse("recommendations:recommendations", args=[w.own.region_id]),
        _statuses,
    ),
    "uitvragen": ("coordinator", lambda w: reverse("assessments:rounds"), _rounds),
    "zelfevaluaties (API)": ("alice", lambda w: "/api/v1/assessments", _rounds),
    "crisisbeeld": (
        "reader",
        lambda w: reverse("crisis:picture", args=[w.own.region_id]),
        _crisis,
    ),
    "crisisbeeld (API)": (
        "reader",
        lambda w: f"/api/v1/regions/{w.own.region_id}/picture",
        _crisis,
    ),
    "regionale berichten": (
        "reader",
        lambda w: reverse("crisis:messages", args=[w.own.region_id]),
        _crisis,
    ),
    "exports": (
        "coordinator",
        lambda w: reverse("insights:exports", args=[w.own.region_id]),
        _exports,
    ),
    "scenario's": (
        "coordinator",
        lambda w: reverse("scenarios:list", args=[w.own.region_id]),
        _scenarios,
    ),
    "scenario": (
        "reader",
        lambda w: (
            reverse("scenarios:preset", args=[w.own.region_id, "stroomuitval-72-uur"])
            + "?meldingen=1"
        ),
        _scenario_organisations,
    ),
    "scenario (coördinator)": (
        "coordinator",
        lambda w: reverse("scenarios:preset", args=[w.own.region_id, "uitbraak-20-procent"]),
        _scenario_organisations,
    ),
}


import pytest  # noqa: E402


@pytest.mark.parametrize("page", list(LIST_PAGES))
def test_list_page_queries_do_not_grow_with_its_rows(world: World, page: str) -> None:
    who, url_of, add = LIST_PAGES[page]
    client = Client()
    client.force_login(getattr(world, who))
    url = url_of(world)
    add(world, 2)
    few = queries(client, url)
    add(world, 12)
    many = queries(client, url)
    assert many == few, f"{page}: {few} queries for a few rows, {many} for many"


def test_the_self_assessment_page_queries_do_not_grow_with_its_answers(world: World) -> None:
    """All 69 questions answered, each with a comment, history and evidence, cost the same
    queries as a page with two answers: the page prefetches what it shows beside each."""
    from django.core.files.uploadedfile import SimpleUploadedFile

    from weerbaar.assessments import workflow
    from weerbaar.assessments.answering import answer_save
    from weerbaar.assessments.evidence import evidence_add
    from weerbaar.assessments.models import ReviewComment
    from weerbaar.assessments.routing import items_of

    from .factories import open_round

    assessment = open_round(world).assessments.get()
    items = list(items_of(assessment).prefetch_related("parts"))
    assert len(items) >= 57

    def answer(item) -> None:
        has_maturity = any(part.type == "maturity" for part in item.parts.all())
        data = (
            {"values": {"maturity": "2"}}
            if has_maturity
            else {"not_applicable": True, "na_reason": "Niet voor ons"}
        )
        saved = answer_save(
            assessment=assessment, item=item, data=data, expected_version=0, by=world.alice
        ).answer
        workflow.comment_add(
            answer=saved, kind=ReviewComment.Kind.REPLY, text="Gecontroleerd.", by=world.alice
        )
        evidence_add(
            answer=saved,
            upload=SimpleUploadedFile("plan.png", PNG, content_type="image/png"),
            by=world.alice,
        )

    url = reverse("assessments:detail", args=[assessment.pk])
    for who in ("alice", "coordinator", "bob"):
        client = Client()
        client.force_login(getattr(world, who))
        if who == "alice":
            for item in items[:2]:
                answer(item)
            few = queries(client, url)
            for item in items[2:]:
                answer(item)
            assert queries(client, url) == few
        else:
            assert queries(client, url) <= few + 2, who
        assert queries(client, url + "?filter=hiaten") == queries(client, url), who


PNG = (
    b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x06\x00\x00\x00"
    b"\x1f\x15\xc4\x89\x00\x00\x00\rIDATx\x9cc\xf8\xff\xff?\x00\x05\xfe\x02\xfe\xa7\x35\x81\x84"
    b"\x00\x00\x00\x00IEND\xaeB`\x82"
)
