"""/api/v1/assessments: the same rules as the browser, through the same functions."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest, JsonResponse
from ninja import Router, Schema, Status
from ninja.errors import HttpError

from weerbaar.assessments import workflow
from weerbaar.assessments.answering import (
    AnswerConflict,
    AnswerForbidden,
    AnswerInvalid,
    AnswerLocked,
    AnswerNotFound,
    answer_save_as,
    is_complete,
)
from weerbaar.assessments.models import AnswerRevision, Assessment
from weerbaar.assessments.progress import ItemState, Progress, progress, round_progress
from weerbaar.assessments.routing import assessments_for, items_for_user
from weerbaar.ids import Id, Version
from weerbaar.organisations import access

from .schemas import InputSchema

router = Router(tags=["assessments"])


class AssessmentOut(Schema):
    id: int
    round: int
    round_title: str
    framework: str
    framework_version: str
    organisation: int
    organisation_name: str
    state: str
    deadline: str
    items: int
    answered: int


class AnswerOut(Schema):
    item_code: str
    version: int
    not_applicable: bool
    na_reason: str
    explanation: str
    evidence_link: str
    evidence_date: str | None
    values: dict[str, Any]
    carried_over: bool
    complete: bool


class AnswerIn(InputSchema):
    version: Version
    not_applicable: bool = False
    na_reason: str = ""
    explanation: str = ""
    evidence_link: str = ""
    evidence_date: str | None = None
    values: dict[str, Any] = {}


class ConflictOut(Schema):
    detail: str
    version: int
    current: AnswerOut


class ErrorsOut(Schema):
    detail: str
    errors: dict[str, str]


class Detail(Schema):
    detail: str


def _user(request: HttpRequest) -> Any:
    return request.auth  # type: ignore[attr-defined]


def _get(request: HttpRequest, pk: int) -> Assessment:
    assessment = assessments_for(_user(request)).filter(pk=pk).first()
    if assessment is None:
        raise HttpError(404, "Not found")
    return assessment


def _summary(assessment: Assessment, user: Any, state: Progress | None = None) -> dict[str, Any]:
    if state is None:
        state = progress(assessment, items_for_user(assessment, user))
    return {
        "id": assessment.pk,
        "round": assessment.round_id,
        "round_title": assessment.round.title,
        "framework": assessment.round.framework.slug,
        "framework_version": assessment.round.framework.version,
        "organisation": assessment.organisation_id,
        "organisation_name": assessment.organisation.name,
        "state": assessment.state,
        "deadline": assessment.round.deadline.isoformat(),
        "items": state.total,
        "answered": state.done,
    }


def _answer_out(item_state: ItemState, version: int | None = None) -> dict[str, Any]:
    data = item_state.data
    if version is None:
        version = item_state.answer.version if item_state.answer else 0
    return {
        "item_code": item_state.item.code,
        "version": version,
        "carried_over": item_state.carried_over,
        "complete": item_state.complete,
        **{
            key: data[key]
            for key in (
                "not_applicable",
                "na_reason",
                "explanation",
                "evidence_link",
                "evidence_date",
                "values",
            )
        },
    }


@router.get("", response=list[AssessmentOut], url_name="assessment_list")
def assessment_list(
    request: HttpRequest, round: Id | None = None, organisation: Id | None = None
) -> list[dict[str, Any]]:
    assessments = assessments_for(_user(request))
    if round is not None:
        assessments = assessments.filter(round_id=round)
    if organisation is not None:
        assessments = assessments.filter(organisation_id=organisation)
    rows = list(assessments.order_by("round_id", "organisation__name"))
    states = round_progress(rows, _user(request))
    return [_summary(a, _user(request), states[a.pk]) for a in rows]


@router.get("/{id:pk}", response=AssessmentOut, url_name="assessment_detail")
def assessment_detail(request: HttpRequest, pk: int) -> dict[str, Any]:
    return _summary(_get(request, pk), _user(request))


@router.get("/{id:pk}/answers", response=list[AnswerOut], url_name="assessment_answers")
def assessment_answers(request: HttpRequest, pk: int) -> list[dict[str, Any]]:
    """Every item the caller may see, with its answer (version 0 when unanswered)."""
    assessment = _get(request, pk)
    state = progress(assessment, items_for_user(assessment, _user(request)))
    return [_answer_out(item) for section in state.sections for item in section.items]


@router.put(
    "/{id:pk}/answers/{code}",
    response={200: AnswerOut, 403: Detail, 404: Detail, 409: ConflictOut, 422: ErrorsOut},
    url_name="answer_put",
)
def answer_put(request: HttpRequest, pk: int, code: str, payload: AnswerIn) -> Any:
    """Save an answer. Send the ``version`` you read; another version gets 409 with the
    current answer, and nothing is saved."""
    data = payload.dict()
    version = data.pop("version")
    try:
        _assessment, item, result = answer_save_as(
            user=_user(request),
            assessment_id=pk,
            code=code,
            data=data,
            expected_version=version,
            source=AnswerRevision.Source.API,
        )
    except AnswerNotFound:
        return Status(404, {"detail": "Not found"})
    except AnswerForbidden:
        return Status(403, {"detail": "U kunt dit antwoord niet wijzigen."})
    except AnswerInvalid as exc:
        return Status(
            422, {"detail": "Niet opgeslagen: controleer de invoer.", "errors": exc.errors}
        )
    except AnswerLocked:
        return Status(403, {"detail": "Deze zelfevaluatie kan niet meer worden gewijzigd."})
    except AnswerConflict as exc:
        return Status(
            409,
            {
                "detail": "Iemand anders heeft dit antwoord intussen gewijzigd.",
                "version": exc.version,
                "current": _saved_out(exc.item, exc.current, exc.version, exc.carried_over),
            },
        )
    # The most frequent request of all (autosave clients): the saved answer goes out as JSON
    # directly, in the shape of AnswerOut (tests hold it to the schema), not validated again.
    return JsonResponse(
        _saved_out(item, result.data, result.answer.version, result.answer.carried_over)
    )


def _saved_out(item: Any, data: dict[str, Any], version: int, carried_over: bool) -> dict[str, Any]:
    """An answer as ``AnswerOut`` from what the save knows (no query)."""
    return _answer_out(
        ItemState(
            item=item,
            answer=None,
            data=data,
            complete=version > 0 and is_complete(data, item),
            carried_over=carried_over,
        ),
        version=version,
    )


@router.post(
    "/{id:pk}/submit", response={200: AssessmentOut, 403: Detail, 409: Detail}, url_name="submit"
)
def submit(request: HttpRequest, pk: int) -> Any:
    user = _user(request)
    assessment = _get(request, pk)
    try:  # NotAllowed: a 403 with its reason (api.py)
        workflow.assessment_step(assessment=assessment, name="submit", by=user)
    except workflow.TransitionError as exc:
        return Status(409, {"detail": str(exc)})
    return Status(200, _summary(assessment, user))


class GapOut(Schema):
    item_code: str
    theme: str
    text: str
    explanation: str
    responsible: list[str]
    confidential: bool
    reasons: list[str]


class ThemeScoreOut(Schema):
    code: str
    theme: str
    score: int | None
    gaps: int
    items: int
    region_median: float | None
    sector_median: float | None
    previous: int | None
    change: int | None


class GapsOut(Schema):
    overall: int | None
    themes: list[ThemeScoreOut]
    gaps: list[GapOut]
    risks: list[dict[str, str]]


@router.get("/{id:pk}/gaps", response=GapsOut, url_name="assessment_gaps")
def assessment_gaps(request: HttpRequest, pk: int) -> dict[str, Any]:
    """Gaps, risks and theme scores: organisation-level data (404 for respondents)."""
    from django.http import Http404

    from weerbaar.insights.regional import comparison
    from weerbaar.scoring.gaps import assessment_for_gaps, gap_as_dict, insight

    try:
        assessment = assessment_for_gaps(_user(request), pk)
    except Http404 as exc:
        raise HttpError(404, "Not found") from exc
    result = insight(
        assessment,
        confidential=access.sees_confidential(_user(request), assessment.organisation),
    )
    compared = {t.section.pk: t for t in comparison(_user(request), assessment).themes}
    return {
        "overall": result.overall,
        "themes": [
            {
                "code": t.section.code,
                "theme": t.section.title,
                "score": t.score,
                "gaps": t.gaps,
                "items": t.items,
                "region_median": compared[t.section.pk].region_median,
                "sector_median": compared[t.section.pk].sector_median,
                "previous": compared[t.section.pk].previous,
                "change": compared[t.section.pk].change,
            }
            for t in result.themes
        ],
        "gaps": [gap_as_dict(gap) for gap in result.gaps],
        "risks": [{"item_code": r.item.code, "label": r.label} for r in result.risks],
    }
