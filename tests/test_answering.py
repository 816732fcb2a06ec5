"""Answering: validation, versions (no lost updates), history, routing and the workflow."""

from __future__ import annotations

import datetime

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from weerbaar.assessments import rounds, workflow
from weerbaar.assessments.answering import (
    AnswerConflict,
    AnswerInvalid,
    AnswerLocked,
    answer_save,
    snapshot,
)
from weerbaar.assessments.models import (
    Answer,
    AnswerRevision,
    AnswerValue,
    Assessment,
    AssessmentState,
)
from weerbaar.assessments.routing import can_answer, items_for_user, items_of
from weerbaar.frameworks.export import get_framework
from weerbaar.frameworks.models import Item

from .conftest import World

TODAY = datetime.date(2026, 11, 24)


def kader_item(code: str) -> Item:
    return Item.objects.get(section__framework__slug="kader-weerbare-zorg", code=code)


@pytest.fixture
def assessment(world: World):
    round_ = rounds.round_open(
        region=world.own.region,
        framework=get_framework("kader-weerbare-zorg"),
        organisations=[world.own, world.other],
        title="Uitvraag 2026",
        opens_on=TODAY,
        deadline=TODAY + datetime.timedelta(days=30),
        by=world.coordinator,
    )
    return round_.assessments.get(organisation=world.own)


def power(hours: str, explanation: str = "") -> dict:
    return {"values": {"noodstroom_uren": hours}, "explanation": explanation}


def test_answer_save_creates_answer_values_and_first_revision(assessment, world: World) -> None:
    item = kader_item("UV-01")
    result = answer_save(
        assessment=assessment, item=item, data=power("72"), expected_version=0, by=world.alice
    )
    assert result.changed
    assert result.answer.version == 1
    assert AnswerValue.objects.get(answer=result.answer).number == 72
    revision = AnswerRevision.objects.get(answer=result.answer)
    assert (revision.version, revision.by, revision.old) == (1, world.alice, None)
    assert revision.new["values"] == {"noodstroom_uren": "72"}


def test_answer_save_records_old_and_new_values(assessment, world: World) -> None:
    item = kader_item("UV-01")
    answer_save(
        assessment=assessment, item=item, data=power("72"), expected_version=0, by=world.alice
    )
    answer_save(
        assessment=assessment, item=item, data=power("48,5"), expected_version=1, by=world.alice
    )
    latest = AnswerRevision.objects.get(version=2)
    assert latest.old["values"] == {"noodstroom_uren": "72"}
    assert latest.new["values"] == {"noodstroom_uren": "48.5"}


def test_answer_save_with_an_outdated_version_is_a_conflict(assessment, world: World) -> None:
    item = kader_item("UV-01")
    answer_save(
        assessment=assessment, item=item, data=power("72"), expected_version=0, by=world.alice
    )
    with pytest.raises(AnswerConflict) as conflict:
        answer_save(
            assessment=assessment, item=item, data=power("24"), expected_version=0, by=world.bob
        )
    assert conflict.value.version == 1
    assert conflict.value.current["values"] == {"noodstroom_uren": "72"}
    assert Answer.objects.get(item=item).version == 1


def test_answer_save_same_values_twice_is_not_a_conflict(assessment, world: World) -> None:
    item = kader_item("UV-01")
    answer_save(
        assessment=assessment, item=item, data=power("72"), expected_version=0, by=world.alice
    )
    result = answer_save(
        assessment=assessment, item=item, data=power("72"), expected_version=0, by=world.alice
    )
    assert not result.changed
    assert AnswerRevision.objects.filter(answer=result.answer).count() == 1


@pytest.mark.parametrize(
    ("code", "data", "field", "message"),
    [
        (
            "UV-01",
            {"values": {"noodstroom_uren": "-1"}},
            "values.noodstroom_uren",
            "Vul minimaal 0 uur in.",
        ),
        (
            "UV-01",
            {"values": {"noodstroom_uren": "veel"}},
            "values.noodstroom_uren",
            "Vul een getal in.",
        ),
        (
            "ZC-06",
            {"values": {"bezettingsgraad_isolatie_units": "120"}},
            "values.bezettingsgraad_isolatie_units",
            "Vul maximaal 100 % in.",
        ),
        (
            "ZC-06",
            {"values": {"isolatie_units": "2.5"}},
            "values.isolatie_units",
            "Vul een geheel getal in.",
        ),
        (
            "CY-01",
            {"values": {"maturity": "7"}},
            "values.maturity",
            "Kies een niveau van 0 tot en met 4, of Onbekend.",
        ),
        (
            "CY-01",
            {"not_applicable": True},
            "na_reason",
            "Geef een reden waarom deze vraag niet van toepassing is.",
        ),
        (
            "CY-01",
            {"evidence_link": "javascript:alert(1)"},
            "evidence_link",
            "Een link begint met https:// of http://.",
        ),
        (
            "CY-01",
            {"evidence_date": "2999-01-01"},
            "evidence_date",
            "Deze datum ligt in de toekomst.",
        ),
        ("CY-01", {"values": {"hacked": "1"}}, "values", "Onbekende onderdelen: hacked"),
    ],
)
def test_answer_save_refuses_bad_input_with_a_dutch_message(
    assessment, world: World, code: str, data: dict, field: str, message: str
) -> None:
    with pytest.raises(AnswerInvalid) as invalid:
        answer_save(
            assessment=assessment,
            item=kader_item(code),
            data=data,
            expected_version=0,
            by=world.alice,
        )
    assert invalid.value.errors == {field: message}
    assert not Answer.objects.exists()


def test_answers_cannot_be_changed_in_bulk_without_history(assessment, world: World) -> None:
    answer_save(
        assessment=assessment,
        item=kader_item("UV-01"),
        data=power("72"),
        expected_version=0,
        by=world.alice,
    )
    with pytest.raises(TypeError, match="keeps their history"):
        Answer.objects.filter(assessment=assessment).update(explanation="stiekem")
    with pytest.raises(TypeError, match="keeps their history"):
        AnswerValue.objects.all().update(number=1)
    answer = Answer.objects.get()
    answer.explanation = "stiekem"
    with pytest.raises(TypeError, match="keeps their history"):
        Answer.objects.bulk_update([answer], ["explanation"])
    assert Answer.objects.get().explanation == ""


def test_submitted_assessment_is_locked(assessment, world: World) -> None:
    workflow.assessment_submit(assessment=assessment, by=world.alice)
    with pytest.raises(AnswerLocked):
        answer_save(
            assessment=assessment,
            item=kader_item("UV-01"),
            data=power("1"),
            expected_version=0,
            by=world.alice,
        )


def test_workflow_concept_submitted_reviewed_final_and_reopen(assessment, world: World) -> None:
    workflow.assessment_submit(assessment=assessment, by=world.alice)
    assert assessment.state == AssessmentState.SUBMITTED
    with pytest.raises(workflow.TransitionError):
        workflow.assessment_finalise(assessment=assessment, by=world.coordinator)
    workflow.assessment_approve(assessment=assessment, by=world.coordinator)
    workflow.assessment_finalise(assessment=assessment, by=world.coordinator)
    assert assessment.state == AssessmentState.FINAL
    workflow.assessment_reopen(
        assessment=assessment, by=world.coordinator, reason="Graag UV-01 aanvullen."
    )
    assert assessment.state == AssessmentState.CONCEPT


def test_items_follow_the_sector(assessment, world: World) -> None:
    hospital = set(items_of(assessment).values_list("code", flat=True))
    nursing_home = set(
        items_of(assessment.round.assessments.get(organisation=world.other)).values_list(
            "code", flat=True
        )
    )
    assert "ZC-02" in hospital
    assert "ZC-02" not in nursing_home
    assert "CY-01" in nursing_home
    assert len(hospital) == 69


def test_respondent_sees_and_answers_only_routed_items(assessment, world: World) -> None:
    codes = set(items_for_user(assessment, world.bob).values_list("code", flat=True))
    assert codes == {f"CY-{n:02d}" for n in range(1, 11)}
    assert can_answer(world.bob, assessment, kader_item("CY-01"))
    assert not can_answer(world.bob, assessment, kader_item("UV-01"))
    assert can_answer(world.alice, assessment, kader_item("UV-01"))
    assert not can_answer(world.coordinator, assessment, kader_item("UV-01"))
    assert not can_answer(world.charlie, assessment, kader_item("CY-01"))


def next_prefilled_round(world: World):
    """Next year's round for Alice's organisation, pre-filled from its established answers."""
    return rounds.round_open(
        region=world.own.region,
        framework=get_framework("kader-weerbare-zorg"),
        organisations=[world.own],
        title="Uitvraag 2027",
        opens_on=TODAY,
        deadline=TODAY,
        prefill=True,
        by=world.coordinator,
    )


def test_prefill_carries_over_final_answers_to_confirm(assessment, world: World) -> None:
    answer_save(
        assessment=assessment,
        item=kader_item("UV-01"),
        data=power("72", "getest in maart"),
        expected_version=0,
        by=world.alice,
    )
    workflow.assessment_submit(assessment=assessment, by=world.alice)
    for step in (workflow.assessment_approve, workflow.assessment_finalise):
        step(assessment=assessment, by=world.coordinator)
    next_round = next_prefilled_round(world)
    carried = Answer.objects.get(assessment__round=next_round, item__code="UV-01")
    assert carried.carried_over
    assert snapshot(carried, carried.item)["values"] == {"noodstroom_uren": "72"}
    revision = carried.revisions.get()
    assert revision.source == AnswerRevision.Source.PREFILL
    # The history holds exactly what was carried over, as answer_save would have written it.
    old = Answer.objects.get(assessment=assessment, item__code="UV-01")
    assert revision.new == snapshot(carried, carried.item) == snapshot(old, old.item)
    assert (revision.version, revision.old, carried.version) == (1, None, 1)
    # Saving it unchanged confirms it.
    answer_save(
        assessment=carried.assessment,
        item=carried.item,
        data=power("72", "getest in maart"),
        expected_version=carried.version,
        by=world.alice,
    )
    carried.refresh_from_db()
    assert not carried.carried_over
    assert carried.version == 2


def test_two_browsers_saving_the_same_answer_get_a_409(assessment, world: World) -> None:
    url = reverse("assessments:answer", args=[assessment.pk, "CY-01"])
    alice, bob = Client(headers={"HX-Request": "true"}), Client(headers={"HX-Request": "true"})
    alice.force_login(world.alice)
    bob.force_login(world.bob)
    first = alice.post(url, {"version": "0", "v-maturity": "3"})
    assert first.status_code == 200
    assert 'id="version-CY-01" value="1"' in first.content.decode()
    second = bob.post(url, {"version": "0", "v-maturity": "1", "explanation": "nog niets"})
    assert second.status_code == 409
    page = second.content.decode()
    assert "iemand anders heeft dit antwoord intussen gewijzigd" in page
    assert "3 · Geregeld" in page and "1 · In ontwikkeling" in page
    assert 'id="version-CY-01"' not in page  # the stale form keeps its version until a choice
    # Bob chooses his own input, knowing the current version.
    third = bob.post(url, {"version": "1", "v-maturity": "1", "explanation": "nog niets"})
    assert third.status_code == 200
    assert Answer.objects.get(item__code="CY-01").version == 2


def test_invalid_input_is_422_and_saves_nothing(assessment, world: World) -> None:
    client = Client(headers={"HX-Request": "true"})
    client.force_login(world.alice)
    url = reverse("assessments:answer", args=[assessment.pk, "UV-01"])
    response = client.post(url, {"version": "0", "v-noodstroom_uren": "-5"})
    assert response.status_code == 422
    assert "Vul minimaal 0 uur in." in response.content.decode()
    assert not Answer.objects.exists()


def test_respondent_cannot_read_or_answer_items_not_routed_to_them(
    assessment, world: World
) -> None:
    client = Client()
    client.force_login(world.bob)
    url = reverse("assessments:answer", args=[assessment.pk, "UV-01"])
    assert client.get(url).status_code == 404
    assert client.post(url, {"version": "0", "v-noodstroom_uren": "1"}).status_code == 404
    page = client.get(reverse("assessments:detail", args=[assessment.pk])).content.decode()
    assert "Voldoet de organisatie aan de NIS2?" in page
    assert "noodstroom" not in page
    assert not Answer.objects.exists()


def test_other_organisation_gets_404_everywhere(assessment, world: World) -> None:
    client = Client()
    client.force_login(world.charlie)
    for url in (
        reverse("assessments:detail", args=[assessment.pk]),
        reverse("assessments:answer", args=[assessment.pk, "CY-01"]),
    ):
        assert client.get(url).status_code == 404
    assert (
        client.post(
            reverse("assessments:step", args=[assessment.pk, "submit"]), {"akkoord": "1"}
        ).status_code
        == 404
    )
    assessment.refresh_from_db()
    assert assessment.state == AssessmentState.CONCEPT


def test_coordinator_reviews_comments_and_approves(assessment, world: World) -> None:
    answer_save(
        assessment=assessment,
        item=kader_item("CY-01"),
        data={"not_applicable": True, "na_reason": "geen NIS2-plicht"},
        expected_version=0,
        by=world.alice,
    )
    admin = Client()
    admin.force_login(world.alice)
    admin.post(reverse("assessments:step", args=[assessment.pk, "submit"]), {"akkoord": "1"})
    coordinator = Client()
    coordinator.force_login(world.coordinator)
    comment_url = reverse("assessments:comment", args=[assessment.pk, "CY-01"])
    coordinator.post(
        comment_url, {"kind": "challenge_na", "text": "Ziekenhuizen vallen onder NIS2."}
    )
    admin.post(comment_url, {"kind": "reply", "text": "Klopt, we passen het aan."})
    page = admin.get(reverse("assessments:detail", args=[assessment.pk])).content.decode()
    assert "Ziekenhuizen vallen onder NIS2." in page
    assert "Klopt, we passen het aan." in page
    # The organisation cannot approve itself; the coordinator can.
    assert (
        admin.post(reverse("assessments:step", args=[assessment.pk, "approve"])).status_code == 403
    )
    assessment.refresh_from_db()
    assert assessment.state == AssessmentState.SUBMITTED
    coordinator.post(reverse("assessments:step", args=[assessment.pk, "approve"]))
    assessment.refresh_from_db()
    assert assessment.state == AssessmentState.REVIEWED


def test_admin_assigns_a_question_to_a_colleague(assessment, world: World) -> None:
    from weerbaar.assessments.models import ItemAssignment
    from weerbaar.audit.models import AuditEvent

    admin = Client()
    admin.force_login(world.alice)
    url = reverse("assessments:assign", args=[assessment.pk, "UV-01"])
    admin.post(url, {"users": [world.bob.pk]})
    assert list(ItemAssignment.objects.values_list("item__code", "user__email")) == [
        ("UV-01", "bob@alfa.test")
    ]
    assert "UV-01" in set(items_for_user(assessment, world.bob).values_list("code", flat=True))
    assert can_answer(world.bob, assessment, kader_item("UV-01"))
    assert AuditEvent.objects.get(action="assignment.set").new == {
        "item": "UV-01",
        "users": [world.bob.pk],
    }
    # People of another organisation cannot be chosen; nothing changes.
    response = admin.post(url, {"users": [world.charlie.pk]}, follow=True)
    assert "Kies alleen collega&#x27;s van deze organisatie." in response.content.decode()
    assert list(ItemAssignment.objects.values_list("user__email", flat=True)) == ["bob@alfa.test"]
    # Only the organisation admin assigns.
    bob = Client()
    bob.force_login(world.bob)
    assert bob.post(url, {"users": [world.bob.pk]}).status_code == 403


@pytest.mark.parametrize(
    ("data", "field", "message"),
    [
        (
            {"evidence_link": "http://[oops"},
            "evidence_link",
            "Een link begint met https:// of http://.",
        ),
        (
            {"evidence_link": "https://x.nl/" + "a" * 600},
            "evidence_link",
            "Een link is maximaal 500 tekens.",
        ),
        (
            {"values": {"noodstroom_uren": "1.23456"}},
            "values.noodstroom_uren",
            "Gebruik hoogstens 3 decimalen.",
        ),
        (
            {"values": {"noodstroom_uren": "99999999999.9999"}},
            "values.noodstroom_uren",
            "Gebruik hoogstens 3 decimalen.",
        ),
        (
            {"values": {"noodstroom_uren": "1e12"}},
            "values.noodstroom_uren",
            "Dit getal is te groot.",
        ),
    ],
)
def test_odd_input_is_a_message_not_an_error(
    assessment, world: World, data, field, message
) -> None:
    code = "UV-01"
    with pytest.raises(AnswerInvalid) as invalid:
        answer_save(
            assessment=assessment,
            item=kader_item(code),
            data=data,
            expected_version=0,
            by=world.alice,
        )
    assert invalid.value.errors == {field: message}


def test_former_member_loses_access_to_assigned_questions(assessment, world: World) -> None:
    from weerbaar.assessments.workflow import assignment_set
    from weerbaar.organisations.models import Membership

    assignment_set(
        assessment=assessment, item=kader_item("UV-01"), users=[world.bob], by=world.alice
    )
    Membership.objects.filter(user=world.bob).delete()
    client = Client()
    client.force_login(world.bob)
    assert client.get(reverse("assessments:detail", args=[assessment.pk])).status_code == 404
    assert client.get("/api/v1/assessments").json() == []


def test_no_assignments_or_review_remarks_outside_their_phase(assessment, world: World) -> None:
    workflow.assessment_submit(assessment=assessment, by=world.alice)
    admin = Client()
    admin.force_login(world.alice)
    assert (
        admin.post(
            reverse("assessments:assign", args=[assessment.pk, "UV-01"]), {"users": [world.bob.pk]}
        ).status_code
        == 403
    )


def test_late_autosave_of_saved_values_after_submit_is_harmless(assessment, world: World) -> None:
    client = Client(headers={"HX-Request": "true"})
    client.force_login(world.alice)
    url = reverse("assessments:answer", args=[assessment.pk, "UV-01"])
    assert client.post(url, {"version": "0", "v-noodstroom_uren": "72"}).status_code == 200
    workflow.assessment_submit(assessment=assessment, by=world.alice)
    late = client.post(url, {"version": "1", "v-noodstroom_uren": "72"})
    assert late.status_code == 200  # the same value again: nothing to refuse
    changed = client.post(url, {"version": "1", "v-noodstroom_uren": "24"})
    assert changed.status_code == 403
    assert "kan niet meer worden gewijzigd" in changed.content.decode()
    assert Answer.objects.get(item__code="UV-01").version == 1


def test_prefill_skips_an_old_answer_this_version_no_longer_accepts(
    assessment, world: World
) -> None:
    """A carried-over answer that fails today's checks is asked afresh; the round opens."""
    answer_save(
        assessment=assessment,
        item=kader_item("UV-01"),
        data=power("72"),
        expected_version=0,
        by=world.alice,
    )
    answer_save(
        assessment=assessment,
        item=kader_item("CY-01"),
        data={"values": {"maturity": "3"}},
        expected_version=0,
        by=world.alice,
    )
    stored = AnswerValue.objects.get(answer__item__code="UV-01")
    stored.number = -5  # below today's minimum of 0 (as if the framework had tightened)
    stored.save()
    Assessment.objects.filter(pk=assessment.pk).update(
        state=AssessmentState.FINAL, finalised_at=timezone.now()
    )
    next_round = next_prefilled_round(world)
    codes = set(
        Answer.objects.filter(assessment__round=next_round).values_list("item__code", flat=True)
    )
    assert codes == {"CY-01"}
