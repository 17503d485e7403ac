"""Browser tests: Playwright (sync API) drives Debian's chromium against pytest-django's live server.

The live server needs a transactional database, which is flushed after each test: each test loads the
bundled territory again (a fraction of a second). pytest-django runs transactional tests after the others,
so the flush does not take the territory away from them.

Screenshots go to test-artifacts/screenshots/<name>.png (not committed); docs/portal.md shows a few copies.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

CHROMIUM = Path(os.environ.get("GUICHET_CHROMIUM", "/usr/bin/chromium"))
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
SCREENSHOTS = Path(__file__).resolve().parents[2] / "test-artifacts" / "screenshots"
DESKTOP = {"width": 1280, "height": 900}
PHONE = {"width": 390, "height": 844}
# The interface language of the browser; French is the site's default, English is what the screenshots show
# until the French catalogue of the new pages is regenerated.
LOCALE = os.environ.get("GUICHET_BROWSER_LOCALE", "en-GB")

if not CHROMIUM.exists():
    pytest.skip(
        f"browser tests need Debian's chromium at {CHROMIUM} (apt-get install chromium; .ci/run does)",
        allow_module_level=True,
    )

sync_api = pytest.importorskip("playwright.sync_api", reason="browser tests need the playwright package")

ASYNC_UNSAFE = "DJANGO_ALLOW_ASYNC_UNSAFE"


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    """One chromium per test module. Playwright's sync API keeps an event loop in this thread, which makes
    Django refuse the test's own (safe, synchronous) ORM calls: allowed while the browser lives, and only
    then, so that the setting never leaks into other tests or the processes they start."""
    previous = os.environ.get(ASYNC_UNSAFE)
    os.environ[ASYNC_UNSAFE] = "true"
    try:
        with sync_api.sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
            yield browser
            browser.close()
    finally:
        if previous is None:
            os.environ.pop(ASYNC_UNSAFE, None)
        else:
            os.environ[ASYNC_UNSAFE] = previous


@pytest.fixture
def page(browser: Any) -> Iterator[Any]:
    context = browser.new_context(viewport=DESKTOP, locale=LOCALE)
    context.set_default_timeout(15_000)
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    yield page
    context.close()
    assert not errors, f"JavaScript errors: {errors}"


@pytest.fixture
def phone(browser: Any) -> Iterator[Any]:
    context = browser.new_context(
        viewport=PHONE, locale=LOCALE, device_scale_factor=1, is_mobile=True, has_touch=True
    )
    context.set_default_timeout(15_000)
    page = context.new_page()
    yield page
    context.close()


@pytest.fixture
def territory(transactional_db: Any) -> None:
    """The bundled territory, loaded again into the flushed transactional database."""
    from django.core.cache import cache

    from guichet.territory.services import territory_load_dataset

    territory_load_dataset()
    cache.clear()  # rate limits


@pytest.fixture
def grand_besancon(territory: None, grand_besancon: Any) -> Any:
    """The shared fixture, once the territory it refers to is loaded."""
    return grand_besancon


@pytest.fixture
def grand_belfort(territory: None, grand_belfort: Any) -> Any:
    return grand_belfort


def screenshot(page: Any, name: str, *, full_page: bool = False) -> Path:
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    path = SCREENSHOTS / f"{name}.png"
    page.screenshot(path=str(path), full_page=full_page)
    return path


def sign_in(page: Any, live_server: Any, username: str, password: str) -> None:
    """Through the sign-in form, as a person does."""
    page.goto(f"{live_server.url}/accounts/login/")
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", password)
    page.locator("main form button[type=submit], main form input[type=submit]").first.click()
    page.wait_for_load_state("load")
    assert "/accounts/login/" not in page.url, "the sign-in failed"
