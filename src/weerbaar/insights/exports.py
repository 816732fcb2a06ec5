"""Exports of the regional picture (Excel) and of one organisation's gaps (Excel).

A regional export holds exactly what its requester may see: it is built with their access,
through the same functions as the screens (heatmap, norms, capacity, needs, dependencies), so
suppressed figures stay suppressed. A large region is exported in the background
(``build_export_task`` through django-tasks' database queue, ``weerbaar worker``); a small one
is returned at once. Text from people is escaped against formula injection.
"""

from __future__ import annotations

import datetime
import io
from typing import Any

from django.conf import settings
from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone, translation
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django_tasks import task
from openpyxl import Workbook
from openpyxl.styles import Font

from weerbaar.assessments.excel import escape
from weerbaar.assessments.models import Assessment, Round
from weerbaar.dependencies.register import register
from weerbaar.downloads import XLSX
from weerbaar.insights import regional
from weerbaar.insights.capacity import capacity, release_note, shown_rows
from weerbaar.insights.models import Export, ExportKind, ExportStatus
from weerbaar.insights.needs import needs
from weerbaar.organisations.models import Region
from weerbaar.plan.models import ImprovementAction
from weerbaar.scoring.norms import norm_overview

BOLD = Font(bold=True)


def _number(value: Any) -> Any:
    if value is None:
        return None
    number = float(value)
    return int(number) if number.is_integer() else round(number, 1)


def _sheet(book: Workbook, title: str, header: list[str]) -> Any:
    sheet = book.create_sheet(title[:31])
    sheet.append([escape(h) for h in header])
    for cell in sheet[1]:
        cell.font = BOLD
    sheet.freeze_panes = "A2"
    return sheet


def region_workbook(user: Any, region: Region, round_: Round) -> bytes:
    """The regional picture of ``round_`` as ``user`` may see it, one sheet per view."""
    book = Workbook()
    about: Any = book.active
    about.title = _("Toelichting")[:31]
    suppressed = _("niet getoond: te kleine groep")
    about.append([_("Regiobeeld"), escape(region.name)])
    about.append([_("Uitvraag"), escape(round_.title)])
    about.append([_("Gemaakt op"), timezone.localtime().strftime("%Y-%m-%d %H:%M")])
    about.append([_("Vertrouwelijk"), _("Alleen voor wie het regiobeeld mag zien.")])
    about.append(
        [
            _("Medianen"),
            _(
                "Over ingediende, beoordeelde en vastgestelde zelfevaluaties. Een cijfer over "
                "minder dan %(k)s organisaties die u niet afzonderlijk ziet, is weggelaten."
            )
            % {"k": region.min_group_size},
        ]
    )

    heat = regional.heatmap(user, region, round_)
    codes = [s.code for s in heat.sections]
    sheet = _sheet(
        book, _("Scores"), [_("Organisatie"), _("Sector"), _("Status"), *codes, _("Totaal")]
    )
    for agg in heat.aggregates:
        label = _("Mediaan %(group)s (n=%(n)d)") % {"group": agg.label, "n": agg.organisations}
        sheet.append(
            [
                escape(label),
                "",
                "",
                *[suppressed if withheld else _number(v) for v, withheld in agg.cells],
            ]
        )
    for row in heat.rows:
        sheet.append(
            [
                escape(row.name),
                row.sector_label,
                row.state_label,
                *[_number(v) for v in row.scores],
                _number(row.overall),
            ]
        )
    themes = _sheet(book, _("Thema's"), [_("Code"), _("Thema")])
    for section in heat.sections:
        themes.append([section.code, escape(section.title)])

    norm_sheet = _sheet(
        book,
        _("Normen"),
        [
            _("Vraag"),
            _("Getal"),
            _("Eenheid"),
            _("Norm"),
            _("Bron"),
            _("Ingevuld"),
            _("Minimum"),
            _("Mediaan"),
            _("Maximum"),
            _("Onder de norm"),
            _("Organisaties onder de norm"),
        ],
    )
    for norm in norm_overview(user, region, round_).rows:
        norm_sheet.append(
            [
                ", ".join(norm.item_codes),
                escape(norm.label),
                norm.unit,
                _number(norm.norm.minimum) if norm.norm else None,
                escape(norm.norm.source) if norm.norm else "",
                norm.answered,
                suppressed if norm.suppressed else _number(norm.minimum),
                _number(norm.median),
                _number(norm.maximum),
                norm.below_count
                if norm.below_count is not None or not (norm.norm and norm.answered)
                else suppressed,
                escape(", ".join(f"{b.name} ({_number(b.value)})" for b in norm.below)),
            ]
        )

    figures = capacity(user, region, round_)
    cap = _sheet(
        book,
        _("Capaciteit"),
        [
            _("Groep"),
            _("Organisaties"),
            *[f"{c.item_code} {c.label} ({c.unit})" for c in figures.columns],
        ],
    )
    for group in [*shown_rows(figures), *figures.organisations]:
        cap.append(
            [
                escape(group.label),
                group.organisations,
                *[suppressed if withheld else _number(v) for v, withheld in group.cells],
            ]
        )

    cap.append([])
    cap.append([release_note(figures)])

    need_sheet = _sheet(
        book, _("Behoeften"), [_("Vraag"), _("Behoefte"), _("Groep"), _("Ingevuld"), _("Ja")]
    )
    for need in needs(user, region, round_):
        for need_group in [*need.sectors, need.total]:
            need_sheet.append(
                [
                    need.item_code,
                    escape(need.label),
                    escape(need_group.label),
                    need_group.answered,
                    suppressed if need_group.suppressed else need_group.yes,
                ]
            )

    deps = _sheet(
        book,
        _("Afhankelijkheden"),
        [
            _("Categorie"),
            _("Leverancier"),
            _("Herkomst"),
            _("Organisaties"),
            _("Aandeel"),
            _("Zonder uitwijkmogelijkheid"),
            _("Eén punt van falen"),
            _("Wie"),
        ],
    )
    for picture in register(user, region).categories:
        for supplier in picture.suppliers:
            if supplier.suppressed:
                continue
            deps.append(
                [
                    picture.label,
                    escape(supplier.name),
                    supplier.origin_label,
                    supplier.organisations,
                    supplier.share / 100,
                    suppressed
                    if supplier.without_alternative is None
                    else supplier.without_alternative,
                    _("ja") if supplier in picture.single_points else "",
                    escape(", ".join(supplier.names)),
                ]
            )
    output = io.BytesIO()
    book.save(output)
    return output.getvalue()


def export_name(region: Region, round_: Round, extension: str) -> str:
    return f"{slugify(f'regiobeeld {region.name} {round_.title}')}.{extension}"


def build_export(export_id: int) -> None:
    """Make the file of a queued export with its requester's access (the worker runs this)."""
    with transaction.atomic():
        export = (
            Export.objects.select_for_update()
            .select_related("region", "round", "requested_by")
            .get(pk=export_id)
        )
        if export.status != ExportStatus.QUEUED:
            return
        export.status = ExportStatus.RUNNING
        export.save(update_fields=["status"])
    try:
        with translation.override(settings.LANGUAGE_CODE):
            content, name = export_file(export)
        export_finish(export, content, name)
    except Exception as exc:
        export.status = ExportStatus.FAILED
        export.error = f"{type(exc).__name__}: {exc}"[:2000]
        export.finished_at = timezone.now()
        export.save(update_fields=["status", "error", "finished_at"])
        raise


CONTENT_TYPES = {ExportKind.REGION_XLSX: XLSX, ExportKind.REGION_PDF: "application/pdf"}


def export_file(export: Export) -> tuple[bytes, str]:
    """The file of ``export`` (its content and name), with what its requester may see."""
    if export.kind == ExportKind.REGION_XLSX:
        content = region_workbook(export.requested_by, export.region, export.round)
        return content, export_name(export.region, export.round, "xlsx")
    from weerbaar.insights.region_report import region_pdf

    content = region_pdf(export.requested_by, export.region, export.round)
    return content, export_name(export.region, export.round, "pdf")


def export_finish(export: Export, content: bytes, name: str) -> None:
    """Keep the made file with its export: ready to download under "Uw exports"."""
    export.file.save(name, ContentFile(content), save=False)
    export.file_name = name
    export.status = ExportStatus.DONE
    export.finished_at = timezone.now()
    export.save(update_fields=["file", "file_name", "status", "finished_at"])


STALE_AFTER = 3600  # seconds; a worker that died leaves its export "running"


def fail_stale_exports() -> int:
    """Mark exports that have been running for too long (a crashed worker) as failed."""
    cutoff = timezone.now() - datetime.timedelta(seconds=STALE_AFTER)
    return Export.objects.filter(
        status__in=[ExportStatus.QUEUED, ExportStatus.RUNNING], requested_at__lt=cutoff
    ).update(
        status=ExportStatus.FAILED,
        error="Niet binnen een uur klaar; vraag de export opnieuw aan.",
        finished_at=timezone.now(),
    )


@task()
def build_export_task(export_id: int) -> None:
    build_export(export_id)


def gaps_workbook(user: Any, assessment: Assessment) -> bytes:
    """One self-assessment's themes, gaps and improvement plan (what the gap screen shows)."""
    from weerbaar.organisations import access
    from weerbaar.scoring.gaps import insight

    confidential = access.sees_confidential(user, assessment.organisation)
    result = insight(assessment, confidential=confidential)
    compared = regional.comparison(user, assessment)
    book = Workbook()
    themes: Any = book.active
    themes.title = _("Thema's")[:31]
    themes.append(
        [
            _("Thema"),
            _("Score"),
            _("Mediaan regio"),
            _("Mediaan sector"),
            _("Vorige ronde"),
            _("Verandering"),
        ]
    )
    for cell in themes[1]:
        cell.font = BOLD
    for t in compared.themes:
        themes.append(
            [
                escape(t.section.title),
                t.score,
                _number(t.region_median),
                _number(t.sector_median),
                t.previous,
                t.change,
            ]
        )
    gaps = _sheet(
        book,
        _("Hiaten"),
        [_("Code"), _("Thema"), _("Vraag"), _("Reden"), _("Wie"), _("Vertrouwelijk")],
    )
    for gap in result.gaps:
        gaps.append(
            [
                gap.item.code,
                escape(gap.item.section.title),
                escape(gap.item.text),
                escape("; ".join(gap.reasons)),
                escape(", ".join(link.role.label for link in gap.item.responsible_links.all())),
                _("ja") if gap.item.confidential else "",
            ]
        )
    plan = _sheet(
        book,
        _("Verbeterplan"),
        [_("Actie"), _("Hiaat"), _("Eigenaar"), _("Gereed op"), _("Status"), _("Over de datum")],
    )
    for action in (
        ImprovementAction.objects.filter(organisation=assessment.organisation)
        .select_related("item", "owner")
        .order_by("status", "due_on", "pk")
    ):
        plan.append(
            [
                escape(action.title),
                action.item.code if action.item else "",
                escape(action.owner.get_full_name()) if action.owner else "",
                action.due_on,
                action.get_status_display(),
                _("ja") if action.is_overdue else "",
            ]
        )
    output = io.BytesIO()
    book.save(output)
    return output.getvalue()
