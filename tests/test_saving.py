"""The answer save path under load: few statements, whoever asks, and nothing lost when two
people (or a person and a submission) meet."""

from __future__ import annotations

import json
import threading
import time
from typing import Any

import pytest
from django.core.management import call_command
from django.db import connection, connections, transaction
from django.test import Client
from django.test.utils import CaptureQueriesContext

from weerbaar.accounts.models import api_token_create
from weerbaar.assessments.answering import AnswerConflict, AnswerLocked, answer_save, snapshot
from weerbaar.assessments.models import Answer, AnswerRevision, Assessment, ItemAssignment
from weerbaar.assessments.routing import (
    answers_item,
    assessments_for,
    items_for_user,
    reach,
)
from weerbaar.assessments.workflow import assessment_submit
from weerbaar.frameworks.models import Item
from weerbaar.organisations.models import Role
from weerbaar.scoring.themes import live_sums, scored_items, stored_sums

from .conftest import World
from .factories import OrganisationFactory, functionary, member, open_round

TRANSACTION_CONTROL = ("BEGIN", "COMMIT", "ROLLBACK", "SAVEPOINT", "RELEASE")


def statements(context: CaptureQueriesContext) -> tuple[int, int]:
    """(data statements, transaction control statements) that reached the database."""
    sqls = [query["sql"].strip().upper() for query in context.captured_queries]
    control = sum(1 for sql in sqls if sql.startswith(TRANSACTION_CONTROL))
    return len(sqls) - control, control


def api_put(client: Client, token: str, assessment: Assessment, code: str, body: dict[str, Any]):
    return client.put(
        f"/api/v1/assessments/{assessment.pk}/answers/{code}",
        data=json.dumps(body),
        content_type="application/json",
        HTTP_AUTHORIZATION=f"Bearer {token}",
    )


def grow(world: World, assessment: Assessment, n: int) -> None:
    """More of everything the save path could read: organisations, people, answers, assignments."""
    for i in range(n):
        organisation = OrganisationFactory(region=world.own.region)
        functionary(organisation, "ciso", member(Role.RESPONDENT, organisation))
        colleague = member(Role.RESPONDENT, world.own)
        functionary(world.own, "hr", colleague)
        item = Item.objects.filter(section__framework=assessment.round.framework)[i]
        ItemAssignment.objects.create(assessment=assessment, item=item, user=colleague)
    for item in items_for_user(assessment, world.alice)[: 2 * n]:
        answer_save(
            assessment=assessment,
            item=item,
            data={"explanation": "ingevuld"},
            expected_version=0,
            by=world.alice,
        )


def save_statements(world: World, assessment: Assessment, n: int) -> tuple[int, int]:
    """Statements of Bob's third API save of CY-01, changing its level (the save path the
    benchmark measures: a known self-assessment, an existing answer, a new maturity)."""
    _token, raw = api_token_create(user=world.bob, name="test")
    client = Client()
    current = Answer.objects.filter(assessment=assessment, item__code="CY-01").first()
    versions = [current.version if current else 0]
    for level in ("1", "2"):
        response = api_put(
            client,
            raw,
            assessment,
            "CY-01",
            {"version": versions[-1], "values": {"maturity": level}},
        )
        assert response.status_code == 200
        versions.append(response.json()["version"])
    with CaptureQueriesContext(connection) as context:
        response = api_put(
            client, raw, assessment, "CY-01", {"version": versions[-1], "values": {"maturity": "3"}}
        )
    assert response.status_code == 200
    return statements(context)


def test_an_api_save_takes_seven_statements_whatever_the_size(world: World) -> None:
    small = open_round(world).assessments.get()
    few = save_statements(world, small, 0)
    large = open_round(world, title="Groot").assessments.get()
    grow(world, large, 30)
    many = save_statements(world, large, 30)
    # Token, grants, the self-assessment with the answer, then in one transaction the
    # version-checked answer, its value, the history row and the theme tally.
    assert few == many == (7, 2)


def test_a_browser_autosave_takes_eight_statements_whatever_the_size(world: World) -> None:
    def autosave_statements(assessment: Assessment) -> tuple[int, int]:
        client = Client()
        client.force_login(world.bob)
        url = f"/zelfevaluaties/{assessment.pk}/vragen/CY-01/"
        current = Answer.objects.filter(assessment=assessment, item__code="CY-01").first()
        version = current.version if current else 0
        for level in ("1", "2"):
            response = client.post(
                url, {"version": version, "v-maturity": level}, HTTP_HX_REQUEST="true"
            )
            assert response.status_code == 200, response.content
            version = Answer.objects.get(assessment=assessment, item__code="CY-01").version
        with CaptureQueriesContext(connection) as context:
            response = client.post(
                url, {"version": version, "v-maturity": "3"}, HTTP_HX_REQUEST="true"
            )
        assert response.status_code == 200
        assert Answer.objects.get(assessment=assessment, item__code="CY-01").version == version + 1
        return statements(context)

    small = open_round(world).assessments.get()
    few = autosave_statements(small)
    large = open_round(world, title="Groot").assessments.get()
    grow(world, large, 30)
    # The session and the person (with whether they use TOTP) instead of the token; then the
    # same six statements as through the API.
    assert few == autosave_statements(large) == (8, 2)


def test_reach_decides_as_the_querysets_do(world: World) -> None:
    """The save path decides who may see and answer a question from the person's grants, in
    memory; the pages decide it with queries. They must agree for every person and item."""
    round_ = open_round(world, world.own, world.other)
    own = round_.assessments.get(organisation=world.own)
    dana = member(Role.RESPONDENT, world.own, email="dana@alfa.test")
    item = Item.objects.get(section__framework=round_.framework, code="PE-02")
    ItemAssignment.objects.create(assessment=own, item=item, user=dana)
    former = member(Role.RESPONDENT, world.own, email="former@alfa.test")
    functionary(world.own, "ciso", former)
    former.memberships.all().delete()
    world.other.shares_with_region_readers = True
    world.other.save()
    people = [world.alice, world.bob, world.charlie, world.coordinator, world.reader, dana, former]
    people.append(world.outsider)
    codes = list(
        Item.objects.filter(section__framework=round_.framework).values_list("code", flat=True)
    )
    disagreements = []
    for assessment in round_.assessments.select_related("round__framework", "organisation"):
        for person in people:
            person = type(person).objects.get(pk=person.pk)  # fresh grants
            opens = assessments_for(person).filter(pk=assessment.pk).exists()
            visible = set(items_for_user(assessment, person).values_list("code", flat=True))
            for code in codes:
                expected_visible = opens and code in visible
                answers = expected_visible and answers_item(
                    person,
                    assessment,
                    Item.objects.get(section__framework=round_.framework, code=code),
                )
                found = reach(person, assessment, code)
                got = (found is not None, bool(found and found.answers))
                if got != (expected_visible, answers):
                    disagreements.append((assessment.organisation.name, person.email, code, got))
    assert disagreements == []


def test_a_save_after_the_submission_is_refused_and_changes_nothing(world: World) -> None:
    assessment = open_round(world).assessments.get()
    item = Item.objects.get(section__framework=assessment.round.framework, code="CY-01")
    answer_save(
        assessment=assessment,
        item=item,
        data={"values": {"maturity": "2"}},
        expected_version=0,
        by=world.bob,
    )
    assessment_submit(assessment=assessment, by=world.alice)
    _token, raw = api_token_create(user=world.bob, name="test")
    response = api_put(
        Client(), raw, assessment, "CY-01", {"version": 1, "values": {"maturity": "4"}}
    )
    assert response.status_code == 403
    answer = Answer.objects.get(assessment=assessment, item=item)
    assert (answer.version, answer.values.get().maturity) == (1, "2")


def test_the_tally_follows_every_save_through_the_api(world: World) -> None:
    assessment = open_round(world).assessments.get()
    _token, raw = api_token_create(user=world.alice, name="test")
    client = Client()
    steps = [
        ("CY-01", {"values": {"maturity": "4"}}),
        ("CY-01", {"values": {"maturity": "unknown"}}),
        ("CY-03", {"not_applicable": True, "na_reason": "Geen eigen IT"}),
        ("CY-03", {"values": {"maturity": "3"}}),
        ("ZC-01", {"values": {"maturity": "2"}}),  # confidential: not in the public tally
        ("ZC-01", {"not_applicable": True, "na_reason": "Geen SEH"}),
    ]
    versions: dict[str, int] = {}
    items = scored_items(assessment.round.framework)
    sectors = {assessment.pk: assessment.organisation.sector}
    selection = Assessment.objects.filter(pk=assessment.pk)
    for code, body in steps:
        response = api_put(
            client, raw, assessment, code, {"version": versions.get(code, 0), **body}
        )
        assert response.status_code == 200, response.content
        versions[code] = response.json()["version"]
        live = {k: v for k, v in live_sums(selection, items, sectors).items() if v != (0, 0)}
        public = {
            k: v for k, v in live_sums(selection, items.public(), sectors).items() if v != (0, 0)
        }
        assert (stored_sums(selection), stored_sums(selection, public=True)) == (live, public)


def test_the_history_row_holds_what_was_stored(world: World) -> None:
    assessment = open_round(world).assessments.get()
    _token, raw = api_token_create(user=world.alice, name="test")
    body = {
        "version": 0,
        "values": {"maturity": "3"},
        "explanation": "  Plan ligt klaar  ",
        "na_reason": "niet van toepassing",  # ignored: not N.v.t.
        "evidence_link": "https://intranet.example/plan",
        "evidence_date": "2026-10-01",
    }
    response = api_put(Client(), raw, assessment, "CY-01", body)
    assert response.status_code == 200
    answer = Answer.objects.get(assessment=assessment, item__code="CY-01")
    item = Item.objects.prefetch_related("parts").get(pk=answer.item_id)
    revision = AnswerRevision.objects.get(answer=answer)
    assert revision.new == snapshot(answer, item)
    assert response.json()["explanation"] == "Plan ligt klaar"
    assert response.json()["na_reason"] == ""


@pytest.mark.django_db(transaction=True)
def test_two_people_saving_the_same_answer_at_once_lose_nothing(world: World) -> None:
    """Both read version 1 and send it. One save lands, the other is told it conflicts;
    never both, never a save that silently overwrote the other."""
    call_command("framework", "load", verbosity=0)  # earlier transactional tests flush it
    assessment = open_round(world).assessments.get()
    item = Item.objects.get(section__framework=assessment.round.framework, code="CY-01")
    answer_save(
        assessment=assessment,
        item=item,
        data={"values": {"maturity": "1"}},
        expected_version=0,
        by=world.alice,
    )
    outcomes: list[str] = []

    def save(level: str, person: Any) -> None:
        try:
            answer_save(
                assessment=assessment,
                item=item,
                data={"values": {"maturity": level}},
                expected_version=1,
                by=person,
            )
            outcomes.append(f"saved {level}")
        except AnswerConflict:
            outcomes.append("conflict")
        finally:
            connections.close_all()

    threads = [
        threading.Thread(target=save, args=args) for args in (("2", world.alice), ("3", world.bob))
    ]
    # Hold the self-assessment meanwhile (as a submission would), so both read version 1
    # before either may write.
    with transaction.atomic():
        Assessment.objects.select_for_update().filter(pk=assessment.pk).update(state="concept")
        for thread in threads:
            thread.start()
        time.sleep(1)
    for thread in threads:
        thread.join()
    answer = Answer.objects.get(assessment=assessment, item=item)
    assert sorted(outcome.split()[0] for outcome in outcomes) == ["conflict", "saved"]
    saved = next(outcome for outcome in outcomes if outcome.startswith("saved")).split()[1]
    assert (answer.version, answer.values.get().maturity) == (2, saved)
    assert AnswerRevision.objects.filter(answer=answer).count() == 2


@pytest.mark.django_db(transaction=True)
def test_many_saves_at_once_in_one_self_assessment_all_land(world: World) -> None:
    """Saves of different answers in one self-assessment go on side by side; every one is
    stored, with its history, and the tallies add up."""
    call_command("framework", "load", verbosity=0)  # earlier transactional tests flush it
    assessment = open_round(world).assessments.get()
    items = list(items_for_user(assessment, world.alice).filter(parts__type="maturity")[:12])
    errors: list[BaseException] = []

    def save(item: Item) -> None:
        try:
            for version, level in enumerate(("1", "2", "3", "4")):
                answer_save(
                    assessment=assessment,
                    item=item,
                    data={"values": {"maturity": level}},
                    expected_version=version,
                    by=world.alice,
                )
        except BaseException as exc:  # collected, asserted below
            errors.append(exc)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=save, args=(item,)) for item in items]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    assert AnswerRevision.objects.filter(answer__assessment=assessment).count() == 4 * len(items)
    selection = Assessment.objects.filter(pk=assessment.pk)
    scored = scored_items(assessment.round.framework)
    live = {
        k: v
        for k, v in live_sums(selection, scored, {assessment.pk: "ziekenhuis"}).items()
        if v != (0, 0)
    }
    assert stored_sums(selection) == live


def test_a_save_racing_a_submission_is_locked(world: World) -> None:
    """A save that read the self-assessment as a concept, but writes after the submission,
    is refused (the state is checked again in the writing transaction)."""
    assessment = open_round(world).assessments.get()
    item = Item.objects.get(section__framework=assessment.round.framework, code="CY-01")
    answer_save(
        assessment=assessment,
        item=item,
        data={"values": {"maturity": "1"}},
        expected_version=0,
        by=world.alice,
    )
    stale = Assessment.objects.select_related("round__framework", "organisation").get(
        pk=assessment.pk
    )
    assessment_submit(assessment=assessment, by=world.alice)
    from weerbaar.assessments import answering

    with pytest.raises(AnswerLocked):
        answering._save(
            stale,
            Item.objects.prefetch_related("parts").get(pk=item.pk),
            answering.clean(item, {"values": {"maturity": "4"}}),
            1,
            world.alice,
            "api",
            exclusive=False,
        )
    assert Answer.objects.get(assessment=assessment, item=item).version == 1
