"""The demo region "Acute Zorgregio Oost (demo)": fictional organisations and people.

Demo accounts carry ``is_demo``; they can sign in only while ``WEERBAAR_DEMO`` is on.
Loading is idempotent: running it again changes nothing that is already there.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db import transaction

from weerbaar.accounts.models import User

from .models import Functionary, Location, Membership, Organisation, Region, Role, Sector

DEMO_PASSWORD = "weerbaar-demo"  # noqa: S105 - only valid for is_demo accounts in demo mode
DEMO_DOMAIN = "demo.weerbaar.test"
COORDINATOR_EMAIL = f"coordinator@{DEMO_DOMAIN}"
REGION_NAME = "Acute Zorgregio Oost (demo)"
REGION_CODE = "azo-demo"

# name, sector, shares with region readers, locations (name, city, beds)
ORGANISATIONS: list[tuple[str, str, bool, list[tuple[str, str, int | None]]]] = [
    (
        "Ziekenhuis IJsselvallei",
        Sector.ZIEKENHUIS,
        True,
        [("Locatie Zuid", "Deventer", 380), ("Buitenpoli Noord", "Raalte", None)],
    ),
    ("Universitair Medisch Centrum Oost", Sector.UMC, True, [("Hoofdlocatie", "Nijmegen", 950)]),
    (
        "Rijnstate-Vallei Ziekenhuis",
        Sector.ZIEKENHUIS,
        False,
        [("Locatie Arnhem-Noord", "Arnhem", 520), ("Locatie Zevenaar", "Zevenaar", 110)],
    ),
    ("Gelre Berkelland Ziekenhuis", Sector.ZIEKENHUIS, True, [("Locatie Zutphen", "Zutphen", 310)]),
    (
        "Zorggroep De Hoven",
        Sector.VVT,
        True,
        [("Verpleeghuis De Linde", "Apeldoorn", 120), ("Wijkteam Zuid", "Apeldoorn", None)],
    ),
    ("Thuiszorg Achterhoek", Sector.VVT, False, [("Kantoor", "Doetinchem", None)]),
    ("GGZ Oost-Gelderland", Sector.GGZ, True, [("Kliniek Warnsveld", "Warnsveld", 90)]),
    (
        "Stichting Zonnehuis Gehandicaptenzorg",
        Sector.GEHANDICAPTENZORG,
        False,
        [("Woonlocatie Beekbergen", "Beekbergen", 140)],
    ),
    (
        "Huisartsenpost Veluwe-IJssel",
        Sector.HUISARTSENPOST,
        True,
        [("Post Apeldoorn", "Apeldoorn", None)],
    ),
    (
        "Ambulancezorg Gelderland-Oost",
        Sector.AMBULANCEZORG,
        True,
        [("Standplaats Arnhem", "Arnhem", None), ("Standplaats Doetinchem", "Doetinchem", None)],
    ),
    (
        "Revalidatiecentrum De Klimmendaal-Oost",
        Sector.REVALIDATIE,
        False,
        [("Hoofdlocatie", "Arnhem", 80)],
    ),
    ("Kliniek Oost ZBC", Sector.ZBC, False, [("Kliniek", "Ede", 20)]),
    ("GGD Gelderland-Midden (demo)", Sector.GGD, True, [("Hoofdkantoor", "Arnhem", None)]),
    ("Apotheek De Brink", Sector.APOTHEEK, False, [("Apotheek", "Deventer", None)]),
]


@dataclass(frozen=True)
class DemoSignIn:
    email: str
    role: str
    organisation: str


def _user(local: str, name: str, *, staff: bool = False) -> User:
    email = f"{local}@{DEMO_DOMAIN}"
    user, created = User.objects.get_or_create(
        email=email, defaults={"full_name": name, "is_demo": True, "is_staff": staff}
    )
    if created:
        user.set_password(DEMO_PASSWORD)
        user.save()
    return user


def _member(
    user: User, region: Region, role: Role, org: Organisation | None, title: str, actor: str = ""
) -> None:
    Membership.objects.get_or_create(
        user=user,
        region=region,
        organisation=org,
        role=role,
        defaults={"job_title": title, "actor_key": actor},
    )


@transaction.atomic
def load_demo() -> list[DemoSignIn]:
    """Create (or complete) the demo region and return the sign-ins to print."""
    region, _ = Region.objects.get_or_create(code=REGION_CODE, defaults={"name": REGION_NAME})
    organisations: dict[str, Organisation] = {}
    for name, sector, shares, locations in ORGANISATIONS:
        org, created = Organisation.objects.get_or_create(
            region=region,
            name=name,
            defaults={"sector": sector, "shares_with_region_readers": shares},
        )
        organisations[name] = org
        if created:
            for loc_name, city, beds in locations:
                Location.objects.create(organisation=org, name=loc_name, city=city, beds=beds)

    sign_ins: list[DemoSignIn] = []
    coordinator = _user("coordinator", "Coby Coördinator", staff=True)
    _member(coordinator, region, Role.COORDINATOR, None, "Netwerkbureau AZO")
    sign_ins.append(DemoSignIn(coordinator.email, "Regiocoördinator", region.name))
    reader = _user("ghor", "Gerrit GHOR")
    # The GHOR keeps the status of the regional recommendations it owns.
    _member(reader, region, Role.REGION_READER, None, "Beleidsmedewerker GHOR", actor="ghor")
    sign_ins.append(DemoSignIn(reader.email, "Regiolezer", region.name))

    # Every organisation gets a crisis advisor as organisation admin.
    for index, org in enumerate(organisations.values(), start=1):
        admin = _user(f"crisisadviseur{index:02d}", f"Crisisadviseur {org.name}")
        _member(admin, region, Role.ORG_ADMIN, org, "Adviseur crisisbeheersing")
        Functionary.objects.get_or_create(
            organisation=org, role_key="adviseur_crisisbeheersing", user=admin
        )
        if index <= 2:
            sign_ins.append(DemoSignIn(admin.email, "Organisatiebeheerder", org.name))

    # The first hospital has functionaries for the main roles of the Kader.
    hospital = organisations["Ziekenhuis IJsselvallei"]
    respondents = [
        ("ciso", "Carla CISO", "CISO", ["ciso"]),
        ("hr", "Henk HR", "Manager HR", ["hr", "arbo"]),
        (
            "facilitair",
            "Fatima Facilitair",
            "Manager facilitair",
            ["manager_facilitair", "manager_vastgoed"],
        ),
        (
            "traumachirurg",
            "Tom Traumachirurg",
            "Traumachirurg",
            ["traumachirurg", "medisch_specialist"],
        ),
        ("capaciteit", "Kim Capaciteit", "Capaciteitsmanager", ["capaciteitsmanager"]),
    ]
    for local, name, title, keys in respondents:
        person = _user(local, name)
        _member(person, region, Role.RESPONDENT, hospital, title)
        for key in keys:
            Functionary.objects.get_or_create(organisation=hospital, role_key=key, user=person)
        sign_ins.append(DemoSignIn(person.email, f"Respondent ({title})", hospital.name))
    return sign_ins
