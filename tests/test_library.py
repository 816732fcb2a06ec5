"""The shipped framework library: complete, faithful, validated, immutable."""

from __future__ import annotations

import json
import re
import shutil
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from weerbaar.frameworks.export import framework_as_dict, get_framework
from weerbaar.frameworks.library import (
    LIBRARY_DIR,
    LibraryError,
    load_library,
    validate_files,
)
from weerbaar.frameworks.models import Framework, Item, Section, Tag

pytestmark = pytest.mark.django_db

SEEDS = Path(__file__).resolve().parents[2] / "shared" / "seeds"


def kader() -> dict:
    return framework_as_dict(get_framework("kader-weerbare-zorg", "2025-11"))


def items_by_code(data: dict) -> dict[str, dict]:
    return {item["code"]: item for section in data["sections"] for item in section["items"]}


def test_library_shipped_files_are_valid() -> None:
    files, issues = validate_files()
    assert issues == []
    assert sorted(lib.data["id"] for lib in files) == [
        "kader-weerbare-zorg",
        "navo-basisvereisten",
        "niveaus-noodzorg",
        "prioritaire-onderwerpen",
        "zorgcontinuiteit-in-balans",
        "zorgrisicoprofiel-adviezen",
    ]


def test_kader_has_nine_themes_and_69_questions() -> None:
    data = kader()
    assert [s["title"] for s in data["sections"]] == [
        "Zorgcapaciteit (bij militaire escalatie)",
        "Personeel (bij verschillende crises)",
        "Cybersecurity",
        "Weerbaarheid organisatie bij langdurige uitval van voorzieningen",
        "Awareness binnen de organisatie",
        "Voorraden",
        "Regio- en ketensamenwerking",
        "Extreem weer",
        "Na de crisis",
    ]
    assert [len(s["items"]) for s in data["sections"]] == [9, 12, 10, 11, 6, 7, 8, 5, 1]
    assert sum(len(s["items"]) for s in data["sections"]) == 69


def _normalise(text: str) -> str:
    return " ".join(text.replace("<u>", "").replace("</u>", "").split())


def _split_in(text: str, seed: str) -> bool:
    """True when ``text`` appears in ``seed`` as two parts, split at a word boundary."""
    words = text.split(" ")
    return any(
        " ".join(words[:i]) in seed and " ".join(words[i:]) in seed for i in range(1, len(words))
    )


@pytest.mark.skipif(not SEEDS.is_dir(), reason="the seed documents (../shared/seeds) are absent")
def test_kader_question_texts_appear_verbatim_in_the_seed() -> None:
    seed = _normalise((SEEDS / "000_5a32211221abbf2a.txt").read_text(encoding="utf-8"))
    items = items_by_code(kader())
    not_verbatim = [code for code, item in items.items() if _normalise(item["text"]) not in seed]
    # The two questions the seed splits over a page break are present in two parts.
    assert not_verbatim == ["ZC-08", "UV-04"]
    assert all(_split_in(_normalise(items[code]["text"]), seed) for code in not_verbatim)


def test_kader_question_split_over_page_break_is_one_question() -> None:
    texts = [item["text"] for item in items_by_code(kader()).values()]
    joined = (
        "Bestaat er een plan/matrix voor afschaling van reguliere en planbare zorg wanneer de "
        "instroom van deze nieuwe groep patiënten dit vraagt?"
    )
    assert joined in texts
    assert not any(text.startswith("instroom van deze") for text in texts)


def test_kader_bed_capacity_has_a_number_per_bed_type() -> None:
    item = items_by_code(kader())["ZC-02"]
    numbers = [p for p in item["parts"] if p["type"] == "number"]
    assert [p["label"] for p in numbers] == [
        "IC",
        "Heelkunde/trauma",
        "Neurochirurgie",
        "Revalidatie",
    ]
    assert all(p["integer"] for p in numbers)
    assert {p["unit"] for p in numbers} == {"bedden"}
    assert all(p["min"] == 0 for p in numbers)
    assert item["examples"] == ["IC", "Heelkunde/trauma", "Neurochirurgie", "Revalidatie"]
    assert item["confidential"] is True
    assert "vvt" not in item["sectors"]
    assert item["sectors"] == ["revalidatie", "umc", "ziekenhuis"]


def test_kader_isolation_occupancy_is_a_bounded_percentage() -> None:
    item = items_by_code(kader())["ZC-06"]
    occupancy = [p for p in item["parts"] if p.get("unit") == "%"]
    assert len(occupancy) == 1
    assert (occupancy[0]["min"], occupancy[0]["max"]) == (0, 100)


def test_kader_emergency_power_hours_compare_with_a_regional_norm() -> None:
    item = items_by_code(kader())["UV-01"]
    assert item["parts"][0]["unit"] == "uur"
    assert item["parts"][0]["norm_key"] == "noodstroom_uren"
    assert item["responsible"] == ["Manager facilitair"]


def test_kader_cooling_design_temperature_may_be_below_zero() -> None:
    item = items_by_code(kader())["EW-02"]
    cooling = next(p for p in item["parts"] if p.get("unit") == "°C")
    assert "min" not in cooling


def test_kader_flood_area_is_a_risk_flag_and_training_a_need_flag() -> None:
    items = items_by_code(kader())
    assert [p["type"] for p in items["EW-03"]["parts"]] == ["risk_flag"]
    assert "need_flag" in [p["type"] for p in items["AW-05"]["parts"]]


def test_kader_responsible_roles_are_normalised_keys() -> None:
    items = items_by_code(kader())
    keys = {key for item in items.values() for key in item["responsible_keys"]}
    assert {
        "ciso",
        "hr",
        "manager_facilitair",
        "traumachirurg",
        "capaciteitsmanager",
        "adviseur_crisisbeheersing",
    } <= keys
    assert all(key == key.lower() and " " not in key for key in keys)
    # Every question names who answers it, except the one the seed leaves empty.
    assert [code for code, item in items.items() if not item["responsible"]] == ["RK-07"]
    assert items["RK-07"]["note"].startswith("Verantwoordelijke niet benoemd in de bron")
    assert items["CY-01"]["responsible_keys"] == ["ciso"]


def test_kader_questions_are_tagged_with_reference_lists() -> None:
    items = items_by_code(kader())
    assert items["ZC-02"]["tags"]["nato"] == ["BR5"]
    assert items["UV-01"]["tags"]["nato"] == ["BR2"]
    assert "P3" in items["CY-01"]["tags"]["prioriteit"]
    tag = Tag.objects.get(vocabulary="nato", code="BR5")
    assert tag.label == "Opvang van gewonden"


def test_zib_has_eight_disbalansen_with_phases_links_and_preparation() -> None:
    data = framework_as_dict(get_framework("zorgcontinuiteit-in-balans"))
    assert [s["title"] for s in data["sections"]] == [
        "Sluiting van (delen van) de locatie",
        "Groot aanbod van cliënten",
        "Verplaatsen van cliënten",
        "Tekort aan personeel",
        "Uitval nutsvoorzieningen",
        "Logistieke stagnatie",
        "Uitbraak infectieziekten",
        "Digitale verstoring",
    ]
    first = data["sections"][0]
    assert [p["title"] for p in first["phases"]] == [
        "Analyseren",
        "Evacuatie voorbereiden",
        "Cliënten verplaatsen",
        "Cliënten opvangen",
        "Normaliseren",
    ]
    assert all(s["phases"][-1]["title"] == "Normaliseren" for s in data["sections"])
    assert first["links"] == ["D2", "D3", "D4"]
    assert first["phases"][0]["steps"][0]["text"].startswith("Samen met de hulpdiensten:")
    assert first["phases"][0]["steps"][0]["code"] == "D1-1.1"
    assert all(s["items"] for s in data["sections"])
    assert sum(len(s["items"]) for s in data["sections"]) == 37
    assert {p["type"] for s in data["sections"] for i in s["items"] for p in i["parts"]} == {
        "maturity"
    }


def test_zib_step_cross_reference_is_a_link() -> None:
    section = Section.objects.get(framework__slug="zorgcontinuiteit-in-balans", code="D1")
    linked = {
        other.code
        for phase in section.phases.all()
        for step in phase.steps.all()
        for other in step.links.all()
    }
    assert "D4" in linked  # "Beoordeel of extra personeel moet worden opgeroepen, zie Disbalans 4"


def test_recommendations_have_numbers_and_actors() -> None:
    data = framework_as_dict(get_framework("zorgrisicoprofiel-adviezen"))
    items = [item for section in data["sections"] for item in section["items"]]
    assert [item["number"] for item in items] == [1, 2, 4, 9, 11, 12, 13, 14, 15, 16]
    by_number = {item["number"]: item for item in items}
    assert by_number[1]["responsible"] == ["Zorginstellingen"]
    assert by_number[9]["responsible"] == ["Gemeenten", "Zorginstellingen"]
    assert by_number[13]["responsible"] == []
    assert by_number[13]["note"] == "Actor niet benoemd in de bron"
    assert by_number[11]["responsible"] == ["Stafbureau ROAZ", "GHOR"]


def test_reference_lists_are_complete() -> None:
    def codes(slug: str) -> list[str]:
        data = framework_as_dict(get_framework(slug))
        return [item["code"] for section in data["sections"] for item in section["items"]]

    assert codes("navo-basisvereisten") == [f"BR{n}" for n in range(1, 8)]
    assert codes("niveaus-noodzorg") == ["basis", "opschaalbaar", "crisis"]
    assert codes("prioritaire-onderwerpen") == [f"P{n}" for n in range(1, 6)]


# --- validation ---------------------------------------------------------------------------


def _copy(tmp_path: Path, name: str = "kader-weerbare-zorg-2025-11.yaml") -> Path:
    target = tmp_path / name
    shutil.copy(LIBRARY_DIR / name, target)
    return target


def _kader_version(tmp_path: Path, version: str) -> Path:
    """A copy of the Kader released as another version (a new file)."""
    target = tmp_path / f"kader-weerbare-zorg-{version}.yaml"
    text = (LIBRARY_DIR / "kader-weerbare-zorg-2025-11.yaml").read_text(encoding="utf-8")
    target.write_text(text.replace('version: "2025-11"', f'version: "{version}"'), "utf-8")
    return target


def test_validate_reports_file_line_and_reason_for_an_unknown_role(tmp_path: Path) -> None:
    path = _copy(tmp_path)
    text = path.read_text(encoding="utf-8")
    line_no = next(n for n, line in enumerate(text.splitlines(), 1) if "responsible:" in line)
    lines = text.splitlines()
    indent = lines[line_no - 1][: len(lines[line_no - 1]) - len(lines[line_no - 1].lstrip())]
    lines[line_no - 1] = f"{indent}responsible: [kwartiermaker]"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")

    _files, issues = validate_files([path])

    assert [(issue.line, issue.message) for issue in issues] == [
        (line_no, "role 'kwartiermaker' is not defined in roles")
    ]
    assert str(issues[0]).startswith(f"{path}:{line_no}: ")


def test_validate_reports_schema_errors_with_the_line(tmp_path: Path) -> None:
    path = _copy(tmp_path)
    text = path.read_text(encoding="utf-8").replace('type: "maturity"', 'type: "slider"', 1)
    path.write_text(text, encoding="utf-8")
    line_no = next(n for n, line in enumerate(text.splitlines(), 1) if 'type: "slider"' in line)

    _files, issues = validate_files([path])

    assert len(issues) == 1
    assert issues[0].line == line_no
    assert "'slider' is not one of" in issues[0].message


def test_validate_refuses_two_maturity_parts_on_one_item(tmp_path: Path) -> None:
    """Scores sum one maturity per item: a second one would count twice."""
    path = _copy(tmp_path)
    text = path.read_text(encoding="utf-8").replace(
        '{key: "maturity", type: "maturity"}\n          - {key: "toelichting", type: "text", ',
        '{key: "maturity", type: "maturity"}\n          - {key: "toelichting", type: "maturity", ',
        1,
    )
    path.write_text(text, encoding="utf-8")
    _files, issues = validate_files([path])
    assert [issue.message for issue in issues] == [
        "an item has at most one maturity part (it is scored)"
    ]


def test_validate_refuses_duplicate_keys_and_bad_yaml(tmp_path: Path) -> None:
    path = tmp_path / "x-1.yaml"
    path.write_text("format_version: 1\nid: x\nid: y\n", encoding="utf-8")
    _files, issues = validate_files([path])
    assert len(issues) == 1
    assert issues[0].line == 3
    assert "duplicate key 'id'" in issues[0].message

    path.write_text("format_version: 1\nid: [unclosed\n", encoding="utf-8")
    _files, issues = validate_files([path])
    assert issues[0].message.startswith("invalid YAML")


def test_validate_refuses_unknown_tags_and_links(tmp_path: Path) -> None:
    path = _copy(tmp_path)
    text = path.read_text(encoding="utf-8").replace("BR5", "BR9", 1)
    path.write_text(text, encoding="utf-8")
    _files, issues = validate_files([path])
    assert [issue.message for issue in issues] == ["unknown tag nato:BR9"]

    zib = _copy(tmp_path, "zorgcontinuiteit-in-balans-2024.yaml")
    text = zib.read_text(encoding="utf-8").replace("links: [D4]", "links: [D9]", 1)
    zib.write_text(text, encoding="utf-8")
    _files, issues = validate_files([zib])
    assert [issue.message for issue in issues] == ["link to unknown section 'D9'"]


def test_cli_validate_exits_1_with_the_errors(tmp_path: Path) -> None:
    path = _copy(tmp_path)
    path.write_text(
        path.read_text(encoding="utf-8").replace("format_version: 1", "format_version: 2"),
        encoding="utf-8",
    )
    err = StringIO()
    with pytest.raises(CommandError, match=r"1 error\(s\) in 1 file\(s\)"):
        call_command("framework", "validate", str(path), stderr=err)
    assert err.getvalue().startswith(f"{path}:1: format_version: 1 was expected")


def test_cli_validate_exit_code_is_1(tmp_path: Path) -> None:
    import subprocess
    import sys

    path = tmp_path / "broken-1.yaml"
    path.write_text("format_version: 1\n", encoding="utf-8")
    result = subprocess.run(
        [sys.executable, "-m", "weerbaar", "framework", "validate", str(path)],
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 1
    assert f"{path}:1: (top): 'id' is a required property" in result.stderr


# --- loading ------------------------------------------------------------------------------


def test_load_is_idempotent() -> None:
    before = Item.objects.count()
    results = load_library()
    assert [r.created for r in results] == [False] * 6
    assert Item.objects.count() == before


def test_load_refuses_changed_content_of_a_released_version(tmp_path: Path) -> None:
    path = _copy(tmp_path)
    path.write_text(
        path.read_text(encoding="utf-8").replace("Voldoet de organisatie aan de NIS2?", "NIS2?"),
        encoding="utf-8",
    )
    with pytest.raises(LibraryError, match="already loaded with other content"):
        load_library([path])
    assert Item.objects.filter(text="Voldoet de organisatie aan de NIS2?").count() == 1


def test_load_is_all_or_nothing(tmp_path: Path) -> None:
    new_version = _kader_version(tmp_path, "2026-01")
    broken = tmp_path / "broken-1.yaml"
    broken.write_text("format_version: 1\n", encoding="utf-8")
    with pytest.raises(LibraryError):
        load_library([new_version, broken])
    assert not Framework.objects.filter(version="2026-01").exists()

    load_library([new_version])
    assert Framework.objects.filter(slug="kader-weerbare-zorg").count() == 2
    assert get_framework("kader-weerbare-zorg").version == "2026-01"


def test_cli_export_prints_the_framework_as_json() -> None:
    out = StringIO()
    call_command("framework", "export", "kader-weerbare-zorg", "--format", "json", stdout=out)
    data = json.loads(out.getvalue())
    assert (data["id"], data["version"], data["title"]) == (
        "kader-weerbare-zorg",
        "2025-11",
        "Kader weerbare zorg",
    )
    first = data["sections"][0]["items"][0]
    assert set(first) >= {"code", "text", "explanation", "responsible", "parts", "sectors", "tags"}
    assert first["responsible"] == ["Traumachirurg", "Medisch specialist"]


def test_cli_export_zib_has_phases_with_steps() -> None:
    out = StringIO()
    call_command(
        "framework", "export", "zorgcontinuiteit-in-balans", "--version", "2024", stdout=out
    )
    section = json.loads(out.getvalue())["sections"][3]
    assert section["title"] == "Tekort aan personeel"
    assert section["phases"][0]["title"] == "Analyseren"
    steps = [step for phase in section["phases"] for step in phase["steps"]]
    assert all(isinstance(step["text"], str) and step["code"] for step in steps)
    assert steps[0]["code"] == "D4-1.1"


def test_cli_export_unknown_framework_is_an_error() -> None:
    with pytest.raises(CommandError, match="framework nope is not loaded"):
        call_command("framework", "export", "nope", stdout=StringIO())


def test_cli_list_shows_loaded_frameworks() -> None:
    out = StringIO()
    call_command("framework", "list", stdout=out)
    lines = out.getvalue().splitlines()
    assert len(lines) == 6
    assert lines[0].split("\t")[:5] == [
        "kader-weerbare-zorg",
        "2025-11",
        "questionnaire",
        "9 sections",
        "69 items",
    ]


def test_loading_a_new_version_is_audited(tmp_path: Path) -> None:
    from weerbaar.audit.models import AuditEvent

    new_version = _kader_version(tmp_path, "2026-02")
    load_library([new_version])
    event = AuditEvent.objects.get(action="framework.load", new__version="2026-02")
    assert event.new["file"] == "kader-weerbare-zorg-2026-02.yaml"
    assert event.actor_label == "system"


def test_every_action_card_step_has_a_code_that_survives_a_reload(tmp_path) -> None:
    """A step ticked in an incident names its code, not a database id: loading the library
    into a fresh database gives every step the same code again."""
    from weerbaar.frameworks.models import Step

    def codes() -> dict[str, str]:
        return dict(
            Step.objects.filter(phase__section__framework__slug="zorgcontinuiteit-in-balans")
            .order_by("phase__section__order", "phase__order", "order")
            .values_list("code", "text")
        )

    before = codes()
    assert (
        len(before)
        == Step.objects.filter(phase__section__framework__slug="zorgcontinuiteit-in-balans").count()
    )
    assert "D1-1.1" in before and all(re.fullmatch(r"D\d-\d+\.\d+", c) for c in before)
    ids = set(Step.objects.values_list("pk", flat=True))
    Framework.objects.filter(slug="zorgcontinuiteit-in-balans").delete()
    call_command("framework", "load", verbosity=0)
    assert codes() == before
    assert not ids & set(Step.objects.values_list("pk", flat=True))  # new rows, same codes


def test_a_step_code_used_twice_is_refused(tmp_path) -> None:
    text = (LIBRARY_DIR / "zorgcontinuiteit-in-balans-2024.yaml").read_text(encoding="utf-8")
    text = text.replace('version: "2024"', 'version: "2099"')
    step = "    - text: Prioriteer cliënten voor verplaatsing"  # D1-2.1, given D1-1.1's code
    assert step in text
    text = text.replace(
        step, "    - code: D1-1.1\n      text: Prioriteer cliënten voor verplaatsing", 1
    )
    path = tmp_path / "zorgcontinuiteit-in-balans-2099.yaml"
    path.write_text(text, encoding="utf-8")
    err = StringIO()
    with pytest.raises(CommandError):
        call_command("framework", "validate", str(path), stderr=err)
    assert "step code 'D1-1.1' is used twice" in err.getvalue()
