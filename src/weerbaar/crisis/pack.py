"""The offline pack ("print it before you need it"): everything an organisation needs when
all IT is down, on A4 in black and white, dated on every page.

Per organisation: its key figures (hours on emergency power and water, days of stock, beds),
its key officers and chain partners with their numbers, the region's crisis numbers, the eight
action cards with a checkbox per step, the preparation checklists with the organisation's own
status, and blank paper forms for the logbook and a status report. For the GHOR, a regional
pack: the region's numbers, and every organisation's crisis contacts and key figures.

The figures follow the screens' rules: an organisation's answers only to who may see them
(region readers: of organisations that share), confidential ones (casualty-care beds) only
to its admins and the coordinators; status reports to everyone of the region's crisis side.
Unknown is printed as unknown. The data reaches typst as one JSON input (``typst_pdf``).
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from typing import Any

from django.db.models import Prefetch
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from weerbaar.assessments.models import AnswerValue, Assessment, AssessmentState, Maturity
from weerbaar.formatting import day, figure, moment, typst_pdf
from weerbaar.frameworks.models import AnswerPart, Framework, Phase, Section, Step
from weerbaar.organisations import access
from weerbaar.organisations.access import Level
from weerbaar.organisations.models import Organisation, Region

from .contacts import KEY_FUNCTIONS, confirmed_since, coverage, regional_contacts
from .context import ACTION_CARDS, KADER
from .models import ContactKind, CrisisContact, KeyFunction, StatusReport

TEMPLATES = Path(__file__).parent / "templates" / "crisis"

KEY_FIGURES: tuple[str, ...] = (
    "noodstroom_uren",
    "drinkwater_uren",
    "voorraad_nutsvoorzieningen_dagen",
    "voorraad_middelen_materialen_dagen",
    "voorraad_medicatie_dagen",
    "voorraad_kritieke_middelen_dagen",
    "bedden_ic",
    "bedden_heelkunde_trauma",
    "bedden_neurochirurgie",
    "bedden_revalidatie",
    "isolatie_units",
)
"""The key figures of the pack, by the Kader's answer part key. Whether one is confidential
(casualty-care capacity) the library says (``Item.confidential``)."""


@dataclass(frozen=True)
class Viewer:
    """What the maker of the pack may see of one organisation."""

    answers: bool
    confidential: bool


def _viewer(user: Any, organisation: Organisation) -> Viewer:
    if user is None:  # the command line: the server's operator
        return Viewer(True, True)
    return Viewer(
        access.can(user, organisation, Level.DETAIL),
        access.sees_confidential(user, organisation),
    )


def _final(organisations: list[Organisation], slug: str) -> dict[int, Assessment]:
    """Each organisation's last established self-assessment of ``slug``."""
    found: dict[int, Assessment] = {}
    for assessment in (
        Assessment.all_objects.filter(
            organisation__in=organisations, round__framework__slug=slug, state=AssessmentState.FINAL
        )
        .select_related("round", "round__framework")
        .order_by("organisation_id", "-finalised_at", "-pk")
    ):
        found.setdefault(assessment.organisation_id, assessment)
    return found


def _parts() -> list[AnswerPart]:
    kader = Framework.objects.filter(slug=KADER).order_by("-loaded_at", "-pk").first()
    wanted = list(KEY_FIGURES)
    parts = AnswerPart.objects.filter(
        item__section__framework=kader, key__in=wanted
    ).prefetch_related("item__sector_rows")
    by_key = {p.key: p for p in parts}
    return [by_key[k] for k in wanted if k in by_key]


def _figures(
    organisations: list[Organisation], viewers: dict[int, Viewer]
) -> dict[int, list[dict[str, str]]]:
    """Per organisation: its key figures from its last established Kader (a few queries)."""
    finals = _final(organisations, KADER)
    parts = _parts()
    values: dict[tuple[int, str], Decimal | None] = {}
    for org_id, key, number in AnswerValue.objects.filter(
        answer__assessment__in=list(finals.values()),
        answer__not_applicable=False,
        part__key__in=[p.key for p in parts],
        number__isnull=False,
    ).values_list("answer__assessment__organisation_id", "part__key", "number"):
        values[(org_id, key)] = number
    result: dict[int, list[dict[str, str]]] = {}
    for organisation in organisations:
        viewer = viewers[organisation.pk]
        rows = []
        beds = _("Bedden voor slachtoffers")
        for part in parts:
            sectors = {row.sector for row in part.item.sector_rows.all()}
            if sectors and organisation.sector not in sectors:
                continue  # not asked of this sector (casualty beds of a pharmacy)
            if not viewer.answers or (part.item.confidential and not viewer.confidential):
                shown = _("niet zichtbaar voor u")
            elif organisation.pk not in finals:
                shown = _("onbekend")
            else:
                number = values.get((organisation.pk, part.key))
                shown = _("onbekend") if number is None else f"{figure(number)} {part.unit}"
            label = f"{beds}: {part.label}" if part.key.startswith("bedden_") else part.label
            rows.append({"label": label, "value": shown})
        result[organisation.pk] = rows
    return result


def _source(final: Assessment | None, viewer: Viewer) -> str:
    if final is None or not viewer.answers:
        return _("Onbekend: er is geen vastgestelde zelfevaluatie, of u mag die niet zien.")
    return _("Uit %(round)s, vastgesteld op %(day)s.") % {
        "round": final.round.title,
        "day": day(final.finalised_at),
    }


def _latest_reports(organisations: list[Organisation]) -> dict[int, StatusReport]:
    found: dict[int, StatusReport] = {}
    for report in StatusReport.objects.filter(  # scoped: the caller holds the organisations
        organisation__in=organisations, is_exercise=False
    ).order_by("organisation_id", "-reported_at", "-pk"):
        found.setdefault(report.organisation_id, report)
    return found


def _report(report: StatusReport | None) -> dict[str, Any] | None:
    if report is None:
        return None

    def number(value: Any, unit: str) -> str:
        return _("onbekend") if value is None else f"{figure(value)} {unit}"

    return {
        "at": moment(report.reported_at),
        "beds": " · ".join("?" if v is None else str(v) for v in report.beds_list),
        "power": number(report.power_hours, _("uur")),
        "water": number(report.water_hours, _("uur")),
    }


def _contact(c: CrisisContact) -> dict[str, str]:
    return {
        "function": (f"{c.partner}: " if c.partner else "") + str(c.get_function_display()),
        "note": c.function_note,
        "name": c.name,
        "phone": c.phone + (f" / {c.phone_alt}" if c.phone_alt else ""),
        "alternative": c.alternative,
        "backup": c.backup_name + (f" ({c.backup_phone})" if c.backup_phone else ""),
        "always": "" if c.always else _("niet 24/7"),
        "confirmed": day(c.confirmed_at) if c.confirmed_at else _("nooit"),
    }


def _regional(region: Region) -> list[dict[str, str]]:
    return [
        {
            "function": c.function,
            "name": c.name,
            "phone": c.phone + (f" / {c.phone_alt}" if c.phone_alt else ""),
            "alternative": c.alternative,
            "always": "" if c.always else _("niet 24/7"),
        }
        for c in regional_contacts(region)
    ]


def _cards(framework: Framework) -> list[dict[str, Any]]:
    """The eight action cards, step by step, as the library holds them."""
    sections = framework.sections.order_by("order").prefetch_related(
        Prefetch(
            "phases",
            queryset=Phase.objects.order_by("order").prefetch_related(
                Prefetch(
                    "steps",
                    queryset=Step.objects.order_by("order").prefetch_related("bullets", "links"),
                )
            ),
        )
    )
    return [
        {
            "code": s.code,
            "title": s.title,
            "phases": [
                {
                    "title": p.title,
                    "steps": [
                        {
                            "code": step.code,
                            "text": step.text,
                            "bullets": [b.text for b in step.bullets.order_by("order")],
                            "see": [link.code for link in step.links.all()],
                        }
                        for step in p.steps.all()
                    ],
                }
                for p in s.phases.all()
            ],
        }
        for s in sections
    ]


def _checklists(
    framework: Framework, organisation: Organisation, viewer: Viewer
) -> tuple[list[dict[str, Any]], str]:
    """The preparation checklists with the organisation's own level from its last established
    round of them (and which round that was)."""
    final = _final([organisation], ACTION_CARDS).get(organisation.pk) if viewer.answers else None
    labels = dict(Maturity.choices)
    levels: dict[str, str] = {}
    if final is not None:
        for code, maturity, not_applicable in AnswerValue.objects.filter(
            answer__assessment=final, part__key="maturity"
        ).values_list("answer__item__code", "maturity", "answer__not_applicable"):
            if not_applicable:
                levels[code] = "N.v.t."
            elif maturity and maturity != Maturity.UNKNOWN:
                levels[code] = str(labels.get(maturity, maturity))
    source_framework = final.round.framework if final else framework
    sections: list[Section] = list(
        source_framework.sections.order_by("order").prefetch_related("items")
    )
    unknown = _("onbekend")
    return (
        [
            {
                "code": s.code,
                "title": s.title,
                "items": [
                    {"code": i.code, "text": i.text, "level": levels.get(i.code, unknown)}
                    for i in s.items.order_by("order")
                ],
            }
            for s in sections
        ],
        _("Vastgesteld in %(round)s (%(day)s).")
        % {"round": final.round.title, "day": day(final.finalised_at)}
        if final
        else _("Onbekend: er is geen vastgestelde voorbereiding, of u mag die niet zien."),
    )


def _labels() -> dict[str, str]:
    return {
        "title": _("Offline pakket"),
        "region_title": _("Offline pakket van de regio"),
        "as_of": _("Stand van"),
        "page": _("pagina"),
        "confidential": _("Vertrouwelijk"),
        "print_first": _(
            "Print dit voordat u het nodig heeft. Bewaar het bij de crisisorganisatie, op papier; "
            "maak een nieuw pakket na elke wijziging van contacten of cijfers."
        ),
        "contents": _("Inhoud"),
        "figures": _("Kengetallen"),
        "latest_report": _("Laatste situatierapport"),
        "beds": _("Bedden (IC · trauma · neuro · revalidatie · isolatie · overig)"),
        "power": _("Noodstroom"),
        "water": _("Water"),
        "no_report": _("Nog geen situatierapport."),
        "officers": _("Sleutelfunctionarissen (24/7)"),
        "partners": _("Ketenpartners"),
        "regional": _("Regionale contacten (GHOR)"),
        "function": _("Functie"),
        "name": _("Naam"),
        "phone": _("Telefoon"),
        "alternative": _("Alternatief kanaal"),
        "backup": _("Vervanger"),
        "confirmed": _("Bevestigd"),
        "none": _("Geen."),
        "missing": _("Geen 24/7-contact voor"),
        "cards": _("Actiekaarten"),
        "see": _("zie"),
        "checklists": _("Voorbereiding (checklists)"),
        "level": _("Uw niveau"),
        "paper_log": _("Logboek op papier"),
        "paper_log_intro": _(
            "Schrijf elk besluit, elke actie en elke melding aan de GHOR op met tijd en naam. "
            "Neem het later over in Weerbaar."
        ),
        "time": _("Tijd"),
        "kind": _("Soort"),
        "what": _("Wat"),
        "who": _("Wie"),
        "paper_report": _("Situatierapport op papier"),
        "paper_report_intro": _("Vul in en geef door aan de GHOR (telefoon, portofoon, koerier)."),
        "organisations": _("Organisaties"),
        "organisation": _("Organisatie"),
        "unknown": _("onbekend"),
        "yes_no": _("ja / nee"),
        "report_fields": "|".join(
            [
                _("Tijdstip"),
                _("Bedden beschikbaar: IC"),
                _("Heelkunde/trauma"),
                _("Neurochirurgie"),
                _("Revalidatie"),
                _("Isolatie"),
                _("Overig"),
                _("Draait op noodstroom (ja/nee)"),
                _("Uren noodstroom over"),
                _("Brandstof (liter)"),
                _("Uren water over"),
                _("Medische gassen (voldoende/beperkt/kritiek)"),
                _("Telefonie vast · GSM · noodcommunicatie · portofoon"),
                _("Personeelstekort (%)"),
                _("Kritieke tekorten"),
                _("Contactpersoon en telefoon"),
                _("Ondersteuning nodig (wat, hoeveel, wanneer)"),
            ]
        ),
    }


def organisation_pack_data(organisation: Organisation, user: Any = None) -> dict[str, Any]:
    """Everything in the pack of ``organisation`` as ``user`` may see it (None: the command
    line)."""
    viewer = _viewer(user, organisation)
    framework = Framework.objects.filter(slug=ACTION_CARDS).order_by("-loaded_at", "-pk").first()
    contacts = list(
        CrisisContact.objects.filter(organisation=organisation).order_by(
            "kind", "function", "name"
        )  # scoped: the pack's maker holds the organisation
    )
    covered = coverage(organisation, contacts, confirmed_since(organisation.region))
    checklists, prepared = _checklists(framework, organisation, viewer) if framework else ([], "")
    return {
        "lang": (get_language() or "nl")[:2],
        "labels": _labels(),
        "organisation": organisation.name,
        "region": organisation.region.name,
        "sector": organisation.get_sector_display(),
        "as_of": moment(timezone.now()),
        "figures": _figures([organisation], {organisation.pk: viewer})[organisation.pk],
        "figures_from": _source(_final([organisation], KADER).get(organisation.pk), viewer),
        "report": _report(_latest_reports([organisation]).get(organisation.pk)),
        "officers": [_contact(c) for c in contacts if c.kind == ContactKind.OFFICER],
        "partners": [_contact(c) for c in contacts if c.kind == ContactKind.PARTNER],
        "missing": ", ".join(covered.missing_labels),
        "regional": _regional(organisation.region),
        "cards": _cards(framework) if framework else [],
        "checklists": checklists,
        "prepared": prepared,
    }


def organisation_pack(organisation: Organisation, user: Any = None) -> bytes:
    return typst_pdf(TEMPLATES / "offline_pack.typ", organisation_pack_data(organisation, user))


def region_pack_data(region: Region, user: Any = None) -> dict[str, Any]:
    """The GHOR's pack: the region's numbers; per organisation its crisis contacts (key
    officers), what is missing, its key figures and its latest status report."""
    organisations = list(
        Organisation.objects.filter(region=region, is_active=True).order_by(
            "name"
        )  # scoped: the caller holds the region
    )
    viewers = {o.pk: _viewer(user, o) for o in organisations}
    figures = _figures(organisations, viewers)
    reports = _latest_reports(organisations)
    contacts: dict[int, list[CrisisContact]] = defaultdict(list)
    for c in CrisisContact.objects.filter(  # scoped: the caller holds the region
        organisation__in=organisations, kind=ContactKind.OFFICER
    ).order_by("function", "name"):
        contacts[c.organisation_id].append(c)
    since = confirmed_since(region)
    key_labels = {str(f): str(KeyFunction(f).label) for f in KEY_FUNCTIONS}
    return {
        "lang": (get_language() or "nl")[:2],
        "labels": _labels(),
        "region": region.name,
        "as_of": moment(timezone.now()),
        "regional": _regional(region),
        "organisations": [
            {
                "name": o.name,
                "sector": o.get_sector_display(),
                "officers": [_contact(c) for c in contacts[o.pk]],
                "missing": ", ".join(
                    key_labels[m] for m in coverage(o, contacts[o.pk], since).missing
                ),
                "figures": figures[o.pk],
                "report": _report(reports.get(o.pk)),
            }
            for o in organisations
        ],
    }


def region_pack(region: Region, user: Any = None) -> bytes:
    return typst_pdf(TEMPLATES / "region_pack.typ", region_pack_data(region, user))
