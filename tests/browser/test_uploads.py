"""Uploading evidence in a browser: a second press of Save while a file uploads sends nothing more, the button says
it is busy, and the evidence table fits a phone."""

from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import Page, expect

from packets.content.services import ExhibitUpload, exhibit_add
from packets.models import Exhibit
from tests.browser.conftest import PHONE
from tests.builders import make_packet, make_user, pdf_bytes, upload

pytestmark = pytest.mark.browser

PASSWORD = "correct horse battery"  # noqa: S105 - a test password


def _log_in(page: Page, username: str) -> None:
    page.goto("/accounts/login/")
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in", exact=True).click()
    expect(page.locator("h1")).to_have_text("My packets")


def test_a_second_press_of_save_during_an_upload_sends_nothing_more(page: Page, tmp_path: Path) -> None:
    user = make_user("lucia", PASSWORD)
    packet = make_packet(user)
    plan = tmp_path / "plan.pdf"
    plan.write_bytes(pdf_bytes(pages=2))
    posts: list[str] = []
    page.on("request", lambda request: posts.append(request.url) if request.method == "POST" else None)
    _log_in(page, "lucia")
    page.goto(f"/packets/{packet.pk}/steps/evidence/")
    page.locator("[name='evidence-file']").set_input_files(str(plan))
    page.locator("[name='evidence-title']").fill("Site safety plan")
    page.locator("[name='evidence-kind']").select_option("plan")
    posts.clear()

    # What the page showed at each submission, kept where the next page can read it (the upload may be quick).
    page.evaluate(
        """() => document.getElementById("step-form").addEventListener("submit", (event) => {
            const busy = document.querySelector("#step-form button[aria-busy='true']");
            const seen = JSON.parse(sessionStorage.getItem("seen") || "[]");
            seen.push({sent: !event.defaultPrevented, busy: busy && busy.textContent,
                       disabled: busy && busy.getAttribute("aria-disabled")});
            sessionStorage.setItem("seen", JSON.stringify(seen));
        })"""
    )

    page.get_by_role("button", name="Save and continue", exact=True).dblclick()
    expect(page.locator("h1")).not_to_have_text("Other evidence")

    seen = page.evaluate("JSON.parse(sessionStorage.getItem('seen'))")
    assert seen == [
        {"sent": True, "busy": "Uploading…", "disabled": "true"},
        {"sent": False, "busy": "Uploading…", "disabled": "true"},
    ]
    assert len(posts) == 1
    assert Exhibit.objects.filter(packet=packet).count() == 1


def test_the_evidence_table_fits_a_phone_screen(page: Page, screenshot: Any) -> None:
    user = make_user("lucia", PASSWORD)
    packet = make_packet(user)
    titles = [
        "Structural assessment of the Riverton district schools, volume one",
        "Letter of support from the Municipal Emergency Office",
        "Bank statement",
        "Training plan and safety protocol for the seismic survey teams",
    ]
    for title in titles:
        exhibit_add(
            packet=packet,
            upload=ExhibitUpload(file=upload("file.pdf", pdf_bytes()), kind="plan", title=title, issuer="Riverton"),
            by=user,
        )
    _log_in(page, "lucia")
    page.goto(f"/packets/{packet.pk}/steps/evidence/")

    screenshot(page, "evidence-table")
    page.set_viewport_size(PHONE)

    wide = page.evaluate("document.documentElement.scrollWidth")
    assert wide <= PHONE["width"], wide
    table = page.locator("table.exhibits").bounding_box()
    assert table is not None and table["x"] >= 0 and table["x"] + table["width"] <= PHONE["width"]
    expect(page.get_by_role("button", name="Move down Bank statement")).to_be_visible()


def test_a_long_paste_is_kept_whole_and_counted_as_too_long(page: Page, screenshot: Any) -> None:
    user = make_user("lucia", PASSWORD)
    packet = make_packet(user)
    _log_in(page, "lucia")
    page.goto(f"/packets/{packet.pk}/steps/beneficiary/")
    pasted = "Lucía Fernández Ortega, " * 10 + "Chile"

    field = page.locator("[name='beneficiary-full_name']")
    field.fill(pasted)

    assert field.input_value() == pasted  # no maxlength: nothing cut
    count = page.locator("#id_beneficiary-full_name_count")
    expect(count).to_have_text("245 of 200 characters: too long. Shorten it before you save.")
    assert "id_beneficiary-full_name_count" in (field.get_attribute("aria-describedby") or "")
    screenshot(page, "character-count")
    field.fill("Lucía")
    expect(count).to_be_hidden()  # a short one-line answer needs no count
