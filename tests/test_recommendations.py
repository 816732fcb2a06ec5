"""Regional recommendations: status per actor, history, linked gaps, access."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from weerbaar.assessments.answering import answer_save
from weerbaar.assessments.models import Assessment, AssessmentState
from weerbaar.audit.models import AuditEvent
from weerbaar.frameworks.models import Item
from weerbaar.recommendations.models import RecommendationStatus
from weerbaar.recommendations.status import (
    StaleRecommendation,
    UnknownCodes,
    overview,
    recommendation_set,
)

from .conftest import World
from .factories import OrganisationFactory, open_round


def advice(number: int) -> Item:
    return Item.objects.get(section__framework__slug="zorgrisicoprofiel-adviezen", number=number)


def test_the_coordinator_sets_a_status_with_history_and_audit(world: World) -> None:
    item = advice(2)
    role = item.responsible_links.first().role
    client = Client()
    client.force_login(world.coordinator)
    url = reverse(
        "recommendations:recommendation_edit", args=[world.own.region_id, item.pk, role.key]
    )
    response = client.post(
        url,
        {"state": "bezig", "owner": "Netwerkbureau", "linked_codes": "uv-01, CY-03", "version": 0},
    )
    assert response.status_code == 302
    status = RecommendationStatus.objects.get()
    assert (status.state, status.linked_codes) == ("bezig", "UV-01, CY-03")
    client.post(url, {"state": "gerealiseerd", "linked_codes": "UV-01", "version": 1})
    status.refresh_from_db()
    assert status.state == "gerealiseerd"
    assert [u.state for u in status.updates.order_by("pk")] == ["bezig", "gerealiseerd"]
    assert AuditEvent.objects.filter(action="recommendation.update").exists()
    stale = client.post(url, {"state": "niet_gestart", "version": 1})
    assert stale.status_code == 302
    status.refresh_from_db()
    assert status.state == "gerealiseerd"
    page = client.get(reverse("recommendations:recommendations", args=[world.own.region_id]))
    assert "Gerealiseerd" in page.content.decode()


def test_unknown_question_codes_are_refused(world: World) -> None:
    item = advice(2)
    role = item.responsible_links.first().role
    with pytest.raises(UnknownCodes):
        recommendation_set(
            region=world.own.region,
            item=item,
            role=role,
            by=world.coordinator,
            state="bezig",
            linked_codes="XX-99",
        )
    client = Client()
    client.force_login(world.coordinator)
    url = reverse(
        "recommendations:recommendation_edit", args=[world.own.region_id, item.pk, role.key]
    )
    response = client.post(url, {"state": "bezig", "linked_codes": "XX-99", "version": 0})
    assert response.status_code == 400
    assert "Onbekende vraagcodes: XX-99" in response.content.decode()
    assert not RecommendationStatus.objects.exists()
    recommendation_set(
        region=world.own.region, item=item, role=role, by=world.coordinator, state="bezig"
    )
    with pytest.raises(StaleRecommendation):
        recommendation_set(
            region=world.own.region,
            item=item,
            role=role,
            by=world.coordinator,
            state="nvt",
            expected_version=0,
        )


def test_linked_gaps_are_counted_in_the_latest_round(world: World) -> None:
    orgs = [world.own, world.other] + [
        OrganisationFactory(region=world.own.region, name=f"Zorg {n}") for n in range(3)
    ]
    round_ = open_round(world, *orgs)
    cy03 = Item.objects.get(section__framework__slug="kader-weerbare-zorg", code="CY-03")
    for index, a in enumerate(round_.assessments.all()):
        answer_save(
            assessment=a,
            item=cy03,
            data={"values": {"maturity": "1" if index < 3 else "4"}},
            expected_version=0,
            by=world.coordinator,
        )
    Assessment.objects.filter(round=round_).update(state=AssessmentState.SUBMITTED)
    item = advice(2)
    role = item.responsible_links.first().role
    recommendation_set(
        region=world.own.region,
        item=item,
        role=role,
        by=world.coordinator,
        state="bezig",
        linked_codes="CY-03",
    )
    entry = next(e for e in overview(world.coordinator, world.own.region).advice if e.item == item)
    assert entry.linked == [("CY-03", 3)]
    reader = next(e for e in overview(world.reader, world.own.region).advice if e.item == item)
    assert reader.linked == [("CY-03", 3)]  # four hidden organisations: shown


def test_readers_see_but_cannot_change(world: World) -> None:
    item = advice(2)
    role = item.responsible_links.first().role
    client = Client()
    client.force_login(world.reader)
    assert (
        client.get(
            reverse("recommendations:recommendations", args=[world.own.region_id])
        ).status_code
        == 200
    )
    url = reverse(
        "recommendations:recommendation_edit", args=[world.own.region_id, item.pk, role.key]
    )
    assert client.post(url, {"state": "bezig", "version": 0}).status_code == 403
    assert not RecommendationStatus.objects.exists()


def test_the_ghor_keeps_the_status_of_the_adviezen_it_owns(world: World) -> None:
    from weerbaar.organisations.models import Membership, Role

    Membership.objects.filter(user=world.reader, role=Role.REGION_READER).update(actor_key="ghor")
    own, other = advice(2), advice(1)  # advies 2: GHOR; advies 1: zorginstellingen
    ghor = own.responsible_links.get().role
    assert ghor.key == "ghor"
    client = Client()
    client.force_login(world.reader)
    page = client.get(reverse("recommendations:recommendations", args=[world.own.region_id]))
    edit_own = reverse(
        "recommendations:recommendation_edit", args=[world.own.region_id, own.pk, "ghor"]
    )
    assert edit_own in page.content.decode()
    response = client.post(edit_own, {"state": "gerealiseerd", "owner": "GHOR", "version": 0})
    assert response.status_code == 302
    status = RecommendationStatus.objects.get(item=own, role=ghor)
    assert (status.state, status.updated_by) == ("gerealiseerd", world.reader)
    theirs = other.responsible_links.first().role
    edit_other = reverse(
        "recommendations:recommendation_edit", args=[world.own.region_id, other.pk, theirs.key]
    )
    assert edit_other not in page.content.decode()
    assert client.post(edit_other, {"state": "bezig", "version": 0}).status_code == 403
    assert not RecommendationStatus.objects.filter(item=other).exists()


def test_a_linked_question_few_organisations_answered_is_not_counted_for_readers(
    world: World,
) -> None:
    homes = [
        OrganisationFactory(region=world.own.region, name=f"Zorghuis {n}", sector="vvt")
        for n in range(3)
    ]
    round_ = open_round(world, world.own, *homes)
    zc01 = Item.objects.get(section__framework__slug="kader-weerbare-zorg", code="ZC-01")
    answer_save(
        assessment=round_.assessments.get(organisation=world.own),
        item=zc01,
        data={"values": {"maturity": "1"}},
        expected_version=0,
        by=world.alice,
    )
    Assessment.objects.filter(round=round_).update(state=AssessmentState.SUBMITTED)
    item = advice(2)
    recommendation_set(
        region=world.own.region,
        item=item,
        role=item.responsible_links.first().role,
        by=world.coordinator,
        state="bezig",
        linked_codes="ZC-01",
    )
    reader = next(e for e in overview(world.reader, world.own.region).advice if e.item == item)
    assert reader.linked == [("ZC-01", None)]  # only the hospital answered it
    coordinator = next(
        e for e in overview(world.coordinator, world.own.region).advice if e.item == item
    )
    assert coordinator.linked == [("ZC-01", 1)]
