"""Stored theme tallies stay equal to the answers, whatever path changes them."""

from __future__ import annotations

from weerbaar.assessments.answering import answer_save
from weerbaar.assessments.models import Assessment
from weerbaar.frameworks.models import Item
from weerbaar.insights.models import ThemeTally
from weerbaar.insights.scoring import live_sums, scored_items, stored_sums
from weerbaar.insights.synth import synthesise
from weerbaar.organisations.models import Organisation, Sector

from .conftest import World
from .factories import open_round


def same(assessments) -> None:
    assessments = Assessment.objects.filter(pk__in=[a.pk for a in assessments])
    first = assessments.select_related("round__framework").first()
    items = scored_items(first.round.framework)
    sectors = dict(assessments.values_list("pk", "organisation__sector"))
    live = {k: v for k, v in live_sums(assessments, items, sectors).items() if v != (0, 0)}
    assert stored_sums(assessments) == live
    public = {
        k: v for k, v in live_sums(assessments, items.public(), sectors).items() if v != (0, 0)
    }
    assert stored_sums(assessments, public=True) == public


def save(assessment, code, by, version=0, **data) -> None:
    item = Item.objects.get(section__framework__slug="kader-weerbare-zorg", code=code)
    answer_save(assessment=assessment, item=item, data=data, expected_version=version, by=by)


def test_every_kind_of_answer_change_is_tallied(world: World) -> None:
    assessment = open_round(world).assessments.get()
    assert not ThemeTally.objects.filter(assessment=assessment).exists()
    save(assessment, "CY-01", world.alice, values={"maturity": "4"})
    save(assessment, "CY-03", world.alice, values={"maturity": "unknown"})
    save(assessment, "CY-04", world.alice, not_applicable=True, na_reason="Geen eigen IT")
    save(assessment, "ZC-01", world.alice, values={"maturity": "2"})
    same([assessment])
    cyber = ThemeTally.objects.get(assessment=assessment, section__code="CY")
    assert (cyber.levels, cyber.not_applicable) == (4, 1)
    capacity = ThemeTally.objects.get(assessment=assessment, section__code="ZC")
    assert (capacity.levels, capacity.public_levels) == (2, 0)  # ZC-01 is confidential
    save(assessment, "CY-01", world.alice, version=1, values={"maturity": "1"})
    save(assessment, "CY-04", world.alice, version=1, values={"maturity": "3"})
    same([assessment])
    cyber = ThemeTally.objects.get(assessment=assessment, section__code="CY")
    assert (cyber.levels, cyber.not_applicable) == (4, 0)


def test_a_sector_change_tallies_again(world: World) -> None:
    assessment = open_round(world).assessments.get()
    save(assessment, "ZC-01", world.alice, values={"maturity": "4"})  # hospitals only
    assert ThemeTally.objects.filter(assessment=assessment, section__code="ZC").exists()
    organisation = Organisation.objects.get(pk=world.own.pk)
    organisation.sector = Sector.VVT
    organisation.save()
    assert not ThemeTally.objects.filter(assessment=assessment, section__code="ZC").exists()
    same([assessment])


def test_bulk_synthetic_data_is_tallied(world: World) -> None:
    result = synthesise(organisations=12, rounds=2, region_code="tally", first_year=2025)
    same(list(Assessment.objects.filter(round__region=result.region)))
