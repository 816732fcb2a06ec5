"""Benchmark of the regional screens on a synthetic country: 3,000 organisations, 10 rounds.

Run with ``make bench`` (SQLite) or with ``DATABASE_URL`` set (PostgreSQL). The synthetic data
(``weerbaar synth``, ~1.7 million answers) is built once and kept: in ``var/bench-regional/``
for SQLite, in the database itself for PostgreSQL. Reports, for the heatmap and the norm
overview of the latest round:

* the server time of the whole page (view + template), target ≤ 300 ms;
* the computation against the raw SQL that computes the same numbers, measured in the same
  run, target ≤ 1.5×. The baseline's numbers are checked to be equal to ours;
* the self-assessment page of one organisation with every question answered, as its admin
  (every question a form) and as the coordinator, target ≤ 300 ms.

Exits 1 when a target is missed.
"""

from __future__ import annotations

import os
import sys
import time
from collections.abc import Callable
from pathlib import Path

from common import record, start_django
from common import timed as median_time

ROOT = Path(__file__).resolve().parents[1]
ORGANISATIONS = int(os.environ.get("BENCH_ORGS", "3000"))
ROUNDS = int(os.environ.get("BENCH_ROUNDS", "10"))
REGION = os.environ.get("BENCH_REGION", "bench-synth")
REPEAT = 9
PAGE_TARGET_MS = 300
REPORT_TARGET_MS = 500  # "well under a second" for one organisation's PDF
RATIO_TARGET = 1.5


def setup() -> None:
    data_dir = ROOT / "var" / "bench-regional"  # the SQLite database, kept between runs
    data_dir.mkdir(parents=True, exist_ok=True)
    start_django(str(data_dir))


def timed(fn: Callable[[], object]) -> float:
    return median_time(fn, REPEAT)


HEATMAP_SQL = """
WITH ass AS (
    SELECT a.id, o.sector FROM assessments_assessment a
    JOIN organisations_organisation o ON o.id = a.organisation_id WHERE a.round_id = %(round)s
),
mi AS (
    SELECT DISTINCT p.item_id, i.section_id FROM frameworks_answerpart p
    JOIN frameworks_item i ON i.id = p.item_id JOIN frameworks_section s ON s.id = i.section_id
    WHERE p.type = 'maturity' AND s.framework_id = %(framework)s
),
applicable AS (
    SELECT sec.sector, mi.section_id, COUNT(*) AS n FROM (SELECT DISTINCT sector FROM ass) sec
    JOIN mi ON NOT EXISTS (SELECT 1 FROM frameworks_itemsector x WHERE x.item_id = mi.item_id)
        OR EXISTS (SELECT 1 FROM frameworks_itemsector x
                   WHERE x.item_id = mi.item_id AND x.sector = sec.sector)
    GROUP BY sec.sector, mi.section_id
),
total AS (
    SELECT a.assessment_id, i.section_id,
        SUM(CASE v.maturity WHEN '1' THEN 1 WHEN '2' THEN 2 WHEN '3' THEN 3 WHEN '4' THEN 4
            ELSE 0 END) AS total
    FROM assessments_answer a JOIN assessments_answervalue v ON v.answer_id = a.id
    JOIN frameworks_item i ON i.id = a.item_id
    WHERE a.assessment_id IN (SELECT id FROM ass) AND NOT a.not_applicable AND v.maturity <> ''
    GROUP BY a.assessment_id, i.section_id
),
skipped AS (
    SELECT a.assessment_id, mi.section_id, COUNT(*) AS n FROM assessments_answer a
    JOIN mi ON mi.item_id = a.item_id
    WHERE a.assessment_id IN (SELECT id FROM ass) AND a.not_applicable
    GROUP BY a.assessment_id, mi.section_id
)
SELECT ass.id, applicable.section_id,
    CASE WHEN applicable.n - COALESCE(skipped.n, 0) > 0
        THEN ROUND(100.0 * COALESCE(total.total, 0) / (4 * (applicable.n - COALESCE(skipped.n, 0))))
    END
FROM ass JOIN applicable ON applicable.sector = ass.sector
LEFT JOIN total ON total.assessment_id = ass.id AND total.section_id = applicable.section_id
LEFT JOIN skipped ON skipped.assessment_id = ass.id AND skipped.section_id = applicable.section_id
"""

# The same scores from the stored tallies (what the heatmap reads): the fair baseline.
TALLY_SQL = (
    HEATMAP_SQL.split("total AS (")[0].rstrip().rstrip(",")
    + """
SELECT ass.id, applicable.section_id,
    CASE WHEN applicable.n - COALESCE(t.not_applicable, 0) > 0
        THEN ROUND(
            100.0 * COALESCE(t.levels, 0) / (4 * (applicable.n - COALESCE(t.not_applicable, 0)))
        )
    END
FROM ass JOIN applicable ON applicable.sector = ass.sector
LEFT JOIN insights_themetally t ON t.assessment_id = ass.id AND t.section_id = applicable.section_id
"""
)

# The medians the heatmap shows (region and every sector, per theme and overall, over the
# submitted self-assessments), from the same tallies, with window functions.
# Constant SQL; the values are bound parameters.
MEDIANS_SQL = (
    HEATMAP_SQL.split("total AS (")[0].rstrip().rstrip(",")  # noqa: S608
    + """,
scores AS (
    SELECT ass.id AS assessment_id, ass.sector, applicable.section_id,
        CASE WHEN applicable.n - COALESCE(t.not_applicable, 0) > 0
            THEN CAST(ROUND(100.0 * COALESCE(t.levels, 0)
                / (4 * (applicable.n - COALESCE(t.not_applicable, 0)))) AS INTEGER)
        END AS score
    FROM ass JOIN applicable ON applicable.sector = ass.sector
    LEFT JOIN insights_themetally t
        ON t.assessment_id = ass.id AND t.section_id = applicable.section_id
    WHERE ass.id IN (SELECT id FROM assessments_assessment WHERE round_id = %(round)s
        AND state IN ('ingediend', 'beoordeeld', 'vastgesteld'))
),
overall AS (
    SELECT assessment_id, sector, (2 * SUM(score) + COUNT(score)) / (2 * COUNT(score)) AS score
    FROM scores WHERE score IS NOT NULL GROUP BY assessment_id, sector
),
cells AS (
    SELECT sector, section_id, score FROM scores WHERE score IS NOT NULL
    UNION ALL SELECT sector, -1, score FROM overall
),
by_region AS (
    SELECT section_id, score,
        ROW_NUMBER() OVER (PARTITION BY section_id ORDER BY score) AS rn,
        COUNT(*) OVER (PARTITION BY section_id) AS n
    FROM cells
),
by_sector AS (
    SELECT sector, section_id, score,
        ROW_NUMBER() OVER (PARTITION BY sector, section_id ORDER BY score) AS rn,
        COUNT(*) OVER (PARTITION BY sector, section_id) AS n
    FROM cells
)
SELECT 'regio', section_id, AVG(score) FROM by_region
WHERE rn IN ((n + 1) / 2, (n + 2) / 2) GROUP BY section_id
UNION ALL
SELECT sector, section_id, AVG(score) FROM by_sector
WHERE rn IN ((n + 1) / 2, (n + 2) / 2) GROUP BY sector, section_id
"""
)

NORMS_SQL = """
WITH v AS (
    SELECT p.norm_key, v.number, a.assessment_id,
        ROW_NUMBER() OVER (PARTITION BY p.norm_key ORDER BY v.number) AS position,
        COUNT(*) OVER (PARTITION BY p.norm_key) AS n
    FROM assessments_answervalue v
    JOIN assessments_answer a ON a.id = v.answer_id
    JOIN assessments_assessment s ON s.id = a.assessment_id
    JOIN frameworks_answerpart p ON p.id = v.part_id
    WHERE s.round_id = %(round)s AND s.state IN ('ingediend', 'beoordeeld', 'vastgesteld')
      AND p.norm_key <> '' AND NOT a.not_applicable AND v.number IS NOT NULL
      AND a.item_id IN (SELECT item_id FROM frameworks_answerpart WHERE norm_key <> '')
)
SELECT v.norm_key, MIN(v.number), MAX(v.number), COUNT(*),
    AVG(CASE WHEN v.position IN ((v.n + 1) / 2, (v.n + 2) / 2) THEN v.number END),
    SUM(CASE WHEN v.number < n.minimum THEN 1 ELSE 0 END)
FROM v LEFT JOIN insights_norm n ON n.norm_key = v.norm_key AND n.region_id = %(region)s
GROUP BY v.norm_key
"""


def scenario_pages(coordinator: object, region: object, round_: object, figures: dict) -> bool:
    """The scenario screen and its PDF report on the 3,000 organisations' answers of the
    latest round (database, engine, charts, template): ``scenario_page_ms``,
    ``scenario_pdf_ms``."""
    from django.test import RequestFactory

    from weerbaar.scenarios import views

    key = "sabotage-stroom-militairen"
    failed = False
    latest: dict[str, object] = {}  # the default: each one's latest established answers
    for name, view, target, query in (
        ("scenario_page_ms", views.preset, PAGE_TARGET_MS, {"ronde": round_.pk}),  # type: ignore[attr-defined]
        ("scenario_pdf_ms", views.preset_pdf, REPORT_TARGET_MS, {"ronde": round_.pk}),  # type: ignore[attr-defined]
        ("scenario_page_latest_ms", views.preset, None, latest),
    ):

        def run(view: Callable[..., object] = view, query: dict[str, object] = query) -> object:
            request = RequestFactory().get("/", query)
            request.user = coordinator
            response = view(request, region.pk, key)  # type: ignore[attr-defined]
            assert response.status_code == 200  # type: ignore[attr-defined]
            return response

        run()
        elapsed = timed(run) * 1000
        figures[name] = round(elapsed, 1)
        if target is None:
            print(f"{name}: {elapsed:.0f} ms server time (for information)")
            continue
        verdict = "ok" if elapsed <= target else "OVER TARGET"
        failed |= elapsed > target
        print(f"{name}: {elapsed:.0f} ms server time (target <= {target} ms) {verdict}")
    return failed


def main() -> int:
    setup()
    from django.db import connection
    from django.test import RequestFactory

    from weerbaar.accounts.models import User
    from weerbaar.insights import regional
    from weerbaar.insights.synth import synthesise
    from weerbaar.insights.views import region as views
    from weerbaar.organisations.access import forget as access_reset
    from weerbaar.organisations.models import Membership, Region, Role
    from weerbaar.scoring.norms import norm_overview

    region = Region.objects.filter(code=REGION).first()
    if region is None or region.organisations.count() < ORGANISATIONS:
        print(f"building {ORGANISATIONS} organisations × {ROUNDS} rounds (once; kept)…")
        start = time.perf_counter()
        region = synthesise(organisations=ORGANISATIONS, rounds=ROUNDS, region_code=REGION).region
        print(f"built in {time.perf_counter() - start:.0f} s")
    coordinator, _ = User.objects.get_or_create(email="coordinator@bench.test")
    Membership.objects.get_or_create(user=coordinator, region=region, role=Role.COORDINATOR)
    round_ = regional.rounds_of(region).first()
    assert round_ is not None
    answers = round_.assessments.count()
    params = {"round": round_.pk, "framework": round_.framework_id, "region": region.pk}

    def raw(sql: str) -> list[tuple[object, ...]]:
        with connection.cursor() as cursor:
            cursor.execute(sql, params)
            return cursor.fetchall()

    def page(view: Callable[..., object]) -> Callable[[], object]:
        def run() -> object:
            request = RequestFactory().get("/")
            request.user = coordinator
            response = view(request, region.pk)
            assert response.status_code == 200  # type: ignore[attr-defined]
            return response

        return run

    # The baseline computes the same numbers.
    ours = regional.heatmap(coordinator, region, round_)
    codes = {s.pk: i for i, s in enumerate(ours.sections)}
    by_assessment = {row.assessment_id: row.scores for row in ours.rows}
    mismatches = [
        (assessment, section, score, by_assessment[assessment][codes[section]])
        for sql in (HEATMAP_SQL, TALLY_SQL)
        for assessment, section, score in raw(sql)
        if by_assessment[assessment][codes[section]] != (None if score is None else int(score))
    ]
    medians = {(agg.key, None): agg.overall for agg in ours.aggregates}
    for agg in ours.aggregates:
        for section, value in zip(ours.sections, agg.scores, strict=True):
            medians[(agg.key, section.pk)] = value
    wrong = [
        (group, section, value)
        for group, section, value in raw(MEDIANS_SQL)
        if abs(float(medians[(group, None if section == -1 else section)] or 0) - float(value))
        > 1e-9
    ]
    assert not wrong, f"medians differ from the raw SQL: {wrong[:5]}"
    assert not mismatches, f"heatmap: {mismatches} scores differ from the raw SQL"
    overview = {row.norm_key: row for row in norm_overview(coordinator, region, round_).rows}
    for key, low, high, count, middle, below in raw(NORMS_SQL):
        row = overview[key]
        assert (float(row.minimum or 0), float(row.maximum or 0), row.answered) == (
            float(low),
            float(high),
            count,
        ), key
        assert abs(float(row.median or 0) - float(middle)) < 1e-6, key
        assert row.below_count in (None, below), key

    figures: dict[str, object] = {}
    checks = [
        (
            "heatmap: scores and medians (stored tallies)",
            lambda: regional.heatmap(coordinator, region, round_),
            [TALLY_SQL, MEDIANS_SQL],
        ),
        (
            "norm overview (as the page: the 50 lowest named)",
            lambda: norm_overview(coordinator, region, round_, below_limit=50),
            [NORMS_SQL],
        ),
    ]
    # For information: what reading the answers themselves would cost.
    t_answers = timed(lambda: raw(HEATMAP_SQL))
    print(f"(raw SQL over the answers instead of the tallies: {t_answers * 1000:.0f} ms)")
    pages = [("heatmap page", page(views.heatmap)), ("norms page", page(views.norms))]
    failed = False
    print(
        f"database: {connection.vendor}; {region.organisations.count()} organisations, "
        f"{answers} self-assessments in the latest round; median of {REPEAT} runs"
    )
    for label, fn, sql in checks:
        fn()
        for statement in sql:
            raw(statement)
        t_ours = timed(fn)
        t_raw = timed(lambda sql=sql: [raw(statement) for statement in sql])  # type: ignore[misc]
        ratio = t_ours / t_raw
        figures[
            "heatmap_ratio_raw_sql" if label.startswith("heatmap") else "norms_ratio_raw_sql"
        ] = round(ratio, 3)
        verdict = "ok" if ratio <= RATIO_TARGET else "OVER TARGET"
        failed |= ratio > RATIO_TARGET
        print(
            f"{label} vs raw SQL: {ratio:.2f}x (target <= {RATIO_TARGET}x; "
            f"{t_ours * 1000:.0f} ms vs {t_raw * 1000:.0f} ms) {verdict}"
        )
    for label, fn in pages:
        fn()
        elapsed = timed(fn) * 1000
        figures[f"{label.split()[0]}_page_ms"] = round(elapsed, 1)
        verdict = "ok" if elapsed <= PAGE_TARGET_MS else "OVER TARGET"
        failed |= elapsed > PAGE_TARGET_MS
        print(f"{label}: {elapsed:.0f} ms server time (target <= {PAGE_TARGET_MS} ms) {verdict}")
    from weerbaar.assessments.views import assessment_detail
    from weerbaar.insights.report import report_pdf

    sample = round_.assessments.select_related("round__framework", "organisation").first()
    assert sample is not None
    admin, _ = User.objects.get_or_create(email="admin@bench.test")
    Membership.objects.get_or_create(
        user=admin, region=region, organisation=sample.organisation, role=Role.ORG_ADMIN
    )
    for who, user in (("coordinator", coordinator), ("admin", admin)):
        access_reset(user)

        def detail(user: User = user) -> object:
            request = RequestFactory().get("/")
            request.user = user
            request.htmx = False  # type: ignore[attr-defined]
            response = assessment_detail(request, sample.pk)
            assert response.status_code == 200
            return response

        detail()
        elapsed = timed(detail) * 1000
        figures[f"assessment_page_{who}_ms"] = round(elapsed, 1)
        verdict = "ok" if elapsed <= PAGE_TARGET_MS else "OVER TARGET"
        failed |= elapsed > PAGE_TARGET_MS
        questions = sample.answers.count()
        print(
            f"self-assessment page as {who} ({questions} answers): {elapsed:.0f} ms server "
            f"time (target <= {PAGE_TARGET_MS} ms) {verdict}"
        )
    report_pdf(coordinator, sample)
    elapsed = timed(lambda: report_pdf(coordinator, sample)) * 1000
    figures["org_pdf_ms"] = round(elapsed, 1)
    failed |= scenario_pages(coordinator, region, round_, figures)
    record(connection.vendor, figures)
    verdict = "ok" if elapsed <= REPORT_TARGET_MS else "OVER TARGET"
    failed |= elapsed > REPORT_TARGET_MS
    print(
        f"organisation report PDF (typst, medians over the region): {elapsed:.0f} ms "
        f"(target <= {REPORT_TARGET_MS} ms) {verdict}"
    )
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
