"""Counsel in the loop, in a real browser, with axe-core checking every new page against WCAG 2.1 A/AA.

The owner of a complete packet invites counsel by email; counsel signs up through the emailed link and accepts,
comments on a step and requests changes; the owner sees the comment, changes one prose answer and resubmits; counsel
sees exactly that change under "what changed", approves, renders the final PDF and downloads it. The PDF is read back:
no DRAFT mark, and the new words are in it.
"""

import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from django.core import mail
from playwright.sync_api import Page, expect

from packets.models import Comment, Packet, PacketStatus, Role
from tests.assembly.pdfread import draft_marked_pages, page_texts, squash
from tests.browser.conftest import DESKTOP, SHOTS
from tests.builders import make_complete_packet, make_user

pytestmark = pytest.mark.browser

OWNER_PASSWORD = "correct horse battery"  # noqa: S105 - make_user's test password
COUNSEL_PASSWORD = "a long and unusual passphrase 42"  # noqa: S105 - a test password
COUNSEL_EMAIL = "praman@ramanlaw.example.com"
OLD_WORDS = "Twelve local inspectors will be trained and certified"
NEW_WORDS = "Fifteen local inspectors will be trained and certified"
COMMENT = "Please check the number of inspectors: the training budget covers fifteen."
CHANGE_NOTE = "Public benefit: correct the number of inspectors to be trained."


@pytest.fixture
def counsel_page(browser: Any, live_server: Any, transactional_db: None) -> Iterator[Page]:
    """A second browser with its own cookies: counsel's."""
    context = browser.new_context(viewport=DESKTOP, base_url=live_server.url, locale="en-US", accept_downloads=True)
    context.set_default_timeout(20_000)
    yield context.new_page()
    context.close()


def press(page: Page, label: str) -> None:
    page.get_by_role("button", name=label, exact=True).click()
    page.wait_for_load_state("domcontentloaded")


def log_in(page: Page, username: str, password: str) -> None:
    page.goto("/accounts/login/")
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill(password)
    press(page, "Log in")
    expect(page.locator("h1")).to_have_text("My packets")


def shoot(page: Page, name: str) -> None:
    """Screenshots at 1280 and 390 wide, for a person to look at (SCREENSHOT_DIR, never committed)."""
    SHOTS.mkdir(parents=True, exist_ok=True)
    size = page.viewport_size or DESKTOP
    for suffix, width in (("desktop", 1280), ("phone", 390)):
        page.set_viewport_size({"width": width, "height": 900})
        page.screenshot(path=str(SHOTS / f"counsel-{name}-{suffix}.png"), full_page=True)
    page.set_viewport_size(size)


def confirmation_link(address: str) -> str:
    """The link in the email asking ``address`` to confirm it is theirs."""
    match = re.search(r"https?://\S+/accounts/confirm-email/\S+/", str(mail.outbox[-1].body))
    assert match and mail.outbox[-1].to == [address], mail.outbox[-1].body
    return match.group(0)


def invitation_link(address: str) -> str:
    sent = [message for message in mail.outbox if address in message.to and "/invitations/" in str(message.body)]
    assert len(sent) == 1, [message.subject for message in mail.outbox]
    match = re.search(r"https?://\S+/invitations/\S+/", sent[0].body)
    assert match, sent[0].body
    return match.group(0)


def test_owner_invites_counsel_who_requests_changes_sees_exactly_the_change_approves_and_downloads_a_final_pdf(
    page: Page, counsel_page: Page, axe: Any, tmp_path: Path
) -> None:
    owner = make_user("ana", email="ana@example.org")
    packet = make_complete_packet(owner)
    assert OLD_WORDS in packet.content.project.public_benefit
    counsel = counsel_page
    mail.outbox.clear()

    # The owner invites counsel from the members page.
    log_in(page, "ana", OWNER_PASSWORD)
    page.goto(f"/packets/{packet.pk}/")
    page.get_by_role("link", name="Members and invitations").click()
    expect(page.locator("h1")).to_have_text("Members")
    axe.check(page, "members")
    page.get_by_label("Email address").fill(COUNSEL_EMAIL)
    expect(page.get_by_label("Counsel")).to_be_checked()  # the default role
    press(page, "Send invitation")
    expect(page.locator(".messages")).to_contain_text(f"Invitation sent to {COUNSEL_EMAIL} as Counsel")
    expect(page.locator("main")).to_contain_text(f"{COUNSEL_EMAIL} as Counsel")
    axe.check(page, "members, one pending invitation")
    shoot(page, "members")

    # Counsel follows the emailed link, signs up with the invited address and comes back to accept.
    counsel.goto(invitation_link(COUNSEL_EMAIL))
    expect(counsel.locator("h1")).to_have_text(f"Join “{packet.name}”")
    axe.check(counsel, "invitation, logged out")
    counsel.get_by_role("link", name="Create an account").click()
    counsel.get_by_label("Username").fill("priya")
    counsel.get_by_label("Email").fill(COUNSEL_EMAIL)
    counsel.locator("[name='password1']").fill(COUNSEL_PASSWORD)
    counsel.locator("[name='password2']").fill(COUNSEL_PASSWORD)
    press(counsel, "Create account")
    # Anyone could sign up claiming the address: the invitation waits until counsel confirms it from the email.
    expect(counsel.locator("h1")).to_have_text("Confirm your email address first")
    axe.check(counsel, "invitation, address not confirmed yet")
    counsel.goto(confirmation_link(COUNSEL_EMAIL))
    press(counsel, "Yes, confirm this address")
    expect(counsel.locator("h1")).to_have_text(f"Join “{packet.name}”")
    axe.check(counsel, "invitation, logged in")
    press(counsel, "Accept and open the packet")
    expect(counsel.locator("h1")).to_have_text(packet.name)
    expect(counsel.locator(".messages")).to_contain_text("as Counsel")
    assert packet.memberships.get(user__username="priya").role == Role.COUNSEL
    counsel.goto("/shared/")
    expect(counsel.locator("main")).to_contain_text(packet.name)
    axe.check(counsel, "shared with me")

    # The owner submits the packet for review.
    page.goto(f"/packets/{packet.pk}/counsel/")
    expect(page.locator("h1")).to_have_text("Counsel review")
    axe.check(page, "counsel review, owner, draft")
    press(page, "Submit for review")
    expect(page.locator("#packet-status")).to_have_text("In review")

    # Counsel opens the project step, comments on one field and requests changes with a note.
    counsel.goto(f"/packets/{packet.pk}/steps/project/")
    expect(counsel.locator("h1")).to_have_text("The project")
    panel = counsel.locator("section.comments")
    panel.get_by_label("About").select_option("public_benefit")
    panel.get_by_label("Add a comment").fill(COMMENT)
    panel.get_by_role("button", name="Add comment").click()
    counsel.wait_for_load_state("domcontentloaded")
    expect(counsel.locator(".messages")).to_contain_text("Comment added.")
    expect(counsel.locator("section.comments .comment-thread")).to_contain_text(COMMENT)
    axe.check(counsel, "step with a comment, counsel")
    counsel.goto(f"/packets/{packet.pk}/counsel/")
    axe.check(counsel, "counsel review, counsel, in review")
    shoot(counsel, "review-in-review")
    counsel.get_by_label("What needs to change").fill(CHANGE_NOTE)
    press(counsel, "Request changes")
    expect(counsel.locator("#packet-status")).to_have_text("Changes requested")
    assert [message.to for message in mail.outbox if "Changes requested" in message.subject] == [["ana@example.org"]]

    # The owner sees the note, the unresolved count and the comment beside the step, edits one answer, resubmits.
    page.goto(f"/packets/{packet.pk}/")
    expect(page.locator("ol.tasks li", has_text="The project")).to_contain_text("1 unresolved comment")
    page.goto(f"/packets/{packet.pk}/counsel/")
    expect(page.locator("main")).to_contain_text(CHANGE_NOTE)
    expect(page.get_by_role("heading", name="Unresolved comments (1)")).to_be_visible()
    axe.check(page, "counsel review, owner, changes requested")
    page.locator("ul.tasks").get_by_role("link", name="The project").click()
    expect(page.locator("h1")).to_have_text("The project")
    expect(page.locator("section.comments")).to_contain_text(COMMENT)
    expect(page.locator("section.comments")).to_contain_text("on “Public-interest or community-safety outcome”")
    expect(page.locator("aside .task", has_text="The project")).to_contain_text("1 unresolved comment")
    axe.check(page, "step with a comment, owner")
    shoot(page, "step-with-comment")
    field = page.locator("[name='project-public_benefit']")
    field.fill(field.input_value().replace(OLD_WORDS, NEW_WORDS))
    press(page, "Save and continue")
    expect(page.locator("h1")).to_have_text("Why this person")
    page.goto(f"/packets/{packet.pk}/counsel/")
    page.get_by_label("Note to counsel (optional)").fill("Corrected to fifteen.")
    press(page, "Submit for review")
    expect(page.locator("#packet-status")).to_have_text("In review")

    # Counsel sees exactly that change: one field of one section, the new words inserted and the old ones removed.
    counsel.goto(f"/packets/{packet.pk}/counsel/")
    counsel.get_by_role("link", name="What changed since the last review").click()
    expect(counsel.locator("h1")).to_have_text("What changed since you last reviewed")
    expect(counsel.locator("section.diff-section")).to_have_count(1)
    changed = counsel.locator("#diff-project")
    expect(changed.locator("dt")).to_have_text(["Public-interest or community-safety outcome"])
    expect(changed.locator("ins")).to_have_text(["Fifteen"])
    expect(changed.locator("del")).to_have_text(["Twelve"])
    expect(changed.locator("dd")).to_contain_text(NEW_WORDS.removeprefix("Fifteen "))
    axe.check(counsel, "what changed")
    shoot(counsel, "what-changed")

    # Counsel approves, renders the final PDF and downloads it.
    counsel.get_by_role("link", name="Approve or request changes").click()
    expect(counsel.locator("#packet-status")).to_have_text("In review")
    counsel.get_by_role("button", name=re.compile(r"^Approve revision \d+$")).click()
    counsel.wait_for_load_state("domcontentloaded")
    expect(counsel.locator("#packet-status")).to_have_text("Approved")
    axe.check(counsel, "counsel review, approved")
    shoot(counsel, "review-approved")
    press(counsel, "Render the final PDF")
    expect(counsel.locator("h1")).to_have_text("Rendering the packet")
    download_link = counsel.get_by_role("link", name=re.compile(r"^Download version \d+"))
    expect(download_link).to_be_visible(timeout=60_000)  # the immediate backend has rendered it already
    axe.check(counsel, "final render finished")
    with counsel.expect_download() as downloading:
        download_link.click()
    download = downloading.value
    assert download.suggested_filename.endswith(".pdf")
    assert "draft" not in download.suggested_filename
    path = tmp_path / "final.pdf"
    download.save_as(path)

    pdf = path.read_bytes()
    text = squash(" ".join(page_texts(pdf)))
    assert draft_marked_pages(pdf) == []
    assert "DRAFT" not in text
    assert NEW_WORDS in text
    assert OLD_WORDS not in text
    assert COMMENT not in text  # comments never appear in the PDF
    packet.refresh_from_db()
    assert packet.status == PacketStatus.APPROVED
    assert packet.approved_revision == packet.revision
    assert Comment.objects.filter(packet=packet, resolved_at__isnull=True).count() == 1
    assert Packet.objects.get(pk=packet.pk).versions.get().final
    axe.assert_clean()
