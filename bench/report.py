"""Write ``bench/RESULTS.md`` from ``bench/results.json`` (``make bench`` runs this last).

Exits 1 when a figure misses its target, so ``make bench`` says so after every script ran.
"""

from __future__ import annotations

import json
import sys
from collections.abc import Callable
from pathlib import Path

HERE = Path(__file__).resolve().parent

# figure → (what it measures, target as people read it, whether a value meets it)
FIGURES: dict[str, tuple[str, str, Callable[[float], bool]]] = {
    "saves_per_s": (
        "answer saves per second, 50 concurrent clients over HTTP (`weerbaar serve`)",
        "≥ 300",
        lambda v: v >= 300,
    ),
    "saves_p95_ms": ("answer save latency, 95th percentile (ms)", "< 250", lambda v: v < 250),
    "saves_p50_ms": ("answer save latency, median (ms)", "", lambda v: True),
    "saves_errors": ("failed saves (not 200, or a connection error)", "0", lambda v: v == 0),
    "saves_lost": (
        "acknowledged saves missing afterwards (or without their history row)",
        "0",
        lambda v: v == 0,
    ),
    "saves_ceiling_per_s": (
        "ceiling measured in the same run: `pgbench -N` (PostgreSQL), raw UPDATEs (SQLite)",
        "",
        lambda v: True,
    ),
    "saves_ratio_pgbench": ("saves per second ÷ the ceiling", "", lambda v: True),
    "round_open_3000_s": (
        "opening a pre-filled round for 3,000 organisations in the background (s)",
        "≤ 60",
        lambda v: v <= 60,
    ),
    "round_open_ratio_raw_sql": (
        "the same ÷ copying its answers and values with INSERT … SELECT",
        "",
        lambda v: True,
    ),
    "heatmap_ratio_raw_sql": (
        "regional heatmap (3,000 organisations) ÷ raw SQL computing the same",
        "≤ 1.5",
        lambda v: v <= 1.5,
    ),
    "norms_ratio_raw_sql": (
        "norm overview (3,000 organisations) ÷ raw SQL computing the same",
        "≤ 1.5",
        lambda v: v <= 1.5,
    ),
    "heatmap_page_ms": ("heatmap page, server time (ms)", "≤ 300", lambda v: v <= 300),
    "norms_page_ms": ("norms page, server time (ms)", "≤ 300", lambda v: v <= 300),
    "org_pdf_ms": ("one organisation's PDF report (ms)", "≤ 500", lambda v: v <= 500),
    "scenario_page_ms": (
        "scenario screen on 3,000 organisations' answers, server time (ms)",
        "≤ 300",
        lambda v: v <= 300,
    ),
    "scenario_page_latest_ms": (
        "the same on each one's latest established self-assessment, the default (ms)",
        "",
        lambda v: True,
    ),
    "scenario_pdf_ms": (
        "scenario PDF report on 3,000 organisations' answers (ms)",
        "≤ 500",
        lambda v: v <= 500,
    ),
    "assessment_page_coordinator_ms": (
        "self-assessment page, all answered, as the coordinator (ms)",
        "≤ 300",
        lambda v: v <= 300,
    ),
    "assessment_page_admin_ms": (
        "self-assessment page, all answered, as its admin (ms)",
        "≤ 300",
        lambda v: v <= 300,
    ),
    "import_hostile_ms": (
        "Excel import of 31,186 rows of unknown codes, through the view (ms)",
        "< 1000",
        lambda v: v < 1000,
    ),
    "import_hostile_ratio_read_all": (
        "the same ÷ openpyxl reading every row of that file",
        "",
        lambda v: True,
    ),
    "import_honest_ms": (
        "Excel import of an export with changes, through the view (ms)",
        "",
        lambda v: True,
    ),
    "framework_export_ratio_raw_sql": (
        "framework export (the Kader as JSON) ÷ fetching its rows in SQL",
        "≤ 5",
        lambda v: v <= 5,
    ),
    "scenario_ms": (
        "scenario stress test, 3,000 organisations, 30 days hourly (ms, median)",
        "≤ 250",
        lambda v: v <= 250,
    ),
    "scenario_ms_spread": ("the same: fastest–slowest of 9 runs (ms)", "", lambda v: True),
    "scenario_ratio_numpy": (
        "the same ÷ a bare NumPy lower bound of its arithmetic",
        "≤ 3",
        lambda v: v <= 3,
    ),
    "scenario_peak_mb": ("peak memory of one scenario run (MB)", "", lambda v: True),
    "scoped_list_ratio_raw_sql": (
        "access-scoped list of 5,000 organisations ÷ the same in SQL",
        "≤ 2",
        lambda v: v <= 2,
    ),
}


def render(results: dict[str, object]) -> tuple[str, list[str]]:
    databases = [str(d) for d in results.get("databases", [])]  # type: ignore[union-attr]
    machine = results.get("machine", {})
    assert isinstance(machine, dict)
    lines = [
        "# Benchmark results",
        "",
        "Written by `make bench` (`bench/report.py`) from `bench/results.json`; every figure",
        "was measured in one run on the machine below, each ratio against a baseline measured",
        "in the same run. See `docs/development.md` for what each script does.",
        "",
        f"* Date: {results.get('date', '?')}",
        f"* Machine: {machine.get('cpu', '?')}, {machine.get('cores', '?')} cores, "
        f"{machine.get('memory_gib', '?')} GiB; {machine.get('os', '?')}",
        f"* Python {machine.get('python', '?')}, SQLite {machine.get('sqlite', '?')}"
        + (
            f", PostgreSQL {int(str(results['postgresql_version'])) // 10000}"
            if results.get("postgresql_version")
            else ""
        ),
        "",
        "| figure | target | " + " | ".join(databases) + " |",
        "|---|---|" + "---|" * len(databases),
    ]
    missed = []
    for key, (label, target, meets) in FIGURES.items():
        values = results.get(key)
        if not isinstance(values, dict):
            continue
        cells = []
        for database in databases:
            value = values.get(database)
            if value is None:
                cells.append("–")
                continue
            ok = meets(float(value)) if isinstance(value, int | float) else True
            if target and not ok:
                missed.append(f"{key} on {database}: {value} (target {target})")
            cells.append(f"{value}" + ("" if ok or not target else " ✗"))
        lines.append(f"| {label} (`{key}`) | {target} | " + " | ".join(cells) + " |")
    lines.append("")
    if missed:
        lines += ["Missed targets:", ""] + [f"* {miss}" for miss in missed] + [""]
    else:
        lines += ["Every target is met.", ""]
    return "\n".join(lines), missed


def main() -> int:
    results = json.loads((HERE / "results.json").read_text())
    text, missed = render(results)
    (HERE / "RESULTS.md").write_text(text)
    print(text)
    return 1 if missed else 0


if __name__ == "__main__":
    sys.exit(main())
