"""The screens of the scenarios app: the power-dependent clients at home, and the stress
tests of a region (presets, saved copies, a run, a comparison, the PDF report)."""

from __future__ import annotations

import json
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from weerbaar.downloads import download
from weerbaar.ids import int_or_none
from weerbaar.organisations import access
from weerbaar.organisations.access import Level
from weerbaar.organisations.models import Region

from . import clients as domain
from . import labels, saved, summary, timeline
from .data import Loaded, choices
from .forms import (
    ClientsForm,
    OutageFormSet,
    ScenarioForm,
    check_outages,
    description_from,
    initial_from,
)
from .models import PowerDependentClients
from .models import Scenario as Saved
from .presets import ScenarioInvalid
from .report import report_pdf


@login_required
@require_http_methods(["GET", "POST"])
def clients(request: HttpRequest, pk: int) -> HttpResponse:
    """An organisation's clients at home who depend on power, per municipality and device."""
    organisation = access.get_organisation(request.user, pk, Level.DETAIL)
    keeps = domain.may_keep(request.user, organisation)
    form = ClientsForm(request.POST if request.method == "POST" else None)
    if request.method == "POST":
        if not keeps:
            raise access.NotAllowed(_("Alleen de organisatiebeheerder en de regio houden dit bij."))
        if form.is_valid():
            try:
                domain.clients_add(
                    organisation=organisation, by=request.user, values=dict(form.cleaned_data)
                )
            except domain.ClientsInvalid as exc:
                form.add_error(None, str(exc))
            else:
                messages.success(request, _("Opgeslagen."))
                return redirect("scenarios:clients", pk=organisation.pk)
    groups = list(
        PowerDependentClients.objects.for_user(request.user)
        .filter(organisation=organisation)
        .order_by("municipality", "device")
    )
    return render(
        request,
        "scenarios/clients.html",
        {
            "organisation": organisation,
            "groups": groups,
            "total": sum(g.count for g in groups),
            "form": form,
            "keeps": keeps,
        },
        status=400 if request.method == "POST" else 200,
    )


@login_required
@require_POST
def clients_remove(request: HttpRequest, pk: int) -> HttpResponse:
    group = access.get_scoped(
        PowerDependentClients.objects.select_related("organisation__region"),
        request.user,
        Level.DETAIL,
        pk=pk,
    )
    domain.clients_remove(group=group, by=request.user)
    messages.success(request, _("Verwijderd."))
    return redirect("scenarios:clients", pk=group.organisation_id)


# --- Stress tests -----------------------------------------------------------------------------


def _region(request: HttpRequest, pk: int) -> Region:
    return access.get_region(request.user, pk, *access.READS_REGION)


def _saved(request: HttpRequest, pk: int) -> Saved:
    found = Saved.objects.for_user(request.user).select_related("region").filter(pk=pk).first()
    if found is None:
        raise Http404("Scenario not found")
    return found


def _options(request: HttpRequest, region: Region) -> dict[str, Any]:
    """The figures to run on: a round (``?ronde=``; default the latest established answers of
    each organisation) and, during a crisis, the latest status reports (``?meldingen=1``)."""
    return _options_from(request.GET, region)


def _options_from(data: Any, region: Region) -> dict[str, Any]:
    rounds = saved.rounds(region)
    chosen = int_or_none(data.get("ronde"))
    round_ = next((r for r in rounds if r.pk == chosen), None)
    return {"rounds": rounds, "round": round_, "reports": data.get("meldingen") == "1"}


def _query(options: dict[str, Any]) -> str:
    parts = []
    if options["round"] is not None:
        parts.append(f"ronde={options['round'].pk}")
    if options["reports"]:
        parts.append("meldingen=1")
    return ("?" + "&".join(parts)) if parts else ""


def _evaluate(
    request: HttpRequest, region: Region, source: saved.Source, loaded: Loaded | None = None
) -> Any:
    options = _options(request, region)
    try:
        evaluation = saved.evaluate(
            request.user,
            region,
            source,
            round_=options["round"],
            reports=options["reports"],
            loaded=loaded,
        )
    except ScenarioInvalid as exc:
        return None, options, str(exc)
    return evaluation, options, ""


def _links(request: HttpRequest, evaluation: saved.Evaluation) -> dict[int, bool]:
    """The organisations of the result whose improvement plan the viewer may open."""
    return {
        o.pk: access.can(request.user, o, Level.DETAIL) for o in evaluation.loaded.organisations
    }


@login_required
def scenario_list(request: HttpRequest, pk: int) -> HttpResponse:
    region = _region(request, pk)
    sources = saved.sources(request.user, region)
    return render(
        request,
        "scenarios/list.html",
        {
            "region": region,
            "presets": [(s, timeline.described(s.description)) for s in sources if s.key],
            "saved": [
                (s, timeline.described(s.description), saved.may_edit(request.user, s.saved))
                for s in sources
                if s.saved
            ],
            "sources": sources,
        },
    )


def _result(request: HttpRequest, region: Region, source: saved.Source) -> HttpResponse:
    evaluation, options, problem = _evaluate(request, region, source)
    context: dict[str, Any] = {
        "region": region,
        "source": source,
        "described": timeline.described(source.description),
        "options": options,
        "query": _query(options),
        "problem": problem,
        "may_edit": source.saved is not None and saved.may_edit(request.user, source.saved),
        "labels": labels,
        "resources": labels.RESOURCES,
        "care_types": labels.CARE_TYPES,
    }
    if evaluation is not None:
        result = evaluation.summary
        links = _links(request, evaluation)
        context.update(
            {
                "evaluation": evaluation,
                "result": result,
                "endurance": timeline.hour_text(result["endurance_hours"]),
                "at_norm": None
                if result["at_norm"] is None
                else timeline.hour_text(result["at_norm"]["endurance_hours"]),
                "charts": timeline.charts(evaluation),
                "weakest": [_link(w, w["hour"], links) for w in result["weakest"]],
                "sensitivity": [
                    _link(e, e["endurance_after"], links) for e in result["sensitivity"]
                ],
                "blind_spots": [
                    {**b, "label": labels.RESOURCES[b["resource"]]} for b in result["blind_spots"]
                ],
                "organisations": _organisation_rows(result),
                "filling": timeline.filling(result, ROWS_SHOWN),
                "clients": [
                    (
                        place,
                        need,
                        timeline.hour_text(need["first_need_hour"])
                        if need["first_need_hour"] is not None
                        else None,
                    )
                    for place, need in result["power_dependent_clients"].items()
                ],
                "shortfalls": timeline.shortfalls(result),
                "assumptions": [
                    (labels.ASSUMPTIONS[a["name"]], a["value"], labels.REASONS[a["name"]])
                    for a in result["assumptions"]
                ],
            }
        )
    return render(request, "scenarios/result.html", context, status=200 if not problem else 400)


ROWS_SHOWN = 200  # organisations in the table of the page; the PDF and the API hold them all


def _link(entry: dict[str, Any], hour: Any, links: dict[int, bool]) -> dict[str, Any]:
    """A weakest link or an improvement, in words, with whether its plan may be opened."""
    return {
        **entry,
        "label": labels.RESOURCES[entry["resource"]],
        "question": labels.SOURCES[entry["resource"]],
        "when": timeline.hour_text(hour),
        "plan": links.get(entry["id"], False),
    }


def _organisation_rows(result: dict[str, Any]) -> dict[str, Any]:
    """The organisations that run out of something or are a blind spot, first failure first;
    the columns are the resources the scenario touches."""
    touched = [
        name
        for name in labels.RESOURCES
        if any(o["runs_out"][name] != summary.NOT_TOUCHED for o in result["organisations"])
    ]
    rows = []
    for o in result["organisations"]:
        states = [o["runs_out"][name] for name in touched]
        hours = [s for s in states if isinstance(s, int | float)]
        if not hours and summary.UNKNOWN not in states:
            continue
        rows.append((min(hours, default=float("inf")), o["name"], states))
    rows.sort(key=lambda r: (r[0], r[1]))
    shown = [
        (name, [timeline.state_text(s) for s in states]) for _f, name, states in rows[:ROWS_SHOWN]
    ]
    return {
        "columns": [labels.RESOURCES[name] for name in touched],
        "rows": shown,
        "count": len(rows),
        "more": max(0, len(rows) - ROWS_SHOWN),
        "holding": len(result["organisations"]) - len(rows),
    }


def _preset(request: HttpRequest, pk: int, key: str) -> tuple[Region, saved.Source]:
    region = _region(request, pk)
    source = saved.preset_source(key)
    if source is None:
        raise Http404("Preset not found")
    return region, source


def _saved_source(request: HttpRequest, pk: int) -> tuple[Region, saved.Source]:
    found = _saved(request, pk)
    return found.region, saved.saved_source(found)


@login_required
def preset(request: HttpRequest, pk: int, key: str) -> HttpResponse:
    return _result(request, *_preset(request, pk, key))


@login_required
def scenario(request: HttpRequest, pk: int) -> HttpResponse:
    return _result(request, *_saved_source(request, pk))


@login_required
@require_POST
def scenario_copy(request: HttpRequest, pk: int) -> HttpResponse:
    region = _region(request, pk)
    source = saved.source_of(request.user, region, request.POST.get("van", ""))
    if source is None:
        raise Http404("Scenario not found")
    copy = saved.scenario_copy(region=region, by=request.user, source=source)
    messages.success(request, _("Kopie gemaakt: pas haar aan en bekijk het resultaat."))
    # The figures chosen on the page come along: a GHOR officer's copy stays on the reports.
    figures = _query(_options_from(request.POST, region))
    return redirect(reverse("scenarios:edit", args=[copy.pk]) + figures)


def _names_gone(outages: list[dict[str, Any]], named: Any) -> bool:
    """Does a saved outage name an organisation or municipality the region no longer has?"""
    organisations = {pk for pk, _name in named.organisations}
    places = {m.lower() for m in named.municipalities}
    return any(
        any(o not in organisations for o in outage["organisations"])
        or any(str(m).strip().lower() not in places for m in outage["municipalities"])
        for outage in outages
    )


@login_required
@require_http_methods(["GET", "POST"])
def scenario_edit(request: HttpRequest, pk: int) -> HttpResponse:
    found = _saved(request, pk)
    if not saved.may_edit(request.user, found):
        raise access.NotAllowed(
            _("Alleen de maker en de regiocoördinatoren wijzigen dit scenario.")
        )
    named = choices(found.region)
    form_choices = {"organisations": named.organisations, "municipalities": named.municipalities}
    initial, outages = initial_from(found.description, found.version)
    if request.method == "GET" and _names_gone(outages, named):
        messages.warning(
            request,
            _(
                "Een uitval noemde organisaties of gemeenten die de regio niet meer heeft; die "
                "zijn hieronder niet gekozen. Kies opnieuw: zonder keuze geldt de uitval voor de "
                "hele regio."
            ),
        )
    data = request.POST if request.method == "POST" else None
    form = ScenarioForm(data, initial=initial)
    formset = OutageFormSet(data, initial=outages, prefix="uitval", form_kwargs=form_choices)
    stale = False
    if (
        request.method == "POST"
        and form.is_valid()
        and formset.is_valid()
        and check_outages(formset, form.cleaned_data["horizon_days"])
    ):
        description = description_from(form, formset)
        try:
            saved.scenario_save(
                saved=found,
                by=request.user,
                description=description,
                expected_version=form.cleaned_data["version"],
            )
        except saved.StaleScenario:
            stale = True
            form.add_error(
                None,
                _(
                    "Iemand anders heeft dit scenario intussen gewijzigd. Uw wijzigingen zijn "
                    "niet opgeslagen; open het scenario opnieuw en breng ze opnieuw aan."
                ),
            )
        except ScenarioInvalid as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, _("Scenario opgeslagen."))
            figures = _query(_options(request, found.region))
            return redirect(reverse("scenarios:scenario", args=[found.pk]) + figures)
    return render(
        request,
        "scenarios/edit.html",
        {
            "region": found.region,
            "scenario": found,
            "query": _query(_options(request, found.region)),
            "form": form,
            "formset": formset,
            "groups": form.groups(),
            "stale": stale,
        },
        status=400 if request.method == "POST" else 200,
    )


@login_required
@require_http_methods(["GET", "POST"])
def scenario_remove(request: HttpRequest, pk: int) -> HttpResponse:
    """Ask first (what will go, as it is now), then remove."""
    found = _saved(request, pk)
    if not saved.may_edit(request.user, found):
        raise access.NotAllowed(
            _("Alleen de maker en de regiocoördinatoren verwijderen dit scenario.")
        )
    if request.method == "GET":
        return render(
            request,
            "scenarios/remove.html",
            {
                "region": found.region,
                "scenario": found,
                "described": timeline.described(found.description),
            },
        )
    version = int_or_none(request.POST.get("version"))
    if version is None:
        messages.error(
            request,
            _(
                "Het formulier is verouderd of beschadigd. Laad de pagina opnieuw en breng uw "
                "wijziging opnieuw aan."
            ),
        )
        return redirect("scenarios:scenario", pk=found.pk)
    try:
        saved.scenario_remove(saved=found, by=request.user, expected_version=version)
    except saved.StaleScenario:
        messages.error(
            request,
            _("Iemand anders heeft dit scenario intussen gewijzigd; het is niet verwijderd."),
        )
        return redirect("scenarios:scenario", pk=found.pk)
    messages.success(request, _("Scenario verwijderd."))
    return redirect("scenarios:list", pk=found.region_id)


@login_required
def scenario_json(request: HttpRequest, pk: int) -> HttpResponse:
    """The description as a file for ``weerbaar scenario run FILE``."""
    found = _saved(request, pk)
    content = json.dumps(found.description, ensure_ascii=False, indent=2).encode()
    return download(content, f"{slugify(found.name) or 'scenario'}.json", "application/json")


@login_required
def compare(request: HttpRequest, pk: int) -> HttpResponse:
    """Two scenarios side by side on the same figures."""
    region = _region(request, pk)
    sources = saved.sources(request.user, region)
    refs = (request.GET.get("a", ""), request.GET.get("b", ""))
    chosen = [saved.source_of(request.user, region, ref) for ref in refs]
    first = refs[0] or (sources[0].ref if sources else "")
    second = refs[1] or next((s.ref for s in sources if s.ref != first), "")
    context: dict[str, Any] = {
        "region": region,
        "sources": sources,
        "selected": (first, second),
        "options": _options(request, region),
    }
    if not all(refs):
        return render(request, "scenarios/compare.html", context)
    if None in chosen:
        context["problem"] = _("Kies twee scenario's van deze regio.")
        return render(request, "scenarios/compare.html", context, status=400)
    sides: list[saved.Evaluation] = []
    for source in chosen:
        assert source is not None
        loaded = sides[0].loaded if sides else None  # both on the same figures, read once
        evaluation, options, problem = _evaluate(request, region, source, loaded)
        if evaluation is None:
            context["problem"] = f"{source.title}: {problem}"
            return render(request, "scenarios/compare.html", context, status=400)
        sides.append(evaluation)
    context.update(
        {
            "options": options,
            "query": _query(options),
            "rows": _comparison(sides),
            "sides": sides,
            "charts": _comparison_charts(sides),
        }
    )
    return render(request, "scenarios/compare.html", context)


def _comparison(sides: list[saved.Evaluation]) -> list[tuple[str, list[str]]]:
    from weerbaar.formatting import figure

    rows: list[tuple[str, list[str]]] = [
        (
            _("Eerste kritieke uitval"),
            [timeline.hour_text(e.summary["endurance_hours"]) for e in sides],
        ),
        (
            _("Organisaties die ergens zonder zitten"),
            [figure(e.summary["organisations_failing"]) for e in sides],
        ),
        (_("Blinde vlekken"), [figure(len(e.summary["blind_spots"])) for e in sides]),
    ]
    per_side = [{r["label"]: r for r in timeline.shortfalls(e.summary)} for e in sides]
    labels_seen = list(dict.fromkeys(label for side in per_side for label in side))
    for label in labels_seen:
        cells = []
        for side in per_side:
            row = side.get(label)
            if row is None or row["first_day"] is None:
                cells.append(_("past"))
            else:
                cells.append(
                    _("tekort vanaf dag %(day)s; %(n)s naar een andere regio")
                    % {"day": row["first_day"], "n": figure(row["total"])}
                )
        rows.append((label, cells))
    rows.append(
        (
            _("Cliënten thuis die hulp nodig hebben (hoogstens tegelijk)"),
            [figure(float(e.result.clients_in_need.sum(axis=1).max(initial=0))) for e in sides],
        )
    )
    return rows


def _comparison_charts(sides: list[saved.Evaluation]) -> list[tuple[str, Any]]:
    from weerbaar.insights.charts import Line, timeline_chart

    found = []
    hours = max(e.scenario.horizon_hours for e in sides)
    lines = [
        Line(e.source.title[:40], timeline.failing_per_hour(e), timeline.COLOURS[i], dashed=i == 1)
        for i, e in enumerate(sides)
    ]
    if any(any(line.values) for line in lines):  # a side without failures: a line at zero
        title = _("Organisaties die ergens zonder zitten, per uur")
        found.append(
            (
                title,
                timeline_chart(
                    lines,
                    title,
                    step_label=_("uur na de start"),
                    steps_per_tick=24 if hours <= 240 else 24 * 5,
                    chart_id="compare-utilities",
                ),
            )
        )
    overflow = [
        Line(
            e.source.title[:40],
            e.result.overflow.sum(axis=1).tolist(),
            timeline.COLOURS[i],
            dashed=i == 1,
        )
        for i, e in enumerate(sides)
    ]
    if any(e.result.overflow.any() for e in sides):
        days = max(e.scenario.horizon_days for e in sides)
        title = _("Slachtoffers per dag die naar een andere regio moeten")
        found.append(
            (
                title,
                timeline_chart(
                    overflow,
                    title,
                    step_label=_("dagen na de start"),
                    steps_per_tick=1 if days <= 14 else 5,
                    chart_id="compare-overflow",
                ),
            )
        )
    return found


@login_required
def preset_pdf(request: HttpRequest, pk: int, key: str) -> HttpResponse:
    return _pdf(request, *_preset(request, pk, key))


@login_required
def scenario_pdf(request: HttpRequest, pk: int) -> HttpResponse:
    return _pdf(request, *_saved_source(request, pk))


def _pdf(request: HttpRequest, region: Region, source: saved.Source) -> HttpResponse:
    evaluation, _options, _problem = _evaluate(request, region, source)
    if evaluation is None:
        return _result(request, region, source)
    pdf = report_pdf(request.user, region, evaluation)
    return download(pdf, f"scenario-{slugify(source.title)}.pdf", "application/pdf")
