"""Browser tests: Playwright for Python driving Debian's Chromium (never a downloaded one)."""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest

CHROMIUM = os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium")
SCREENSHOTS = os.environ.get("WEERBAAR_SCREENSHOTS", "")


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    found = Path(CHROMIUM).exists() or bool(shutil.which(CHROMIUM))
    needs = pytest.mark.requires_tool(
        found, f"no Chromium at {CHROMIUM}: apt-get install chromium (or set CHROMIUM_PATH)"
    )
    for item in items:
        if "browser" in str(item.fspath):
            item.add_marker(needs)


@pytest.fixture(scope="session")
def browser() -> Iterator[object]:
    from playwright.sync_api import sync_playwright

    # Playwright's sync API keeps an event loop running in the test thread while the browser
    # is open; the ORM calls the tests make around it are still synchronous. Set for the
    # test process only (subprocess tests drop it), never in a deployment.
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    with sync_playwright() as playwright:
        instance = playwright.chromium.launch(
            executable_path=CHROMIUM,
            args=[
                "--no-sandbox",
                "--disable-gpu",
                "--disable-dev-shm-usage",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
                "--no-first-run",
            ],
        )
        yield instance
        instance.close()


@pytest.fixture
def page(browser, live_server, transactional_db):
    """A fresh browser page on the live server, with the framework library loaded."""
    from django.core.management import call_command

    call_command("framework", "load", verbosity=0)
    context = browser.new_context(
        base_url=live_server.url, viewport={"width": 1280, "height": 860}, locale="en-US"
    )
    page = context.new_page()
    errors: list[str] = []
    page.on("console", lambda msg: errors.append(msg.text) if msg.type == "error" else None)
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    page.console_errors = errors
    page.live_url = live_server.url
    yield page
    context.close()
    assert errors == [], f"browser console errors: {errors}"


def screenshot(page, name: str) -> None:
    """Save a screenshot for the docs when WEERBAAR_SCREENSHOTS names a folder."""
    if SCREENSHOTS:
        Path(SCREENSHOTS).mkdir(parents=True, exist_ok=True)
        # caret="initial": hiding the caret would inject a style that the CSP blocks.
        page.screenshot(path=str(Path(SCREENSHOTS) / f"{name}.png"), caret="initial")


def login_as(page, user) -> None:
    """Carry a Django session for ``user`` into the browser (skips the sign-in form)."""
    from django.test import Client

    client = Client()
    client.force_login(user)
    page.context.clear_cookies()
    page.context.add_cookies(
        [{"name": "sessionid", "value": client.cookies["sessionid"].value, "url": page.live_url}]
    )
