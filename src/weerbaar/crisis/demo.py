"""Demo crisis data: the region's own crisis numbers, the organisations' 24/7 contacts (some
incomplete, some long unconfirmed, as in a real region), and a regional exercise under way —
two organisations practising a power cut, with status reports, a support request and a message
of the GHOR. The real crisis picture stays empty: nothing real is going on."""

from __future__ import annotations

import datetime
from decimal import Decimal
from typing import Any

from django.db import transaction
from django.utils import timezone

from weerbaar.accounts.models import User
from weerbaar.organisations.models import Membership, Organisation, Region, Role

from .contacts import clean_contact, contact_save, regional_contact_add
from .incidents import incident_open
from .messages import message_send
from .models import CrisisContact, Incident, RegionalContact, StatusReport
from .status import clean_report, support_ask

REGIONAL = (
    (
        "GHOR-piket (Officier van Dienst Geneeskundig)",
        "GHOR Gelderland-Midden",
        "088 355 0000",
        "Portofoon C2000, gespreksgroep GHOR-1",
    ),
    ("Regionaal Coördinatiepunt Patiëntenspreiding (RCPS)", "RCPS Oost", "088 355 0100", ""),
    (
        "Meldkamer veiligheidsregio",
        "Meldkamer Oost-Nederland",
        "088 355 0200",
        "Satelliettelefoon +8816 2200 0000",
    ),
)

FUNCTIONS = (
    ("crisiscoordinator", "Crisiscoördinator"),
    ("bestuurder", "Bestuurder van dienst"),
    ("facilitair", "Hoofd technische dienst"),
    ("ict", "ICT-storingsdienst"),
)


def _admin(organisation: Organisation) -> User | None:
    membership = (
        Membership.objects.filter(organisation=organisation, role=Role.ORG_ADMIN)
        .select_related("user")
        .first()
    )
    return membership.user if membership else None


@transaction.atomic
def load_demo_crisis(region: Region, coordinator: Any) -> bool:
    """Load once: contacts, regional numbers and the exercise."""
    if RegionalContact.objects.filter(region=region).exists():
        return False
    for function, name, phone, alternative in REGIONAL:
        regional_contact_add(
            region=region,
            by=coordinator,
            values={
                "function": function,
                "name": name,
                "phone": phone,
                "alternative": alternative,
                "always": True,
            },
        )
    organisations = list(region.organisations.order_by("name"))
    long_ago = timezone.now() - datetime.timedelta(days=400)
    for index, organisation in enumerate(organisations):
        admin = _admin(organisation)
        if admin is None:
            continue
        # Most have all four key functions; every third lacks ICT, every fifth has a board
        # on call only in office hours.
        for number, (function, note) in enumerate(FUNCTIONS):
            if function == "ict" and index % 3 == 2:
                continue
            contact = contact_save(
                organisation=organisation,
                by=admin,
                values=clean_contact(
                    {
                        "kind": "sleutelfunctionaris",
                        "function": function,
                        "function_note": note,
                        "name": f"{note} {organisation.name.split()[0]}",
                        "phone": f"06 {10 + index:02d}{number}0 {1000 + index * 7:04d}",
                        "alternative": "Portofoon kanaal 3" if number == 0 else "",
                        "always": "" if function == "bestuurder" and index % 5 == 4 else "on",
                        "backup_name": "Tweede dienst" if number < 2 else "",
                    }
                ),
            )
            if index % 4 == 3:  # confirmed long ago: the region's overview marks it
                CrisisContact.objects.filter(pk=contact.pk).update(confirmed_at=long_ago)
        contact_save(
            organisation=organisation,
            by=admin,
            values=clean_contact(
                {
                    "kind": "ketenpartner",
                    "function": "overig",
                    "function_note": "Spoedlevering diesel",
                    "partner": "Brandstoffen Oost B.V.",
                    "name": "Storingsdienst",
                    "phone": "0800 123 4567",
                    "always": "on",
                }
            ),
        )
    _exercise(region, organisations)
    return True


def _exercise(region: Region, organisations: list[Organisation]) -> None:
    """A regional exercise: a power cut at two organisations, started five hours ago."""
    chosen = [o for o in organisations if o.name in ("Ziekenhuis IJsselvallei",)][:1]
    chosen += [o for o in organisations if o.sector == "vvt"][:1]
    started = timezone.now() - datetime.timedelta(hours=5)
    ghor = User.objects.filter(email__startswith="ghor@").first()
    for number, organisation in enumerate(chosen):
        admin = _admin(organisation)
        if admin is None or Incident.objects.filter(organisation=organisation).exists():
            continue
        incident = incident_open(
            organisation=organisation,
            title="Oefening: langdurige stroomstoring Zwolle-Zuid",
            codes=["D5", "D4"] if number == 0 else ["D5"],
            by=admin,
            started_at=started,
            is_exercise=True,
        )
        beds = (
            {"beds_ic": "4", "beds_trauma": "11", "beds_isolation": "3"}
            if number == 0
            else {"beds_other": "6"}
        )
        figures = clean_report(
            {
                **beds,
                "on_emergency_power": "true",
                "power_hours": "62",
                "water_hours": "30",
                "phone_fixed": "uitgevallen",
                "phone_mobile": "verstoord",
                "radio": "werkt",
                "staff_shortage_pct": "8",
                "contact_name": f"Crisisteam {organisation.name}",
                "contact_phone": "06 1111 2222",
            }
        )
        # Reports are never changed; the demo writes them with their (earlier) time.
        for hours_ago, power in ((4, "62"), (1 if number == 0 else 6, "58")):
            StatusReport.objects.create(
                organisation=organisation,
                incident=incident,
                is_exercise=True,
                reported_at=timezone.now() - datetime.timedelta(hours=hours_ago),
                reported_by=admin,
                reported_by_label=str(admin.get_full_name() or admin.email),
                **{**figures, "power_hours": Decimal(power)},
            )
        if number == 0:
            support_ask(
                organisation=organisation,
                by=admin,
                what="Diesel voor de noodstroomaggregaten",
                quantity="4.000 liter",
                needed_by=timezone.now() + datetime.timedelta(hours=12),
                incident=incident,
            )
    if ghor is not None and chosen:
        message_send(
            region=region,
            by=ghor,
            title="Oefening: beperk het stroomverbruik",
            body=(
                "Dit is een oefenbericht. Stel niet-urgente zorg uit, schakel niet-kritieke "
                "apparatuur uit en meld elke vier uur uw situatie."
            ),
            organisations=chosen,
            is_exercise=True,
        )
