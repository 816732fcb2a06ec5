"""Gaps and theme scores, derived from the answers and the region's norms."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.test import Client
from django.urls import reverse

from weerbaar.assessments.answering import answer_save
from weerbaar.frameworks.models import Item
from weerbaar.scoring.gaps import insight
from weerbaar.scoring.models import Norm

from .conftest import World
from .factories import open_round


def item(code: str) -> Item:
    return Item.objects.get(section__framework__slug="kader-weerbare-zorg", code=code)


def save(assessment, code: str, by, **data) -> None:
    answer_save(assessment=assessment, item=item(code), data=data, expected_version=0, by=by)


@pytest.fixture
def assessment(world: World):
    return open_round(world).assessments.get()


def test_unanswered_items_are_gaps_and_score_zero(assessment) -> None:
    result = insight(assessment)
    assert len(result.gaps) == 69
    assert {t.score for t in result.themes} == {0}
    assert result.overall == 0


def test_maturity_below_the_norm_unknown_and_na(assessment, world: World) -> None:
    save(assessment, "CY-01", world.alice, values={"maturity": "4"})
    save(assessment, "CY-03", world.alice, values={"maturity": "2"})
    save(assessment, "CY-05", world.alice, values={"maturity": "unknown"})
    save(assessment, "CY-06", world.alice, not_applicable=True, na_reason="Geen eigen IT")
    result = insight(assessment)
    by_code = {gap.item.code: gap for gap in result.gaps}
    assert "CY-01" not in by_code
    assert "CY-06" not in by_code
    assert by_code["CY-03"].reasons == ("Niveau 2, onder de norm 3",)
    assert by_code["CY-05"].reasons == ("Onbekend",)
    cyber = next(t for t in result.themes if t.section.code == "CY")
    # Scored items: CY-01 (4), CY-03 (2), CY-05 (unknown = 0) and the unanswered ones (0);
    # CY-06 is N.v.t. and left out.
    maturity_items = [
        i
        for i in Item.objects.filter(
            section__code="CY", section__framework__slug="kader-weerbare-zorg"
        )
        if i.parts.filter(type="maturity").exists() and i.code != "CY-06"
    ]
    assert cyber.score == int(100 * (1 + 0.5) / len(maturity_items) + 0.5)  # half up


def test_numbers_below_the_regions_norm_are_gaps(assessment, world: World) -> None:
    save(assessment, "UV-01", world.alice, values={"noodstroom_uren": "48"})
    assert "UV-01" not in {gap.item.code for gap in insight(assessment).gaps}  # no norm yet
    Norm.objects.create(
        region=world.own.region, norm_key="noodstroom_uren", minimum=Decimal(72), source="ROAZ 2026"
    )
    gap = next(g for g in insight(assessment).gaps if g.item.code == "UV-01")
    assert gap.reasons == (
        "Aantal uur dat de organisatie op noodstroom kan draaien: 48 uur, norm 72",
    )


def test_risk_flags_are_risks_not_gaps(assessment, world: World) -> None:
    save(assessment, "EW-03", world.alice, values={"overstromingsrisico": True})
    result = insight(assessment)
    assert [r.item.code for r in result.risks] == ["EW-03"]
    assert "EW-03" not in {gap.item.code for gap in result.gaps}


def test_gaps_rank_lowest_level_and_confidential_first(assessment, world: World) -> None:
    save(assessment, "CY-03", world.alice, values={"maturity": "2"})
    save(assessment, "CY-01", world.alice, values={"maturity": "0"})
    codes = [gap.item.code for gap in insight(assessment).gaps]
    # Unanswered (−1) first, confidential ones (war casualty capacity) at the top of those.
    assert codes[0] == "ZC-01"
    assert codes.index("CY-01") < codes.index("CY-03")


def test_gap_page_and_api_are_for_the_organisation_and_coordinator_only(
    assessment, world: World
) -> None:
    from .test_api import api, token_for

    url = reverse("insights:gaps", args=[assessment.pk])
    for person, status in (
        (world.alice, 200),
        (world.coordinator, 200),
        (world.bob, 404),
        (world.charlie, 404),
        (world.reader, 404),
        (world.outsider, 404),
    ):
        client = Client()
        client.force_login(person)
        assert client.get(url).status_code == status, person
    data = api(token_for("alice@alfa.test")).get(f"/api/v1/assessments/{assessment.pk}/gaps").json()
    assert (data["overall"], len(data["gaps"]), len(data["themes"])) == (0, 69, 9)
    assert (
        api(token_for("bob@alfa.test")).get(f"/api/v1/assessments/{assessment.pk}/gaps").status_code
        == 404
    )
