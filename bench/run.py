"""Benchmarks: Weerbaar's code against a raw-SQL baseline measured in the same run.

Run with ``make bench``. Uses a throw-away SQLite database (or ``DATABASE_URL``), builds a
region of 1,000 organisations, and reports each measurement as a ratio to its baseline so
the numbers mean the same on any machine. Exits 1 when a ratio is over its target.
"""

from __future__ import annotations

import sys
import tempfile
import tracemalloc
from collections.abc import Callable

from common import record, start_django
from common import timed as median_time

ORGANISATIONS = 5000  # national scale: a few thousand organisations
REPEAT = 15


def setup() -> None:
    start_django(tempfile.mkdtemp(prefix="weerbaar-bench-"))


def timed(fn: Callable[[], object]) -> float:
    return median_time(fn, REPEAT)


def peak_memory(fn: Callable[[], object]) -> int:
    tracemalloc.start()
    fn()
    _current, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    return peak


def main() -> int:
    setup()
    from django.db import connection

    from weerbaar.accounts.models import User
    from weerbaar.frameworks.export import framework_as_dict, get_framework
    from weerbaar.organisations import access
    from weerbaar.organisations.access import Level
    from weerbaar.organisations.models import Membership, Organisation, Region, Role, Sector

    # The PostgreSQL bench database is kept between runs: start from a fresh region.
    Membership.objects.filter(region__code="bench").delete()
    Organisation.objects.filter(region__code="bench").delete()
    Region.objects.filter(code="bench").delete()
    User.objects.filter(email="reader@bench.test").delete()
    region = Region.objects.create(name="Benchregio", code="bench")
    sectors = list(Sector)
    Organisation.objects.bulk_create(
        Organisation(
            region=region,
            name=f"Organisatie {n:04d}",
            sector=sectors[n % len(sectors)],
            shares_with_region_readers=n % 3 == 0,
        )
        for n in range(ORGANISATIONS)
    )
    reader = User.objects.create_user("reader@bench.test", "x" * 20)
    Membership.objects.create(user=reader, region=region, role=Role.REGION_READER)
    framework = get_framework("kader-weerbare-zorg")

    def export() -> object:
        return framework_as_dict(framework)

    def export_baseline() -> object:
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT s.code, s.title, i.code, i.text, i.explanation, p.key, p.type, p.unit "
                "FROM frameworks_section s JOIN frameworks_item i ON i.section_id = s.id "
                "LEFT JOIN frameworks_answerpart p ON p.item_id = i.id "
                'WHERE s.framework_id = %s ORDER BY s."order", i."order", p."order"',
                [framework.pk],
            )
            return cursor.fetchall()

    def scoped_list() -> object:
        return list(
            access.organisations_for(reader, Level.DETAIL).values_list("pk", "name", "sector")
        )

    def scoped_baseline() -> object:
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT o.id, o.name, o.sector FROM organisations_organisation o "
                "WHERE o.shares_with_region_readers AND o.region_id IN ("
                "SELECT m.region_id FROM organisations_membership m "
                "WHERE m.user_id = %s AND m.role = %s) ORDER BY o.name",
                [reader.pk, Role.REGION_READER.value],
            )
            return cursor.fetchall()

    assert len(scoped_list()) == len(scoped_baseline()) == ORGANISATIONS // 3 + 1
    results = [
        (
            "framework export (69 questions, built once per process) vs raw SQL rows",
            export,
            export_baseline,
            5.0,
        ),
        (
            f"scoped organisation list ({ORGANISATIONS} orgs) vs raw SQL",
            scoped_list,
            scoped_baseline,
            2.0,
        ),
    ]
    failed = False
    figures: dict[str, object] = {}
    print(f"database: {connection.vendor}; median of {REPEAT} runs; ratio = ours / baseline")
    for key, (label, ours, baseline, target) in zip(
        ("framework_export_ratio_raw_sql", "scoped_list_ratio_raw_sql"), results, strict=True
    ):
        ours()
        baseline()  # warm caches for both
        t_ours, t_base = timed(ours), timed(baseline)
        ratio = t_ours / t_base
        memory = peak_memory(ours) / 1024
        figures[key] = round(ratio, 3)
        figures[key.replace("_ratio_raw_sql", "_peak_kib")] = round(memory)
        verdict = "ok" if ratio <= target else "OVER TARGET"
        failed |= ratio > target
        print(
            f"{label}: {ratio:.2f}x (target <= {target}x; {t_ours * 1000:.1f} ms vs "
            f"{t_base * 1000:.1f} ms; peak {memory:.0f} KiB) {verdict}"
        )
    record(connection.vendor, figures)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
