"""Stored theme tallies stay equal to the answers, whatever path changes them."""

from __future__ import annotations

from weerbaar.assessments.answering import answer_save
from weerbaar.assessments.models import Assessment
from weerbaar.frameworks.models import Item
from weerbaar.insights.synth import synthesise
from weerbaar.organisations.models import Organisation, Sector
from weerbaar.scoring.models import ThemeTally
from weerbaar.scoring.themes import live_sums, scored_items, stored_sums

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


def test_a_sector_change_in_the_admin_tallies_again(world: World) -> None:
    """The coordinator changes an organisation's sector in /beheer/: other items apply."""
    from django.test import Client
    from django.urls import reverse

    from .test_admin import loaded_state

    assessment = open_round(world).assessments.get()
    save(assessment, "ZC-01", world.alice, values={"maturity": "4"})  # hospitals only
    assert ThemeTally.objects.filter(assessment=assessment, section__code="ZC").exists()
    client = Client()
    client.force_login(world.coordinator)
    url = reverse("admin:organisations_organisation_change", args=[world.own.pk])
    response = client.post(
        url,
        {
            "name": world.own.name,
            "sector": Sector.VVT,
            "region": world.own.region_id,
            "is_active": "on",
            "kvk_number": "",
            "locations-TOTAL_FORMS": "0",
            "locations-INITIAL_FORMS": "0",
            "loaded_state": loaded_state(client, url),
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    assert Organisation.objects.get(pk=world.own.pk).sector == Sector.VVT
    assert not ThemeTally.objects.filter(assessment=assessment, section__code="ZC").exists()
    same([assessment])


def test_bulk_synthetic_data_is_tallied(world: World) -> None:
    result = synthesise(organisations=12, rounds=2, region_code="tally", first_year=2025)
    same(list(Assessment.objects.filter(round__region=result.region)))


def test_an_import_tallies_once_at_the_end_and_not_after_an_error(world: World) -> None:
    """An Excel import saves many answers: no tally per answer, one at the end; an import
    that fails leaves the tallies as they were."""
    from unittest import mock

    import pytest

    from weerbaar.assessments import excel
    from weerbaar.assessments.answering import AnswerConflict

    assessment = open_round(world).assessments.get()
    items = Item.objects.filter(section__framework__slug="kader-weerbare-zorg")
    changes = [
        excel.Change("CY-01", 0, {"values": {"maturity": "4"}}, []),
        excel.Change("CY-04", 0, {"values": {"maturity": "2"}}, []),
    ]
    with (
        mock.patch.object(excel, "tally_refresh", wraps=excel.tally_refresh) as refresh,
        mock.patch("weerbaar.assessments.answering.tally_apply") as apply,
    ):
        assert excel.apply_import(assessment, items, changes, world.alice) == 2
    assert apply.call_count == 0 and refresh.call_count == 1
    same([assessment])
    before = stored_sums(Assessment.objects.filter(pk=assessment.pk))
    stale = [
        excel.Change("CY-03", 0, {"values": {"maturity": "3"}}, []),
        excel.Change("CY-01", 0, {"values": {"maturity": "1"}}, []),  # version 1 by now
    ]
    with pytest.raises(AnswerConflict):
        excel.apply_import(assessment, items, stale, world.alice)
    assert stored_sums(Assessment.objects.filter(pk=assessment.pk)) == before
    same([assessment])


def test_a_prefilled_round_is_tallied(world: World) -> None:
    import datetime

    from django.utils import timezone

    from weerbaar.assessments.models import AssessmentState
    from weerbaar.assessments.rounds import round_open
    from weerbaar.frameworks.export import get_framework

    first = open_round(world, world.own, world.other, title="Uitvraag 2025")
    for assessment in first.assessments.all():
        save(assessment, "CY-01", world.alice, values={"maturity": "3"})
        save(assessment, "UV-02", world.alice, not_applicable=True, na_reason="Geen eigen water")
    first.assessments.update(state=AssessmentState.FINAL, finalised_at=timezone.now())
    second = round_open(
        region=world.own.region,
        framework=get_framework("kader-weerbare-zorg"),
        organisations=[world.own, world.other],
        title="Uitvraag 2026",
        opens_on=datetime.date(2026, 11, 24),
        deadline=datetime.date(2027, 1, 31),
        prefill=True,
        by=world.coordinator,
    )
    assessments = list(second.assessments.all())
    assert all(a.answers.count() >= 1 for a in assessments)
    same(assessments)
    assert ThemeTally.objects.filter(assessment__in=assessments, section__code="CY").count() == 2
