"""SQLite runs in WAL mode with immediate transactions (PostgreSQL needs neither)."""

from __future__ import annotations

import threading

import pytest
from django.db import connection, connections, transaction

from weerbaar.organisations.models import Region

sqlite_only = pytest.mark.skipif(
    connection.vendor != "sqlite", reason="SQLite-specific settings; this run uses PostgreSQL"
)


@sqlite_only
@pytest.mark.django_db
def test_sqlite_uses_wal_and_immediate_transactions() -> None:
    with connection.cursor() as cursor:
        cursor.execute("PRAGMA journal_mode")
        mode = cursor.fetchone()[0]
        cursor.execute("PRAGMA foreign_keys")
        foreign_keys = cursor.fetchone()[0]
    assert mode == "wal"
    assert foreign_keys == 1
    assert connection.settings_dict["OPTIONS"]["transaction_mode"] == "IMMEDIATE"


@sqlite_only
def test_sqlite_file_database_is_in_wal_mode(tmp_path) -> None:
    import sqlite3

    from django.conf import settings

    init = settings.DATABASES["default"]["OPTIONS"]["init_command"]
    db = sqlite3.connect(tmp_path / "x.sqlite3")
    db.executescript(init)
    assert db.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    db.close()


@pytest.mark.django_db(transaction=True)
def test_concurrent_writers_wait_instead_of_failing() -> None:
    """Two threads writing at once both succeed (no "database is locked")."""
    errors: list[BaseException] = []
    barrier = threading.Barrier(2)

    def write(code: str) -> None:
        try:
            barrier.wait(timeout=10)
            for n in range(20):
                with transaction.atomic():
                    # Read first, then write: with deferred transactions SQLite cannot
                    # upgrade the read lock and fails at once with "database is locked".
                    existing = Region.objects.count()
                    Region.objects.create(name=f"Regio {code}{n} ({existing})", code=f"{code}{n}")
        except BaseException as exc:
            errors.append(exc)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=write, args=(code,)) for code in ("a", "b")]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    assert Region.objects.filter(code__regex=r"^[ab][0-9]+$").count() == 40
