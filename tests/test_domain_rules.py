"""Who may act is decided in the domain, once: the web page, the API and any other caller
get the same refusal (``NotAllowed``, a 403) and nothing is changed or audited."""

from __future__ import annotations

import pytest

from weerbaar.assessments import workflow
from weerbaar.assessments.models import AssessmentState
from weerbaar.audit.models import AuditEvent
from weerbaar.frameworks.models import Item
from weerbaar.insights.capacity import capacity_release
from weerbaar.organisations.access import NotAllowed
from weerbaar.plan.actions import NotAColleague, StaleAction, action_create, action_update
from weerbaar.recommendations.models import RecommendationStatus
from weerbaar.recommendations.status import recommendation_set

from .conftest import World
from .factories import open_round


@pytest.mark.parametrize(
    ("step", "who"),
    [("submit", "coordinator"), ("submit", "bob"), ("submit", "charlie"), ("approve", "reader")],
)
def test_a_workflow_step_by_someone_else_is_refused(world: World, step: str, who: str) -> None:
    assessment = open_round(world).assessments.get()
    if step == "approve":
        workflow.assessment_step(assessment=assessment, name="submit", by=world.alice)
    state = assessment.state
    events = AuditEvent.objects.count()
    with pytest.raises(NotAllowed) as refused:
        workflow.assessment_step(assessment=assessment, name=step, by=getattr(world, who))
    assert str(refused.value) == str(workflow.STEPS[step].refused)
    assessment.refresh_from_db()
    assert assessment.state == state and AuditEvent.objects.count() == events


def test_each_step_is_taken_by_the_one_it_belongs_to(world: World) -> None:
    assessment = open_round(world).assessments.get()
    for name, by, state in [
        ("submit", world.alice, AssessmentState.SUBMITTED),
        ("return", world.coordinator, AssessmentState.CONCEPT),
        ("submit", world.alice, AssessmentState.SUBMITTED),
        ("approve", world.coordinator, AssessmentState.REVIEWED),
        ("finalise", world.coordinator, AssessmentState.FINAL),
        ("reopen", world.coordinator, AssessmentState.CONCEPT),
    ]:
        assert workflow.may_take(by, assessment, name)
        reason = "Graag aanvullen." if workflow.STEPS[name].sends_back else ""
        workflow.assessment_step(assessment=assessment, name=name, by=by, reason=reason)
        assert assessment.state == state


def test_the_api_gives_the_domains_reason(world: World) -> None:
    from django.test import Client

    assessment = open_round(world).assessments.get()
    client = Client()
    client.force_login(world.bob)
    response = client.post(f"/api/v1/assessments/{assessment.pk}/submit")
    assert response.status_code == 403
    assert response.json() == {"detail": "Alleen de organisatiebeheerder kan indienen."}


def test_only_a_coordinator_releases_capacity_figures(world: World) -> None:
    round_ = open_round(world, world.own, world.other)
    for who in (world.reader, world.alice):
        with pytest.raises(NotAllowed):
            capacity_release(region=world.own.region, round_=round_, by=who)
    assert not round_.capacity_releases.exists()


def test_only_a_coordinator_keeps_the_recommendations(world: World) -> None:
    item = Item.objects.filter(section__framework__slug="zorgrisicoprofiel-adviezen").first()
    role = item.responsible_links.first().role
    for who in (world.reader, world.alice, world.outsider):
        with pytest.raises(NotAllowed):
            recommendation_set(region=world.own.region, item=item, role=role, by=who, state="bezig")
    assert not RecommendationStatus.objects.exists()


def test_an_action_is_owned_by_a_colleague_only(world: World) -> None:
    with pytest.raises(NotAColleague):
        action_create(organisation=world.own, title="Oefenen", by=world.alice, owner=world.charlie)
    action = action_create(organisation=world.own, title="Oefenen", by=world.alice, owner=world.bob)
    with pytest.raises(NotAColleague):
        action_update(action=action, expected_version=1, by=world.alice, owner=world.outsider)
    action.refresh_from_db()
    assert action.owner == world.bob and action.version == 1


def test_a_stale_edit_is_refused_with_the_row_as_it_is(world: World) -> None:
    action = action_create(organisation=world.own, title="Oefenen", by=world.alice)
    action_update(action=action, expected_version=1, by=world.alice, title="Twee keer oefenen")
    with pytest.raises(StaleAction) as stale:
        action_update(action=action, expected_version=1, by=world.alice, title="Ander plan")
    assert stale.value.current.title == "Twee keer oefenen"
    assert stale.value.current.version == 2
