"""Each workflow step is confirmed: the page says what is still open, submitting is signed
off, sending work back needs a reason that the organisation then sees; the organisation can
withdraw a submission until it is approved."""

from __future__ import annotations

from django.test import Client
from django.urls import reverse

from weerbaar.assessments import workflow
from weerbaar.assessments.answering import answer_save
from weerbaar.assessments.models import AssessmentState, ReviewComment
from weerbaar.audit.models import AuditEvent
from weerbaar.frameworks.models import Item

from .conftest import World
from .factories import open_round


def client(user) -> Client:
    c = Client()
    c.force_login(user)
    return c


def kader(code: str) -> Item:
    return Item.objects.get(section__framework__slug="kader-weerbare-zorg", code=code)


def step_url(assessment, name: str) -> str:
    return reverse("assessments:step", args=[assessment.pk, name])


def test_submitting_shows_what_is_open_and_needs_a_sign_off(world: World) -> None:
    assessment = open_round(world).assessments.get()
    answer_save(
        assessment=assessment,
        item=kader("UV-01"),
        data={"values": {"noodstroom_uren": "72"}},
        expected_version=0,
        by=world.alice,
    )
    admin = client(world.alice)
    page = admin.get(step_url(assessment, "submit")).content.decode()
    assert "Indienen: weet u het zeker?" in page  # the step by its verb
    assert "1 van " in page and "vragen staan nog open" in page
    assert f'href="/zelfevaluaties/{assessment.pk}/#item-CY-01"' in page
    refused = admin.post(step_url(assessment, "submit"))
    assert refused.status_code == 400
    assert "Bevestig dat de antwoorden namens uw organisatie kloppen." in refused.content.decode()
    assessment.refresh_from_db()
    assert assessment.state == AssessmentState.CONCEPT
    done = admin.post(step_url(assessment, "submit"), {"akkoord": "1"})
    assert done.status_code == 302
    assessment.refresh_from_db()
    assert (assessment.state, assessment.submitted_by) == (AssessmentState.SUBMITTED, world.alice)


def test_sending_back_needs_a_reason_the_organisation_sees(world: World) -> None:
    assessment = open_round(world).assessments.get()
    answer_save(
        assessment=assessment,
        item=kader("CY-01"),
        data={"not_applicable": True, "na_reason": "geen NIS2-plicht"},
        expected_version=0,
        by=world.alice,
    )
    workflow.assessment_submit(assessment=assessment, by=world.alice)
    answer = assessment.answers.get()
    workflow.comment_add(
        answer=answer,
        kind=ReviewComment.Kind.CHALLENGE_NA,
        text="Ziekenhuizen vallen onder NIS2.",
        by=world.coordinator,
    )
    coordinator = client(world.coordinator)
    page = coordinator.get(step_url(assessment, "return")).content.decode()
    assert "1 betwiste ‘niet van toepassing’ zonder reactie" in page
    assert "Ziekenhuizen vallen onder NIS2." in page
    empty = coordinator.post(step_url(assessment, "return"), {"reden": "   "})
    assert empty.status_code == 400
    assert "Geef de reden" in empty.content.decode()
    assessment.refresh_from_db()
    assert assessment.state == AssessmentState.SUBMITTED
    reason = "CY-01 is wel van toepassing: pas het antwoord aan."
    assert coordinator.post(step_url(assessment, "return"), {"reden": reason}).status_code == 302
    assessment.refresh_from_db()
    assert (assessment.state, assessment.return_reason) == (AssessmentState.CONCEPT, reason)
    detail = client(world.alice).get(reverse("assessments:detail", args=[assessment.pk]))
    assert "Teruggestuurd door Coby op" in detail.content.decode()
    assert reason in detail.content.decode()
    event = AuditEvent.objects.get(action="assessment.return")
    assert event.new == {"state": "concept", "reason": reason}
    # Submitting again clears it for the organisation; the audit trail keeps it.
    workflow.assessment_submit(assessment=assessment, by=world.alice)
    assessment.refresh_from_db()
    assert assessment.return_reason == "" and assessment.returned_at is None


def test_the_organisation_withdraws_a_submission_until_it_is_approved(world: World) -> None:
    assessment = open_round(world).assessments.get()
    workflow.assessment_submit(assessment=assessment, by=world.alice)
    assert client(world.coordinator).get(step_url(assessment, "withdraw")).status_code == 403
    admin = client(world.alice)
    detail = admin.get(reverse("assessments:detail", args=[assessment.pk])).content.decode()
    assert ">Intrekken</a>" in detail
    assert admin.post(step_url(assessment, "withdraw")).status_code == 302
    assessment.refresh_from_db()
    assert assessment.state == AssessmentState.CONCEPT and assessment.is_editable
    workflow.assessment_submit(assessment=assessment, by=world.alice)
    workflow.assessment_approve(assessment=assessment, by=world.coordinator)
    late = admin.get(step_url(assessment, "withdraw"))
    assert late.status_code == 302  # not possible any more: back to the page, with why
    assessment.refresh_from_db()
    assert assessment.state == AssessmentState.REVIEWED


def test_buttons_are_labelled_with_what_they_do(world: World) -> None:
    assessment = open_round(world).assessments.get()
    workflow.assessment_submit(assessment=assessment, by=world.alice)
    page = client(world.coordinator).get(reverse("assessments:detail", args=[assessment.pk]))
    html = page.content.decode()
    assert ">Goedkeuren</a>" in html and ">Terugsturen</a>" in html
    assert ">Beoordeeld<" not in html
    assert html.index(">Goedkeuren</a>") < html.index(">Terugsturen</a>")
    assert workflow.steps_for(world.alice, assessment)[0][0] == "withdraw"


def test_a_comment_with_htmx_draws_only_its_question_again(world: World) -> None:
    assessment = open_round(world).assessments.get()
    answer_save(
        assessment=assessment,
        item=kader("CY-01"),
        data={"values": {"maturity": "2"}},
        expected_version=0,
        by=world.alice,
    )
    workflow.assessment_submit(assessment=assessment, by=world.alice)
    coordinator = client(world.coordinator)
    url = reverse("assessments:comment", args=[assessment.pk, "CY-01"])
    response = coordinator.post(
        url, {"kind": "comment", "text": "Welke oefening?"}, HTTP_HX_REQUEST="true"
    )
    html = response.content.decode()
    assert response.status_code == 200
    assert html.lstrip().startswith('<article id="item-CY-01"') and "<html" not in html
    assert "Opmerking geplaatst." in html and "Welke oefening?" in html
    too_long = coordinator.post(
        url, {"kind": "comment", "text": "x" * 2001}, HTTP_HX_REQUEST="true"
    )
    assert too_long.status_code == 422
    assert "Houd de opmerking korter dan 2000 tekens." in too_long.content.decode()
    assert ReviewComment.objects.count() == 1


def test_the_review_filter_shows_only_what_was_asked(world: World) -> None:
    assessment = open_round(world).assessments.get()
    answer_save(
        assessment=assessment,
        item=kader("CY-01"),
        data={"not_applicable": True, "na_reason": "geen eigen IT"},
        expected_version=0,
        by=world.alice,
    )
    answer_save(
        assessment=assessment,
        item=kader("CY-03"),
        data={"values": {"maturity": "4"}},
        expected_version=0,
        by=world.alice,
    )
    admin = client(world.alice)
    url = reverse("assessments:detail", args=[assessment.pk])

    def codes(kind: str) -> set[str]:
        shown = admin.get(url, {"filter": kind}).context["shown"]
        return {item.item.code for section in shown.sections for item in section.items}

    assert codes("nvt") == {"CY-01"}
    assert codes("gewijzigd") == {"CY-01", "CY-03"}
    assert "CY-03" not in codes("open") and "CY-04" in codes("open")
    assert "CY-03" not in codes("hiaten") and "CY-04" in codes("hiaten")
    everything = admin.get(url).context["shown"]
    assert everything.chosen == "" and everything.counts["nvt"] == 1
