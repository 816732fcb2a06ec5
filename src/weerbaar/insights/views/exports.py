"""Regional exports: at once for small rounds, in the background for large ones."""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db import transaction
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from weerbaar.audit.models import audit_record
from weerbaar.downloads import download
from weerbaar.insights.exports import (
    CONTENT_TYPES,
    build_export_task,
    export_file,
    export_finish,
    fail_stale_exports,
)
from weerbaar.insights.models import Export, ExportKind, ExportStatus
from weerbaar.insights.views.common import round_choice
from weerbaar.organisations import access
from weerbaar.organisations.access import coordinates


@login_required
@require_http_methods(["POST"])
def export_request(request: HttpRequest, pk: int) -> HttpResponse:
    """A regional export: at once for a small round, in the background for a large one."""
    region = access.get_region(request.user, pk, *access.READS_REGION)
    _rounds, round_ = round_choice(request, region)
    kind = ExportKind.REGION_PDF if request.POST.get("soort") == "pdf" else ExportKind.REGION_XLSX
    if round_ is None:
        raise Http404("No round")
    audit_record(
        actor=request.user,
        action=f"export.{kind}",
        object_type="insights.export",
        new={"region": region.pk, "round": round_.pk},
    )
    at_once = round_.assessments.count() <= settings.EXPORT_INLINE_LIMIT
    with transaction.atomic():  # a made export is kept whole, or not at all
        export = Export.objects.create(
            region=region,
            round=round_,
            kind=kind,
            requested_by=request.user,  # type: ignore[misc]  # signed in (login_required)
            as_coordinator=coordinates(request.user, region),
        )
        if at_once:  # small: made now, and kept so that "Uw exports" lists it too
            content, name = export_file(export)
            export_finish(export, content, name)
    if at_once:
        return download(content, name, CONTENT_TYPES[kind])
    transaction.on_commit(lambda: build_export_task.enqueue(export.pk))
    messages.success(
        request,
        _("De export wordt op de achtergrond gemaakt. U vindt hem hieronder zodra hij klaar is."),
    )
    return redirect("insights:exports", pk=region.pk)


@login_required
def exports(request: HttpRequest, pk: int) -> HttpResponse:
    region = access.get_region(request.user, pk, *access.READS_REGION)
    fail_stale_exports()
    mine = list(
        Export.objects.filter(region=region, requested_by_id=request.user.pk).select_related(
            "round"
        )[:20]
    )
    pending = any(e.status in (ExportStatus.QUEUED, ExportStatus.RUNNING) for e in mine)
    htmx = bool(getattr(request, "htmx", False))
    template = "insights/_exports.html" if htmx else "insights/exports.html"
    return render(
        request,
        template,
        {"region": region, "exports": mine, "pending": pending, "round": None},
    )


@login_required
def export_download(request: HttpRequest, pk: int) -> FileResponse:
    """Only the requester, and only while they may still see the region."""
    export = (
        Export.objects.filter(pk=pk, requested_by_id=request.user.pk, status=ExportStatus.DONE)
        .select_related("region")
        .first()
    )
    if export is None or not export.file:
        raise Http404("Not found")
    region = access.get_region(request.user, export.region_id, *access.READS_REGION)
    if export.as_coordinator and not coordinates(request.user, region):
        raise Http404("Not found")  # made with a view the requester no longer has
    audit_record(
        actor=request.user,
        action="export.download",
        obj=export,
        new={"region": region.pk, "kind": export.kind},
    )
    response = FileResponse(export.file.open("rb"), as_attachment=True, filename=export.file_name)
    response["Cache-Control"] = "no-store"
    response["X-Content-Type-Options"] = "nosniff"
    return response
