"""The regional picture: heatmap, medians, comparison with the previous round, suppression."""

from __future__ import annotations

import datetime

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from weerbaar.assessments.answering import answer_save
from weerbaar.assessments.models import Assessment, AssessmentState
from weerbaar.disclosure.rules import disclosable, protect_partition
from weerbaar.frameworks.models import Item, Tag
from weerbaar.insights import regional
from weerbaar.insights.synth import synthesise
from weerbaar.organisations.models import Organisation, Sector
from weerbaar.scoring.gaps import insight

from .conftest import World
from .factories import OrganisationFactory, open_round

CYBER = "CY"


def item(code: str) -> Item:
    return Item.objects.get(section__framework__slug="kader-weerbare-zorg", code=code)


def answer(assessment: Assessment, code: str, level: str, by) -> None:
    answer_save(
        assessment=assessment,
        item=item(code),
        data={"values": {"maturity": level}},
        expected_version=0,
        by=by,
    )


def submitted(*assessments: Assessment) -> None:
    for a in assessments:
        Assessment.objects.filter(pk=a.pk).update(state=AssessmentState.SUBMITTED)


def cyber_score(data: dict, name: str) -> int | None:
    row = next(r for r in data["organisations"] if r["name"] == name)
    return row["scores"][CYBER]


@pytest.fixture
def hospitals(world: World) -> list[Organisation]:
    """Four more hospitals in Alice's region; none shares with region readers."""
    return [
        OrganisationFactory(region=world.own.region, name=f"Ziekenhuis {n}", sector="ziekenhuis")
        for n in ("Gamma", "Delta", "Epsilon", "Zeta")
    ]


def test_heatmap_scores_are_the_scores_of_each_gap_screen(world: World, hospitals) -> None:
    round_ = open_round(world, world.own, world.other, *hospitals)
    by_org = {a.organisation_id: a for a in round_.assessments.all()}
    answer(by_org[world.own.pk], "CY-01", "4", world.alice)
    answer(by_org[world.own.pk], "CY-03", "unknown", world.alice)
    answer(by_org[hospitals[0].pk], "CY-01", "2", world.coordinator)
    answer(by_org[world.other.pk], "CY-01", "3", world.coordinator)
    result = regional.heatmap(world.coordinator, world.own.region, round_)
    assert len(result.rows) == 6
    for row in result.rows:
        own = insight(Assessment.objects.get(pk=row.assessment_id))
        expected = {t.section.code: t.score for t in own.themes}
        got = {s.code: score for s, score in zip(result.sections, row.scores, strict=True)}
        assert {code: got[code] for code in expected} == expected
    alfa = next(r for r in result.rows if r.name == "Ziekenhuis Alfa")
    assert alfa.scores[[s.code for s in result.sections].index(CYBER)] > 0


def test_a_reader_sees_sharing_organisations_and_suppressed_medians(
    world: World, hospitals
) -> None:
    round_ = open_round(world, world.own, world.other, *hospitals)
    for a in round_.assessments.all():
        answer(a, "CY-01", "3", world.coordinator)
    submitted(*round_.assessments.all())
    client = Client()
    client.force_login(world.reader)
    data = client.get(
        reverse("api:region_heatmap", args=[world.own.region_id]), {"round": round_.pk}
    ).json()
    # Only Beta shares: the five hospitals are counted, never listed.
    assert [r["name"] for r in data["organisations"]] == ["Verpleeghuis Beta"]
    assert data["hidden"] == 5
    medians = {m["group"]: m for m in data["medians"]}
    # Region: five hidden organisations ≥ 3 → shown. Hospitals: five hidden → shown.
    assert not medians["regio"]["suppressed"]
    assert not medians["ziekenhuis"]["suppressed"]
    # VVT holds only Beta, which the reader sees anyway: the median is Beta's own score.
    assert medians["vvt"]["scores"][CYBER] == cyber_score(data, "Verpleeghuis Beta")


def test_a_small_sector_is_suppressed_and_cannot_be_found_by_subtraction(
    world: World, hospitals
) -> None:
    ggz = [
        OrganisationFactory(region=world.own.region, name=f"GGZ {n}", sector=Sector.GGZ)
        for n in ("Een", "Twee")
    ]
    round_ = open_round(world, world.own, *hospitals, *ggz)
    for a in round_.assessments.all():
        answer(a, "CY-01", "4" if a.organisation.sector == Sector.GGZ else "1", world.coordinator)
    submitted(*round_.assessments.all())
    result = regional.heatmap(world.reader, world.own.region, round_)
    aggregates = {a.key: a for a in result.aggregates}
    assert aggregates["ggz"].suppressed
    assert all(score is None for score in aggregates["ggz"].scores)
    # The two GGZ organisations are hidden; the region total would expose them next to the
    # hospital median, so one more group (or the total) goes too.
    visible_groups = [a for a in result.aggregates if not a.suppressed]
    assert not (
        aggregates["regio"] in visible_groups and aggregates["ziekenhuis"] in visible_groups
    )
    # The coordinator sees everything.
    full = {
        a.key: a for a in regional.heatmap(world.coordinator, world.own.region, round_).aggregates
    }
    assert not full["ggz"].suppressed


def test_disclosure_rules() -> None:
    assert disclosable({1, 2, 3}, set(), 3)
    assert not disclosable({1, 2}, set(), 3)
    assert disclosable({1, 2}, {1, 2}, 3)  # the viewer sees both anyway
    assert not disclosable({1, 2, 3, 4}, {1, 2}, 3)  # two hidden
    shown, total = protect_partition(
        {"a": {1, 2, 3, 4}, "b": {5, 6, 7}, "c": {8}}, set(range(1, 9)), set(), 3
    )
    # "c" is too small; "b" goes too so that a + b + c − a does not give c.
    assert shown == {"a"} and total
    assert sum(len(m) for n, m in {"b": {5, 6, 7}, "c": {8}}.items() if n not in shown) >= 3
    shown, total = protect_partition({"a": {1, 2}, "b": {3}}, {1, 2, 3}, set(), 3)
    assert shown == set() and total  # three hidden in the total: the region figure stands


def test_gap_screen_compares_with_medians_and_the_previous_round(world: World, hospitals) -> None:
    last = open_round(
        world,
        world.own,
        title="Uitvraag 2025",
        opens_on=datetime.date(2025, 11, 1),
        deadline=datetime.date(2025, 12, 31),
    )
    answer(last.assessments.get(), "CY-01", "1", world.alice)
    submitted(*last.assessments.all())
    now = open_round(world, world.own, *hospitals)
    for a in now.assessments.all():
        answer(a, "CY-01", "4", world.coordinator)
    submitted(*now.assessments.all())
    mine = now.assessments.get(organisation=world.own)
    client = Client()
    client.force_login(world.alice)
    data = client.get(reverse("api:assessment_gaps", args=[mine.pk])).json()
    cyber = next(t for t in data["themes"] if t["code"] == CYBER)
    assert cyber["previous"] is not None and cyber["change"] == cyber["score"] - cyber["previous"]
    assert cyber["change"] > 0
    # Four other hospitals hidden from Alice: the medians are shown.
    assert cyber["region_median"] == cyber["score"]
    assert cyber["sector_median"] == cyber["score"]
    page = client.get(reverse("insights:gaps", args=[mine.pk]))
    assert b"<svg" in page.content and b"Uitvraag 2025" in page.content


def test_gap_screen_hides_a_median_over_too_few_others(world: World) -> None:
    other_hospital = OrganisationFactory(region=world.own.region, sector="ziekenhuis")
    round_ = open_round(world, world.own, other_hospital)
    for a in round_.assessments.all():
        answer(a, "CY-01", "2", world.coordinator)
    submitted(*round_.assessments.all())
    mine = round_.assessments.get(organisation=world.own)
    compared = regional.comparison(world.alice, mine)
    # Only one other organisation: its score would follow from Alice's own and the median.
    assert compared.suppressed
    assert all(t.region_median is None and t.sector_median is None for t in compared.themes)
    assert compared.region_group == 0


def test_filters_narrow_organisations_and_questions(world: World, hospitals) -> None:
    round_ = open_round(world, world.own, world.other, *hospitals)
    mine = round_.assessments.get(organisation=world.own)
    answer(mine, "ZC-01", "4", world.alice)  # tagged NATO BR5
    answer(mine, "CY-01", "4", world.alice)
    client = Client()
    client.force_login(world.coordinator)
    url = reverse("insights:heatmap", args=[world.own.region_id])
    page = client.get(url, {"ronde": round_.pk, "sector": "vvt"})
    assert b"Verpleeghuis Beta" in page.content and b"Ziekenhuis Alfa" not in page.content
    everything = regional.heatmap(world.coordinator, world.own.region, round_)
    br5 = Tag.objects.get(vocabulary="nato", code="BR5")
    narrowed = regional.heatmap(world.coordinator, world.own.region, round_, tag_ids=[br5.pk])
    alfa = next(r for r in narrowed.rows if r.name == "Ziekenhuis Alfa")
    alfa_all = next(r for r in everything.rows if r.name == "Ziekenhuis Alfa")
    assert alfa.overall != alfa_all.overall
    api = client.get(
        reverse("api:region_heatmap", args=[world.own.region_id]),
        {"round": round_.pk, "tag": "nato:BR5"},
    )
    assert api.status_code == 200
    bad = client.get(reverse("api:region_heatmap", args=[world.own.region_id]), {"tag": "nato:X"})
    assert bad.status_code == 422
    page = client.get(url, {"ronde": round_.pk, "nato": "BR5"})
    assert b"alleen vragen met het gekozen label" in page.content


def test_sorting_by_a_theme(world: World, hospitals) -> None:
    round_ = open_round(world, world.own, *hospitals)
    levels = {"Ziekenhuis Gamma": "4", "Ziekenhuis Alfa": "1", "Ziekenhuis Delta": "3"}
    for a in round_.assessments.select_related("organisation"):
        if a.organisation.name in levels:
            answer(a, "CY-01", levels[a.organisation.name], world.coordinator)
    result = regional.heatmap(
        world.coordinator, world.own.region, round_, sort=CYBER, descending=True
    )
    assert [r.name for r in result.rows][:3] == [
        "Ziekenhuis Gamma",
        "Ziekenhuis Delta",
        "Ziekenhuis Alfa",
    ]
    client = Client()
    client.force_login(world.coordinator)
    page = client.get(
        reverse("insights:heatmap", args=[world.own.region_id]),
        {"sorteer": CYBER, "volgorde": "af"},
    )
    assert b'aria-sort="descending"' in page.content


def heatmap_queries(client: Client, url: str) -> int:
    with CaptureQueriesContext(connection) as context:
        response = client.get(url)
    assert response.status_code == 200
    return len(context.captured_queries)


def test_dashboard_queries_are_the_same_for_10_and_1000_organisations(world: World) -> None:
    small = synthesise(organisations=10, rounds=1, region_code="klein", first_year=2026)
    large = synthesise(organisations=1000, rounds=1, region_code="groot", first_year=2026)
    client = Client()
    client.force_login(world.coordinator)
    world.coordinator.is_superuser = True  # sees every region
    world.coordinator.save()
    for name in (
        "insights:heatmap",
        "api:region_heatmap",
        "insights:norms",
        "api:region_norms",
        "insights:capacity",
        "api:region_capacity",
        "dependencies:region_dependencies",
        "api:region_dependencies",
        "insights:needs",
        "api:region_needs",
        "insights:trend",
        "api:region_trend",
        "recommendations:recommendations",
        "insights:exports",
    ):
        few = heatmap_queries(client, reverse(name, args=[small.region.pk]))
        many = heatmap_queries(client, reverse(name, args=[large.region.pk]))
        assert few == many, name


def test_a_round_of_another_region_is_never_shown(world: World) -> None:
    from .factories import RegionFactory

    mine = open_round(world, world.own)
    elsewhere = RegionFactory(name="Regio Noord", code="noord")
    foreign_org = OrganisationFactory(region=world.own.region, name="Ziekenhuis Noord")
    foreign = open_round(world, foreign_org, title="Uitvraag Noord")
    # Move the round and its organisation to the other region.
    Organisation.objects.filter(pk=foreign_org.pk).update(region=elsewhere)
    type(foreign).objects.filter(pk=foreign.pk).update(region=elsewhere)
    client = Client()
    client.force_login(world.coordinator)
    api = client.get(
        reverse("api:region_heatmap", args=[world.own.region_id]), {"round": foreign.pk}
    )
    assert api.status_code == 404
    page = client.get(
        reverse("insights:heatmap", args=[world.own.region_id]), {"ronde": foreign.pk}
    )
    assert page.status_code == 200
    assert b"Ziekenhuis Noord" not in page.content and mine.title.encode() in page.content
    assert client.get(reverse("insights:heatmap", args=[elsewhere.pk])).status_code == 404
    assert client.get(reverse("api:region_norms", args=[elsewhere.pk])).status_code == 404


def test_the_trend_follows_the_rounds_for_the_region_and_the_organisation(
    world: World, hospitals
) -> None:
    last = open_round(
        world,
        world.own,
        *hospitals,
        title="Uitvraag 2025",
        opens_on=datetime.date(2025, 11, 1),
        deadline=datetime.date(2025, 12, 31),
    )
    for a in last.assessments.all():
        answer(a, "CY-01", "1", world.coordinator)
    submitted(*last.assessments.all())
    now = open_round(world, world.own, *hospitals)
    for a in now.assessments.all():
        answer(a, "CY-01", "4", world.coordinator)
    submitted(*now.assessments.all())
    points = regional.region_trend(world.coordinator, world.own.region, "kader-weerbare-zorg")
    assert [p.round.title for p in points] == ["Uitvraag 2025", "Uitvraag 2026"]
    assert points[0].themes[CYBER] < points[1].themes[CYBER]
    mine = now.assessments.get(organisation=world.own)
    history = regional.organisation_trend(mine)
    assert [p.round.title for p in history] == ["Uitvraag 2025", "Uitvraag 2026"]
    client = Client()
    client.force_login(world.reader)
    data = client.get(reverse("api:region_trend", args=[world.own.region_id])).json()
    assert [p["round_title"] for p in data] == ["Uitvraag 2025", "Uitvraag 2026"]
    # Five hidden organisations: shown; for a reader without the confidential questions.
    reader_points = regional.region_trend(world.reader, world.own.region, "kader-weerbare-zorg")
    assert data[1]["themes"][CYBER] == reader_points[1].themes[CYBER] is not None
    page = client.get(reverse("insights:trend", args=[world.own.region_id]))
    assert b"<svg" in page.content
    alice = Client()
    alice.force_login(world.alice)
    gaps = alice.get(reverse("insights:gaps", args=[mine.pk])).content.decode()
    assert "Verloop over de uitvragen" in gaps


def test_needs_are_counted_and_small_groups_withheld(world: World, hospitals) -> None:
    round_ = open_round(world, world.own, world.other, *hospitals)
    item = Item.objects.get(section__framework__slug="kader-weerbare-zorg", code="AW-05")
    part = item.parts.get(type="need_flag")
    for a in round_.assessments.select_related("organisation"):
        answer_save(
            assessment=a,
            item=item,
            data={
                "values": {
                    part.key: a.organisation.name != "Ziekenhuis Gamma",
                    "toelichting": f"Scholing CBRN voor {a.organisation.name}",
                }
            },
            expected_version=0,
            by=world.coordinator,
        )
    submitted(*round_.assessments.all())
    from weerbaar.insights.needs import needs

    training = next(
        n for n in needs(world.coordinator, world.own.region, round_) if n.item_code == "AW-05"
    )
    assert (training.total.answered, training.total.yes) == (6, 5)
    client = Client()
    client.force_login(world.reader)
    data = client.get(reverse("api:region_needs", args=[world.own.region_id])).json()
    training = next(n for n in data if n["item_code"] == "AW-05")
    groups = {g["group"]: g for g in training["sectors"]}
    # VVT holds only Beta, which shares: shown. Hospitals: five hidden: shown.
    assert groups["vvt"]["yes"] == 1 and groups["ziekenhuis"]["yes"] == 4
    assert training["organisations"] == ["Verpleeghuis Beta"]
    # What they wrote (the training topics): only of the organisations the reader may see.
    assert training["topics"] == [
        {"organisation": "Verpleeghuis Beta", "text": "Scholing CBRN voor Verpleeghuis Beta"}
    ]


def test_readers_get_scores_without_the_confidential_questions(world: World, hospitals) -> None:
    """A sharing organisation's theme score must not reveal its confidential answers: with a
    tag that selects only confidential questions, a reader sees no score at all."""
    umc = OrganisationFactory(
        region=world.own.region, name="UMC Oost", sector="umc", shares_with_region_readers=True
    )
    round_ = open_round(world, world.own, umc, *hospitals)
    for a in round_.assessments.all():
        answer(a, "ZC-01", "1", world.coordinator)  # confidential, tagged NATO BR5
    submitted(*round_.assessments.all())
    br5 = Tag.objects.get(vocabulary="nato", code="BR5")
    full = regional.heatmap(world.coordinator, world.own.region, round_, tag_ids=[br5.pk])
    seen = regional.heatmap(world.reader, world.own.region, round_, tag_ids=[br5.pk])
    zc = [s.code for s in full.sections].index("ZC")
    assert not full.public and seen.public
    umc_full = next(r for r in full.rows if r.name == "UMC Oost")
    umc_seen = next(r for r in seen.rows if r.name == "UMC Oost")
    assert umc_full.scores[zc] is not None
    confidential_only = all(
        i.confidential
        for i in Item.objects.filter(
            section__code="ZC", section__framework__slug="kader-weerbare-zorg", tags=br5
        )
    )
    if confidential_only:
        assert umc_seen.scores[zc] is None
    mine = round_.assessments.get(organisation=umc)
    client = Client()
    client.force_login(world.reader)
    gaps = client.get(reverse("api:assessment_gaps", args=[mine.pk])).json()
    zc_theme = next(t for t in gaps["themes"] if t["code"] == "ZC")
    assert zc_theme["score"] == scores_without_confidential(mine)["ZC"]


def scores_without_confidential(assessment) -> dict[str, int | None]:
    from weerbaar.scoring.themes import scored_items, theme_scores

    items = scored_items(assessment.round.framework)
    scores = theme_scores(
        Assessment.objects.filter(pk=assessment.pk),
        items,
        {assessment.pk: assessment.organisation.sector},
        public=True,
    )[assessment.pk]
    return {s.code: scores[s.pk] for s in items.sections}


def test_a_need_everyone_hidden_shares_is_not_counted(world: World, hospitals) -> None:
    """ "5 of 5 hidden hospitals need training" would tell each hospital's answer."""
    round_ = open_round(world, world.own, *hospitals)
    item = Item.objects.get(section__framework__slug="kader-weerbare-zorg", code="AW-05")
    part = item.parts.get(type="need_flag")
    for a in round_.assessments.all():
        answer_save(
            assessment=a,
            item=item,
            data={"values": {part.key: True}},
            expected_version=0,
            by=world.coordinator,
        )
    submitted(*round_.assessments.all())
    from weerbaar.insights.needs import needs

    training = next(
        n for n in needs(world.reader, world.own.region, round_) if n.item_code == "AW-05"
    )
    assert training.total.yes is None and training.total.suppressed
    assert all(group.yes is None for group in training.sectors)
    full = next(
        n for n in needs(world.coordinator, world.own.region, round_) if n.item_code == "AW-05"
    )
    assert full.total.yes == 5


def test_needs_withheld_sectors_together_do_not_give_their_answers_away(world: World) -> None:
    """GGZ (1) and VVT (2) are withheld as too small, hospitals (4) shown: if the region's
    total were shown, total minus hospitals would say that all three of them need training."""
    from weerbaar.insights.needs import needs

    region = world.own.region
    hospitals = [
        OrganisationFactory(region=region, name=f"Z{n}", sector=Sector.ZIEKENHUIS) for n in range(4)
    ]
    small = [OrganisationFactory(region=region, name="G1", sector=Sector.GGZ)] + [
        OrganisationFactory(region=region, name=f"V{n}", sector=Sector.VVT) for n in range(2)
    ]
    round_ = open_round(world, *hospitals, *small)
    training = Item.objects.get(section__framework__slug="kader-weerbare-zorg", code="AW-05")
    part = training.parts.get(type="need_flag")
    yes = {o.pk for o in small} | {hospitals[0].pk, hospitals[1].pk}
    for a in round_.assessments.all():
        answer_save(
            assessment=a,
            item=training,
            data={"values": {part.key: a.organisation_id in yes}},
            expected_version=0,
            by=world.coordinator,
        )
    Assessment.objects.filter(round=round_).update(state=AssessmentState.SUBMITTED)
    need = next(n for n in needs(world.reader, region, round_) if n.item_code == "AW-05")
    by_sector = {g.key: g for g in need.sectors}
    assert by_sector[Sector.ZIEKENHUIS].yes == 2  # four organisations with mixed answers
    assert by_sector[Sector.GGZ].yes is None and by_sector[Sector.VVT].yes is None
    assert need.total.yes is None
    coordinator_view = next(
        n for n in needs(world.coordinator, region, round_) if n.item_code == "AW-05"
    )
    assert coordinator_view.total.yes == 5


def test_the_default_round_is_the_newest_with_submitted_answers(world: World, hospitals) -> None:
    """Opening next year's round must not turn the regional picture into red zeros."""
    last = open_round(world, *hospitals, title="Uitvraag 2025", opens_on=datetime.date(2025, 11, 1))
    for assessment in last.assessments.all():
        answer(assessment, "CY-01", "3", world.coordinator)
    submitted(*last.assessments.all())
    new = open_round(world, *hospitals, title="Uitvraag 2026", opens_on=datetime.date(2026, 11, 1))
    client = Client()
    client.force_login(world.coordinator)
    url = reverse("insights:heatmap", args=[world.own.region_id])
    assert client.get(url).context["round"] == last
    assert client.get(url, {"ronde": new.pk}).context["round"] == new  # still one choice away
    api = client.get(reverse("api:region_heatmap", args=[world.own.region_id]))
    assert api.json()["round"] == last.pk
    submitted(new.assessments.first())
    assert client.get(url).context["round"] == new
