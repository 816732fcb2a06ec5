"""Reading, validating and loading the framework library (YAML files, format version 1).

``validate_files`` checks files against ``library/schema.json`` and the cross-reference
rules (unique codes, defined roles, links to existing sections, tags from the reference
vocabularies) and reports every error with file, line and reason. ``load_library`` puts
valid files into the database; a version that is already loaded is left alone when its
content is unchanged and refused when it differs (versions are immutable).
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from functools import cache
from pathlib import Path
from typing import Any

import jsonschema
import yaml
from django.db import transaction

from weerbaar.audit.models import audit_record

from .models import (
    AnswerPart,
    Framework,
    FrameworkKind,
    Item,
    ItemExample,
    ItemResponsible,
    ItemSector,
    Phase,
    ResponsibleRole,
    ScaleLevel,
    Section,
    Step,
    StepBullet,
    Tag,
    step_code,
)

LIBRARY_DIR = Path(__file__).resolve().parent / "library"
SCHEMA_PATH = LIBRARY_DIR / "schema.json"
FORMAT_VERSION = 1

DEFAULT_SCALE: tuple[tuple[int, str, str], ...] = (
    (0, "Niet geregeld", "Er is niets geregeld."),
    (1, "In ontwikkeling", "Wordt voorbereid."),
    (2, "Deels geregeld", "Is gedeeltelijk geregeld."),
    (3, "Geregeld", "Vastgelegd en bekend bij de sleutelfunctionarissen."),
    (4, "Geborgd", "Vastgelegd, in de afgelopen 12 maanden beoefend of getest, en actueel."),
)
DEFAULT_MATURITY_BELOW = 3

# Vocabularies defined by sections (not items) of a framework kind.
SECTION_VOCABULARIES = {"zorgcontinuiteit-in-balans": "disbalans"}


class LibraryError(Exception):
    """Raised when files cannot be loaded; ``errors`` lists every problem found."""

    def __init__(self, errors: Sequence[ValidationIssue]) -> None:
        self.errors = list(errors)
        super().__init__("\n".join(str(e) for e in self.errors))


@dataclass(frozen=True)
class ValidationIssue:
    file: str
    line: int
    message: str

    def __str__(self) -> str:
        return f"{self.file}:{self.line}: {self.message}"


@dataclass
class LibraryFile:
    path: Path
    data: dict[str, Any]
    root: yaml.Node | None
    sha256: str
    issues: list[ValidationIssue] = field(default_factory=list)

    @property
    def key(self) -> tuple[str, str]:
        return (str(self.data.get("id", "")), str(self.data.get("version", "")))

    def line_of(self, path: Iterable[Any]) -> int:
        """The 1-based line of the YAML node at ``path`` (or its nearest parent)."""
        node = self.root
        line = 1 if node is None else node.start_mark.line + 1
        for step in path:
            child = None
            if isinstance(node, yaml.MappingNode):
                for key_node, value_node in node.value:
                    if key_node.value == step:
                        child = value_node
                        break
            elif (
                isinstance(node, yaml.SequenceNode)
                and isinstance(step, int)
                and 0 <= step < len(node.value)
            ):
                child = node.value[step]
            if child is None:
                break
            node = child
            line = node.start_mark.line + 1
        return line

    def add(self, path: Iterable[Any], message: str) -> None:
        self.issues.append(ValidationIssue(str(self.path), self.line_of(list(path)), message))


@cache
def schema() -> dict[str, Any]:
    result: dict[str, Any] = json.loads(SCHEMA_PATH.read_text(encoding="utf-8"))
    return result


class _StrictLoader(yaml.SafeLoader):
    """SafeLoader that refuses duplicate mapping keys (a silent overwrite in PyYAML)."""

    def construct_mapping(self, node: yaml.MappingNode, deep: bool = False) -> dict[Any, Any]:
        seen: set[Any] = set()
        for key_node, _value in node.value:
            key = self.construct_object(key_node, deep=deep)
            if key in seen:
                raise yaml.constructor.ConstructorError(
                    None, None, f"duplicate key {key!r}", key_node.start_mark
                )
            seen.add(key)
        return super().construct_mapping(node, deep=deep)


def read_file(path: Path) -> LibraryFile:
    """Parse one file and check it against the schema. Never raises for bad content."""
    raw = path.read_bytes()
    sha = hashlib.sha256(raw).hexdigest()
    lib = LibraryFile(path=path, data={}, root=None, sha256=sha)
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        lib.issues.append(ValidationIssue(str(path), 1, f"not UTF-8: {exc}"))
        return lib
    try:
        lib.root = yaml.compose(text, Loader=_StrictLoader)
        data = yaml.load(text, Loader=_StrictLoader)  # noqa: S506 - SafeLoader subclass
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        line = mark.line + 1 if mark is not None else 1
        lib.issues.append(ValidationIssue(str(path), line, f"invalid YAML: {exc}"))
        return lib
    if not isinstance(data, dict):
        lib.issues.append(ValidationIssue(str(path), 1, "the file must hold a mapping"))
        return lib
    lib.data = data
    validator = jsonschema.Draft202012Validator(schema())
    for error in sorted(validator.iter_errors(data), key=lambda e: list(e.absolute_path)):
        where = "/".join(str(p) for p in error.absolute_path) or "(top)"
        lib.add(error.absolute_path, f"{where}: {error.message}")
    if not lib.issues:
        _check_structure(lib)
    return lib


def _check_structure(lib: LibraryFile) -> None:
    data = lib.data
    expected_name = f"{data['id']}-{data['version']}.yaml"
    if lib.path.name != expected_name:
        lib.add(["id"], f"file name must be {expected_name} (id-version.yaml)")
    kind = data["kind"]
    if kind == "reference" and "vocabulary" not in data:
        lib.add(["kind"], "a reference file needs a vocabulary")
    if kind != "reference" and "vocabulary" in data:
        lib.add(["vocabulary"], "only reference files define a vocabulary")
    role_keys: set[str] = set()
    for index, role in enumerate(data.get("roles", [])):
        if role["key"] in role_keys:
            lib.add(["roles", index, "key"], f"role {role['key']!r} is defined twice")
        role_keys.add(role["key"])
    scale_values = [level["value"] for level in data.get("scale", [])]
    if scale_values and scale_values != list(range(len(scale_values))):
        lib.add(["scale"], "scale values must be 0, 1, 2, … in order")
    section_codes = [section["code"] for section in data["sections"]]
    item_codes: set[str] = set()
    step_codes: set[str] = set()  # unique over the whole framework, given or derived
    seen_sections: set[str] = set()
    for s_index, section in enumerate(data["sections"]):
        s_path: list[Any] = ["sections", s_index]
        if section["code"] in seen_sections:
            lib.add([*s_path, "code"], f"section code {section['code']!r} is used twice")
        seen_sections.add(section["code"])
        for link in section.get("links", []):
            _check_link(lib, [*s_path, "links"], link, section["code"], section_codes)
        for p_index, phase in enumerate(section.get("phases", [])):
            for t_index, step in enumerate(phase["steps"]):
                t_path = [*s_path, "phases", p_index, "steps", t_index]
                code = step.get("code") or step_code(section["code"], p_index, t_index)
                if code in step_codes:
                    lib.add([*t_path, "code"], f"step code {code!r} is used twice")
                step_codes.add(code)
                for link in step.get("links", []):
                    _check_link(lib, [*t_path, "links"], link, section["code"], section_codes)
        for i_index, item in enumerate(section.get("items", [])):
            i_path = [*s_path, "items", i_index]
            if item["code"] in item_codes:
                lib.add([*i_path, "code"], f"item code {item['code']!r} is used twice")
            item_codes.add(item["code"])
            for attribute in ("responsible", "actors"):
                for key in item.get(attribute, []):
                    if key not in role_keys:
                        lib.add([*i_path, attribute], f"role {key!r} is not defined in roles")
            part_keys: set[str] = set()
            for p_index, part in enumerate(item.get("parts", [])):
                if part["key"] in part_keys:
                    lib.add([*i_path, "parts", p_index], f"part key {part['key']!r} is used twice")
                part_keys.add(part["key"])
                if "min" in part and "max" in part and part["min"] > part["max"]:
                    lib.add([*i_path, "parts", p_index], "min is larger than max")
            maturity = [part for part in item.get("parts", []) if part["type"] == "maturity"]
            if len(maturity) > 1:
                lib.add([*i_path, "parts"], "an item has at most one maturity part (it is scored)")
            if kind == "questionnaire" and not item.get("parts"):
                lib.add(i_path, "a question needs at least one answer part")
            if kind == "questionnaire" and not item.get("responsible") and not item.get("note"):
                lib.add(
                    i_path,
                    "a question needs a responsible role, or a note saying why it has none",
                )
        if kind in {"questionnaire", "recommendations", "reference"} and not section.get("items"):
            lib.add(s_path, "this section has no items")


def _check_link(
    lib: LibraryFile, path: list[Any], link: str, own: str, codes: Sequence[str]
) -> None:
    if link == own:
        lib.add(path, f"section {own!r} links to itself")
    elif link not in codes:
        lib.add(path, f"link to unknown section {link!r}")


def vocabularies(files: Iterable[LibraryFile]) -> dict[str, set[str]]:
    """The tag codes each vocabulary defines in ``files``."""
    result: dict[str, set[str]] = {}
    for lib in files:
        if lib.issues or not lib.data:
            continue
        if lib.data["kind"] == "reference":
            codes = result.setdefault(lib.data["vocabulary"], set())
            for section in lib.data["sections"]:
                codes.update(item["code"] for item in section.get("items", []))
        vocabulary = SECTION_VOCABULARIES.get(lib.data["id"])
        if vocabulary:
            codes = result.setdefault(vocabulary, set())
            codes.update(section["code"] for section in lib.data["sections"])
    return result


def library_paths(directory: Path = LIBRARY_DIR) -> list[Path]:
    return sorted(directory.glob("*.yaml"))


def validate_files(
    paths: Sequence[Path] | None = None,
) -> tuple[list[LibraryFile], list[ValidationIssue]]:
    """Read and validate ``paths`` (default: the shipped library).

    Tags are checked against the vocabularies of the shipped library plus the given files.
    """
    targets = [Path(p) for p in (paths or library_paths())]
    files = [read_file(p) for p in targets]
    context = {p.resolve() for p in targets}
    context_files = files + [read_file(p) for p in library_paths() if p.resolve() not in context]
    known = vocabularies(context_files)
    keys: dict[tuple[str, str], Path] = {}
    for lib in files:
        if lib.issues:
            continue
        if lib.key in keys:
            lib.add(["version"], f"{lib.key[0]} {lib.key[1]} is also defined in {keys[lib.key]}")
        keys[lib.key] = lib.path
        for s_index, section in enumerate(lib.data["sections"]):
            for i_index, item in enumerate(section.get("items", [])):
                for vocabulary, codes in item.get("tags", {}).items():
                    for code in codes:
                        if code not in known.get(vocabulary, set()):
                            lib.add(
                                ["sections", s_index, "items", i_index, "tags", vocabulary],
                                f"unknown tag {vocabulary}:{code}",
                            )
    issues = [issue for lib in files for issue in lib.issues]
    return files, issues


KIND_ORDER = {
    FrameworkKind.REFERENCE: 0,
    FrameworkKind.ACTION_CARDS: 1,
    FrameworkKind.RECOMMENDATIONS: 2,
    FrameworkKind.QUESTIONNAIRE: 3,
}


@dataclass(frozen=True)
class LoadResult:
    framework: Framework
    created: bool


@transaction.atomic
def load_library(paths: Sequence[Path] | None = None) -> list[LoadResult]:
    """Validate and load files; all or nothing. Raises ``LibraryError`` on any problem."""
    files, issues = validate_files(paths)
    if issues:
        raise LibraryError(issues)
    files.sort(key=lambda lib: (KIND_ORDER[FrameworkKind(lib.data["kind"])], lib.key))
    results = []
    for lib in files:
        existing = Framework.objects.filter(slug=lib.key[0], version=lib.key[1]).first()
        if existing is not None:
            if existing.content_sha256 != lib.sha256:
                raise LibraryError(
                    [
                        ValidationIssue(
                            str(lib.path),
                            lib.line_of(["version"]),
                            f"{lib.key[0]} version {lib.key[1]} is already loaded with other "
                            "content; a released version is never changed: "
                            "publish the change as a new version (a new file)",
                        )
                    ]
                )
            results.append(LoadResult(existing, created=False))
            continue
        framework = _create(lib)
        audit_record(
            actor=None,
            action="framework.load",
            obj=framework,
            new={
                "id": framework.slug,
                "version": framework.version,
                "file": framework.file_name,
                "sha256": framework.content_sha256,
            },
        )
        results.append(LoadResult(framework, created=True))
    return results


def _create(lib: LibraryFile) -> Framework:
    data = lib.data
    framework = Framework.objects.create(
        slug=data["id"],
        version=data["version"],
        kind=data["kind"],
        title=data["title"],
        subtitle=data.get("subtitle", ""),
        publisher=data["publisher"],
        locale=data["locale"],
        source=data["source"],
        description=data.get("description", ""),
        vocabulary=data.get("vocabulary", ""),
        gap_maturity_below=data.get("gap_rule", {}).get("maturity_below", DEFAULT_MATURITY_BELOW),
        format_version=data["format_version"],
        file_name=lib.path.name,
        content_sha256=lib.sha256,
    )
    uses_maturity = any(
        part["type"] == "maturity"
        for section in data["sections"]
        for item in section.get("items", [])
        for part in item.get("parts", [])
    )
    if "scale" in data:
        levels = [(lvl["value"], lvl["label"], lvl.get("meaning", "")) for lvl in data["scale"]]
    else:
        levels = list(DEFAULT_SCALE) if uses_maturity else []
    ScaleLevel.objects.bulk_create(
        ScaleLevel(framework=framework, value=v, label=label, meaning=m) for v, label, m in levels
    )
    roles = {
        role["key"]: ResponsibleRole.objects.create(
            framework=framework, key=role["key"], label=role["label"], order=index
        )
        for index, role in enumerate(data.get("roles", []))
    }
    tags = {(t.vocabulary, t.code): t for t in Tag.objects.all()}

    sections: dict[str, Section] = {}
    for s_index, s_data in enumerate(data["sections"]):
        sections[s_data["code"]] = Section.objects.create(
            framework=framework,
            code=s_data["code"],
            title=s_data["title"],
            introduction=s_data.get("introduction", ""),
            order=s_index,
        )
    for s_data in data["sections"]:
        section = sections[s_data["code"]]
        section.links.set([sections[code] for code in s_data.get("links", [])])
        for p_index, p_data in enumerate(s_data.get("phases", [])):
            phase = Phase.objects.create(section=section, title=p_data["title"], order=p_index)
            for t_index, t_data in enumerate(p_data["steps"]):
                step = Step.objects.create(
                    phase=phase,
                    order=t_index,
                    code=t_data.get("code") or step_code(s_data["code"], p_index, t_index),
                    text=t_data["text"],
                )
                StepBullet.objects.bulk_create(
                    StepBullet(step=step, order=b_index, text=text)
                    for b_index, text in enumerate(t_data.get("bullets", []))
                )
                step.links.set([sections[code] for code in t_data.get("links", [])])
        for i_index, i_data in enumerate(s_data.get("items", [])):
            _create_item(section, i_index, i_data, roles, tags)

    _register_vocabulary(lib, framework, sections)
    return framework


def _create_item(
    section: Section,
    order: int,
    data: dict[str, Any],
    roles: dict[str, ResponsibleRole],
    tags: dict[tuple[str, str], Tag],
) -> None:
    item = Item.objects.create(
        section=section,
        code=data["code"],
        order=order,
        number=data.get("number"),
        text=data["text"],
        explanation=data.get("explanation", ""),
        note=data.get("note", ""),
        confidential=data.get("confidential", False),
    )
    role_keys = list(dict.fromkeys([*data.get("responsible", []), *data.get("actors", [])]))
    ItemResponsible.objects.bulk_create(
        ItemResponsible(item=item, role=roles[key], order=index)
        for index, key in enumerate(role_keys)
    )
    ItemExample.objects.bulk_create(
        ItemExample(item=item, order=index, text=text)
        for index, text in enumerate(data.get("examples", []))
    )
    sectors = data.get("sectors", "all")
    if sectors != "all":
        ItemSector.objects.bulk_create(ItemSector(item=item, sector=s) for s in sectors)
    AnswerPart.objects.bulk_create(
        AnswerPart(
            item=item,
            order=index,
            key=part["key"],
            type=part["type"],
            label=part.get("label", ""),
            unit=part.get("unit", ""),
            min_value=_decimal(part.get("min")),
            max_value=_decimal(part.get("max")),
            integer=part.get("integer", False),
            norm_key=part.get("norm_key", ""),
        )
        for index, part in enumerate(data.get("parts", []))
    )
    item.tags.set(
        [
            tags[(vocabulary, code)]
            for vocabulary, codes in data.get("tags", {}).items()
            for code in codes
        ]
    )


def _decimal(value: Any) -> Decimal | None:
    return None if value is None else Decimal(str(value))


def _register_vocabulary(
    lib: LibraryFile, framework: Framework, sections: dict[str, Section]
) -> None:
    """Make the entries of a reference file (or the disbalansen) available as tags."""
    entries: list[tuple[str, str, str]] = []
    if framework.kind == FrameworkKind.REFERENCE:
        entries = [
            (framework.vocabulary, item["code"], item["text"])
            for section in lib.data["sections"]
            for item in section.get("items", [])
        ]
    elif framework.slug in SECTION_VOCABULARIES:
        vocabulary = SECTION_VOCABULARIES[framework.slug]
        entries = [(vocabulary, code, section.title) for code, section in sections.items()]
    for vocabulary, code, label in entries:
        Tag.objects.update_or_create(
            vocabulary=vocabulary, code=code, defaults={"label": label[:500]}
        )
