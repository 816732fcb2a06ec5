"""Rounds, the questionnaire with autosave per question, review and "Mijn vragen"."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_http_methods, require_POST

from weerbaar.frameworks.models import Item
from weerbaar.ids import parse_id, parse_version
from weerbaar.organisations import access
from weerbaar.organisations.models import Role
from weerbaar.organisations.services import members

from . import excel, plausibility, workflow
from .answering import (
    AnswerConflict,
    AnswerForbidden,
    AnswerInvalid,
    AnswerLocked,
    AnswerNotFound,
    answer_save,
    answer_save_as,
    differences,
)
from .evidence import EvidenceRefused, evidence_add, evidence_replace
from .evidence import evidence_remove as evidence_remove_file
from .forms import CommentForm
from .models import Assessment, AssessmentState, Evidence, ReviewComment
from .progress import progress
from .review import review_filter
from .routing import (
    answerable_ids,
    assessments_for,
    can_answer,
    is_member,
    items_for_user,
    items_of,
    routed_items,
)


def _assessment(request: HttpRequest, pk: int) -> Assessment:
    try:
        return assessments_for(request.user).get(pk=pk)
    except Assessment.DoesNotExist as exc:
        raise Http404("Assessment not found") from exc


def _item(request: HttpRequest, assessment: Assessment, code: str) -> Item:
    item = items_for_user(assessment, request.user).filter(code=code).first()
    if item is None:
        raise Http404("Item not found")
    return item


def _roles(request: HttpRequest, assessment: Assessment) -> dict[str, bool]:
    user = request.user
    coordinator = (
        access.regions_for(user, Role.COORDINATOR).filter(pk=assessment.round.region_id).exists()
    )
    return {
        "is_coordinator": coordinator,
        "is_org_admin": is_member(user, assessment, Role.ORG_ADMIN),
        "is_member": is_member(user, assessment),
    }


@login_required
def assessment_detail(request: HttpRequest, pk: int) -> HttpResponse:
    assessment = _assessment(request, pk)
    items = items_for_user(assessment, request.user)
    roles = _roles(request, assessment)
    state = progress(assessment, items, page=True)
    editable = answerable_ids(
        request.user, assessment, (s.item for section in state.sections for s in section.items)
    )
    return render(
        request,
        "assessments/assessment_detail.html",
        {
            "assessment": assessment,
            "progress": state,
            "shown": review_filter(assessment, state, request.GET.get("filter", "")),
            "editable": editable,
            "steps": workflow.steps_for(request.user, assessment),
            "comment_form": CommentForm(),
            "scale": list(assessment.round.framework.scale.all()),
            "sees_drafts": access.sees_drafts(request.user, assessment.organisation),
            **_assignment_context(assessment, roles),
            **roles,
        },
    )


def _assignment_context(assessment: Assessment, roles: dict[str, bool]) -> dict[str, Any]:
    """For the organisation admin: who each question is also assigned to, and to whom it
    could be."""
    if not roles["is_org_admin"] or not assessment.is_editable:
        return {"assignable": []}
    assigned: dict[int, list[Any]] = {}
    for row in assessment.item_assignments.select_related("user"):
        assigned.setdefault(row.item_id, []).append(row.user)
    return {"assignable": list(members(assessment.organisation)), "assigned": assigned}


def _item_context(
    request: HttpRequest, assessment: Assessment, item: Item, **extra: Any
) -> dict[str, Any]:
    state = progress(assessment, Item.objects.filter(pk=item.pk), page=True).sections[0].items[0]
    roles = _roles(request, assessment)
    return {
        "assessment": assessment,
        "state": state,
        "editable": {item.pk} if can_answer(request.user, assessment, item) else set(),
        "comment_form": CommentForm(),
        "scale": list(assessment.round.framework.scale.all()),
        "sees_drafts": access.sees_drafts(request.user, assessment.organisation),
        **_assignment_context(assessment, roles),
        **roles,
        **extra,
    }


def _item_changed(
    request: HttpRequest, assessment: Assessment, item: Item, notice: str, ok: bool
) -> HttpResponse:
    """After a comment or an assignment: with htmx only the question is drawn again, with
    what happened at its top; otherwise back to the page at the question."""
    if request.htmx:  # type: ignore[attr-defined]
        context = _item_context(request, assessment, item, notice=notice, notice_ok=ok)
        # 422: htmx swaps it in (the page's responseHandling), the question says what failed.
        return render(request, "assessments/_item.html", context, status=200 if ok else 422)
    (messages.success if ok else messages.error)(request, notice)
    return redirect(f"{_detail_url(assessment)}#item-{item.code}")


def _form_data(request: HttpRequest, item: Item) -> dict[str, Any]:
    post = request.POST
    values: dict[str, Any] = {}
    not_applicable = post.get("not_applicable") == "on"
    for part in item.parts.all():
        raw = post.get(f"v-{part.key}", "")
        if part.type == "maturity" and raw == "na":
            not_applicable = True
            raw = ""
        values[part.key] = raw
    return {
        "not_applicable": not_applicable,
        "na_reason": post.get("na_reason", ""),
        "explanation": post.get("explanation", ""),
        "evidence_link": post.get("evidence_link", ""),
        "evidence_date": post.get("evidence_date", ""),
        "values": values,
    }


@login_required
@require_http_methods(["GET", "POST"])
def answer(request: HttpRequest, pk: int, code: str) -> HttpResponse:
    if request.method == "GET":
        assessment = _assessment(request, pk)
        item = _item(request, assessment, code)
        return render(request, "assessments/_item.html", _item_context(request, assessment, item))
    version = parse_version(request.POST.get("version"))
    if version is None:
        version = -1  # a tampered field: the save reports a conflict
    try:
        assessment, item, result = answer_save_as(
            user=request.user,
            assessment_id=pk,
            code=code,
            data=lambda item: _form_data(request, item),
            expected_version=version,
        )
    except AnswerNotFound as exc:
        raise Http404("Item not found") from exc
    except (AnswerForbidden, AnswerLocked):
        return render(
            request,
            "assessments/_save_status.html",
            {"item": {"code": code}, "status": "locked", "version": None},
            status=403,
        )
    except AnswerInvalid as exc:
        return render(
            request,
            "assessments/_save_status.html",
            {"item": {"code": code}, "status": "invalid", "errors": exc.errors, "version": version},
            status=422,
        )
    except AnswerConflict as exc:
        return render(
            request,
            "assessments/_save_status.html",
            {
                "item": exc.item,
                "status": "conflict",
                "diff": differences(exc.item, exc.current, _form_data(request, exc.item)),
                "assessment_pk": pk,
                "version": exc.version,
            },
            status=409,
        )
    htmx = bool(getattr(request, "htmx", False))
    if request.POST.get("reload") == "1" or not htmx:
        if not htmx:
            messages.success(request, _("Antwoord opgeslagen."))
            for warning in plausibility.warnings(item, result.data):
                messages.warning(request, warning)
            return redirect(f"{_detail_url(assessment)}#item-{item.code}")
        return render(request, "assessments/_item.html", _item_context(request, assessment, item))
    return render(
        request,
        "assessments/_save_status.html",
        {
            "item": item,
            "status": "saved" if result.changed else "unchanged",
            "version": result.answer.version,
            "answer": result.answer,
            "warnings": plausibility.warnings(item, result.data),
        },
    )


def _detail_url(assessment: Assessment) -> str:
    return reverse("assessments:detail", args=[assessment.pk])


@login_required
@require_POST
def comment(request: HttpRequest, pk: int, code: str) -> HttpResponse:
    assessment = _assessment(request, pk)
    item = _item(request, assessment, code)
    roles = _roles(request, assessment)
    form = CommentForm(request.POST)
    answer_row = assessment.answers.filter(item=item).first()
    allowed_kinds = set()
    if roles["is_coordinator"] and assessment.state == AssessmentState.SUBMITTED:
        allowed_kinds |= {ReviewComment.Kind.COMMENT, ReviewComment.Kind.CHALLENGE_NA}
    if roles["is_org_admin"] or routed_items(assessment, request.user).filter(pk=item.pk).exists():
        allowed_kinds.add(ReviewComment.Kind.REPLY)
    if not allowed_kinds:
        raise PermissionDenied
    if answer_row is None:
        return _item_changed(
            request, assessment, item, _("Er is nog geen antwoord om op te reageren."), False
        )
    if not form.is_valid() or form.cleaned_data["kind"] not in allowed_kinds:
        notice = form.errors.get("text", [""])[0] if form.errors.get("text") else ""
        return _item_changed(
            request,
            assessment,
            item,
            str(notice or _("Opmerking niet geplaatst: vul een tekst in.")),
            False,
        )
    try:
        workflow.comment_add(
            answer=answer_row,
            kind=form.cleaned_data["kind"],
            text=form.cleaned_data["text"],
            by=request.user,
        )
    except ValueError as exc:
        return _item_changed(request, assessment, item, str(exc), False)
    return _item_changed(request, assessment, item, _("Opmerking geplaatst."), True)


@login_required
@require_http_methods(["GET", "POST"])
def step(request: HttpRequest, pk: int, name: str) -> HttpResponse:
    """One workflow step: a page that says what it does and what is still open, with a
    sign-off (submitting) or a reason (sending work back), then the step itself."""
    assessment = _assessment(request, pk)
    chosen = workflow.STEPS.get(name)
    if chosen is None:
        raise Http404("Unknown step")
    if not chosen.may(request.user, assessment):
        raise access.NotAllowed(str(chosen.refused))
    if assessment.state not in chosen.allowed_from:
        messages.error(request, workflow.state_refusal(assessment))
        return redirect("assessments:detail", pk=assessment.pk)
    reason = request.POST.get("reden", "")
    error = ""
    if request.method == "POST":
        if name == "submit" and request.POST.get("akkoord") != "1":
            error = _("Bevestig dat de antwoorden namens uw organisatie kloppen.")
        else:
            try:  # NotAllowed: a 403
                workflow.assessment_step(
                    assessment=assessment, name=name, by=request.user, reason=reason
                )
            except workflow.TransitionError as exc:
                error = str(exc)
            else:
                messages.success(request, str(chosen.done))
                return redirect("assessments:detail", pk=assessment.pk)
    state = progress(assessment, items_of(assessment))
    return render(
        request,
        "assessments/step.html",
        {
            "assessment": assessment,
            "name": name,
            "step": chosen,
            "progress": state,
            "challenges": workflow.open_challenges(assessment),
            "reason": reason,
            "reason_limit": workflow.REASON_LIMIT,
            "error": error,
        },
        status=400 if error else 200,
    )


@login_required
def mine(request: HttpRequest) -> HttpResponse:
    """The items routed to me in assessments that are still open."""
    blocks = []
    for assessment in assessments_for(request.user).filter(state=AssessmentState.CONCEPT):
        items = routed_items(assessment, request.user)
        if items.exists():
            blocks.append({"assessment": assessment, "progress": progress(assessment, items)})
    return render(request, "assessments/mine.html", {"blocks": blocks})


@login_required
@require_POST
def evidence_upload(request: HttpRequest, pk: int, code: str) -> HttpResponse:
    assessment = _assessment(request, pk)
    item = _item(request, assessment, code)
    if not can_answer(request.user, assessment, item):
        raise PermissionDenied
    upload = request.FILES.get("file")
    if upload is None:
        messages.error(request, _("Kies een bestand."))
        return redirect(f"{_detail_url(assessment)}#item-{item.code}")
    answer_row = assessment.answers.filter(item=item).first()
    replaced = None
    if (replaces := parse_id(request.POST.get("vervangt"))) is not None:
        replaced = answer_row.evidence.filter(pk=replaces).first() if answer_row else None
        if replaced is None:
            raise Http404("Evidence not found")
    try:
        if answer_row is None:
            answer_row = answer_save(
                assessment=assessment, item=item, data={}, expected_version=0, by=request.user
            ).answer
        if replaced is not None:
            evidence_replace(evidence=replaced, upload=upload, by=request.user)
        else:
            evidence_add(answer=answer_row, upload=upload, by=request.user)
    except (EvidenceRefused, AnswerConflict, AnswerLocked) as exc:
        message = str(exc) if isinstance(exc, EvidenceRefused) else _("Niet toegevoegd.")
        messages.error(request, message)
    else:
        messages.success(
            request, _("Bewijsstuk vervangen.") if replaced else _("Bewijsstuk toegevoegd.")
        )
    return redirect(f"{_detail_url(assessment)}#item-{item.code}")


@login_required
@require_POST
def evidence_remove(request: HttpRequest, pk: int) -> HttpResponse:
    """Remove a file from an answer: for who may change that answer, while it is a concept."""
    evidence = get_object_or_404(
        Evidence.objects.filter(
            answer__assessment__in=assessments_for(request.user)
        ).select_related("answer__item", "answer__assessment"),
        pk=pk,
    )  # scoped: by assessments_for(), as the question it belongs to; _item() decides below
    assessment = _assessment(request, evidence.answer.assessment_id)
    item = _item(request, assessment, evidence.answer.item.code)
    if not can_answer(request.user, assessment, item):
        raise PermissionDenied
    evidence_remove_file(evidence=evidence, by=request.user)
    messages.success(request, _("Bewijsstuk verwijderd."))
    return redirect(f"{_detail_url(assessment)}#item-{item.code}")


@login_required
def evidence_download(request: HttpRequest, pk: int) -> FileResponse:
    """Serve a file only to people who may see its question; always as a download."""
    evidence = get_object_or_404(
        Evidence.objects.filter(
            answer__assessment__in=assessments_for(request.user)
        ).select_related("answer__item"),
        pk=pk,
    )  # scoped: by assessments_for(), as the question it belongs to; _item() decides below
    assessment = _assessment(request, evidence.answer.assessment_id)
    _item(request, assessment, evidence.answer.item.code)
    response = FileResponse(
        evidence.file.open("rb"),
        as_attachment=True,
        filename=evidence.original_name,
        content_type=evidence.content_type,
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = "default-src 'none'; sandbox"
    response["Cache-Control"] = "private, no-store"
    return response


@login_required
@require_POST
def assign(request: HttpRequest, pk: int, code: str) -> HttpResponse:
    """The organisation admin routes one question to specific colleagues."""
    assessment = _assessment(request, pk)
    item = _item(request, assessment, code)
    if not is_member(request.user, assessment, Role.ORG_ADMIN) or not assessment.is_editable:
        raise PermissionDenied
    chosen = {n for value in request.POST.getlist("users") if (n := parse_id(value)) is not None}
    people = list(members(assessment.organisation).filter(pk__in=chosen))
    try:
        if len(people) != len(chosen) or len(chosen) != len(request.POST.getlist("users")):
            raise ValueError(_("Kies alleen collega's van deze organisatie."))
        workflow.assignment_set(assessment=assessment, item=item, users=people, by=request.user)
    except ValueError as exc:
        return _item_changed(request, assessment, item, str(exc), False)
    return _item_changed(request, assessment, item, _("Toewijzing opgeslagen."), True)


@login_required
def excel_export(request: HttpRequest, pk: int) -> HttpResponse:
    """The self-assessment (or one role's questions, ``?rol=ciso``) as .xlsx."""
    assessment = _assessment(request, pk)
    items = items_for_user(assessment, request.user)
    role = request.GET.get("rol", "")
    if role:
        items = items.filter(responsible__key=role)
    content = excel.export_assessment(assessment, items)
    name = (
        slugify(f"{assessment.organisation.name}-{assessment.round.title}")[:80] or "zelfevaluatie"
    )
    response = HttpResponse(
        content,
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )
    response["Content-Disposition"] = f'attachment; filename="{name}.xlsx"'
    return response


IMPORT_SESSION_KEY = "weerbaar_excel_import"


@login_required
@require_POST
def excel_import(request: HttpRequest, pk: int) -> HttpResponse:
    """Step 1: upload and check. Nothing is saved; a clean file can then be confirmed."""
    assessment = _assessment(request, pk)
    items = items_for_user(assessment, request.user)
    editable = [i for i in items if can_answer(request.user, assessment, i)]
    if not editable:
        raise PermissionDenied
    upload = request.FILES.get("file")
    report = None
    error = ""
    if upload is None:
        error = _("Kies een .xlsx-bestand.")
    elif upload.size and upload.size > excel.MAX_UPLOAD:
        error = _("Het bestand is groter dan 5 MB.")
    else:
        try:
            report = excel.parse_import(
                assessment,
                Item.objects.filter(pk__in=[i.pk for i in editable]),
                upload.read(excel.MAX_UPLOAD + 1),
            )
        except excel.ImportRefused as exc:
            error = str(exc)
    if report is not None and report.clean and report.changes:
        request.session[IMPORT_SESSION_KEY] = {
            "assessment": assessment.pk,
            "changes": [
                {"code": c.code, "version": c.version, "data": c.data} for c in report.changes
            ],
        }
    else:
        request.session.pop(IMPORT_SESSION_KEY, None)
    return render(
        request,
        "assessments/import.html",
        {"assessment": assessment, "report": report, "error": error},
        status=200 if report is not None and report.clean else 400,
    )


@login_required
@require_POST
def excel_import_confirm(request: HttpRequest, pk: int) -> HttpResponse:
    """Step 2: save every checked change in one transaction, or none."""
    assessment = _assessment(request, pk)
    pending = request.session.get(IMPORT_SESSION_KEY)
    if not pending or pending.get("assessment") != assessment.pk:
        messages.error(request, _("Er is geen gecontroleerde import om op te slaan."))
        return redirect("assessments:detail", pk=assessment.pk)
    items = items_for_user(assessment, request.user)
    codes = {c["code"] for c in pending["changes"]}
    allowed = [i for i in items.filter(code__in=codes) if can_answer(request.user, assessment, i)]
    if len(allowed) != len(codes):
        raise PermissionDenied
    changes = [excel.Change(c["code"], c["version"], c["data"]) for c in pending["changes"]]
    try:
        count = excel.apply_import(
            assessment, Item.objects.filter(pk__in=[i.pk for i in allowed]), changes, request.user
        )
    except (AnswerConflict, AnswerLocked, AnswerInvalid):
        messages.error(
            request,
            _(
                "Niet opgeslagen: intussen is in Weerbaar iets gewijzigd. Er is niets "
                "overgenomen; exporteer opnieuw."
            ),
        )
    else:
        messages.success(
            request,
            ngettext(
                "%(count)d antwoord uit Excel opgeslagen.",
                "%(count)d antwoorden uit Excel opgeslagen.",
                count,
            )
            % {"count": count},
        )
    request.session.pop(IMPORT_SESSION_KEY, None)
    return redirect("assessments:detail", pk=assessment.pk)
