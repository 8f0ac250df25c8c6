"""No form cuts a paste at ``maxlength``: the whole text stays in the box, and a text too long is refused in words
that say how long it is and how much fits, with every character kept to be shortened."""

import html
import re
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from packets.models import Membership, Packet, Role
from packets.review.comments import comment_add, comment_threads
from packets.review.workflow import packet_approve, packet_submit
from tests.builders import make_packet, make_user

pytestmark = pytest.mark.django_db


def _no_maxlength(page: str) -> None:
    assert "maxlength" not in page.lower(), re.findall(r"<[^>]*maxlength[^>]*>", page, re.I)


def _explains_and_keeps(page: str, text: str, *, limit: int) -> None:
    shown = html.unescape(page)
    assert f"This answer is {len(text):,}".replace(",", "") in shown.replace(",", "")
    assert f"at most {limit:,}".replace(",", "") in shown.replace(",", "")
    assert text in shown  # nothing cut: the whole paste is back in its box


@pytest.fixture
def owner() -> Any:
    return make_user("owner")


@pytest.fixture
def counsel() -> Any:
    return make_user("counsel")


@pytest.fixture
def packet(owner: Any, counsel: Any) -> Packet:
    packet = make_packet(owner, name="Riverton schools", beneficiary={"full_name": "Lucía Fernández Ortega"})
    Membership.objects.create(packet=packet, user=counsel, role=Role.COUNSEL)
    return packet


def test_the_cover_letter_keeps_an_over_long_paste_and_says_how_long_it_is(client: Client, owner: Any, packet: Packet):
    client.force_login(owner)
    url = reverse("packet_cover_letter", args=[packet.pk])
    page = client.get(url).content.decode()
    _no_maxlength(page)
    assert 'data-max-length="10000"' in page  # counted as one types instead
    letter = "Dear officer, " + "the school needs the inspection. " * 400
    response = client.post(url, {"text": letter, "revision": packet.revision, "action": "save"})
    assert response.status_code == 400
    _explains_and_keeps(response.content.decode(), letter.strip(), limit=10_000)


def test_the_profile_keeps_an_over_long_name_and_says_how_long_it_is(client: Client, owner: Any) -> None:
    client.force_login(owner)
    url = reverse("profile")
    _no_maxlength(client.get(url).content.decode())
    name = "Dana " + "Whitfield-" * 20
    response = client.post(url, {"full_name": name, "firm": "", "bar_number": ""})
    _explains_and_keeps(response.content.decode(), name.strip(), limit=120)


def test_counsel_pages_carry_no_maxlength(client: Client, owner: Any, counsel: Any, packet: Packet) -> None:
    submitted = packet_submit(packet=packet, by=owner)
    client.force_login(counsel)
    _no_maxlength(client.get(f"/packets/{packet.pk}/counsel/").content.decode())  # the approve note
    approved = packet_approve(packet=submitted, by=counsel, revision=submitted.revision)
    url = f"/packets/{approved.pk}/counsel/mark_filed/"
    _no_maxlength(client.get(url).content.decode())
    note = "Mailed by courier. " * 120
    response = client.post(url, {"filed_on": "2026-03-14", "method": "mail", "note": note})
    _explains_and_keeps(response.content.decode(), note.strip(), limit=2000)


def test_the_invitation_form_carries_no_maxlength(client: Client, owner: Any, packet: Packet) -> None:
    client.force_login(owner)
    _no_maxlength(client.get(reverse("packet_members", kwargs={"packet_id": packet.pk})).content.decode())


def test_an_over_long_comment_is_refused_in_words_and_comes_back_in_its_box(
    client: Client, packet: Packet, counsel: Any
) -> None:
    client.force_login(counsel)
    step_url = f"/packets/{packet.pk}/steps/beneficiary/"
    _no_maxlength(client.get(step_url).content.decode())
    body = "Please check the second surname against the passport. " * 100
    response = client.post(
        f"/packets/{packet.pk}/comments/", {"step": "beneficiary", "body": body, "next": step_url}, follow=True
    )
    assert not comment_threads(packet, "beneficiary")
    _explains_and_keeps(response.content.decode(), body.strip(), limit=5000)
    # Shown once: the next visit has an empty box again.
    assert body not in html.unescape(client.get(step_url).content.decode())


def test_an_over_long_reply_comes_back_in_its_own_box(client: Client, packet: Packet, counsel: Any) -> None:
    first = comment_add(packet=packet, by=counsel, body="Spelling?", step="beneficiary")
    client.force_login(counsel)
    step_url = f"/packets/{packet.pk}/steps/beneficiary/"
    body = "It is spelled as on the passport. " * 200
    response = client.post(
        f"/packets/{packet.pk}/comments/{first.pk}/reply/", {"body": body, "next": step_url}, follow=True
    )
    page = html.unescape(response.content.decode())
    _explains_and_keeps(page, body.strip(), limit=5000)
    reply_box = re.search(rf'<textarea id="reply-{first.pk}"[^>]*>(.*?)</textarea>', page, re.S)
    assert reply_box is not None and reply_box.group(1) == body
