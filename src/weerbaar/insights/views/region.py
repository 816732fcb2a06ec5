"""The regional picture: heatmap, norms, capacity, trend and needs."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Page, Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _

from weerbaar.ids import int_or_none
from weerbaar.insights import regional
from weerbaar.insights.capacity import ReleaseRefused, capacity, capacity_release
from weerbaar.insights.charts import distribution_chart, trend_chart
from weerbaar.insights.needs import needs
from weerbaar.insights.region_report import round_label
from weerbaar.insights.views.common import round_choice
from weerbaar.organisations import access
from weerbaar.organisations.models import Role, Sector
from weerbaar.scoring.norms import norm_overview
from weerbaar.scoring.themes import SCORED_STATES

HEATMAP_PAGE = 100  # rows per page: the medians are over all organisations, not the page


def _page_links(request: HttpRequest, page: Page) -> dict[str, str]:
    links = {}
    for name, number in (
        ("previous", page.previous_page_number() if page.has_previous() else None),
        ("next", page.next_page_number() if page.has_next() else None),
    ):
        if number is not None:
            query = request.GET.copy()
            query["pagina"] = str(number)
            links[name] = "?" + query.urlencode()
    return links


@login_required
def heatmap(request: HttpRequest, pk: int) -> HttpResponse:
    region = access.get_region(request.user, pk, *access.READS_REGION)
    rounds, round_ = round_choice(request, region)
    sector = request.GET.get("sector") or None
    if sector not in Sector.values:
        sector = None
    context: dict[str, object] = {
        "region": region,
        "rounds": rounds,
        "round": round_,
        "sectors": Sector.choices,
        "sector": sector,
    }
    if round_ is not None:
        tags = regional.framework_tags(round_.framework)
        selected = {vocabulary: request.GET.get(vocabulary, "") for vocabulary in tags}
        tag_ids = [
            tag.pk
            for vocabulary, options in tags.items()
            for tag in options
            if tag.code == selected[vocabulary]
        ]
        sort = request.GET.get("sorteer", "name")
        descending = request.GET.get("volgorde") == "af"
        result = regional.heatmap(
            request.user,
            region,
            round_,
            sector=sector,
            tag_ids=tag_ids,
            sort=sort,
            descending=descending,
        )
        page = Paginator(result.rows, HEATMAP_PAGE).get_page(request.GET.get("pagina"))
        labels = {
            "nato": _("NAVO-basisvereiste"),
            "noodzorg": _("Niveau noodzorg"),
            "prioriteit": _("Prioritair onderwerp"),
        }
        context.update(
            tag_filters=[
                {
                    "name": vocabulary,
                    "label": labels[vocabulary],
                    "options": options,
                    "selected": selected[vocabulary],
                }
                for vocabulary, options in tags.items()
                if options
            ],
            tag_filter=bool(tag_ids),
            map=result,
            headers=_headers(request, result),
            rows=page,
            page_links=_page_links(request, page),
        )
    return render(request, "insights/heatmap.html", context)


def _headers(request: HttpRequest, result: regional.Heatmap) -> list[dict[str, str]]:
    """Column headers that sort the table: a second click on the sorted column reverses it."""
    columns = [("name", _("Organisatie"))]
    columns += [(section.code, section.title) for section in result.sections]
    columns.append(("totaal", _("Totaal")))
    headers = []
    for key, label in columns:
        active = result.sort == key or (
            key == "name" and result.sort not in {k for k, _ in columns}
        )
        query = request.GET.copy()
        query.pop("pagina", None)
        query["sorteer"] = key
        descending = key != "name" if not active else not result.descending
        query["volgorde"] = "af" if descending else "op"
        headers.append(
            {
                "key": key,
                "label": label,
                "url": "?" + query.urlencode(),
                "aria_sort": ("descending" if result.descending else "ascending") if active else "",
            }
        )
    return headers


@login_required
def norms(request: HttpRequest, pk: int) -> HttpResponse:
    region = access.get_region(request.user, pk, *access.READS_REGION)
    rounds, round_ = round_choice(request, region)
    overview = norm_overview(request.user, region, round_, below_limit=50) if round_ else None
    charts = {}
    for index, row in enumerate(overview.rows if overview else []):
        if row.values:
            charts[row.norm_key] = distribution_chart(
                [float(v) for v in row.values],
                float(row.norm.minimum) if row.norm else None,
                row.unit,
                title=_("Verdeling: %(label)s") % {"label": row.label},
                chart_id=f"norm-{index}",
            )
    return render(
        request,
        "insights/norms.html",
        {
            "region": region,
            "rounds": rounds,
            "round": round_,
            "overview": overview,
            "rows": [(row, charts.get(row.norm_key)) for row in overview.rows] if overview else [],
            "can_manage": access.is_coordinator(request.user),
        },
    )


@login_required
def capacity_view(request: HttpRequest, pk: int) -> HttpResponse:
    region = access.get_region(request.user, pk, *access.READS_REGION)
    rounds, round_ = round_choice(request, region)
    return render(
        request,
        "insights/capacity.html",
        {
            "region": region,
            "rounds": rounds,
            "round": round_,
            "capacity": capacity(request.user, region, round_) if round_ else None,
            "pending": round_.assessments.exclude(state__in=SCORED_STATES).count() if round_ else 0,
        },
    )


@login_required
def capacity_release_view(request: HttpRequest, pk: int) -> HttpResponse:
    """Release a round's capacity figures to the region's readers (coordinators; POST)."""
    region = access.get_region(request.user, pk, Role.COORDINATOR)
    if request.method != "POST":
        return HttpResponse(status=405, headers={"Allow": "POST"})
    round_pk = int_or_none(request.POST.get("ronde"))
    round_ = region.rounds.filter(pk=round_pk).first() if round_pk is not None else None
    if round_ is None:
        raise Http404("Not found")
    try:
        capacity_release(region=region, round_=round_, by=request.user)
    except ReleaseRefused as refused:
        for line in refused.messages:
            messages.error(request, line)
    else:
        messages.success(
            request,
            _("De capaciteitscijfers van %(round)s zijn vrijgegeven voor de regiolezers.")
            % {"round": round_.title},
        )
    return redirect(reverse("insights:capacity", args=[region.pk]) + f"?ronde={round_.pk}")


@login_required
def trend(request: HttpRequest, pk: int) -> HttpResponse:
    region = access.get_region(request.user, pk, *access.READS_REGION)
    _rounds, round_ = round_choice(request, region)
    points = regional.region_trend(request.user, region, round_.framework.slug) if round_ else []
    return render(
        request,
        "insights/trend.html",
        {
            "region": region,
            "round": round_,
            "points": points,
            "sections": round_.framework.sections.order_by("order") if round_ else [],
            "chart": trend_chart(
                [(round_label(p.round, points), p.overall) for p in points],
                title=_("Mediaan totaalscore per uitvraag"),
            )
            if points
            else None,
        },
    )


@login_required
def needs_view(request: HttpRequest, pk: int) -> HttpResponse:
    region = access.get_region(request.user, pk, *access.READS_REGION)
    rounds, round_ = round_choice(request, region)
    return render(
        request,
        "insights/needs.html",
        {
            "region": region,
            "rounds": rounds,
            "round": round_,
            "needs": needs(request.user, region, round_) if round_ else [],
        },
    )
