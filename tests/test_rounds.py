"""Opening a round in the browser form: sectors and/or organisations, dates, pre-fill."""

from __future__ import annotations

import datetime

import pytest
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


# --- Opening in the background -----------------------------------------------------------


def finalised_round(world: World) -> Round:
    """Last year's round for both organisations, answered and established."""
    from weerbaar.assessments import workflow
    from weerbaar.assessments.answering import answer_save
    from weerbaar.assessments.routing import items_for_user

    from .factories import open_round

    last = open_round(world, world.own, world.other, title="Uitvraag 2026")
    for assessment in last.assessments.all():
        for n, item in enumerate(items_for_user(assessment, world.coordinator)[:20]):
            data = (
                {"not_applicable": True, "na_reason": "Geen eigen SEH"}
                if n == 3
                else {"values": {"maturity": str(n % 5)}, "explanation": f"vorig jaar {n}"}
            )
            if not any(part.type == "maturity" for part in item.parts.all()):
                data = {"not_applicable": True, "na_reason": "Niet voor ons"}
            answer_save(
                assessment=assessment,
                item=item,
                data=data,
                expected_version=0,
                by=world.coordinator,
            )
        admin = world.alice if assessment.organisation_id == world.own.pk else world.charlie
        workflow.assessment_submit(assessment=assessment, by=admin)
        for step in (workflow.assessment_approve, workflow.assessment_finalise):
            step(assessment=assessment, by=world.coordinator)
    return last


def answers_of(round_: Round) -> dict[tuple[str, str], dict[str, object]]:
    from weerbaar.assessments.answering import snapshot
    from weerbaar.assessments.models import Answer

    return {
        (answer.assessment.organisation.name, answer.item.code): {
            "answer": snapshot(answer, answer.item),
            "carried_over": answer.carried_over,
            "version": answer.version,
            "revision": answer.revisions.get().new,
        }
        for answer in Answer.objects.filter(assessment__round=round_)
        .select_related("assessment__organisation", "item")
        .prefetch_related("values__part", "item__parts")
    }


def test_a_large_round_opens_in_the_background_with_progress(world: World, settings) -> None:
    from weerbaar.assessments.models import RoundOpening
    from weerbaar.assessments.rounds import round_opening_run

    settings.ROUND_INLINE_LIMIT = 1
    client = Client()
    client.force_login(world.coordinator)
    response = client.post(
        reverse("assessments:round_create"),
        form_data(organisations=[world.own.pk, world.other.pk], prefill="on"),
    )
    opening = RoundOpening.objects.get()
    assert response["Location"] == reverse("assessments:round_opening", args=[opening.pk])
    page = client.get(response["Location"])
    assert (opening.status, opening.total, opening.done) == ("wacht", 2, 0)
    assert b'hx-trigger="every 2s"' in page.content
    assert "0 van 2 organisaties (0%)" in page.content.decode()
    assert not Round.objects.exists()  # nothing to see until the worker has run
    round_opening_run(opening.pk)  # what `weerbaar worker` runs
    opening.refresh_from_db()
    assert (opening.status, opening.done) == ("klaar", 2)
    partial = client.get(response["Location"], HTTP_HX_REQUEST="true").content.decode()
    assert "hx-trigger" not in partial
    assert reverse("assessments:round", args=[opening.round.pk]) in partial
    assert sorted(a.organisation.name for a in Round.objects.get().assessments.all()) == [
        "Verpleeghuis Beta",
        "Ziekenhuis Alfa",
    ]
    assert AuditEvent.objects.get(action="round.open").new["organisations"] == [
        "Verpleeghuis Beta",
        "Ziekenhuis Alfa",
    ]


def test_background_and_inline_prefill_write_the_same_rows(world: World) -> None:
    from weerbaar.assessments import rounds

    finalised_round(world)
    choices = {
        "region": world.own.region,
        "framework": get_framework("kader-weerbare-zorg"),
        "organisations": [world.own, world.other],
        "opens_on": datetime.date(2027, 1, 1),
        "deadline": datetime.date(2027, 3, 1),
        "prefill": True,
        "by": world.coordinator,
    }
    inline = rounds.round_open(title="Inline", **choices)
    opening = rounds.round_opening_request(title="Achtergrond", **choices)
    rounds.round_opening_run(opening.pk)
    opening.refresh_from_db()
    carried = answers_of(inline)
    assert len(carried) == 40
    assert answers_of(opening.round) == carried
    assert all(row["carried_over"] and row["version"] == 1 for row in carried.values())


def test_a_failed_opening_leaves_nothing_behind_and_can_be_retried(
    world: World, monkeypatch
) -> None:
    """A part that fails (here: the database refusing the second part) undoes the parts
    before it: no round, no self-assessments, no answers; the reason is shown."""
    import pytest

    from weerbaar.assessments import rounds
    from weerbaar.assessments.models import Answer, RoundOpening

    finalised_round(world)
    monkeypatch.setattr(rounds, "PART", 1)
    opening = rounds.round_opening_request(
        region=world.own.region,
        framework=get_framework("kader-weerbare-zorg"),
        organisations=[world.own, world.other],
        title="Uitvraag 2027",
        opens_on=datetime.date(2027, 1, 1),
        deadline=datetime.date(2027, 3, 1),
        prefill=True,
        by=world.coordinator,
    )
    real_part = rounds.open_part
    parts: list[int] = []

    def failing_second_part(round_, organisations, *, prefill):
        parts.append(len(organisations))
        if len(parts) == 2:
            raise RuntimeError("schijf vol")
        real_part(round_, organisations, prefill=prefill)

    monkeypatch.setattr(rounds, "open_part", failing_second_part)
    with pytest.raises(RuntimeError):
        rounds.round_opening_run(opening.pk)
    opening.refresh_from_db()
    assert (opening.status, opening.error, opening.round) == (
        "mislukt",
        "RuntimeError: schijf vol",
        None,
    )
    assert Round.all_objects.filter(title="Uitvraag 2027").count() == 0
    assert Assessment.all_objects.filter(round__title="Uitvraag 2027").count() == 0
    assert Answer.objects.filter(assessment__round__title="Uitvraag 2027").count() == 0
    client = Client()
    client.force_login(world.coordinator)
    page = client.get(reverse("assessments:round_opening", args=[opening.pk])).content.decode()
    assert "Het openen is mislukt. Er is niets van de uitvraag achtergebleven." in page
    monkeypatch.setattr(rounds, "open_part", real_part)
    client.post(reverse("assessments:round_opening_retry", args=[opening.pk]))
    opening.refresh_from_db()
    assert opening.status == RoundOpening.Status.QUEUED
    rounds.round_opening_run(opening.pk)
    opening.refresh_from_db()
    assert (opening.status, opening.round.assessments.count()) == ("klaar", 2)


def test_an_opening_whose_worker_stopped_is_undone(world: World) -> None:
    import datetime

    from django.utils import timezone

    from weerbaar.assessments import rounds
    from weerbaar.assessments.models import RoundOpening, RoundState

    opening = rounds.round_opening_request(
        region=world.own.region,
        framework=get_framework("kader-weerbare-zorg"),
        organisations=[world.own],
        title="Uitvraag 2027",
        opens_on=datetime.date(2027, 1, 1),
        deadline=datetime.date(2027, 3, 1),
        by=world.coordinator,
    )
    # The worker created the round and wrote a part, then died.
    half = Round.all_objects.create(
        region=world.own.region,
        framework=get_framework("kader-weerbare-zorg"),
        title="Uitvraag 2027",
        opens_on=datetime.date(2027, 1, 1),
        deadline=datetime.date(2027, 3, 1),
        state=RoundState.OPENING,
    )
    rounds.open_part(half, [world.own], prefill=False)
    RoundOpening.objects.filter(pk=opening.pk).update(
        status="bezig",
        round=half,
        done=1,
        heartbeat_at=timezone.now() - datetime.timedelta(hours=1),
    )
    assert rounds.fail_stale_openings() == 1
    opening.refresh_from_db()
    assert opening.status == "mislukt"
    assert opening.error == "De achtergrondtaak is gestopt voordat de uitvraag open was."
    assert not Round.all_objects.filter(pk=half.pk).exists()


def test_nobody_sees_a_round_while_it_opens(world: World) -> None:
    """Every page and API answer, for every kind of user: no trace of a round being opened."""
    import datetime

    from weerbaar.assessments import rounds
    from weerbaar.assessments.models import RoundState

    from .test_authorization_matrix import MATRIX, ROLES, client_for, kwargs_for

    half = Round.all_objects.create(
        region=world.own.region,
        framework=get_framework("kader-weerbare-zorg"),
        title="Geheime halve uitvraag",
        opens_on=datetime.date(2026, 1, 1),
        deadline=datetime.date(2027, 3, 1),
        state=RoundState.OPENING,
    )
    rounds.open_part(half, [world.own, world.other], prefill=False)
    hidden = Assessment.all_objects.get(round=half, organisation=world.own)
    leaks = []
    for role in ROLES:
        client = client_for(role, world)
        for url in (
            reverse("assessments:round", args=[half.pk]),
            reverse("assessments:detail", args=[hidden.pk]),
            f"/api/v1/assessments/{hidden.pk}",
            f"/api/v1/assessments/{hidden.pk}/answers",
        ):
            if client.get(url).status_code not in (302, 401, 404):
                leaks.append(f"{role} {url}")
        for name in MATRIX:
            if name.startswith(("account_", "mfa_", "api:openapi")):
                continue
            response = client.get(reverse(name, kwargs=kwargs_for(name, world)))
            body = response.content.decode(errors="replace") if response.status_code == 200 else ""
            if "Geheime halve uitvraag" in body:
                leaks.append(f"{role} {name}")
        listed = client.get("/api/v1/assessments")
        if listed.status_code == 200 and hidden.pk in {a["id"] for a in listed.json()}:
            leaks.append(f"{role} api:assessment_list")
    assert leaks == []


def planner_forget(table: str) -> None:
    """Drop what the query planner knows about ``table`` (statistics outlive a test's rows)."""
    from django.db import connection

    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("SELECT pg_stat_reset_single_table_counters(%s::regclass)", [table])
            return
        cursor.execute("SELECT count(*) FROM sqlite_master WHERE name = 'sqlite_stat1'")
        if cursor.fetchone()[0]:
            cursor.execute("DELETE FROM sqlite_stat1 WHERE tbl = %s", [table])


def planner_knows(table: str) -> bool:
    """Whether the database's query planner has statistics for ``table``."""
    from django.db import connection

    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("SELECT pg_stat_clear_snapshot()")
            cursor.execute(
                "SELECT last_analyze IS NOT NULL FROM pg_stat_user_tables WHERE relname = %s",
                [table],
            )
            row = cursor.fetchone()
            return bool(row and row[0])
        cursor.execute("SELECT count(*) FROM sqlite_master WHERE name = 'sqlite_stat1'")
        if not cursor.fetchone()[0]:
            return False
        cursor.execute("SELECT count(*) FROM sqlite_stat1 WHERE tbl = %s", [table])
        return bool(cursor.fetchone()[0])


@pytest.mark.django_db(transaction=True)
def test_a_background_opening_refreshes_the_planner_statistics(world: World) -> None:
    """Without fresh statistics, PostgreSQL plans the first regional overview after opening a
    country-wide round as if the tables were empty (seconds instead of a fraction)."""
    from django.core.management import call_command

    from weerbaar.assessments.rounds import round_opening_request, round_opening_run

    call_command("framework", "load", verbosity=0)  # an earlier transactional test flushed it

    # The opening creates assessments (answers only when carried over; SQLite keeps no
    # statistics for an empty table), so the assessment table is the one to watch.
    planner_forget("assessments_assessment")
    assert not planner_knows("assessments_assessment")
    opening = round_opening_request(
        region=world.own.region,
        framework=get_framework("kader-weerbare-zorg"),
        organisations=[world.own, world.other],
        title="Uitvraag 2027",
        opens_on=datetime.date(2027, 1, 10),
        deadline=datetime.date(2027, 3, 1),
        by=world.coordinator,
    )
    round_opening_run(opening.pk)
    assert planner_knows("assessments_assessment")
