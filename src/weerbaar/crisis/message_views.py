"""The screens of regional messages: the GHOR sends and follows them, an organisation reads
and acknowledges them."""

from __future__ import annotations

from django.contrib import messages as flash
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from weerbaar.ids import int_or_none
from weerbaar.organisations.models import Organisation

from . import messages as domain
from .forms import MessageForm
from .status import ReportInvalid, reads_region, region_of


@login_required
@require_http_methods(["GET", "POST"])
def message_list(request: HttpRequest, pk: int) -> HttpResponse:
    """The region's messages with how many organisations acknowledged them; a form to send."""
    region = region_of(request.user, pk)
    organisations = list(
        Organisation.objects.filter(region=region, is_active=True).order_by(
            "name"
        )  # scoped: region
    )
    form = MessageForm(
        request.POST if request.method == "POST" else None,
        organisations=organisations,
        initial={"to_all": True},
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        chosen = set(data["organisations"])
        try:
            message = domain.message_send(
                region=region,
                by=request.user,
                title=data["title"],
                body=data["body"],
                organisations=None
                if data["to_all"]
                else [o for o in organisations if str(o.pk) in chosen],
                is_exercise=data["is_exercise"],
            )
        except ReportInvalid as exc:
            for name, errors in exc.errors.items():
                for error in errors:
                    form.add_error(name if name in form.fields else None, error)
        else:
            flash.success(request, _("Bericht verstuurd."))
            return redirect("crisis:message", pk=message.pk)
    return render(
        request,
        "crisis/message_list.html",
        {
            "region": region,
            "form": form,
            "sent": domain.sent_in(region),
        },
        status=400 if request.method == "POST" else 200,
    )


@login_required
def message_detail(request: HttpRequest, pk: int) -> HttpResponse:
    message = domain.get_message(request.user, pk)
    region_side = reads_region(request.user, message.region_id)
    mine = _own(request)
    return render(
        request,
        "crisis/message_detail.html",
        {
            "message": message,
            "receipts": domain.receipts(message) if region_side else [],
            "region_side": region_side,
            "own": [
                (organisation, domain.receipt_of(message, organisation))
                for organisation in domain.addressees(message)
                if organisation.pk in mine
            ],
        },
    )


def _own(request: HttpRequest) -> set[int]:
    from weerbaar.organisations.access import grants

    return set(grants(request.user).organisation_roles)


@login_required
@require_POST
def message_acknowledge(request: HttpRequest, pk: int) -> HttpResponse:
    message = domain.get_message(request.user, pk)
    organisation = next(
        (
            o
            for o in domain.addressees(message)
            if o.pk == int_or_none(request.POST.get("organisation"))
        ),
        None,
    )
    if organisation is None:
        raise Http404("Organisation not found")
    domain.message_acknowledge(message=message, organisation=organisation, by=request.user)
    flash.success(
        request, _("Bevestigd: de GHOR ziet dat uw organisatie het bericht heeft gelezen.")
    )
    return redirect("crisis:message", pk=message.pk)
