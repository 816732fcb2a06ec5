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


def test_every_response_with_organisation_data_is_no_store(world: World) -> None:
    """Pages, fragments, API answers and exports stay out of shared and browser caches."""
    from django.urls import reverse

    from .factories import open_round

    assessment = open_round(world, world.own).assessments.get()
    client = Client()
    client.force_login(world.alice)
    urls = [
        "/",
        reverse("assessments:detail", args=[assessment.pk]),
        reverse("assessments:answer", args=[assessment.pk, "CY-09"]),  # the htmx fragment
        reverse("assessments:excel_export", args=[assessment.pk]),
        reverse("insights:report", args=[assessment.pk]),
        reverse("insights:gaps", args=[assessment.pk]),
        "/api/v1/assessments",
        f"/api/v1/assessments/{assessment.pk}/answers",
        f"/api/v1/assessments/{assessment.pk + 1000}",  # a 404 says no more than a 200
        "/zelfevaluaties/999999/",
    ]
    for url in urls:
        response = client.get(url)
        assert response.status_code in (200, 404), (url, response.status_code)
        assert "no-store" in response["Cache-Control"], url
    assert "no-store" in Client().get("/accounts/login/")["Cache-Control"]


def test_static_files_keep_their_cache(world: World) -> None:
    from django.contrib.staticfiles import finders

    assert finders.find("weerbaar/weerbaar.css")
    response = Client().get("/static/weerbaar/weerbaar.css")
    assert response.status_code == 200
    assert "no-store" not in response.get("Cache-Control", "")


def test_production_sends_hsts_and_secure_cookies(tmp_path: Path) -> None:
    """Production settings, run for real: an https request gets HSTS, and the CSRF and
    session cookies are Secure and HttpOnly where they can be."""
    env = {
        "WEERBAAR_MODE": "production",
        "WEERBAAR_ALLOWED_HOSTS": "weerbaar.example.nl",
        "WEERBAAR_DATA_DIR": str(tmp_path),
        "WEERBAAR_SECRET_KEY": SECRET,
    }
    assert run_weerbaar("migrate", "--noinput", **env).returncode == 0
    assert run_weerbaar("collectstatic", "--noinput", **env).returncode == 0
    probe = (
        "from django.test import Client;"
        "c = Client(HTTP_HOST='weerbaar.example.nl');"
        "r = c.get('/accounts/login/', secure=True);"
        "print(r.status_code);"
        "print(r['Strict-Transport-Security']);"
        "print(r['Cache-Control']);"
        "print(r.cookies['csrftoken'].output());"
        "print(c.get('/accounts/login/', secure=False).status_code)"
    )
    result = run_weerbaar("shell", "-c", probe, **env)
    assert result.returncode == 0, result.stderr
    status, hsts, cache, cookie, plain = result.stdout.strip().splitlines()[-5:]
    assert status == "200"
    assert "max-age=31536000" in hsts and "includeSubDomains" in hsts
    assert "no-store" in cache
    assert "Secure" in cookie and "SameSite=Lax" in cookie
    assert plain == "301"  # plain http is sent to https
