"""Migrations stand on their own: they never run today's code, so a database of any age
upgrades the same way; the data they compute is computed by the rule as it stood then."""

from __future__ import annotations

import ast
from pathlib import Path

from django.db import connection
from django.db.migrations.loader import MigrationLoader

import weerbaar
from weerbaar.assessments.answering import answer_save
from weerbaar.assessments.models import Assessment
from weerbaar.frameworks.models import Item
from weerbaar.scoring.models import ThemeTally
from weerbaar.scoring.tally import tally_refresh

from .conftest import World
from .factories import open_round

MIGRATIONS = sorted(Path(weerbaar.__file__).parent.glob("*/migrations/0*.py"))


def live_imports(source: str) -> list[str]:
    """Imports of project code other than the field callables Django writes at module level
    (``weerbaar.<app>.models`` for a storage or a manager)."""
    found = []
    tree = ast.parse(source)
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom):
            names = [node.module or ""]
        elif isinstance(node, ast.Import):
            names = [alias.name for alias in node.names]
        else:
            continue
        for name in names:
            if not name.startswith("weerbaar"):
                continue
            at_top = node in tree.body
            if not (at_top and name.endswith(".models") and isinstance(node, ast.Import)):
                found.append(f"line {node.lineno}: {name}")
    return found


def test_no_migration_imports_live_code() -> None:
    assert len(MIGRATIONS) >= 20
    problems = {
        path.relative_to(path.parents[2]).as_posix(): found
        for path in MIGRATIONS
        if (found := live_imports(path.read_text()))
    }
    assert problems == {}


def test_the_check_finds_a_live_import() -> None:
    source = (
        "import weerbaar.insights.models\n"
        "def forwards(apps, schema_editor):\n"
        "    from weerbaar.scoring.tally import tally_refresh\n"
    )
    assert live_imports(source) == ["line 3: weerbaar.scoring.tally"]


def test_the_frozen_tally_of_0009_is_todays_tally(world: World) -> None:
    """0009 tallies with the rule frozen in it, on the historical models: the same sums as
    today's code computes, confidential questions, N.v.t. and sectors included."""
    round_ = open_round(world, world.own, world.other)
    answers = {
        "CY-01": {"values": {"maturity": "4"}},
        "CY-03": {"values": {"maturity": "unknown"}},
        "CY-04": {"not_applicable": True, "na_reason": "Geen eigen IT"},
        "ZC-01": {"values": {"maturity": "2"}},  # confidential, hospitals only
        "UV-02": {"not_applicable": True, "na_reason": "Geen eigen water"},
    }
    for assessment in round_.assessments.all():
        for code, data in answers.items():
            item = Item.objects.get(section__framework__slug="kader-weerbare-zorg", code=code)
            answer_save(
                assessment=assessment,
                item=item,
                data=data,
                expected_version=0,
                by=world.coordinator,
            )
    rows = (
        "assessment_id",
        "section_id",
        "levels",
        "not_applicable",
        "public_levels",
        "public_not_applicable",
    )
    tally_refresh(Assessment.all_objects.all())
    today = set(ThemeTally.objects.values_list(*rows))
    assert len(today) >= 4

    loader = MigrationLoader(connection)
    key = ("insights", "0009_tally_without_confidential_questions")
    then = loader.project_state(key).apps
    module = __import__(loader.get_migration(*key).__module__, fromlist=["tally_again"])
    ThemeTally.objects.all().delete()
    module.tally_again(then, None)
    assert set(ThemeTally.objects.values_list(*rows)) == today
