"""The norm overview: distribution per norm, organisations below it, suppression."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.test import Client
from django.urls import reverse

from weerbaar.assessments.answering import answer_save
from weerbaar.assessments.models import Assessment, AssessmentState
from weerbaar.frameworks.models import Item
from weerbaar.scoring.models import Norm
from weerbaar.scoring.norms import norm_overview

from .conftest import World
from .factories import OrganisationFactory, open_round

HOURS = {"Ziekenhuis Alfa": "24", "Verpleeghuis Beta": "96", "A": "72", "B": "48", "C": "120"}


@pytest.fixture
def round_(world: World):
    extra = [
        OrganisationFactory(region=world.own.region, name=name, sector="ziekenhuis")
        for name in ("A", "B", "C")
    ]
    round_ = open_round(world, world.own, world.other, *extra)
    item = Item.objects.get(section__framework__slug="kader-weerbare-zorg", code="UV-01")
    for a in round_.assessments.select_related("organisation"):
        answer_save(
            assessment=a,
            item=item,
            data={"values": {"noodstroom_uren": HOURS[a.organisation.name]}},
            expected_version=0,
            by=world.coordinator,
        )
    Assessment.objects.filter(round=round_).update(state=AssessmentState.SUBMITTED)
    Norm.objects.create(
        region=world.own.region, norm_key="noodstroom_uren", minimum=Decimal(72), source="ROAZ"
    )
    return round_


def row(overview, key="noodstroom_uren"):
    return next(r for r in overview.rows if r.norm_key == key)


def test_distribution_and_organisations_below_the_norm(world: World, round_) -> None:
    power = row(norm_overview(world.coordinator, world.own.region, round_))
    assert (power.minimum, power.median, power.maximum) == (Decimal(24), Decimal(72), Decimal(120))
    assert power.answered == 5 and power.below_count == 2
    assert [b.name for b in power.below] == ["Ziekenhuis Alfa", "B"]
    # Norm keys without a norm are listed, without a "below" count.
    water = row(norm_overview(world.coordinator, world.own.region, round_), "drinkwater_uren")
    assert water.norm is None and water.below_count is None


def test_a_reader_gets_the_distribution_but_only_sharing_names(world: World, round_) -> None:
    client = Client()
    client.force_login(world.reader)
    data = client.get(reverse("api:region_norms", args=[world.own.region_id])).json()
    power = next(n for n in data["norms"] if n["norm_key"] == "noodstroom_uren")
    assert power["below_count"] == 2
    assert power["below"] == []  # Alfa and B do not share
    assert power["median"] == 72.0 and power["norm"] == 72.0 and power["source"] == "ROAZ"
    # The extremes are single organisations' figures: not for a reader.
    assert power["minimum"] is None and power["maximum"] is None
    page = client.get(reverse("insights:norms", args=[world.own.region_id]))
    assert b"Ziekenhuis Alfa" not in page.content
    assert b"Onder de norm" in page.content


def test_a_small_group_is_suppressed(world: World) -> None:
    round_ = open_round(world, world.own, world.other)
    item = Item.objects.get(section__framework__slug="kader-weerbare-zorg", code="UV-01")
    for a in round_.assessments.all():
        answer_save(
            assessment=a,
            item=item,
            data={"values": {"noodstroom_uren": "10"}},
            expected_version=0,
            by=world.coordinator,
        )
    Assessment.objects.filter(round=round_).update(state=AssessmentState.SUBMITTED)
    power = row(norm_overview(world.reader, world.own.region, round_))
    assert power.suppressed and power.minimum is None and power.values == []
    assert not row(norm_overview(world.coordinator, world.own.region, round_)).suppressed


def test_below_count_is_withheld_when_every_hidden_organisation_is_below(world: World) -> None:
    """Four organisations the reader cannot see, all at 24 hours against a norm of 72: "4
    below the norm" would say it of each of them."""
    hospitals = [OrganisationFactory(region=world.own.region, name=n) for n in "ABC"]
    round_ = open_round(world, world.own, world.other, *hospitals)
    power = Item.objects.get(section__framework__slug="kader-weerbare-zorg", code="UV-01")
    for a in round_.assessments.select_related("organisation"):
        hours = "96" if a.organisation == world.other else "24"  # Beta shares with readers
        answer_save(
            assessment=a,
            item=power,
            data={"values": {"noodstroom_uren": hours}},
            expected_version=0,
            by=world.coordinator,
        )
    Assessment.objects.filter(round=round_).update(state=AssessmentState.SUBMITTED)
    Norm.objects.create(
        region=world.own.region, norm_key="noodstroom_uren", minimum=Decimal(72), source="ROAZ"
    )

    def row(user):
        return next(
            r
            for r in norm_overview(user, world.own.region, round_).rows
            if r.norm_key == "noodstroom_uren"
        )

    assert row(world.reader).answered == 5 and row(world.reader).median is not None
    assert row(world.reader).below_count is None
    assert row(world.coordinator).below_count == 4  # who sees everyone, sees the count
    reader = Client()
    reader.force_login(world.reader)
    page = reader.get(reverse("insights:norms", args=[world.own.region_id])).content.decode()
    assert "allemaal aan dezelfde kant van de norm" in page
    data = reader.get(reverse("api:region_norms", args=[world.own.region_id])).json()
    power_row = next(r for r in data["norms"] if r["norm_key"] == "noodstroom_uren")
    assert power_row["below_count"] is None
