"""Browser tests: Playwright (sync API) drives Debian's chromium against pytest-django's live server.

The live server needs a transactional database, which is flushed after each test: each test loads the
bundled territory again (a fraction of a second). pytest-django runs transactional tests after the others,
so the flush does not take the territory away from them.

Screenshots go to test-artifacts/screenshots/<name>.png (not committed); docs/portal.md shows a few copies.

Every page a browser test visits (with JavaScript on) is checked with axe-core (the copy bundled by
axe-playwright-python) for the WCAG 2.1 A and AA rules, which RGAA 4.1, the accessibility the law asks of
public bodies, is built on. The `browser` fixture hands out pages that check their document before the
test's next action on them, and once more when the test ends: a test with a violation fails and names the
page, the rule and the elements.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from dataclasses import dataclass, field
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
axe_package = pytest.importorskip("axe_playwright_python", reason="browser tests check pages with axe-core")

AXE_SOURCE = (Path(axe_package.__file__).parent / "axe.min.js").read_text(encoding="utf-8")
AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
# Runs once per document (the flag lives in the document, so a new page load is checked again).
AXE_RUN = """async (tags) => {
  if (window.__guichetAxeChecked) return null;
  window.__guichetAxeChecked = true;
  const result = await axe.run(document, {runOnly: {type: "tag", values: tags}});
  return result.violations.map((v) => ({
    id: v.id, impact: v.impact, help: v.help,
    nodes: v.nodes.slice(0, 5).map((n) => n.target.join(" ")),
  }));
}"""


@dataclass
class AccessibilityLog:
    """What axe-core found in one test: the documents it checked and every violation with its page."""

    checked: list[str] = field(default_factory=list)
    violations: list[str] = field(default_factory=list)
    pages: list[AccessiblePage] = field(default_factory=list)

    def check_open_pages(self) -> None:
        for page in self.pages:
            page.check_accessibility()


class AccessiblePage:
    """A Playwright page that runs axe-core on its current document before the test's next use of it.

    Checking before the next action (rather than on the load event) means a document is never left
    unchecked because the test clicked on at once; a document still loading is checked at the next use.
    """

    def __init__(self, page: Any, log: AccessibilityLog) -> None:
        object.__setattr__(self, "_page", page)
        object.__setattr__(self, "_log", log)
        log.pages.append(self)

    def __getattr__(self, name: str) -> Any:
        self.check_accessibility()
        return getattr(self._page, name)

    def check_accessibility(self) -> None:
        page = self._page
        if page.is_closed() or not page.url.startswith("http"):
            return
        try:
            if page.evaluate("document.readyState") != "complete":
                return
            if page.evaluate("typeof axe") == "undefined":
                page.evaluate(AXE_SOURCE)
            violations = page.evaluate(AXE_RUN, AXE_TAGS)
        except sync_api.Error:
            return  # a navigation destroyed the document meanwhile: the next use checks the new one
        if violations is None:
            return
        self._log.checked.append(page.url)
        self._log.violations.extend(
            f"{page.url}: {v['id']} ({v['impact']}) {v['help']} at {', '.join(v['nodes'])}"
            for v in violations
        )


class AccessibleContext:
    def __init__(self, context: Any, log: AccessibilityLog) -> None:
        object.__setattr__(self, "_context", context)
        object.__setattr__(self, "_log", log)

    def __getattr__(self, name: str) -> Any:
        return getattr(self._context, name)

    def new_page(self) -> AccessiblePage:
        return AccessiblePage(self._context.new_page(), self._log)

    def close(self) -> None:
        for page in self._log.pages:
            if page._page.context is self._context:
                page.check_accessibility()
        self._context.close()


class AccessibleBrowser:
    """The module's chromium, handing out contexts whose pages are checked into the current test's log."""

    def __init__(self, browser: Any) -> None:
        self._browser = browser
        self.log = AccessibilityLog()

    def __getattr__(self, name: str) -> Any:
        return getattr(self._browser, name)

    def new_context(self, **options: Any) -> Any:
        context = self._browser.new_context(**options)
        if options.get("java_script_enabled") is False:
            # axe-core is a script: a page without JavaScript cannot run it (Playwright's evaluate would wait
            # forever). Such a test reads the same HTML as its JavaScript twin, which is checked.
            return context
        return AccessibleContext(context, self.log)


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
            yield AccessibleBrowser(browser)
            browser.close()
    finally:
        if previous is None:
            os.environ.pop(ASYNC_UNSAFE, None)
        else:
            os.environ[ASYNC_UNSAFE] = previous


@pytest.fixture(autouse=True)
def accessibility(request: pytest.FixtureRequest) -> Iterator[AccessibilityLog | None]:
    """Every page of the test checked with axe-core; the test fails on any WCAG 2.1 A/AA violation."""
    if "browser" not in request.fixturenames:
        yield None
        return
    browser: AccessibleBrowser = request.getfixturevalue("browser")
    log = browser.log = AccessibilityLog()
    yield log
    log.check_open_pages()
    assert log.violations == [], "axe-core (WCAG 2.1 A/AA) violations:\n" + "\n".join(log.violations)


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
