"""The review workflow: legal transitions, refused ones, approval lost on edit, and the final PDF pinned to approval."""

from typing import Any

import pytest
from django.core import mail
from django.utils import timezone

from packets.content.services import packet_save_section
from packets.models import Membership, Packet, PacketStatus, ReviewEvent, Role
from packets.rendering.versions import packet_render
from packets.review.filing import packet_mark_filed
from packets.review.workflow import (
    ReviewRefused,
    packet_approve,
    packet_file_without_counsel,
    packet_request_changes,
    packet_submit,
)
from tests.assembly.pdfread import draft_marked_pages, page_texts
from tests.builders import make_complete_packet, make_packet, make_user

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def owner() -> Any:
    return make_user("owner")


@pytest.fixture
def counsel() -> Any:
    return make_user("counsel")


@pytest.fixture
def packet(owner: Any, counsel: Any) -> Packet:
    packet = make_packet(owner, beneficiary={"full_name": "Lucía Fernández Ortega"})
    Membership.objects.create(packet=packet, user=counsel, role=Role.COUNSEL)
    return packet


def _edit(packet: Packet, by: Any, name: str) -> Packet:
    return packet_save_section(
        packet=packet, section="beneficiary", value={"full_name": name}, base_revision=packet.revision, by=by
    )


def test_it_walks_the_whole_loop_and_records_each_step(packet: Packet, owner: Any, counsel: Any) -> None:
    packet = packet_submit(packet=packet, by=owner)
    assert packet.status == PacketStatus.IN_REVIEW
    packet = packet_request_changes(packet=packet, by=counsel, note="Add the second surname.")
    assert packet.status == PacketStatus.CHANGES_REQUESTED
    packet = _edit(packet, owner, "Lucía Fernández Ortega de Vries")
    packet = packet_submit(packet=packet, by=owner)
    packet = packet_approve(packet=packet, by=counsel, revision=packet.revision)
    assert (packet.status, packet.approved_revision, packet.approved_by) == (
        PacketStatus.APPROVED, packet.revision, counsel,
    )  # fmt: skip
    packet = packet_mark_filed(
        packet=packet, by=owner, filed_on=timezone.localdate(), method="lockbox", filed_outside_app=True
    )
    assert packet.status == PacketStatus.FILED
    events = list(ReviewEvent.objects.filter(packet=packet).order_by("created_at", "id"))
    assert [(e.from_status, e.to_status) for e in events] == [
        ("draft", "in_review"),
        ("in_review", "changes_requested"),
        ("changes_requested", "in_review"),
        ("in_review", "approved"),
        ("approved", "filed"),
    ]
    assert events[1].user == counsel and events[1].note == "Add the second surname."
    assert Membership.objects.get(packet=packet, user=counsel).last_reviewed_revision == packet.revision


def test_it_emails_the_other_side(packet: Packet, owner: Any, counsel: Any) -> None:
    packet_submit(packet=packet, by=owner)
    assert [message.to for message in mail.outbox] == [["counsel@example.org"]]
    packet_request_changes(packet=packet, by=counsel, note="Please add the passport page.")
    assert mail.outbox[-1].to == ["owner@example.org"]
    assert "Please add the passport page." in mail.outbox[-1].body


@pytest.mark.parametrize(
    ("status", "action"),
    [
        ("draft", "approve"),
        ("draft", "request_changes"),
        ("draft", "mark_filed"),
        ("in_review", "submit"),
        ("in_review", "mark_filed"),
        ("changes_requested", "approve"),
        ("approved", "submit"),
        ("approved", "approve"),
        ("filed", "submit"),
        ("filed", "approve"),
        ("filed", "request_changes"),
    ],
)
def test_it_refuses_an_illegal_transition_with_a_message(
    packet: Packet, owner: Any, counsel: Any, status: str, action: str
) -> None:
    Packet.objects.filter(pk=packet.pk).update(status=status)
    packet.refresh_from_db()
    calls = {
        "submit": lambda: packet_submit(packet=packet, by=owner),
        "approve": lambda: packet_approve(packet=packet, by=counsel, revision=packet.revision),
        "request_changes": lambda: packet_request_changes(packet=packet, by=counsel, note="x"),
        "mark_filed": lambda: packet_mark_filed(
            packet=packet, by=owner, filed_on=timezone.localdate(), method="online", filed_outside_app=True
        ),
    }
    with pytest.raises(ReviewRefused, match="cannot be"):
        calls[action]()
    packet.refresh_from_db()
    assert packet.status == status
    assert not ReviewEvent.objects.filter(packet=packet).exists()


def test_only_counsel_reviews_and_only_the_owner_submits(packet: Packet, owner: Any) -> None:
    editor = make_user("editor")
    Membership.objects.create(packet=packet, user=editor, role=Role.EDITOR)
    with pytest.raises(ReviewRefused, match="role"):
        packet_submit(packet=packet, by=editor)
    packet = packet_submit(packet=packet, by=owner)
    with pytest.raises(ReviewRefused, match="role"):
        packet_approve(packet=packet, by=owner, revision=packet.revision)
    with pytest.raises(ReviewRefused, match="role"):
        packet_approve(packet=packet, by=make_user("stranger"), revision=packet.revision)


def test_a_change_request_needs_a_note(packet: Packet, owner: Any, counsel: Any) -> None:
    packet = packet_submit(packet=packet, by=owner)
    with pytest.raises(ReviewRefused, match="change"):
        packet_request_changes(packet=packet, by=counsel, note="  ")


def test_counsel_cannot_approve_a_revision_they_did_not_see(packet: Packet, owner: Any, counsel: Any) -> None:
    packet = packet_submit(packet=packet, by=owner)
    seen = packet.revision
    _edit(packet, owner, "Someone Else")
    with pytest.raises(ReviewRefused, match="changed since you opened it"):
        packet_approve(packet=packet, by=counsel, revision=seen)


def test_an_edit_after_approval_needs_a_new_approval(packet: Packet, owner: Any, counsel: Any) -> None:
    packet = packet_submit(packet=packet, by=owner)
    packet = packet_approve(packet=packet, by=counsel, revision=packet.revision)
    mail.outbox.clear()
    packet = _edit(packet, owner, "Lucía F. Ortega")
    assert packet.status == PacketStatus.CHANGED_SINCE_APPROVAL
    assert packet.approved_revision == packet.revision - 1
    assert mail.outbox[-1].to == ["counsel@example.org"]
    packet = packet_approve(packet=packet, by=counsel, revision=packet.revision)
    assert packet.status == PacketStatus.APPROVED


def test_status_changes_never_touch_content_or_revisions(packet: Packet, owner: Any, counsel: Any) -> None:
    before = Packet.objects.get(pk=packet.pk)
    packet_submit(packet=packet, by=owner)
    packet_request_changes(packet=packet, by=counsel, note="Fine so far.")
    after = Packet.objects.get(pk=packet.pk)
    assert (after.data, after.revision, after.section_revisions) == (
        before.data, before.revision, before.section_revisions,
    )  # fmt: skip
    # A form loaded before the status changes still saves without a conflict.
    packet_save_section(
        packet=after, section="beneficiary", value={"full_name": "New"}, base_revision=before.revision, by=owner
    )


def test_filing_without_counsel_needs_confirmation_and_no_counsel(owner: Any) -> None:
    packet = make_packet(owner)
    with pytest.raises(ReviewRefused, match="confirm"):
        packet_file_without_counsel(packet=packet, by=owner, confirmed=False)
    packet = packet_file_without_counsel(packet=packet, by=owner, confirmed=True)
    assert packet.status == PacketStatus.FILED
    assert packet.filed_without_counsel_by == owner and packet.filed_without_counsel_at is not None
    assert packet.approved_revision == packet.revision
    with_counsel = make_packet(owner)
    Membership.objects.create(packet=with_counsel, user=make_user("lawyer"), role=Role.COUNSEL)
    with pytest.raises(ReviewRefused, match="has counsel"):
        packet_file_without_counsel(packet=with_counsel, by=owner, confirmed=True)


# ── the final PDF ────────────────────────────────────────────────────────────────────────────────────────────────


@pytest.fixture
def demo(owner: Any, counsel: Any) -> Packet:
    packet = make_complete_packet(owner)
    Membership.objects.create(packet=packet, user=counsel, role=Role.COUNSEL)
    return packet


def test_a_final_pdf_is_refused_before_approval_and_from_any_other_revision(
    demo: Packet, owner: Any, counsel: Any
) -> None:
    with pytest.raises(ReviewRefused, match="approval"):
        packet_render(packet=demo, final=True, by=counsel)
    demo = packet_submit(packet=demo, by=owner)
    demo = packet_approve(packet=demo, by=counsel, revision=demo.revision)
    demo = packet_save_section(
        packet=demo, section="project", value={**demo.data["project"], "title": "Another title"},
        base_revision=demo.revision, by=owner,
    )  # fmt: skip
    with pytest.raises(ReviewRefused, match="changed after revision"):
        packet_render(packet=demo, final=True, by=owner)
    editor = make_user("editor")
    Membership.objects.create(packet=demo, user=editor, role=Role.EDITOR)
    Packet.objects.filter(pk=demo.pk).update(status=PacketStatus.APPROVED, approved_revision=demo.revision)
    demo.refresh_from_db()
    with pytest.raises(ReviewRefused, match="Only counsel or the owner"):
        packet_render(packet=demo, final=True, by=editor)


def test_a_final_pdf_from_the_approved_revision_has_no_draft_mark(demo: Packet, owner: Any, counsel: Any) -> None:
    demo = packet_submit(packet=demo, by=owner)
    demo = packet_approve(packet=demo, by=counsel, revision=demo.revision)
    version = packet_render(packet=demo, final=True, by=counsel)
    assert version.final
    pdf = _pdf(version)
    texts = page_texts(pdf)
    assert draft_marked_pages(pdf) == []
    assert not any("draft" in text.lower() for text in texts)
    assert "Counsel review" not in texts[0]


def test_a_packet_filed_without_counsel_says_so_on_its_cover(owner: Any) -> None:
    packet = make_complete_packet(owner)
    packet = packet_file_without_counsel(packet=packet, by=owner, confirmed=True)
    version = packet_render(packet=packet, final=True, by=owner)
    cover = " ".join(page_texts(_pdf(version))[0].split())
    assert "Filed without counsel review" in cover


def _pdf(version: Any) -> bytes:
    with version.pdf.open("rb") as handle:
        return bytes(handle.read())


def _approved_demo(demo: Packet, owner: Any, counsel: Any, first: str, last: str) -> Packet:
    counsel.first_name, counsel.last_name = first, last
    counsel.save(update_fields=["first_name", "last_name"])
    demo = packet_submit(packet=demo, by=owner)
    return packet_approve(packet=demo, by=counsel, revision=demo.revision)


def test_a_final_cover_names_the_approving_counsel_and_the_letter_bears_the_approval_date(
    demo: Packet, owner: Any, counsel: Any
) -> None:
    demo = _approved_demo(demo, owner, counsel, "Priya", "Raman")
    approved_on = timezone.localdate(demo.approved_at)
    version = packet_render(packet=demo, final=True, by=counsel)
    texts = [" ".join(text.split()) for text in page_texts(_pdf(version))]
    cover, letter = texts[0], texts[1]
    assert (
        f"Reviewed and approved by Priya Raman, Raman Immigration Law, on {approved_on.isoformat()} "
        f"(revision {demo.approved_revision})"
    ) in cover
    assert "Priya Raman, Esq." not in cover  # the approving member, not the typed text
    assert f"DATE {approved_on.isoformat()}" in cover  # the labels are set in capitals
    assert letter.startswith(f"Cover letter {approved_on.isoformat()}") and "Respectfully, Priya Raman" in letter


def test_another_approving_counsel_is_named_instead_of_the_typed_one_and_the_page_says_so(
    demo: Packet, owner: Any, counsel: Any, client: Any
) -> None:
    demo = _approved_demo(demo, owner, counsel, "Jonah", "Weiss")
    client.force_login(counsel)
    page = client.get(f"/packets/{demo.pk}/counsel/").content.decode()
    assert "The packet names Priya Raman, Esq. as counsel" in page and "but Jonah Weiss approved it" in page
    version = packet_render(packet=demo, final=True, by=counsel)
    texts = [" ".join(text.split()) for text in page_texts(_pdf(version))]
    assert "Reviewed and approved by Jonah Weiss, on" in texts[0] and "Raman" not in texts[0]
    assert "Respectfully, Jonah Weiss" in texts[1]


def test_a_draft_cover_letter_is_dated_the_planned_filing_date(demo: Packet, counsel: Any) -> None:
    version = packet_render(packet=demo, final=False, by=counsel)
    texts = [" ".join(text.split()) for text in page_texts(_pdf(version))]
    assert texts[1].startswith(f"Cover letter {demo.content.timeline.filing_date.isoformat()}")
    assert "approved by" not in texts[0]
