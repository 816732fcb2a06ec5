"""One organisation's self-assessment: gaps and scores, its PDF report and Excel."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.text import slugify
from django.utils.translation import gettext as _

from weerbaar.audit.models import audit_record
from weerbaar.downloads import XLSX, download
from weerbaar.insights import regional
from weerbaar.insights.charts import ThemeBar, theme_chart, trend_chart
from weerbaar.insights.exports import (
    gaps_workbook,
)
from weerbaar.insights.region_report import round_label
from weerbaar.insights.report import report_pdf
from weerbaar.organisations import access
from weerbaar.organisations.access import Level
from weerbaar.plan.models import ImprovementAction
from weerbaar.scoring.gaps import assessment_for_gaps, insight


@login_required
def gaps(request: HttpRequest, pk: int) -> HttpResponse:
    assessment = assessment_for_gaps(request.user, pk)
    compared = regional.comparison(request.user, assessment)
    chart = theme_chart(
        [
            ThemeBar(t.section.title, t.score, t.region_median, t.sector_median, t.previous)
            for t in compared.themes
        ],
        title=_("Score per thema van %(name)s") % {"name": assessment.organisation.name},
    )
    confidential = access.sees_confidential(request.user, assessment.organisation)
    result = insight(assessment, confidential=confidential)
    counted = {theme.section.pk: theme for theme in result.themes}
    history = regional.organisation_trend(assessment, public=not confidential)
    linked: dict[str, list[ImprovementAction]] = {}
    for action in assessment.organisation.improvement_actions.filter(
        item__isnull=False
    ).select_related("item"):
        linked.setdefault(action.item.code, []).append(action)  # type: ignore[union-attr]
    return render(
        request,
        "insights/gaps.html",
        {
            "assessment": assessment,
            "insight": result,
            "themes": [(t, counted.get(t.section.pk)) for t in compared.themes],
            "actions": linked,
            "confidential_hidden": not confidential,
            "history": history if len(history) > 1 else [],
            "history_chart": trend_chart(
                [(round_label(p.round, history), p.overall) for p in history],
                title=_("Totaalscore per uitvraag"),
                chart_id="history",
            )
            if len(history) > 1
            else None,
            "can_manage": access.can(request.user, assessment.organisation, Level.MANAGE),
            "comparison": compared,
            "chart": chart,
        },
    )


@login_required
def report(request: HttpRequest, pk: int) -> HttpResponse:
    """The PDF report of a self-assessment (same access as its gap screen)."""
    assessment = assessment_for_gaps(request.user, pk)
    pdf = report_pdf(request.user, assessment)
    audit_record(
        actor=request.user,
        action="report.download",
        obj=assessment,
        organisation=assessment.organisation,
    )
    name = slugify(f"weerbaarheid {assessment.organisation.name} {assessment.round.title}")
    return download(pdf, f"{name}.pdf", "application/pdf")


@login_required
def gaps_excel(request: HttpRequest, pk: int) -> HttpResponse:
    assessment = assessment_for_gaps(request.user, pk)
    content = gaps_workbook(request.user, assessment)
    audit_record(
        actor=request.user,
        action="export.gaps_xlsx",
        obj=assessment,
        organisation=assessment.organisation,
    )
    name = slugify(f"hiaten {assessment.organisation.name} {assessment.round.title}")
    return download(content, f"{name}.xlsx", XLSX)
