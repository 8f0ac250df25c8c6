"""Two tabs on one step, in a real browser: edits of different questions both survive; one question changed in both
is shown side by side; an answer that cannot be saved yet waits as a draft, said to be unsaved."""

from collections.abc import Callable, Iterator
from typing import Any

import pytest
from django.conf import settings
from django.test import Client
from playwright.sync_api import Page, expect

from packets.models import Packet
from tests.builders import make_packet, make_user

pytestmark = pytest.mark.browser


@pytest.fixture
def tabs(browser: Any, live_server: Any, transactional_db: None) -> Iterator[Callable[[Any], Page]]:
    """Opens tabs of their own (own cookies), each logged in as a user; closed before the live server stops."""
    opened: list[Any] = []

    def open_tab(user: Any) -> Page:
        page = _tab(browser, live_server, user)
        opened.append(page.context)
        return page

    yield open_tab
    for context in opened:
        context.close()


def _tab(browser: Any, live_server: Any, user: Any) -> Page:
    """A tab logged in as ``user`` — as a second browser window or device would be."""
    client = Client()
    client.force_login(user)
    context = browser.new_context(viewport={"width": 1280, "height": 900}, base_url=live_server.url, locale="en-US")
    context.set_default_timeout(20_000)
    cookie = client.cookies[settings.SESSION_COOKIE_NAME].value
    context.add_cookies([{"name": settings.SESSION_COOKIE_NAME, "value": cookie, "url": live_server.url}])
    return context.new_page()


def _save(page: Page) -> None:
    page.get_by_role("button", name="Save and continue", exact=True).click()
    page.wait_for_load_state("domcontentloaded")


def test_two_tabs_merge_different_answers_and_show_only_the_real_conflict_side_by_side(
    tabs: Any, axe: Any, screenshot: Any
) -> None:
    user = make_user("lucia")
    packet = make_packet(user, beneficiary={"full_name": "Lucía", "citizenship": "Chile"})
    url = f"/packets/{packet.pk}/steps/beneficiary/"
    first, second = tabs(user), tabs(user)
    first.goto(url)
    second.goto(url)

    first.locator("[name='beneficiary-phone']").fill("+56 9 5555 0101")
    _save(first)
    second.locator("[name='beneficiary-residence_address']").fill("Avenida Libertad 1405, Viña del Mar")
    _save(second)

    expect(second.locator("h1")).to_have_text("Who is asking")
    saved = Packet.objects.get(pk=packet.pk).data["beneficiary"]
    assert saved["phone"] == "+56 9 5555 0101"
    assert saved["residence_address"] == "Avenida Libertad 1405, Viña del Mar"

    # Now both tabs change the full name: that one question is shown side by side, the rest merged already.
    first.goto(url)
    second.goto(url)
    first.locator("[name='beneficiary-full_name']").fill("Lucía Fernández Ortega")
    _save(first)
    second.locator("[name='beneficiary-full_name']").fill("Lucy Fernandez")
    second.locator("[name='beneficiary-citizenship']").fill("Chile and Spain")
    _save(second)

    expect(second.locator("h1")).to_have_text("This section changed while you were editing")
    expect(second.locator("table.compare tbody tr")).to_have_count(1)
    expect(second.locator("table.compare")).to_contain_text("Lucía Fernández Ortega")
    expect(second.locator("table.compare")).to_contain_text("Lucy Fernandez")
    axe.check(second, "conflict")
    screenshot(second, "conflict")

    second.get_by_role("link", name="Check the combined answers (yours where both changed), then save").click()
    expect(second.locator(".draft-notice")).to_contain_text("These answers are not saved yet")
    expect(second.locator("[name='beneficiary-full_name']")).to_have_value("Lucy Fernandez")
    expect(second.locator("[name='beneficiary-citizenship']")).to_have_value("Chile and Spain")
    axe.check(second, "merged draft")
    screenshot(second, "merged-draft")
    second.locator("[name='beneficiary-full_name']").fill("Lucía Fernández Ortega")
    _save(second)

    saved = Packet.objects.get(pk=packet.pk).data["beneficiary"]
    assert (saved["full_name"], saved["citizenship"]) == ("Lucía Fernández Ortega", "Chile and Spain")
    axe.assert_clean()


def test_an_answer_that_cannot_be_saved_waits_as_a_draft_after_leaving_by_a_menu_link(
    tabs: Any, axe: Any, screenshot: Any
) -> None:
    user = make_user("lucia")
    packet = make_packet(user)
    page = tabs(user)
    page.goto(f"/packets/{packet.pk}/steps/beneficiary/")
    page.locator("[name='beneficiary-full_name']").fill("Lucía Fernández Ortega")
    page.locator("[name='beneficiary-email']").fill("lucia at example.org")
    _save(page)
    expect(page.locator("#error-summary")).to_be_visible()

    page.get_by_role("link", name="My packets").first.click()  # leaves by a menu link
    page.get_by_role("link", name=f"Resume {packet.name}").click()

    expect(page.locator("#error-summary")).to_contain_text("These answers are not saved yet")
    expect(page.locator("#error-summary")).to_contain_text("Enter an email address like name@example.org.")
    expect(page.locator("[name='beneficiary-full_name']")).to_have_value("Lucía Fernández Ortega")
    axe.check(page, "draft notice")
    screenshot(page, "draft-notice")
    axe.assert_clean()


def test_add_another_adds_an_entry_on_the_server_and_enter_still_saves(tabs: Any, axe: Any, screenshot: Any) -> None:
    # The button is a plain submit button handled by the server (tests/parole_wizard/test_add_another.py posts it
    # with no JavaScript at all); here a browser shows that Enter in a field still means "Save and continue".
    user = make_user("lucia")
    packet = make_packet(user)
    page = tabs(user)
    page.goto(f"/packets/{packet.pk}/steps/timeline/")
    page.locator("[name='timeline-milestones-0-description']").fill("Onboarding")

    page.get_by_role("button", name="Add another milestone", exact=True).click()
    page.wait_for_load_state("domcontentloaded")

    expect(page.locator("#rows-milestones .row-card")).to_have_count(2)
    expect(page.locator("[name='timeline-milestones-0-description']")).to_have_value("Onboarding")
    expect(page.locator(".draft-notice")).to_contain_text("These answers are not saved yet")
    axe.check(page, "added entry")
    screenshot(page, "added-entry")
    assert Packet.objects.get(pk=packet.pk).data["timeline"]["milestones"] == []

    # Enter in a field saves (the form's first button), it does not add yet another entry.
    page.locator("[name='timeline-milestones-1-description']").fill("Triage training")
    page.locator("[name='timeline-milestones-1-description']").press("Enter")
    page.wait_for_load_state("domcontentloaded")

    expect(page.locator("h1")).to_have_text("Why parole and not a visa")
    milestones = Packet.objects.get(pk=packet.pk).data["timeline"]["milestones"]
    assert [row["description"] for row in milestones] == ["Onboarding", "Triage training"]
    axe.assert_clean()
