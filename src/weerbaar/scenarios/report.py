"""The PDF report of one scenario run, made with typst (``templates/scenarios/report.typ``).

The same result as the screen, for the same viewer: a region reader's report holds only what
they may see. All text arrives as one JSON input, headings translated here."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.utils import timezone
from django.utils.translation import get_language, ngettext
from django.utils.translation import gettext as _

from weerbaar.formatting import figure, moment, typst_pdf
from weerbaar.organisations.models import Region

from . import labels, timeline
from .saved import Evaluation

TEMPLATE = Path(__file__).parent / "templates" / "scenarios" / "report.typ"
LISTED = 40  # weakest links and blind spots listed in the report; the rest counted


_hour = timeline.hour_text


def report_data(user: Any, region: Region, evaluation: Evaluation) -> dict[str, Any]:
    result = evaluation.summary
    charts = timeline.charts(evaluation)
    below = _("onder de norm")
    beds = [
        {
            "care": row["label"],
            "admitted": figure(row["admitted"]),
            "capacity": figure(row["capacity"]),
            "first": "–" if row["first_day"] is None else str(row["first_day"]),
            "overflow": figure(row["total"]),
        }
        for row in timeline.shortfalls(result)
    ]
    notes = []
    if result["hidden_organisations"]:
        notes.append(
            ngettext(
                "%(n)s organisatie deelt haar antwoorden niet met regiolezers; haar cijfers "
                "tellen niet mee.",
                "%(n)s organisaties delen hun antwoorden niet met regiolezers; hun cijfers "
                "tellen niet mee.",
                result["hidden_organisations"],
            )
            % {"n": result["hidden_organisations"]}
        )
    if result["released_capacity"]:
        notes.append(_("De bedden zijn de vrijgegeven capaciteit van de regio, als één geheel."))
    if result["clients_withheld"]:
        notes.append(
            _(
                "Cliënten thuis van organisaties die u niet afzonderlijk ziet, tellen alleen mee "
                "waar per gemeente minstens %(k)s zulke organisaties meetellen."
            )
            % {"k": region.min_group_size}
        )
    if result["at_norm"] is not None:
        notes.append(
            _("Als iedereen aan de regionale normen voldoet: eerste kritieke uitval %(when)s.")
            % {"when": _hour(result["at_norm"]["endurance_hours"])}
        )
    if result["reports_used"]:
        notes.append(
            ngettext(
                "Van %(n)s organisatie geldt het laatste situatierapport.",
                "Van %(n)s organisaties gelden de laatste situatierapporten.",
                result["reports_used"],
            )
            % {"n": result["reports_used"]}
        )
    return {
        "lang": (get_language() or "nl")[:2],
        "region": region.name,
        "title": evaluation.source.title,
        "source": result["source"],
        "generated": moment(timezone.now()),
        "described": timeline.described(evaluation.source.description),
        "endurance": _hour(result["endurance_hours"]),
        "notes": notes,
        "utilities_chart": str(charts["utilities"] or ""),
        "beds": beds,
        "filling": timeline.filling(result, LISTED),
        "beds_charts": [{"care": str(care), "chart": str(chart)} for care, chart in charts["beds"]],
        "clients_chart": str(charts["clients"] or ""),
        "weakest": [
            {
                "organisation": w["organisation"],
                "resource": str(labels.RESOURCES[w["resource"]])
                + (f" ({below})" if w["below_norm"] else ""),
                "question": labels.SOURCES[w["resource"]],
                "hour": _hour(w["hour"]),
            }
            for w in result["weakest"][:LISTED]
        ],
        "sensitivity": [
            {
                "organisation": s["organisation"],
                "resource": str(labels.RESOURCES[s["resource"]]),
                "after": _hour(s["endurance_after"]),
            }
            for s in result["sensitivity"]
        ],
        "clients": [
            {
                "place": place,
                "clients": figure(need["clients"]),
                "first": "–" if need["first_need_hour"] is None else _hour(need["first_need_hour"]),
                "peak": figure(need["peak"]),
            }
            for place, need in result["power_dependent_clients"].items()
        ],
        "blind_spots": [
            f"{b['organisation']}: {labels.RESOURCES[b['resource']]}"
            for b in result["blind_spots"][:LISTED]
        ],
        "blind_more": max(0, len(result["blind_spots"]) - LISTED),
        "assumptions": [
            {
                "label": str(labels.ASSUMPTIONS[a["name"]]),
                "value": (_("ja") if a["value"] else _("nee"))
                if isinstance(a["value"], bool)
                else figure(a["value"]),
                "reason": str(labels.REASONS[a["name"]]),
            }
            for a in result["assumptions"]
        ],
        "labels": {
            "report": _("Scenario-stresstest"),
            "confidential": _("Vertrouwelijk"),
            "page": _("Pagina"),
            "figures": _("Cijfers"),
            "scenario": _("Het scenario"),
            "endurance": _("Eerste kritieke uitval"),
            "utilities": _("Wie zit wanneer zonder"),
            "weakest": _("Zwakste schakels"),
            "organisation": _("Organisatie"),
            "resource": _("Middel"),
            "question": _("Vraag"),
            "when": _("Zonder vanaf"),
            "sensitivity": _("Welke verbetering helpt het meest"),
            "after": _("Eerste uitval daarna"),
            "beds": _("Bedden voor slachtoffers"),
            "care": _("Zorgtype"),
            "admitted": _("Slachtoffers"),
            "capacity": _("Bedden open"),
            "first": _("Eerste tekort op dag"),
            "overflow": _("Naar een andere regio"),
            "clients": _("Stroomafhankelijke cliënten thuis"),
            "filling": _("Wie raakt het eerst vol"),
            "place": _("Gemeente"),
            "count": _("Cliënten"),
            "need": _("Hulp nodig vanaf"),
            "peak": _("Hoogstens tegelijk"),
            "blind": _("Blinde vlekken: niet beantwoord, dus onbekend"),
            "more": _("en nog"),
            "assumptions": _("Aannames"),
            "value": _("Waarde"),
            "reason": _("Waarom"),
            "none": _("Geen."),
        },
    }


def report_pdf(user: Any, region: Region, evaluation: Evaluation) -> bytes:
    return typst_pdf(TEMPLATE, report_data(user, region, evaluation))
