"""Opening a round in the browser form: sectors and/or organisations, dates, pre-fill."""

from __future__ import annotations

from django.test import Client
from django.urls import reverse

from weerbaar.assessments.models import Assessment, Round
from weerbaar.audit.models import AuditEvent
from weerbaar.frameworks.export import get_framework

from .conftest import World


def form_data(**extra: object) -> dict[str, object]:
    data: dict[str, object] = {
        "title": "Uitvraag 2027",
        "framework": get_framework("kader-weerbare-zorg").pk,
        "opens_on": "2027-01-10",
        "deadline": "2027-03-01",
        "introduction": "Graag voor 1 maart.",
    }
    data.update(extra)
    return data


def test_coordinator_opens_a_round_for_a_sector(world: World) -> None:
    client = Client()
    client.force_login(world.coordinator)
    response = client.post(reverse("assessments:round_create"), form_data(sectors=["vvt"]))
    assert response.status_code == 302
    round_ = Round.objects.get()
    assert [a.organisation.name for a in round_.assessments.all()] == ["Verpleeghuis Beta"]
    assert AuditEvent.objects.get(action="round.open").new["organisations"] == ["Verpleeghuis Beta"]
    page = client.get(response["Location"]).content.decode()
    assert "Verpleeghuis Beta" in page


def test_round_form_refuses_bad_input_and_saves_nothing(world: World) -> None:
    client = Client()
    client.force_login(world.coordinator)
    response = client.post(
        reverse("assessments:round_create"),
        form_data(deadline="2026-12-01", organisations=[world.own.pk]),
    )
    assert response.status_code == 400
    assert "De deadline ligt vóór de openingsdatum." in response.content.decode()
    response = client.post(reverse("assessments:round_create"), form_data())
    assert "Kies ten minste één sector of organisatie." in response.content.decode()
    # An organisation of another region cannot be smuggled in.
    response = client.post(
        reverse("assessments:round_create"), form_data(organisations=[world.foreign.pk])
    )
    assert response.status_code == 400
    assert not Round.objects.exists()
    assert not Assessment.objects.exists()


def test_only_coordinators_open_rounds(world: World) -> None:
    for user in (world.alice, world.reader, world.bob):
        client = Client()
        client.force_login(user)
        assert (
            client.post(reverse("assessments:round_create"), form_data(sectors=["vvt"])).status_code
            == 403
        )
    assert not Round.objects.exists()


def test_preparation_checklists_run_as_a_round(world: World) -> None:
    from weerbaar.assessments.routing import items_of

    client = Client()
    client.force_login(world.coordinator)
    zib = get_framework("zorgcontinuiteit-in-balans")
    client.post(
        reverse("assessments:round_create"),
        form_data(title="Preparatie 2027", framework=zib.pk, organisations=[world.other.pk]),
    )
    assessment = Assessment.objects.get(round__framework=zib)
    codes = list(items_of(assessment).values_list("code", flat=True))
    assert len(codes) == 37
    assert codes[0] == "D1-P01"


def test_round_form_proposes_dates_a_browser_date_field_can_show(world: World) -> None:
    client = Client()
    client.force_login(world.coordinator)
    page = client.get(reverse("assessments:round_create")).content.decode()
    from django.utils import timezone

    assert f'type="date" name="opens_on" value="{timezone.localdate():%Y-%m-%d}"' in page
