"""The lock file: every dependency pinned with hashes, and this environment installed from it."""

from __future__ import annotations

import re
import tomllib
from importlib import metadata
from pathlib import Path

from packaging.markers import Marker
from packaging.requirements import Requirement
from packaging.utils import canonicalize_name
from packaging.version import Version

ROOT = Path(__file__).resolve().parents[1]
PIN = re.compile(r"^([A-Za-z0-9._-]+)==([^\s;\\]+)\s*(?:;\s*([^\\]+?))?\s*\\?$")


def locked() -> dict[str, tuple[Version, Marker | None, int]]:
    """name → (version, marker, number of hashes) from requirements.lock."""
    pins: dict[str, tuple[Version, Marker | None, int]] = {}
    current = ""
    for line in (ROOT / "requirements.lock").read_text().splitlines():
        match = PIN.match(line)
        if match:
            name, version, marker = match.groups()
            current = canonicalize_name(name)
            pins[current] = (Version(version), Marker(marker) if marker else None, 0)
        elif line.strip().startswith("--hash=sha256:") and current:
            version, marker, hashes = pins[current]
            pins[current] = (version, marker, hashes + 1)
    return pins


def declared() -> list[Requirement]:
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    tools = [
        line.split("#")[0].strip()
        for line in (ROOT / "requirements-tools.in").read_text().splitlines()
        if line.split("#")[0].strip()
    ]
    return [
        Requirement(text)
        for text in [*project["dependencies"], *project["optional-dependencies"]["test"], *tools]
    ]


def test_lock_pins_every_declared_dependency_within_its_range() -> None:
    pins = locked()
    problems = []
    for requirement in declared():
        name = canonicalize_name(requirement.name)
        if name not in pins:
            problems.append(f"{name}: not in requirements.lock (run make lock)")
        elif not requirement.specifier.contains(pins[name][0], prereleases=True):
            problems.append(f"{name}: {pins[name][0]} outside {requirement.specifier}")
    assert problems == []


def test_lock_has_hashes_for_every_package() -> None:
    pins = locked()
    assert len(pins) > 50
    assert [name for name, (_v, _m, hashes) in pins.items() if hashes == 0] == []


def test_environment_is_installed_from_the_lock() -> None:
    """What runs these tests is exactly what the lock names, no other version."""
    different = []
    for name, (version, marker, _hashes) in locked().items():
        if marker is not None and not marker.evaluate():
            continue
        try:
            installed = Version(metadata.version(name))
        except metadata.PackageNotFoundError:
            different.append(f"{name}: not installed")
            continue
        if installed != version:
            different.append(f"{name}: {installed} installed, {version} locked")
    assert different == []
