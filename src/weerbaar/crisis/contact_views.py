"""The reachability screens: an organisation's crisis contacts, and the region's one page
to reach every organisation (it prints)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from weerbaar.downloads import download
from weerbaar.ids import int_or_none
from weerbaar.organisations import access
from weerbaar.organisations.models import Role

from . import contacts as domain
from .forms import ContactForm, RegionalContactForm
from .models import CrisisContact, RegionalContact
from .pack import organisation_pack, region_pack
from .status import ReportInvalid, reads_region, region_of, reporting_organisation


@login_required
def contact_list(request: HttpRequest, pk: int) -> HttpResponse:
    organisation = reporting_organisation(request.user, pk)
    found = list(
        domain.contacts_for(request.user)
        .filter(organisation=organisation)
        .select_related("confirmed_by")
        .order_by("kind", "function", "name")
    )
    since = domain.confirmed_since(organisation.region)
    return render(
        request,
        "crisis/contact_list.html",
        {
            "organisation": organisation,
            "coverage": domain.coverage(organisation, found, since),
            "since": since,
            "manages": domain.may_manage(request.user, organisation),
            "confirms": domain.may_confirm(request.user, organisation),
            "pack": access.sees_confidential(request.user, organisation),
            "regional": domain.regional_contacts(organisation.region)
            if domain.sees_region_contacts(request.user, organisation.region)
            else [],
        },
    )


def _contact(request: HttpRequest, pk: int) -> CrisisContact:
    found = (
        domain.contacts_for(request.user)
        .select_related("organisation__region")
        .filter(pk=pk)
        .first()
    )
    if found is None:
        raise Http404("Contact not found")
    return found


@login_required
@require_http_methods(["GET", "POST"])
def contact_edit(
    request: HttpRequest, pk: int | None = None, org: int | None = None
) -> HttpResponse:
    """Add a contact to organisation ``org``, or change contact ``pk``."""
    contact = _contact(request, pk) if pk is not None else None
    organisation = contact.organisation if contact else reporting_organisation(request.user, org)
    if not domain.may_manage(request.user, organisation):
        raise access.NotAllowed(
            _("Alleen de organisatiebeheerder en de regio houden contacten bij.")
        )
    form = ContactForm(request.POST if request.method == "POST" else None, instance=contact)
    error = ""
    if request.method == "POST" and form.is_valid():
        try:
            domain.contact_save(
                organisation=organisation,
                by=request.user,
                values=dict(form.cleaned_data),
                contact=contact,
                expected_version=int_or_none(request.POST.get("version")) or 0,
            )
        except domain.StaleContact:
            error = _(
                "Niet opgeslagen: iemand anders heeft dit contact intussen gewijzigd. "
                "Laad de pagina opnieuw en breng uw wijziging opnieuw aan."
            )
            form.add_error(None, error)
        else:
            messages.success(request, _("Contact opgeslagen."))
            return redirect("crisis:contacts", pk=organisation.pk)
    return render(
        request,
        "crisis/contact_form.html",
        {"organisation": organisation, "form": form, "contact": contact},
        status=400 if request.method == "POST" else 200,
    )


@login_required
@require_POST
def contact_remove(request: HttpRequest, pk: int) -> HttpResponse:
    contact = _contact(request, pk)
    try:
        domain.contact_remove(
            contact=contact,
            by=request.user,
            expected_version=int_or_none(request.POST.get("version")) or 0,
        )
    except domain.StaleContact:
        messages.error(request, _("Niet verwijderd: iemand anders heeft dit contact gewijzigd."))
    else:
        messages.success(request, _("Contact verwijderd."))
    return redirect("crisis:contacts", pk=contact.organisation_id)


@login_required
@require_POST
def contacts_confirm(request: HttpRequest, pk: int) -> HttpResponse:
    organisation = reporting_organisation(request.user, pk)
    one = int_or_none(request.POST.get("contact"))
    if "contact" in request.POST and one is None:
        raise Http404("Contact not found")  # a broken id never means "all of them"
    count = domain.contacts_confirm(organisation=organisation, by=request.user, pk=one)
    messages.success(
        request, _("Bevestigd: %(n)d contact(en) kloppen zoals ze er staan.") % {"n": count}
    )
    return redirect("crisis:contacts", pk=organisation.pk)


@login_required
@require_http_methods(["GET", "POST"])
def region_contacts(request: HttpRequest, pk: int) -> HttpResponse:
    """Every organisation's crisis contacts on one page, what is missing or unconfirmed
    marked; prints on A4."""
    region = region_of(request.user, pk)
    rows = domain.region_coverage(region)
    coordinates = access.coordinates(request.user, region)
    form = RegionalContactForm(request.POST if request.method == "POST" else None)
    if request.method == "POST":
        if not coordinates:
            raise access.NotAllowed(
                _("Alleen een regiocoördinator houdt de regionale contacten bij.")
            )
        if form.is_valid():
            domain.regional_contact_add(
                region=region, by=request.user, values=dict(form.cleaned_data)
            )
            messages.success(request, _("Regionaal contact toegevoegd."))
            return redirect("crisis:region_contacts", pk=region.pk)
    return render(
        request,
        "crisis/region_contacts.html",
        {
            "region": region,
            "rows": rows,
            "incomplete": [r for r in rows if r.missing],
            "unconfirmed": [r for r in rows if r.unconfirmed or not r.contacts],
            "coordinates": coordinates,
            "now": timezone.now(),
            "regional": domain.regional_contacts(region),
            "form": form,
        },
        status=400 if request.method == "POST" else 200,
    )


@login_required
@require_POST
def regional_contact_remove(request: HttpRequest, pk: int) -> HttpResponse:
    found = RegionalContact.objects.select_related("region").filter(pk=pk).first()
    if found is None or not reads_region(request.user, found.region_id):
        raise Http404("Contact not found")
    domain.regional_contact_remove(contact=found, by=request.user)
    messages.success(request, _("Regionaal contact verwijderd."))
    return redirect("crisis:region_contacts", pk=found.region_id)


@login_required
@require_POST
def confirm_months(request: HttpRequest, pk: int) -> HttpResponse:
    region = access.get_region(request.user, pk, Role.COORDINATOR)
    try:
        months = domain.confirm_months_set(
            region=region, by=request.user, months=request.POST.get("months")
        )
    except ReportInvalid as exc:
        messages.error(request, str(exc))
    else:
        messages.success(
            request,
            _("Contacten gelden nu %(n)d maanden na hun bevestiging als actueel.") % {"n": months},
        )
    return redirect("crisis:region_contacts", pk=region.pk)


@login_required
def offline_pack(request: HttpRequest, pk: int) -> HttpResponse:
    """The organisation's offline pack (PDF): for its admins and the region's coordinators,
    who see all its figures."""
    organisation = access.get_organisation(request.user, pk, access.Level.DETAIL)
    if not access.sees_confidential(request.user, organisation):
        raise access.NotAllowed(_("Alleen de organisatiebeheerder en de regio maken dit pakket."))
    stamp = timezone.localtime().strftime("%Y%m%d-%H%M")
    return download(
        organisation_pack(organisation, request.user),
        f"offline-pakket-{slugify(organisation.name)}-{stamp}.pdf",
        "application/pdf",
    )


@login_required
def region_pack_view(request: HttpRequest, pk: int) -> HttpResponse:
    """The GHOR's offline pack of the region (PDF): every organisation's crisis contacts and
    key figures, as far as the maker may see them."""
    region = region_of(request.user, pk)
    stamp = timezone.localtime().strftime("%Y%m%d-%H%M")
    return download(
        region_pack(region, request.user),
        f"offline-pakket-{region.code}-{stamp}.pdf",
        "application/pdf",
    )
