"""CI cannot skip what matters: a missing browser (or LibreOffice, or poppler) is an error
under CI=true, and a skip with its reason on a developer's machine."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def run_without_chromium(ci: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "CHROMIUM_PATH": "/nonexistent/chromium", "CI": ci}
    return subprocess.run(
        [
            sys.executable,
            "-m",
            "pytest",
            "-q",
            "-rs",
            "-p",
            "no:cacheprovider",
            "tests/browser/test_pages.py::test_keyboard_skip_link_and_language_switch",
        ],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )


def test_a_missing_browser_fails_under_ci() -> None:
    result = run_without_chromium("true")
    assert result.returncode == 1, result.stdout
    assert "CI runs every test, and this one needs: no Chromium at /nonexistent/chromium" in (
        result.stdout
    )


def test_a_missing_browser_is_skipped_with_its_reason_elsewhere() -> None:
    result = run_without_chromium("")
    assert result.returncode == 0, result.stdout
    assert "SKIPPED [1]" in result.stdout
    assert "no Chromium at /nonexistent/chromium: apt-get install chromium" in result.stdout
