"""In a real browser: the render progress page updates in place with JavaScript and refreshes itself without it, and
the filing checklist fits a 390 px phone screen."""

from collections.abc import Iterator
from typing import Any

import pytest
from django.conf import settings
from django.test import Client
from playwright.sync_api import Page, expect

from packets.models import Packet, RenderJob, RenderState
from packets.rendering.versions import NEVER_STARTED_MESSAGE
from tests.browser.conftest import DESKTOP, PHONE, SHOTS
from tests.builders import make_photo_packet, make_user

pytestmark = pytest.mark.browser


def signed_in(browser: Any, live_server: Any, user: Any, **options: Any) -> Any:
    """A browser context already signed in as ``user`` (a session made directly, whatever the login page looks like)."""
    client = Client()
    client.force_login(user)
    session_key = client.cookies[settings.SESSION_COOKIE_NAME].value
    context = browser.new_context(base_url=live_server.url, locale="en-US", **options)
    context.set_default_timeout(20_000)
    expect.set_options(timeout=15_000)
    host = live_server.url.split("//")[1].split(":")[0]
    context.add_cookies([{"name": settings.SESSION_COOKIE_NAME, "value": session_key, "domain": host, "path": "/"}])
    return context


@pytest.fixture
def owner(transactional_db: None) -> Any:
    return make_user("ana")


@pytest.fixture
def packet(owner: Any) -> Packet:
    return make_photo_packet(owner)


@pytest.fixture
def js_page(browser: Any, live_server: Any, owner: Any) -> Iterator[Page]:
    context = signed_in(browser, live_server, owner, viewport=DESKTOP)
    yield context.new_page()
    context.close()


@pytest.fixture
def no_js_page(browser: Any, live_server: Any, owner: Any) -> Iterator[Page]:
    context = signed_in(browser, live_server, owner, viewport=DESKTOP, java_script_enabled=False)
    yield context.new_page()
    context.close()


def test_with_javascript_the_progress_page_updates_in_place_then_shows_the_outcome(
    js_page: Page, packet: Packet, owner: Any, screenshot: Any, axe: Any
) -> None:
    job = RenderJob.objects.create(packet=packet, requested_by=owner)
    js_page.goto(f"/packets/{packet.pk}/renders/{job.pk}/")
    expect(js_page.locator(".render-state")).to_have_text("Status: Queued")
    js_page.evaluate("window.stillTheSamePage = true")

    RenderJob.objects.filter(pk=job.pk).update(state=RenderState.PLACING_EXHIBITS)
    expect(js_page.locator(".render-state")).to_have_text("Status: Placing exhibits")
    expect(js_page.locator(".render-steps [aria-current=step]")).to_have_text("Placing exhibits")
    expect(js_page.locator(".render-steps .step-done")).to_have_text(["Queued", "Laying out"])
    js_page.wait_for_timeout(2_500)  # longer than the no-JavaScript refresh: the page must not have reloaded
    assert js_page.evaluate("window.stillTheSamePage") is True
    axe.check(js_page, "render in progress")
    screenshot(js_page, "render-progress-placing")

    RenderJob.objects.filter(pk=job.pk).update(state=RenderState.FAILED, message=NEVER_STARTED_MESSAGE)
    expect(js_page.get_by_role("alert")).to_contain_text("The render never started")
    expect(js_page.get_by_role("button", name="Try again")).to_be_visible()
    axe.check(js_page, "render never started")
    axe.assert_clean()
    screenshot(js_page, "render-progress-never-started")


def test_without_javascript_the_progress_page_refreshes_itself(no_js_page: Page, packet: Packet, owner: Any) -> None:
    job = RenderJob.objects.create(packet=packet, requested_by=owner, state=RenderState.LAYING_OUT)
    no_js_page.goto(f"/packets/{packet.pk}/renders/{job.pk}/")
    expect(no_js_page.locator(".render-state")).to_have_text("Status: Laying out")
    RenderJob.objects.filter(pk=job.pk).update(state=RenderState.PLACING_EXHIBITS)
    expect(no_js_page.locator(".render-state")).to_have_text("Status: Placing exhibits")
    expect(no_js_page.locator(".render-steps [aria-current=step]")).to_have_text("Placing exhibits")


@pytest.fixture
def phone_page(browser: Any, live_server: Any, owner: Any) -> Iterator[Page]:
    context = signed_in(browser, live_server, owner, viewport=PHONE)
    yield context.new_page()
    context.close()


def test_the_filing_checklist_fits_a_phone_screen(phone_page: Page, packet: Packet, axe: Any) -> None:
    phone_page.goto(f"/packets/{packet.pk}/checklist/")
    expect(phone_page.get_by_role("heading", name="Filing checklist")).to_be_visible()
    SHOTS.mkdir(parents=True, exist_ok=True)
    phone_page.screenshot(path=str(SHOTS / "checklist-phone.png"), full_page=True)
    assert phone_page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    axe.check(phone_page, "filing checklist on a phone")
    axe.assert_clean()
