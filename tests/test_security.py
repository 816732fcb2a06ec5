"""Production settings, check --deploy, Content-Security-Policy, nothing from the internet."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
from django.test import Client

import weerbaar

from .conftest import World

PACKAGE = Path(weerbaar.__file__).resolve().parent
SECRET = "x" * 30 + "-production-secret-for-tests-only-0123456789"


def run_weerbaar(*args: str, **env: str) -> subprocess.CompletedProcess[str]:
    clean = {k: v for k, v in os.environ.items() if not k.startswith("WEERBAAR_")}
    clean.pop("DATABASE_URL", None)
    clean.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)
    return subprocess.run(
        [sys.executable, "-m", "weerbaar", *args],
        capture_output=True,
        text=True,
        env={**clean, **env},
        check=False,
        timeout=120,
    )


def test_production_refuses_to_start_without_a_secret_key(tmp_path: Path) -> None:
    result = run_weerbaar(
        "check",
        WEERBAAR_MODE="production",
        WEERBAAR_ALLOWED_HOSTS="weerbaar.example.nl",
        WEERBAAR_DATA_DIR=str(tmp_path),
    )
    assert result.returncode == 1
    assert "WEERBAAR_SECRET_KEY (or WEERBAAR_SECRET_KEY_FILE) is required" in result.stderr


def test_production_refuses_to_start_without_allowed_hosts(tmp_path: Path) -> None:
    result = run_weerbaar(
        "check",
        WEERBAAR_MODE="production",
        WEERBAAR_SECRET_KEY=SECRET,
        WEERBAAR_DATA_DIR=str(tmp_path),
    )
    assert result.returncode == 1
    assert "WEERBAAR_ALLOWED_HOSTS is required in production mode." in result.stderr


def test_production_refuses_demo_mode(tmp_path: Path) -> None:
    result = check_deploy(tmp_path, WEERBAAR_SECRET_KEY=SECRET, WEERBAAR_DEMO="1")
    assert result.returncode == 1
    assert "WEERBAAR_DEMO cannot be switched on in production mode." in result.stderr


def test_bad_boolean_setting_is_refused(tmp_path: Path) -> None:
    result = run_weerbaar("check", WEERBAAR_DEMO="maybe", WEERBAAR_DATA_DIR=str(tmp_path))
    assert result.returncode == 1
    assert "WEERBAAR_DEMO must be a boolean" in result.stderr


def check_deploy(tmp_path: Path, **secret: str) -> subprocess.CompletedProcess[str]:
    return run_weerbaar(
        "check",
        "--deploy",
        "--fail-level",
        "WARNING",
        WEERBAAR_MODE="production",
        WEERBAAR_ALLOWED_HOSTS="weerbaar.example.nl",
        WEERBAAR_DATA_DIR=str(tmp_path),
        **secret,
    )


def test_secret_key_is_read_from_a_file(tmp_path: Path) -> None:
    secret_file = tmp_path / "secret"
    secret_file.write_text(SECRET + "\n", encoding="utf-8")
    result = check_deploy(tmp_path, WEERBAAR_SECRET_KEY_FILE=str(secret_file))
    assert result.returncode == 0, result.stderr


def test_check_deploy_passes_on_production_settings(tmp_path: Path) -> None:
    result = check_deploy(tmp_path, WEERBAAR_SECRET_KEY=SECRET)
    assert result.returncode == 0, result.stderr
    assert "System check identified no issues" in result.stdout


def test_csp_header_uses_nonces_and_forbids_inline_code(world: World) -> None:
    client = Client()
    client.force_login(world.bob)
    response = client.get("/")
    policy = response["Content-Security-Policy"]
    assert "unsafe-inline" not in policy
    assert "unsafe-eval" not in policy
    assert "default-src 'none'" in policy
    assert "frame-ancestors 'none'" in policy
    nonce = re.search(r"'nonce-([^']+)'", policy)
    assert nonce is not None
    html = response.content.decode()
    scripts = re.findall(r"<script[^>]*>", html)
    assert scripts, "the page loads htmx"
    assert all(f'nonce="{nonce.group(1)}"' in tag for tag in scripts)
    assert "style=" not in html


def test_security_headers(world: World) -> None:
    response = Client().get("/accounts/login/")
    assert response["X-Frame-Options"] == "DENY"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Referrer-Policy"] == "same-origin"


def test_htmx_is_served_from_the_installed_package(world: World) -> None:
    client = Client()
    client.force_login(world.bob)
    html = client.get("/").content.decode()
    src = re.search(r'<script[^>]+src="([^"]+)"', html)
    assert src is not None
    assert src.group(1).startswith("/static/django_htmx/htmx")


def test_no_asset_is_loaded_from_elsewhere() -> None:
    offenders = []
    pattern = re.compile(r"""(src|href)\s*=\s*["']?(https?:)?//""", re.IGNORECASE)
    for path in PACKAGE.rglob("*"):
        if path.suffix in {".html", ".css", ".js"} and pattern.search(
            path.read_text(encoding="utf-8")
        ):
            offenders.append(str(path.relative_to(PACKAGE)))
    assert offenders == []
    css = (PACKAGE / "static" / "weerbaar" / "weerbaar.css").read_text(encoding="utf-8")
    assert "@import" not in css
    assert "url(http" not in css


@pytest.mark.parametrize("path", ["/", "/kaders/", "/organisaties/"])
def test_pages_are_dutch_by_default_even_for_english_browsers(world: World, path: str) -> None:
    client = Client(headers={"Accept-Language": "en-US,en;q=0.9"})
    client.force_login(world.alice)
    html = client.get(path).content.decode()
    assert '<html lang="nl">' in html
    assert "Afmelden" in html


def test_language_switch_to_english(world: World) -> None:
    client = Client()
    client.force_login(world.alice)
    client.post("/i18n/setlang/", {"language": "en", "next": "/"})
    html = client.get("/").content.decode()
    assert '<html lang="en">' in html
    assert "Sign out" in html
    assert "Organisations" in html
