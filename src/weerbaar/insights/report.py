"""The PDF report of one organisation's self-assessment, made with typst.

The data goes to the typst template (``templates/insights/report.typ``) as one JSON input —
never pasted into markup, so no answer text can change the document. The theme chart is the
same SVG as on the screen. Headings and labels are translated here, so the template holds no
Dutch or English words of its own.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from weerbaar.assessments.models import AnswerValue, Assessment
from weerbaar.formatting import day, figure, typst_pdf
from weerbaar.frameworks.models import PartType
from weerbaar.insights.charts import ThemeBar, theme_chart
from weerbaar.insights.regional import Comparison, comparison
from weerbaar.organisations import access
from weerbaar.plan.actions import gap_states
from weerbaar.plan.models import ImprovementAction
from weerbaar.scoring.gaps import Insight, insight
from weerbaar.scoring.models import Norm
from weerbaar.scoring.themes import half_up

TEMPLATE = Path(__file__).parent / "templates" / "insights" / "report.typ"


def report_data(user: Any, assessment: Assessment) -> dict[str, Any]:
    """Everything the report shows, as plain JSON-able data."""
    confidential = access.sees_confidential(user, assessment.organisation)
    result: Insight = insight(assessment, confidential=confidential)
    compared: Comparison = comparison(user, assessment)
    counted = {theme.section.pk: theme for theme in result.themes}
    organisation = assessment.organisation
    actions = list(
        ImprovementAction.objects.filter(organisation=organisation)
        .select_related("item", "owner")
        .order_by("status", "due_on", "pk")
    )
    states = gap_states(
        organisation, {a.item.code for a in actions if a.item}, confidential=confidential
    )
    themes = [
        {
            "title": t.section.title,
            "score": figure(t.score),
            "region": figure(t.region_median),
            "sector": figure(t.sector_median),
            "previous": figure(t.previous),
            "change": "–" if t.change is None else f"{t.change:+d}".replace("+0", "±0"),
            "gaps": counted[t.section.pk].gaps if t.section.pk in counted else 0,
            "items": counted[t.section.pk].items if t.section.pk in counted else 0,
        }
        for t in compared.themes
    ]
    scored = [t for t in compared.themes if t.score is not None]
    weakest = sorted(scored, key=lambda t: (t.score or 0, t.section.order))[:3]
    unknown = sum(1 for gap in result.gaps if gap.level < 0)
    previous_overall = None
    if compared.previous is not None:
        previous_scores = [t.previous for t in compared.themes if t.previous is not None]
        if previous_scores:
            previous_overall = half_up(sum(previous_scores), len(previous_scores))
    norms = {n.norm_key: n for n in Norm.objects.filter(region_id=assessment.round.region_id)}
    figures = [
        {
            "code": value.answer.item.code,
            "label": value.part.label,
            "value": figure(value.number),
            "unit": value.part.unit,
            "norm": figure(norms[value.part.norm_key].minimum)
            if value.part.norm_key in norms
            else "–",
            "below": bool(
                value.part.norm_key in norms
                and value.number is not None
                and value.number < norms[value.part.norm_key].minimum
            ),
        }
        for value in AnswerValue.objects.filter(
            answer__assessment=assessment,
            answer__not_applicable=False,
            part__type=PartType.NUMBER,
            number__isnull=False,
        )
        .filter(
            # Confidential figures only for the organisation and the coordinators.
            answer__item__confidential__in=[False, True] if confidential else [False]
        )
        .select_related("part", "answer__item__section")
        .order_by("answer__item__section__order", "answer__item__order", "part__order")
    ]
    return {
        "lang": (get_language() or "nl")[:2],
        "labels": {
            "title": _("Weerbaarheid: hiaten en scores"),
            "confidential": _("Vertrouwelijk"),
            "page": _("pagina"),
            "summary": _("Samenvatting voor het bestuur"),
            "overall": _("Totaalscore"),
            "gaps": _("Hiaten"),
            "unknown": _("Onbekend of niet beantwoord"),
            "confidential_gaps": _("Hiaten in vertrouwelijke vragen"),
            "actions": _("Acties in het verbeterplan"),
            "overdue": _("over de datum"),
            "weakest": _("Zwakste thema's"),
            "change": _("Verandering sinds de vorige ronde"),
            "themes": _("Scores per thema"),
            "theme": _("Thema"),
            "score": _("Score"),
            "region": _("Mediaan regio"),
            "sector": _("Mediaan sector"),
            "previous": _("Vorige ronde"),
            "delta": _("Verandering"),
            "gap_list": _("Hiaten"),
            "gap": _("Hiaat"),
            "who": _("Wie"),
            "risks": _("Risico's om te kennen"),
            "plan": _("Verbeterplan"),
            "action": _("Actie"),
            "owner": _("Eigenaar"),
            "due": _("Gereed op"),
            "status": _("Status"),
            "gap_open": _("hiaat nog open"),
            "gap_closed": _("hiaat gesloten"),
            "figures": _("Getallen"),
            "value": _("Waarde"),
            "norm": _("Norm"),
            "below": _("onder de norm"),
            "none": _("Geen."),
            "method": _(
                "Score: gemiddelde van niveau/4 over de vragen die van toepassing zijn "
                "(Onbekend en niet beantwoord tellen als 0, N.v.t. telt niet mee), 0–100. "
                "Medianen over ingediende zelfevaluaties van dezelfde uitvraag; een mediaan "
                "over te weinig organisaties wordt niet getoond."
            ),
        },
        "organisation": organisation.name,
        "sector": organisation.get_sector_display(),
        "region": assessment.round.region.name,
        "round": assessment.round.title,
        "framework": f"{assessment.round.framework.title} {assessment.round.framework.version}",
        "state": assessment.get_state_display(),
        "generated": day(timezone.localdate()),
        "summary": {
            "overall": figure(result.overall),
            "gaps": len(result.gaps),
            "unknown": unknown,
            "confidential_gaps": sum(1 for gap in result.gaps if gap.item.confidential),
            "actions": len(actions),
            "overdue": sum(1 for a in actions if a.is_overdue),
            "weakest": [f"{t.section.title} ({t.score})" for t in weakest],
            "change": "–"
            if previous_overall is None or result.overall is None
            else f"{result.overall - previous_overall:+d}",
        },
        "chart": str(
            theme_chart(
                [
                    ThemeBar(t.section.title, t.score, t.region_median, t.sector_median, t.previous)
                    for t in compared.themes
                ],
                title=_("Score per thema van %(name)s") % {"name": organisation.name},
            )
        ),
        "themes": themes,
        "gaps": [
            {
                "code": gap.item.code,
                "theme": gap.item.section.title,
                "text": gap.item.text,
                "reasons": list(gap.reasons),
                "who": ", ".join(link.role.label for link in gap.item.responsible_links.all()),
                "confidential": gap.item.confidential,
            }
            for gap in result.gaps
        ],
        "risks": [f"{risk.item.code} {risk.label}" for risk in result.risks],
        "actions": [
            {
                "title": a.title,
                "item": a.item.code if a.item else "",
                "owner": a.owner.get_full_name() if a.owner else "–",
                "due": day(a.due_on),
                "status": a.get_status_display(),
                "overdue": a.is_overdue,
                "gap": ""
                if not a.item or a.item.code not in states
                else (_("hiaat nog open") if states[a.item.code].open else _("hiaat gesloten")),
            }
            for a in actions
        ],
        "figures": figures,
    }


def report_pdf(user: Any, assessment: Assessment) -> bytes:
    data = report_data(user, assessment)
    return typst_pdf(TEMPLATE, data)
