"""What the benchmark scripts share: starting Django on a bench database, and timing."""

from __future__ import annotations

import os
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def start_django(data_dir: str) -> None:
    """Django on ``data_dir`` (SQLite) or ``DATABASE_URL``, migrated, with the frameworks."""
    os.environ.setdefault("WEERBAAR_DATA_DIR", data_dir)
    os.environ.setdefault("WEERBAAR_DEBUG", "0")  # as in production: no query log
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "weerbaar.settings")
    sys.path.insert(0, str(ROOT / "src"))
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    call_command("framework", "load", verbosity=0)


def timed(fn: Callable[[], object], repeat: int) -> float:
    """The median wall time of ``repeat`` calls, in seconds."""
    samples = []
    for _ in range(repeat):
        start = time.perf_counter()
        fn()
        samples.append(time.perf_counter() - start)
    return statistics.median(samples)


RESULTS = ROOT / "bench" / "results.json"


def machine() -> dict[str, object]:
    """What the figures were measured on."""
    import platform
    import sqlite3

    model = ""
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                model = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    memory_gib = 0.0
    try:
        pages = os.sysconf("SC_PHYS_PAGES") * os.sysconf("SC_PAGE_SIZE")
        memory_gib = round(pages / 2**30, 1)
    except (ValueError, OSError):
        pass
    return {
        "cpu": model or platform.processor(),
        "cores": os.cpu_count(),
        "memory_gib": memory_gib,
        "os": platform.platform(),
        "python": platform.python_version(),
        "sqlite": sqlite3.sqlite_version,
    }


def record(database: str, figures: dict[str, object]) -> None:
    """Add ``figures`` measured on ``database`` to ``bench/results.json``: one object with a
    key per figure, each holding its value per database, plus the machine and the date."""
    import datetime
    import json

    try:
        results = json.loads(RESULTS.read_text())
    except (OSError, ValueError):
        results = {}
    results["machine"] = machine()
    results["date"] = datetime.datetime.now(datetime.UTC).isoformat(timespec="seconds")
    databases = set(results.get("databases", [])) | {database}
    results["databases"] = sorted(databases)
    from django.conf import settings

    if database == "postgresql" and settings.configured:  # scenario.py needs no database
        from django.db import connection

        results.setdefault("postgresql_version", connection.cursor().connection.info.server_version)
    for key, value in figures.items():
        per_database = results.get(key) if isinstance(results.get(key), dict) else {}
        per_database[database] = value
        results[key] = per_database
    RESULTS.write_text(json.dumps(results, indent=2, sort_keys=True) + "\n")
