"""The regional PDF report (typst): the picture of one round as its requester may see it.

Made in the background for large regions (``exports.build_export``). Data goes to typst as
one JSON input; headings are translated here.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from weerbaar.assessments.models import Round
from weerbaar.dependencies.register import register
from weerbaar.formatting import day, figure, typst_pdf
from weerbaar.insights import regional
from weerbaar.insights.capacity import capacity, release_note, shown_rows
from weerbaar.insights.charts import trend_chart
from weerbaar.organisations.models import Region
from weerbaar.scoring.norms import norm_overview

TEMPLATE = Path(__file__).parent / "templates" / "insights" / "region_report.typ"


def round_label(round_: Round, points: Any) -> str:
    """A short axis label: the year, or year and month when a year holds two rounds."""
    years = [p.round.opens_on.year for p in points]
    if years.count(round_.opens_on.year) == 1:
        return str(round_.opens_on.year)
    return round_.opens_on.strftime("%Y-%m")


def region_report_data(user: Any, region: Region, round_: Round) -> dict[str, Any]:
    heat = regional.heatmap(user, region, round_, sort="totaal")
    codes = [s.code for s in heat.sections]
    region_row = heat.aggregates[0]
    medians = list(zip(heat.sections, region_row.scores, strict=True))
    weakest = sorted(
        [(s, v) for s, v in medians if v is not None], key=lambda pair: (pair[1], pair[0].order)
    )[:3]
    trend = regional.region_trend(user, region, round_.framework.slug)
    norms = norm_overview(user, region, round_)
    figures = capacity(user, region, round_)
    dependencies = register(user, region)
    suppressed = _("niet getoond")
    return {
        "lang": (get_language() or "nl")[:2],
        "labels": {
            "title": _("Regiobeeld weerbare zorg"),
            "confidential": _("Vertrouwelijk"),
            "page": _("pagina"),
            "summary": _("Samenvatting"),
            "participants": _("Organisaties in de uitvraag"),
            "submitted": _("Ingediend"),
            "median": _("Mediaan totaalscore"),
            "weakest": _("Zwakste thema's in de regio"),
            "trend": _("Trend"),
            "themes": _("Thema's"),
            "heatmap": _("Scores per organisatie en thema"),
            "organisation": _("Organisatie"),
            "total": _("Totaal"),
            "norms": _("Normen"),
            "norm": _("Norm"),
            "answered": _("Ingevuld"),
            "below": _("Onder de norm"),
            "capacity": _("Capaciteit voor slachtoffers"),
            "group": _("Groep"),
            "dependencies": _("Eén punt van falen"),
            "outside": _("IT buiten Europa"),
            "hidden": _(
                "%(n)s organisaties delen hun gegevens niet met u en tellen alleen mee in de "
                "medianen."
            )
            % {"n": heat.hidden}
            if heat.hidden
            else "",
            "method": _(
                "Score 0–100: gemiddelde van niveau/4 over de vragen die van toepassing zijn. "
                "Medianen over ingediende zelfevaluaties; een cijfer over minder dan %(k)s "
                "organisaties die u niet afzonderlijk ziet, is weggelaten."
            )
            % {"k": region.min_group_size},
            "none": _("Geen."),
        },
        "region": region.name,
        "round": round_.title,
        "framework": f"{round_.framework.title} {round_.framework.version}",
        "generated": day(timezone.localdate()),
        "summary": {
            "participants": heat.participants,
            "submitted": region_row.organisations,
            "median": suppressed if region_row.cells[-1][1] else figure(region_row.overall),
            "weakest": [f"{s.title} ({figure(v)})" for s, v in weakest],
        },
        "trend_chart": str(
            trend_chart(
                [(round_label(p.round, trend), p.overall) for p in trend],
                title=_("Mediaan totaalscore per uitvraag"),
            )
        )
        if len(trend) > 1
        else "",
        "themes": [{"code": s.code, "title": s.title} for s in heat.sections],
        "codes": codes,
        "aggregates": [
            {
                "label": _("Mediaan %(group)s (n=%(n)d)")
                % {"group": a.label, "n": a.organisations},
                "values": [suppressed if withheld else figure(v) for v, withheld in a.cells],
            }
            for a in heat.aggregates
        ],
        "rows": [
            {"name": r.name, "values": [figure(v) for v in r.scores] + [figure(r.overall)]}
            for r in heat.rows
        ],
        "norms": [
            {
                "label": n.label,
                "norm": f"≥ {figure(n.norm.minimum)} {n.unit}" if n.norm else "–",
                "answered": str(n.answered),
                "median": suppressed if n.suppressed else f"{figure(n.median)} {n.unit}",
                "below": str(n.below_count)
                if n.below_count is not None
                else (suppressed if n.norm and n.answered else "–"),
            }
            for n in norms.rows
        ],
        "capacity_columns": [c.label for c in figures.columns],
        "capacity_note": release_note(figures),
        "capacity": [
            {
                "label": row.label,
                "values": [suppressed if withheld else figure(v) for v, withheld in row.cells],
            }
            for row in shown_rows(figures)
        ],
        "single_points": [
            _("%(n)s van %(of)s organisaties zijn afhankelijk van %(name)s")
            % {"n": s.organisations, "of": s.of, "name": s.name}
            + f" ({picture.label})"
            for picture in dependencies.categories
            for s in picture.single_points
        ],
        "outside": [
            f"{s.name} ({s.organisations})"
            for s in dependencies.outside_europe_it
            if not s.suppressed
        ],
    }


def region_pdf(user: Any, region: Region, round_: Round) -> bytes:
    data = region_report_data(user, region, round_)
    return typst_pdf(TEMPLATE, data)
