"""In a real browser: a paste longer than the cover letter's limit stays whole in the box, is counted as too long as
it lands, and saving it explains what to do with the text still there."""

from typing import Any

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import DESKTOP
from tests.browser.test_render_progress_and_phone import signed_in
from tests.builders import make_packet, make_user

pytestmark = pytest.mark.browser


def test_a_cover_letter_pasted_too_long_is_kept_whole_counted_and_explained(
    browser: Any, live_server: Any, transactional_db: None, screenshot: Any
) -> None:
    owner = make_user("ana")
    packet = make_packet(owner, project={"title": "Bridge inspection", "summary": "Inspect the bridge."})
    context = signed_in(browser, live_server, owner, viewport=DESKTOP)
    page = context.new_page()
    page.goto(f"/packets/{packet.pk}/cover-letter/")
    letter = "The school needs the inspection before the rains. " * 220  # 11,000 characters
    box = page.get_by_label("Letter text")
    box.fill(letter)
    assert box.input_value() == letter  # nothing cut off
    expect(page.locator("#id_text_count")).to_contain_text("too long")
    screenshot(page, "cover-letter-too-long")
    page.get_by_role("button", name="Save letter").click()
    expect(page.get_by_role("alert")).to_contain_text("at most 10000 characters fit here")
    assert page.get_by_label("Letter text").input_value() == letter.strip()
    screenshot(page, "cover-letter-refused")
    context.close()
