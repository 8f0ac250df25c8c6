"""Fixtures for browser tests: Debian's Chromium driven by Playwright, and axe-core accessibility checks.

Chromium comes from the system (/usr/bin/chromium), never from ``playwright install``. When it cannot start, the
tests fail, so a missing or broken browser never passes silently; only an explicit REQUIRE_BROWSER=0 skips them.
"""

import os
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

# Playwright's sync API runs an event loop in this thread; Django would otherwise refuse ORM calls from the test
# (live_server's data setup, the assertions that read the database back).
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

CHROMIUM = os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
DESKTOP = {"width": 1280, "height": 900}
PHONE = {"width": 390, "height": 844}
SHOTS = Path(os.environ.get("SCREENSHOT_DIR", "/tmp/shots"))  # noqa: S108 - screenshots for a person to look at


def browser_required() -> bool:
    """Whether a browser that cannot start fails the tests: always, unless REQUIRE_BROWSER=0 opts out."""
    return os.environ.get("REQUIRE_BROWSER", "1") != "0"


@pytest.fixture(scope="session")
def browser() -> Iterator[Any]:
    try:
        from playwright.sync_api import Error, sync_playwright
    except ImportError as error:  # pragma: no cover - the dev extra installs it
        if browser_required():
            pytest.fail(f"Playwright is not installed ({error}); REQUIRE_BROWSER=0 skips the browser tests")
        pytest.skip(f"REQUIRE_BROWSER=0 and Playwright is not installed: {error}")
    manager = sync_playwright().start()
    try:
        launched = manager.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
    except Error as error:
        manager.stop()
        if browser_required():
            pytest.fail(
                f"Chromium at {CHROMIUM} did not start ({error}). Install it (apt-get install chromium), name another "
                "with CHROMIUM_PATH, or skip the browser tests with REQUIRE_BROWSER=0"
            )
        pytest.skip(f"REQUIRE_BROWSER=0 and Chromium at {CHROMIUM} did not start: {error}")
    yield launched
    launched.close()
    manager.stop()


@pytest.fixture(autouse=True)
def _emailed_links_open_the_live_server(settings: Any, live_server: Any) -> None:
    settings.SITE_URL = live_server.url


@pytest.fixture
def page(browser: Any, live_server: Any, transactional_db: None) -> Iterator[Any]:
    """A fresh browser tab (own cookies) at desktop size, pointed at the live server."""
    from playwright.sync_api import expect

    context = browser.new_context(viewport=DESKTOP, base_url=live_server.url, locale="en-US")
    # Generous waits: on a busy 2-core CI machine a step page with its upload can take several seconds.
    context.set_default_timeout(20_000)
    expect.set_options(timeout=15_000)
    tab = context.new_page()
    yield tab
    context.close()


class AccessibilityChecker:
    """Runs axe-core (WCAG 2.1 A and AA rules) on a page and remembers what it found on every page checked."""

    def __init__(self) -> None:
        from axe_playwright_python.sync_playwright import Axe

        self.axe = Axe()
        self.problems: list[str] = []
        self.checked: list[str] = []

    def check(self, page: Any, name: str) -> None:
        results = self.axe.run(page, options={"runOnly": {"type": "tag", "values": WCAG_TAGS}})
        self.checked.append(name)
        for violation in results.response.get("violations", []):
            nodes = "\n".join(
                f"      {' '.join(node.get('target', []))}: {node.get('failureSummary', '').strip()}\n"
                f"        {node.get('html', '')[:200]}"
                for node in violation.get("nodes", [])
            )
            self.problems.append(
                f"[{name}] {page.url}\n  {violation['id']} ({violation.get('impact')}): {violation['help']}\n{nodes}"
            )

    def assert_clean(self) -> None:
        assert not self.problems, "axe-core found WCAG 2.1 A/AA violations:\n\n" + "\n\n".join(self.problems)


@pytest.fixture
def axe() -> AccessibilityChecker:
    return AccessibilityChecker()


@pytest.fixture
def screenshot() -> Callable[[Any, str], None]:
    """Full-page screenshots at desktop and phone width, for a person to look at (never committed)."""

    def take(page: Any, name: str) -> None:
        SHOTS.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(SHOTS / f"{name}-desktop.png"), full_page=True)
        page.set_viewport_size(PHONE)
        page.screenshot(path=str(SHOTS / f"{name}-phone.png"), full_page=True)
        page.set_viewport_size(DESKTOP)

    return take
