"""Sharing with region readers covers what an organisation submitted: never its concept
answers or how they came about."""

from __future__ import annotations

from django.test import Client
from django.urls import reverse

from weerbaar.assessments import workflow
from weerbaar.assessments.answering import answer_save
from weerbaar.assessments.models import Assessment
from weerbaar.frameworks.models import Item
from weerbaar.insights import regional

from .conftest import World
from .factories import open_round


def test_a_reader_sees_a_sharing_organisations_answers_only_once_submitted(world: World) -> None:
    round_ = open_round(world, world.own, world.other)
    beta = round_.assessments.get(organisation=world.other)  # Beta shares with readers
    item = Item.objects.get(section__framework__slug="kader-weerbare-zorg", code="CY-01")
    answer_save(
        assessment=beta,
        item=item,
        data={"values": {"maturity": "1"}},
        expected_version=0,
        by=world.charlie,
    )
    reader = Client()
    reader.force_login(world.reader)
    detail = reverse("assessments:detail", args=[beta.pk])
    assert reader.get(detail).status_code == 404  # a concept: not shared
    assert reader.get(f"/api/v1/assessments/{beta.pk}/answers").status_code == 404
    assert reader.get(reverse("insights:gaps", args=[beta.pk])).status_code == 404
    assert not Assessment.objects.for_user(world.reader).filter(pk=beta.pk).exists()
    heatmap = regional.heatmap(world.reader, world.own.region, round_)
    assert heatmap.rows == [] and heatmap.drafts == 1
    # Its own people and the coordinator see the draft and its history.
    for user in (world.charlie, world.coordinator):
        client = Client()
        client.force_login(user)
        assert "Geschiedenis (1 wijziging)" in client.get(detail).content.decode()

    answer_save(
        assessment=beta,
        item=item,
        data={"values": {"maturity": "3"}},
        expected_version=1,
        by=world.charlie,
    )
    workflow.assessment_submit(assessment=beta, by=world.charlie)
    page = reader.get(detail)
    assert page.status_code == 200
    html = page.content.decode()
    assert "3 · Geregeld" in html  # the submitted answer
    assert "Geschiedenis" not in html and "1 · In ontwikkeling" not in html  # not the draft
    assert [row.name for row in regional.heatmap(world.reader, world.own.region, round_).rows] == [
        "Verpleeghuis Beta"
    ]
