"""Counsel on a phone: the review page names people with firm and bar number, and "Mark as filed" is a confirmation
form that records the date, how, and the receipt number (checked by axe-core, screenshots at 390 px)."""

from typing import Any

import pytest
from django.utils import timezone
from playwright.sync_api import Page, expect

from packets.models import Filing, Membership, PacketStatus, Role
from packets.people import profile_save
from packets.review.comments import comment_add
from packets.review.workflow import packet_approve, packet_submit
from tests.browser.conftest import PHONE
from tests.builders import make_packet, make_user

pytestmark = pytest.mark.browser


def test_counsel_marks_an_approved_packet_as_filed_on_a_phone(page: Page, axe: Any, screenshot: Any) -> None:
    owner, counsel = make_user("owner"), make_user("dwhit")
    profile_save(user=owner, full_name="Lucía Fernández")
    profile_save(user=counsel, full_name="Dana Whitfield", firm="Whitfield Immigration Law", bar_number="NY 4123456")
    packet = make_packet(owner, name="Riverton schools")
    Membership.objects.create(packet=packet, user=counsel, role=Role.COUNSEL)
    comment_add(packet=packet, by=owner, body="Is the passport page enough?", step="beneficiary")
    packet = packet_submit(packet=packet, by=owner)
    packet_approve(packet=packet, by=counsel, revision=packet.revision, note="Good to file.")

    page.set_viewport_size(PHONE)
    page.goto("/accounts/login/")
    page.get_by_label("Username").fill("dwhit")
    page.get_by_label("Password").fill("correct horse battery")
    page.get_by_role("button", name="Log in", exact=True).click()
    page.goto(f"/packets/{packet.pk}/counsel/")
    expect(page.locator(".counsel-people")).to_contain_text("Dana Whitfield (Whitfield Immigration Law")
    expect(page.locator(".history")).to_contain_text("Good to file.")
    axe.check(page, "counsel review page")
    screenshot(page, "counsel-review")

    page.get_by_role("link", name="Mark as filed…").click()
    expect(page.locator("h1")).to_have_text("Mark as filed")
    page.get_by_label("Filing date").fill(timezone.localdate().isoformat())
    page.get_by_label("Filed online").check()
    page.get_by_label("Receipt number (if you have it)").fill("ioe 0123-456-789")
    page.get_by_role("button", name="Confirm: mark as filed").click()
    expect(page.locator(".error-summary")).to_contain_text("no final PDF")  # nothing rendered: say so, file nothing
    axe.check(page, "mark as filed, refused")
    screenshot(page, "mark-filed-confirmation")

    page.get_by_label("I filed a PDF made outside this app").check()
    page.get_by_role("button", name="Confirm: mark as filed").click()
    expect(page.locator(".filing")).to_contain_text("IOE0123456789")
    screenshot(page, "counsel-review-filed")
    page.goto(f"/packets/{packet.pk}/")
    expect(page.locator(".filing")).to_contain_text("IOE0123456789")
    expect(page.get_by_role("link", name="Rename")).to_have_count(0)
    expect(page.get_by_role("link", name="Delete")).to_have_count(0)
    axe.check(page, "packet page as counsel")
    screenshot(page, "packet-as-counsel")
    axe.assert_clean()
    filing = Filing.objects.get(packet=packet)
    assert (filing.method, filing.receipt_number, filing.filed_outside_app) == ("online", "IOE0123456789", True)
    assert filing.packet.status == PacketStatus.FILED
