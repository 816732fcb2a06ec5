"""Casualty-care capacity: sums per sector and region, and confidentiality.

The reconstruction test plays a region reader who knows every sector's membership and tries
to find one organisation's confidential figure in everything the UI and the API show.
"""

from __future__ import annotations

import itertools
import re
from decimal import Decimal

import pytest
from django.test import Client
from django.urls import reverse

from weerbaar.assessments.answering import answer_save
from weerbaar.assessments.models import Assessment, AssessmentState
from weerbaar.assessments.routing import items_for_user, items_of, routed_items
from weerbaar.audit.models import AuditEvent
from weerbaar.disclosure.models import CapacityRelease
from weerbaar.frameworks.models import Item
from weerbaar.insights.capacity import ReleaseRefused, capacity, capacity_release
from weerbaar.organisations.models import Organisation, Role, Sector

from .conftest import World
from .factories import MembershipFactory, OrganisationFactory, functionary, open_round

# Distinctive IC bed counts; the UMC's value must never be learnt by a reader.
SECRET = 4711
IC = {"Ziekenhuis Alfa": 11, "B": 13, "C": 17, "D": 19, "UMC Oost": SECRET, "Revalidatie F": 23}


def item(code: str) -> Item:
    return Item.objects.get(section__framework__slug="kader-weerbare-zorg", code=code)


@pytest.fixture
def region(world: World):
    extra = [
        OrganisationFactory(region=world.own.region, name=name, sector=Sector.ZIEKENHUIS)
        for name in ("B", "C", "D")
    ]
    umc = OrganisationFactory(
        region=world.own.region, name="UMC Oost", sector=Sector.UMC, shares_with_region_readers=True
    )
    rehab = OrganisationFactory(
        region=world.own.region, name="Revalidatie F", sector=Sector.REVALIDATIE
    )
    round_ = open_round(world, world.own, *extra, umc, rehab)
    for assessment in round_.assessments.select_related("organisation"):
        answer_save(
            assessment=assessment,
            item=item("ZC-02"),
            data={"values": {"bedden_ic": str(IC[assessment.organisation.name])}},
            expected_version=0,
            by=world.coordinator,
        )
    Assessment.objects.filter(round=round_).update(state=AssessmentState.SUBMITTED)
    capacity_release(region=world.own.region, round_=round_, by=world.coordinator)
    return round_, umc


def ic_column(result) -> int:
    return next(i for i, c in enumerate(result.columns) if c.label == "IC")


def test_coordinators_see_sums_and_every_organisation(world: World, region) -> None:
    round_, _umc = region
    result = capacity(world.coordinator, world.own.region, round_)
    ic = ic_column(result)
    assert result.total.values[ic] == sum(IC.values())
    hospitals = next(r for r in result.sectors if r.key == Sector.ZIEKENHUIS)
    assert hospitals.values[ic] == 11 + 13 + 17 + 19 and not hospitals.suppressed
    assert {r.label: r.values[ic] for r in result.organisations}["UMC Oost"] == SECRET
    client = Client()
    client.force_login(world.coordinator)
    page = client.get(reverse("insights:capacity", args=[world.own.region_id]))
    assert str(SECRET).encode() in page.content


def test_a_reader_cannot_reconstruct_one_organisations_figure(world: World, region) -> None:
    round_, umc = region
    reader = Client()
    reader.force_login(world.reader)
    umc_assessment = round_.assessments.get(organisation=umc)
    region_id = world.own.region_id
    urls = [
        reverse("insights:capacity", args=[region_id]),
        reverse("api:region_capacity", args=[region_id]),
        reverse("insights:heatmap", args=[region_id]),
        reverse("api:region_heatmap", args=[region_id]),
        reverse("insights:norms", args=[region_id]),
        reverse("api:region_norms", args=[region_id]),
        # The UMC shares its answers with region readers — but not its confidential ones.
        reverse("assessments:detail", args=[umc_assessment.pk]),
        reverse("api:assessment_answers", args=[umc_assessment.pk]),
        reverse("insights:gaps", args=[umc_assessment.pk]),
        reverse("api:assessment_gaps", args=[umc_assessment.pk]),
        reverse("insights:report", args=[umc_assessment.pk]),
    ]
    for url in urls:
        response = reader.get(url)
        assert response.status_code == 200, url
        body = response.content.decode("latin-1")
        assert not re.search(rf"(?<!\d){SECRET}(?!\d)", body), url
        assert "4.711" not in body and "4,711" not in body, url

    # Everything the reader is shown, as (set of organisations, IC sum).
    data = reader.get(reverse("api:region_capacity", args=[region_id])).json()
    ic = next(i for i, c in enumerate(data["columns"]) if c["label"] == "IC")
    members = {
        "regio": set(IC),
        Sector.ZIEKENHUIS: {"Ziekenhuis Alfa", "B", "C", "D"},
        Sector.UMC: {"UMC Oost"},
        Sector.REVALIDATIE: {"Revalidatie F"},
    }
    shown = [
        (frozenset(members[row["group"]]), row["values"][ic])
        for row in [data["total"], *data["sectors"]]
        if not row["withheld"][ic] and row["values"][ic] is not None
    ]
    assert data["organisations"] == []
    # No shown group, nor any difference of shown groups, isolates fewer than 3 organisations.
    for size in range(1, len(shown) + 1):
        for combination in itertools.combinations(shown, size):
            for signs in itertools.product((1, -1), repeat=size):
                covered: dict[str, int] = {}
                for (group, _value), sign in zip(combination, signs, strict=True):
                    for name in group:
                        covered[name] = covered.get(name, 0) + sign
                isolated = {name for name, weight in covered.items() if weight != 0}
                if isolated and all(covered[name] in (0, 1) for name in covered):
                    assert len(isolated) >= world.own.region.min_group_size, isolated
    assert Decimal(data["total"]["values"][ic]) == sum(IC.values())  # the region sum stands


def late_hospital(world: World, round_, name: str, beds: int) -> Assessment:
    hospital = OrganisationFactory(region=world.own.region, name=name, sector=Sector.ZIEKENHUIS)
    assessment = Assessment.objects.create(round=round_, organisation=hospital)
    answer_save(
        assessment=assessment,
        item=item("ZC-02"),
        data={"values": {"bedden_ic": str(beds)}},
        expected_version=0,
        by=world.coordinator,
    )
    Assessment.objects.filter(pk=assessment.pk).update(state=AssessmentState.SUBMITTED)
    return assessment


def test_readers_see_the_release_so_a_late_submission_is_not_a_difference(
    world: World, region
) -> None:
    """Watching the region's sum before and after one organisation submits would give its
    figure away, and so would comparing two releases (or combining three): readers see the
    one release of the round, frozen."""
    round_, _umc = region
    before = capacity(world.reader, world.own.region, round_)
    ic = ic_column(before)
    assert not before.live and before.release is not None
    released_total = before.total.values[ic]

    late_hospital(world, round_, "E", 29)
    assert capacity(world.coordinator, world.own.region, round_).total.values[ic] == (
        sum(IC.values()) + 29
    )
    after = capacity(world.reader, world.own.region, round_)
    assert after.total.values[ic] == released_total  # unmoved: E's 29 beds are not a difference
    api = Client()
    api.force_login(world.reader)
    data = api.get(reverse("api:region_capacity", args=[world.own.region_id])).json()
    assert data["live"] is False and data["released_at"]
    assert data["total"]["values"][ic] == float(released_total)

    # Not even once three more have come in: a reopened organisation or a corrected figure
    # would show the same way, and releases can be combined.
    late_hospital(world, round_, "G", 31)
    late_hospital(world, round_, "H", 37)
    with pytest.raises(ReleaseRefused) as refused:
        capacity_release(region=world.own.region, round_=round_, by=world.coordinator)
    assert refused.value.messages[0].startswith(
        "De capaciteitscijfers van deze uitvraag zijn al vrijgegeven op"
    )
    assert capacity(world.reader, world.own.region, round_).release == before.release
    assert CapacityRelease.objects.filter(round=round_).count() == 1
    event = AuditEvent.objects.get(action="capacity.release")
    assert event.actor == world.coordinator and event.new["organisations"] == len(IC)


def test_nothing_is_shown_to_readers_before_the_first_release(world: World) -> None:
    hospitals = [
        OrganisationFactory(region=world.own.region, name=n, sector=Sector.ZIEKENHUIS)
        for n in ("P", "Q", "R")
    ]
    round_ = open_round(world, *hospitals)
    for assessment in round_.assessments.all():
        answer_save(
            assessment=assessment,
            item=item("ZC-02"),
            data={"values": {"bedden_ic": "7"}},
            expected_version=0,
            by=world.coordinator,
        )
    reader = Client()
    reader.force_login(world.reader)
    url = reverse("insights:capacity", args=[world.own.region_id])
    with pytest.raises(ReleaseRefused):  # nothing submitted yet
        capacity_release(region=world.own.region, round_=round_, by=world.coordinator)
    Assessment.objects.filter(round=round_).update(state=AssessmentState.SUBMITTED)
    page = reader.get(url).content.decode()
    assert "nog niet vrijgegeven" in page and "<strong>21</strong>" not in page
    data = reader.get(reverse("api:region_capacity", args=[world.own.region_id])).json()
    assert data["released_at"] is None and data["sectors"] == []
    assert all(value is None for value in data["total"]["values"])

    coordinator = Client()
    coordinator.force_login(world.coordinator)
    page = coordinator.get(url).content.decode()
    assert "Regiolezers zien nog geen cijfers" in page and "Huidige cijfers vrijgeven" in page
    response = coordinator.post(
        reverse("insights:capacity_release", args=[world.own.region_id]), {"ronde": round_.pk}
    )
    assert response.status_code == 302
    assert "zijn vrijgegeven voor de regiolezers" in coordinator.get(response.url).content.decode()
    page = reader.get(url).content.decode()
    assert "Vrijgegeven door de regiocoördinator op" in page and "<strong>21</strong>" in page
    # A second release is refused, with the reason on the page.
    again = coordinator.post(
        reverse("insights:capacity_release", args=[world.own.region_id]),
        {"ronde": round_.pk},
        follow=True,
    )
    assert "zijn al vrijgegeven op" in again.content.decode()
    assert CapacityRelease.objects.filter(round=round_).count() == 1


def test_only_the_regions_coordinators_release(world: World, region) -> None:
    round_, _umc = region
    CapacityRelease.objects.all().delete()
    url = reverse("insights:capacity_release", args=[world.own.region_id])
    api_url = reverse("api:region_capacity_release", args=[world.own.region_id])
    for user in (world.reader, world.alice, world.charlie, world.outsider):
        client = Client()
        client.force_login(user)
        assert client.post(url, {"ronde": round_.pk}).status_code == 404
        assert client.post(f"{api_url}?round={round_.pk}").status_code == 404
    assert not CapacityRelease.objects.exists()
    coordinator = Client()
    coordinator.force_login(world.coordinator)
    assert coordinator.post(url, {"ronde": "abc"}).status_code == 404
    created = coordinator.post(f"{api_url}?round={round_.pk}")
    assert created.status_code == 201 and created.json()["organisations"] == len(IC)
    refused = coordinator.post(f"{api_url}?round={round_.pk}")
    assert refused.status_code == 409
    assert "al vrijgegeven" in refused.json()["reasons"][0]


def test_small_sectors_are_withheld_with_a_second_group(world: World, region) -> None:
    round_, _umc = region
    result = capacity(world.reader, world.own.region, round_)
    by_key = {row.key: row for row in result.sectors}
    ic = ic_column(result)
    assert by_key[Sector.UMC].withheld[ic] and by_key[Sector.REVALIDATIE].withheld[ic]
    # UMC + revalidatie hide two organisations: too few, so the hospitals go as well.
    assert by_key[Sector.ZIEKENHUIS].withheld[ic]
    assert not result.total.withheld[ic] and result.organisations == []


def test_confidential_questions_are_hidden_from_readers_of_a_sharing_organisation(
    world: World, region
) -> None:
    round_, umc = region
    assessment = round_.assessments.get(organisation=umc)
    reader = Client()
    reader.force_login(world.reader)
    codes = {
        a["item_code"]
        for a in reader.get(reverse("api:assessment_answers", args=[assessment.pk])).json()
    }
    confidential = set(
        Item.objects.filter(
            section__framework__slug="kader-weerbare-zorg", confidential=True
        ).values_list("code", flat=True)
    )
    assert {"ZC-02", "ZC-03", "ZC-06"} <= confidential
    assert codes and not codes & confidential
    gaps = reader.get(reverse("insights:gaps", args=[assessment.pk])).content.decode()
    assert "Vertrouwelijke vragen" in gaps and "ZC-02" not in gaps
    # The UMC's own admin would see them; the coordinator does.
    coordinator = Client()
    coordinator.force_login(world.coordinator)
    codes = {
        a["item_code"]
        for a in coordinator.get(reverse("api:assessment_answers", args=[assessment.pk])).json()
    }
    assert "ZC-02" in codes
    assert Organisation.objects.get(pk=umc.pk).shares_with_region_readers


def test_a_reader_who_also_answers_for_the_organisation_keeps_their_confidential_questions(
    world: World, region
) -> None:
    """Gerrit reads the region and is also the UMC's functionary for casualty capacity: he
    still sees (and answers) the confidential question routed to him, and no other."""
    round_, umc = region
    assessment = round_.assessments.get(organisation=umc)
    MembershipFactory(user=world.reader, organisation=umc, role=Role.RESPONDENT)
    functionary(umc, item("ZC-02").responsible.all()[0].key, world.reader)
    codes = set(items_for_user(assessment, world.reader).values_list("code", flat=True))
    routed = set(routed_items(assessment, world.reader).values_list("code", flat=True))
    confidential = set(
        items_of(assessment).filter(confidential=True).values_list("code", flat=True)
    )
    assert "ZC-02" in routed and "ZC-02" in codes
    assert codes & confidential == routed & confidential
    assert "CY-01" in codes  # the shared, non-confidential rest stays readable
    reader = Client()
    reader.force_login(world.reader)
    api_codes = {
        a["item_code"]
        for a in reader.get(reverse("api:assessment_answers", args=[assessment.pk])).json()
    }
    assert api_codes & confidential == routed & confidential


def test_each_figure_is_decided_over_the_organisations_that_gave_it(world: World) -> None:
    """Single rooms (ZC-03) are asked of hospitals only: three revalidation centres do not
    hide the one hospital's figure in the region's total."""
    rehab = [
        OrganisationFactory(region=world.own.region, name=f"Revalidatie {n}", sector="revalidatie")
        for n in range(3)
    ]
    round_ = open_round(world, world.own, *rehab)
    for assessment in round_.assessments.select_related("organisation"):
        answer_save(
            assessment=assessment,
            item=item("ZC-02"),
            data={"values": {"bedden_ic": "5"}},
            expected_version=0,
            by=world.coordinator,
        )
    answer_save(
        assessment=round_.assessments.get(organisation=world.own),
        item=item("ZC-03"),
        data={"values": {"eenpersoonsbedden": str(SECRET)}},
        expected_version=0,
        by=world.coordinator,
    )
    Assessment.objects.filter(round=round_).update(state=AssessmentState.SUBMITTED)
    capacity_release(region=world.own.region, round_=round_, by=world.coordinator)
    result = capacity(world.reader, world.own.region, round_)
    rooms = next(i for i, c in enumerate(result.columns) if c.item_code == "ZC-03")
    assert result.total.withheld[rooms] and result.total.values[rooms] is None
    assert not result.total.withheld[ic_column(result)]  # four gave IC beds: shown
    client = Client()
    client.force_login(world.reader)
    for url in (
        reverse("insights:capacity", args=[world.own.region_id]),
        reverse("api:region_capacity", args=[world.own.region_id]),
    ):
        assert str(SECRET) not in client.get(url).content.decode()


# --- Differencing across releases (issue 9): a round's release beside an earlier one -------


def five_hospitals(world: World) -> list[Organisation]:
    return [world.own] + [
        OrganisationFactory(region=world.own.region, name=f"Ziekenhuis {n}", sector="ziekenhuis")
        for n in ("Bravo", "Charlie", "Delta", "Echo")
    ]


BEDS = {"Ziekenhuis Alfa": 11, "Ziekenhuis Bravo": 13, "Ziekenhuis Charlie": 17}
BEDS |= {"Ziekenhuis Delta": 19, "Ziekenhuis Echo": SECRET}


def fill(world: World, round_, *, submit: set[str] | None = None, need: set[str] = frozenset()):
    """Every hospital gives its IC beds (ZC-02) and whether it needs more beds (ZC-03);
    those in ``submit`` (default: all) submit."""
    for assessment in round_.assessments.select_related("organisation"):
        name = assessment.organisation.name
        for code, values in (
            ("ZC-02", {"bedden_ic": str(BEDS[name])}),
            ("ZC-03", {"extra_beddencapaciteit_nodig": "ja" if name in need else "nee"}),
        ):
            answer = assessment.answers.filter(item__code=code).first()
            answer_save(
                assessment=assessment,
                item=item(code),
                data={"values": values},
                expected_version=answer.version if answer else 0,
                by=world.coordinator,
            )
    chosen = round_.assessments.all()
    if submit is not None:
        chosen = chosen.filter(organisation__name__in=submit)
    chosen.update(state=AssessmentState.SUBMITTED)


def released_final_round(world: World, hospitals: list[Organisation]):
    """Round A of 2026: every hospital answers and is final (so the next round carries its
    answers over), and the coordinator releases its figures."""
    round_a = open_round(world, *hospitals, title="Uitvraag 2026")
    fill(world, round_a)
    Assessment.objects.filter(round=round_a).update(state=AssessmentState.FINAL)
    capacity_release(region=world.own.region, round_=round_a, by=world.coordinator)
    return round_a


def next_round(world: World, organisations: list[Organisation], title: str):
    import datetime

    from weerbaar.assessments.rounds import round_open
    from weerbaar.frameworks.export import get_framework

    return round_open(
        region=world.own.region,
        framework=get_framework("kader-weerbare-zorg"),
        organisations=organisations,
        title=title,
        opens_on=datetime.date(2027, 11, 1),
        deadline=datetime.date(2027, 12, 31),
        prefill=True,
        by=world.coordinator,
    )


def test_a_release_one_hospital_short_of_an_earlier_one_is_refused(world: World) -> None:
    """The attack: round A's release covers five hospitals; round B, pre-filled, covers the
    same minus Echo. A minus B would be Echo's beds (exactly: B's figures are A's, carried
    over). B's release is refused with the rule, and the reader learns nothing from B."""
    hospitals = five_hospitals(world)
    region = world.own.region
    round_a = released_final_round(world, hospitals)
    reader = Client()
    reader.force_login(world.reader)
    url = reverse("api:region_capacity", args=[region.pk])
    ic = next(i for i, c in enumerate(reader.get(url).json()["columns"]) if c["label"] == "IC")
    assert reader.get(f"{url}?round={round_a.pk}").json()["total"]["values"][ic] == sum(
        BEDS.values()
    )

    round_b = next_round(world, hospitals[:4], "Uitvraag 2027")
    Assessment.objects.filter(round=round_b).update(state=AssessmentState.SUBMITTED)
    with pytest.raises(ReleaseRefused) as refused:
        capacity_release(region=region, round_=round_b, by=world.coordinator)
    reason = refused.value.messages[0]
    assert "Vrijgave geweigerd" in reason and "Uitvraag 2026" in reason
    assert "minder dan 3 organisaties" in reason
    assert not any(name in reason for name in BEDS)  # the rule, not the organisation
    # Through the API and the page, the same refusal; nothing is released.
    coordinator = Client()
    coordinator.force_login(world.coordinator)
    api = coordinator.post(
        reverse("api:region_capacity_release", args=[region.pk]) + f"?round={round_b.pk}"
    )
    assert api.status_code == 409 and api.json()["reasons"] == [reason]
    page = coordinator.post(
        reverse("insights:capacity_release", args=[region.pk]),
        {"ronde": round_b.pk},
        follow=True,
    )
    assert "Vrijgave geweigerd" in page.content.decode()
    assert not CapacityRelease.objects.filter(round=round_b).exists()
    released_b = reader.get(f"{url}?round={round_b.pk}").json()
    assert released_b["released_at"] is None
    assert all(value is None for value in released_b["total"]["values"])


def test_a_hospital_that_joins_or_submits_late_blocks_the_release_until_it_is_safe(
    world: World,
) -> None:
    hospitals = five_hospitals(world)
    region = world.own.region
    released_final_round(world, hospitals[:4])
    # Echo joins in 2027: B minus A would be Echo's beds.
    round_b = next_round(world, hospitals, "Uitvraag 2027")
    fill(world, round_b)
    with pytest.raises(ReleaseRefused):
        capacity_release(region=region, round_=round_b, by=world.coordinator)
    # Foxtrot, Golf and Hotel join too, but Charlie and Delta have not submitted yet: the two
    # of them would be A minus B, the two others B minus the newcomers.
    newcomers = {f"Ziekenhuis {n}": 5 for n in ("Foxtrot", "Golf", "Hotel")}
    BEDS.update(newcomers)
    try:
        for name in newcomers:
            organisation = OrganisationFactory(region=region, name=name, sector="ziekenhuis")
            Assessment.objects.create(round=round_b, organisation=organisation)
        fill(world, round_b)
        round_b.assessments.filter(
            organisation__name__in=["Ziekenhuis Charlie", "Ziekenhuis Delta"]
        ).update(state=AssessmentState.CONCEPT)
        with pytest.raises(ReleaseRefused):
            capacity_release(region=region, round_=round_b, by=world.coordinator)
        fill(world, round_b)  # everyone has submitted: A's four and four newcomers
        release = capacity_release(region=region, round_=round_b, by=world.coordinator)
    finally:
        for name in newcomers:
            BEDS.pop(name)
    assert release.figures["total"]["organisations"] == 8


def test_a_release_that_would_show_nothing_is_refused(world: World) -> None:
    """Releasing while two hospitals have submitted would freeze a release with every figure
    withheld, and the round could never be released again: refused, with the reason."""
    hospitals = five_hospitals(world)
    round_ = open_round(world, *hospitals)
    fill(world, round_, submit={"Ziekenhuis Alfa", "Ziekenhuis Bravo"})
    with pytest.raises(ReleaseRefused) as refused:
        capacity_release(region=world.own.region, round_=round_, by=world.coordinator)
    assert "elke groep is kleiner dan 3 organisaties" in refused.value.messages[0]
    assert not CapacityRelease.objects.exists()


def test_the_same_hospitals_a_year_later_are_released(world: World) -> None:
    hospitals = five_hospitals(world)
    region = world.own.region
    released_final_round(world, hospitals)
    round_b = next_round(world, hospitals, "Uitvraag 2027")
    Assessment.objects.filter(round=round_b).update(state=AssessmentState.SUBMITTED)
    assert capacity_release(region=region, round_=round_b, by=world.coordinator)
    assert CapacityRelease.objects.filter(round__region=region).count() == 2


def test_confidential_needs_reach_readers_only_through_the_release(world: World) -> None:
    """ "More beds needed" (ZC-03) is confidential: a live count would move when one hospital
    submits. Readers see the count frozen in the release; coordinators see it live."""
    hospitals = five_hospitals(world)
    region = world.own.region
    round_ = open_round(world, *hospitals)
    fill(world, round_, submit=set(BEDS) - {"Ziekenhuis Echo"}, need={"Ziekenhuis Alfa"})
    reader = Client()
    reader.force_login(world.reader)
    url = reverse("api:region_needs", args=[region.pk]) + f"?round={round_.pk}"

    def beds_need(client: Client) -> dict:
        return next(n for n in client.get(url).json() if n["item_code"] == "ZC-03")

    before = beds_need(reader)
    assert before["total"]["yes"] is None and before["total"]["suppressed"]
    page = reader.get(reverse("insights:needs", args=[region.pk])).content.decode()
    assert "nog niet vrijgegeven" in page
    capacity_release(region=region, round_=round_, by=world.coordinator)
    released = beds_need(reader)
    assert released["total"] == {
        "group": "regio",
        "label": region.name,
        "answered": 4,
        "yes": 1,
        "suppressed": False,
    }
    assert released["organisations"] == []  # no names for readers
    assert released["live"] is False and released["released_at"]
    # Echo submits and says yes: the coordinator's count moves, the reader's does not.
    fill(world, round_, need={"Ziekenhuis Alfa", "Ziekenhuis Echo"})
    coordinator = Client()
    coordinator.force_login(world.coordinator)
    live = beds_need(coordinator)
    assert live["total"]["yes"] == 2 and live["total"]["answered"] == 5 and live["live"]
    assert set(live["organisations"]) == {"Ziekenhuis Alfa", "Ziekenhuis Echo"}
    assert beds_need(reader)["total"] == released["total"]
    page = reader.get(reverse("insights:needs", args=[region.pk])).content.decode()
    assert "Vrijgegeven door de regiocoördinator op" in page


def test_a_need_count_that_would_split_earlier_groups_is_withheld(world: World) -> None:
    """Found by a review: round A covers six hospitals (four need more beds), round B three
    of them (one does). Each group is large enough for the bed sums, but A minus B says that
    the other three all need more beds. The capacity figures go; the need count is withheld."""
    hospitals = [
        *five_hospitals(world),
        OrganisationFactory(
            region=world.own.region, name="Ziekenhuis Foxtrot", sector="ziekenhuis"
        ),
    ]
    BEDS["Ziekenhuis Foxtrot"] = 23
    try:
        region = world.own.region
        round_a = open_round(world, *hospitals, title="Uitvraag 2026")
        fill(
            world,
            round_a,
            need={"Ziekenhuis Alfa", "Ziekenhuis Delta", "Ziekenhuis Echo", "Ziekenhuis Foxtrot"},
        )
        capacity_release(region=region, round_=round_a, by=world.coordinator)
        round_b = open_round(world, *hospitals[:3], title="Uitvraag 2027")
        fill(world, round_b, need={"Ziekenhuis Alfa"})
        release = capacity_release(region=region, round_=round_b, by=world.coordinator)
    finally:
        BEDS.pop("Ziekenhuis Foxtrot")
    reader = Client()
    reader.force_login(world.reader)
    needs = reader.get(
        reverse("api:region_needs", args=[region.pk]) + f"?round={round_b.pk}"
    ).json()
    beds = next(n for n in needs if n["item_code"] == "ZC-03")
    assert beds["total"]["yes"] is None and beds["released_at"]
    capacity_b = reader.get(
        reverse("api:region_capacity", args=[region.pk]) + f"?round={round_b.pk}"
    ).json()
    ic = next(i for i, c in enumerate(capacity_b["columns"]) if c["label"] == "IC")
    assert capacity_b["total"]["values"][ic] == 11 + 13 + 17  # the bed sums are released
    assert release.figures["total"]["organisations"] == 3
