"""Comments: anchored to a step, a field or an exhibit; threaded; resolved and reopened; never in conflict or PDF."""

import re
from typing import Any

import pytest

from packets.content.services import ExhibitUpload, exhibit_add
from packets.models import Membership, Packet, Role
from packets.review.comments import (
    CommentRefused,
    comment_add,
    comment_reopen,
    comment_resolve,
    comment_threads,
    unresolved_counts,
)
from tests.builders import make_packet, make_user, pdf_bytes, upload

pytestmark = pytest.mark.django_db


@pytest.fixture
def packet(user: Any) -> Packet:
    return make_packet(user, beneficiary={"full_name": "Lucía Fernández Ortega"})


@pytest.fixture
def counsel(packet: Packet) -> Any:
    lawyer = make_user("lawyer")
    Membership.objects.create(packet=packet, user=lawyer, role=Role.COUNSEL)
    return lawyer


def test_comments_anchor_to_a_step_a_field_or_an_exhibit(packet: Packet, user: Any, counsel: Any) -> None:
    exhibit = exhibit_add(
        packet=packet, upload=ExhibitUpload(file=upload("a.pdf", pdf_bytes()), kind="other", title="Photos"), by=user
    )
    comment_add(packet=packet, by=counsel, body="Whole step", step="beneficiary")
    field = comment_add(packet=packet, by=counsel, body="Check spelling", step="beneficiary", field="full_name")
    on_exhibit = comment_add(packet=packet, by=counsel, body="Blurry", exhibit=exhibit)
    assert field.field == "full_name"
    assert (on_exhibit.step, on_exhibit.exhibit) == ("evidence", exhibit)
    assert unresolved_counts(packet) == {"beneficiary": 2, "evidence": 1}


def test_replies_join_the_thread_and_resolving_closes_it(packet: Packet, user: Any, counsel: Any) -> None:
    first = comment_add(packet=packet, by=counsel, body="Add the second surname", step="beneficiary")
    reply = comment_add(packet=packet, by=user, body="Done", parent=first)
    reply_to_reply = comment_add(packet=packet, by=counsel, body="Thanks", parent=reply)
    assert reply_to_reply.parent == first and reply.step == "beneficiary"
    (thread,) = comment_threads(packet, "beneficiary")
    assert [item.body for item in thread.replies] == ["Done", "Thanks"]
    comment_resolve(comment=reply, by=counsel)
    assert unresolved_counts(packet) == {}
    comment_reopen(comment=first, by=user)
    assert unresolved_counts(packet) == {"beneficiary": 1}


def test_comments_never_change_content_or_revisions(packet: Packet, counsel: Any) -> None:
    before = Packet.objects.get(pk=packet.pk)
    comment = comment_add(packet=packet, by=counsel, body="A note", step="beneficiary")
    comment_resolve(comment=comment, by=counsel)
    after = Packet.objects.get(pk=packet.pk)
    assert (after.data, after.revision, after.section_revisions) == (
        before.data, before.revision, before.section_revisions,
    )  # fmt: skip


def test_it_refuses_empty_comments_unknown_steps_and_non_members(packet: Packet, counsel: Any) -> None:
    with pytest.raises(CommentRefused):
        comment_add(packet=packet, by=counsel, body="   ", step="beneficiary")
    with pytest.raises(CommentRefused):
        comment_add(packet=packet, by=counsel, body="Hi", step="nowhere")
    with pytest.raises(CommentRefused):
        comment_add(packet=packet, by=make_user("stranger"), body="Hi", step="beneficiary")


def test_the_step_page_shows_its_comments_and_a_form(client: Any, packet: Packet, counsel: Any) -> None:
    comment_add(packet=packet, by=counsel, body="Is this <the> full name?", step="beneficiary")
    client.force_login(counsel)
    page = client.get(f"/packets/{packet.pk}/steps/beneficiary/").content.decode()
    assert "Is this &lt;the&gt; full name?" in page
    assert "1 unresolved comment" in page
    assert 'name="body"' in page


def test_the_step_page_shows_all_its_own_threads_and_counts_the_open_ones_of_every_step(
    client: Any, packet: Packet, counsel: Any
) -> None:
    open_here = comment_add(packet=packet, by=counsel, body="Open here", step="beneficiary")
    comment_add(packet=packet, by=counsel, body="A reply", parent=open_here)
    comment_resolve(comment=comment_add(packet=packet, by=counsel, body="Done here", step="beneficiary"), by=counsel)
    for body in ("First on the project", "Second on the project"):
        comment_add(packet=packet, by=counsel, body=body, step="project")
    comment_resolve(comment=comment_add(packet=packet, by=counsel, body="Done there", step="timeline"), by=counsel)
    client.force_login(counsel)

    page = client.get(f"/packets/{packet.pk}/steps/beneficiary/").content.decode()

    assert all(text in page for text in ("Open here", "A reply", "Done here"))
    assert "on the project" not in page and "Done there" not in page
    tasks = {
        re.sub(r"<[^>]+>", "", button): item
        for item, button in re.findall(r'(<li class="task.*?<button[^>]*>(.*?)</button>.*?</li>)', page, re.S)
    }
    assert "1 unresolved comment<" in tasks["The person who would travel"]
    assert "2 unresolved comments" in tasks["The project"]
    assert "unresolved" not in tasks["Timeline"]


def test_a_comment_posted_through_the_view_lands_on_its_step(client: Any, packet: Packet, counsel: Any) -> None:
    client.force_login(counsel)
    response = client.post(
        f"/packets/{packet.pk}/comments/",
        {"step": "beneficiary", "field": "full_name", "body": "Spelling?", "next": "/evil.example/"},
    )
    assert response.status_code == 302
    (thread,) = comment_threads(packet, "beneficiary")
    assert thread.comment.field == "full_name"


def test_a_stranger_gets_404_from_comment_views(client: Any, packet: Packet, counsel: Any) -> None:
    comment = comment_add(packet=packet, by=counsel, body="A note", step="beneficiary")
    client.force_login(make_user("stranger"))
    assert client.post(f"/packets/{packet.pk}/comments/", {"step": "beneficiary", "body": "x"}).status_code == 404
    assert client.post(f"/packets/{packet.pk}/comments/{comment.pk}/resolve/").status_code == 404
