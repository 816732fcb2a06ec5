"""The hot path's statements (``weerbaar.prepared``) and database backends give what the ORM
and Django's own backends give."""

from __future__ import annotations

import datetime
import threading
from decimal import Decimal

import pytest
from django.db import connection, connections, transaction
from django.utils import timezone

from weerbaar import prepared
from weerbaar.assessments.answering import answer_save
from weerbaar.assessments.models import Answer, AnswerRevision
from weerbaar.frameworks.models import Item
from weerbaar.organisations.models import Region
from weerbaar.prepared import Select, field_names, instance

from .conftest import World
from .factories import open_round

ANSWER = Select(
    lambda assessment, code: (
        Answer.objects.filter(assessment_id=assessment, item__code=code)
        .order_by()
        .values_list(*field_names(Answer), "values__number", "revisions__new")
    ),
    assessment=int,
    code=str,
)


def test_a_prepared_select_returns_what_the_orm_returns(world: World) -> None:
    """Dates, times, booleans, decimals and JSON come back converted, as the ORM reads them,
    and the statement runs again with other values."""
    assessment = open_round(world).assessments.get()
    item = Item.objects.get(section__framework=assessment.round.framework, code="UV-01")
    answer_save(
        assessment=assessment,
        item=item,
        data={
            "values": {"noodstroom_uren": "72,5"},
            "evidence_date": "2026-10-01",
            "not_applicable": False,
        },
        expected_version=0,
        by=world.alice,
    )
    orm = list(
        Answer.objects.filter(assessment=assessment, item__code="UV-01")
        .order_by()
        .values_list(*field_names(Answer), "values__number", "revisions__new")
    )
    rows = ANSWER.rows(assessment=assessment.pk, code="UV-01")
    assert rows == orm
    answer = instance(Answer, field_names(Answer), rows[0][: len(field_names(Answer))])
    assert answer.evidence_date == datetime.date(2026, 10, 1)
    assert timezone.is_aware(answer.updated_at)
    assert answer.not_applicable is False
    assert Decimal("72.5") in {row[-2] for row in rows}
    assert ANSWER.rows(assessment=assessment.pk, code="CY-01") == []


def test_a_prepared_select_refuses_annotations() -> None:
    from django.db.models import Value

    statement = Select(lambda pk: Region.objects.filter(pk=pk).values_list(Value(1)), pk=int)
    with pytest.raises(ValueError, match="plain fields only"):
        statement.rows(pk=1)


def test_prepared_writes_convert_as_save_does(world: World) -> None:
    region = Region.objects.create(name="Regio Noord", code="noord", min_group_size=5)
    changed = prepared.update(Region, where={"pk": region.pk}, values={"name": "Regio Noord 2"})
    added = prepared.update(Region, where={"pk": region.pk}, add={"min_group_size": 2})
    missing = prepared.update(Region, where={"pk": region.pk + 1000}, values={"name": "x"})
    region.refresh_from_db()
    assert (changed, added, missing) == (1, 1, 0)
    assert (region.name, region.min_group_size) == ("Regio Noord 2", 7)
    assessment = open_round(world).assessments.get()
    item = Item.objects.get(section__framework=assessment.round.framework, code="CY-01")
    answer_save(assessment=assessment, item=item, data={}, expected_version=0, by=world.alice)
    answer = Answer.objects.get(assessment=assessment)
    at = timezone.now()
    prepared.insert(
        AnswerRevision,
        answer_id=answer.pk,
        version=7,
        at=at,
        by_id=None,
        source="api",
        old=None,
        new={"values": {"maturity": "3"}, "explanation": 'ÿ "quoted"'},
    )
    revision = AnswerRevision.objects.get(answer=answer, version=7)
    assert (revision.at, revision.old, revision.new["explanation"]) == (at, None, 'ÿ "quoted"')


sqlite_only = pytest.mark.skipif(
    connection.vendor != "sqlite", reason="SQLite's write queue; this run uses PostgreSQL"
)
postgresql_only = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="PostgreSQL's health check; this run uses SQLite"
)


@sqlite_only
@pytest.mark.django_db(transaction=True)
def test_sqlite_writers_queue_and_each_releases_the_queue() -> None:
    """Writers of several threads take turns (none waits for SQLite's busy polling); one that
    fails and one that rolls back let the next one in."""
    done: list[str] = []
    errors: list[BaseException] = []

    def write(code: str) -> None:
        try:
            for n in range(25):
                with transaction.atomic():
                    Region.objects.create(name=f"Regio {code}{n}", code=f"{code}{n}")
            try:
                with transaction.atomic():
                    Region.objects.create(name="dubbel", code=f"{code}0")  # already there
            except Exception:
                done.append(f"{code} refused")
            with transaction.atomic():
                Region.objects.create(name=f"Regio {code} teruggedraaid", code=f"{code}-x")
                transaction.set_rollback(True)
            done.append(code)
        except BaseException as exc:  # collected, asserted below
            errors.append(exc)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=write, args=(c,)) for c in "abcd"]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert errors == []
    assert sorted(done) == ["a", "a refused", "b", "b refused", "c", "c refused", "d", "d refused"]
    assert Region.objects.filter(name__startswith="Regio ").count() == 100


@postgresql_only
@pytest.mark.django_db(transaction=True)
def test_a_connection_the_server_ended_is_replaced_before_it_fails_a_request() -> None:
    from django.db import close_old_connections

    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_backend_pid()")
        pid = cursor.fetchone()[0]
    assert connection.is_usable()
    other = connections.create_connection("default")
    with other.cursor() as cursor:
        cursor.execute("SELECT pg_terminate_backend(%s)", [pid])
    other.close()
    for _ in range(50):  # the server's goodbye reaches the socket
        if not connection.is_usable():
            break
        threading.Event().wait(0.05)
    assert not connection.is_usable()
    close_old_connections()  # what Django does when a request starts
    connection.close_if_health_check_failed()
    assert Region.objects.count() >= 0  # a new connection, no error
