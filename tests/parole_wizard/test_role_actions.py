"""A packet page offers each person only what their role may do: every link answers, every form is theirs to send.

Today's bug: counsel were offered Rename and Delete, which answered 404. For each role, and for a draft and an
approved packet, every link on the packet page and the counsel review page is followed (GET), and every form's
target is checked against the action ``tests.test_role_matrix.REQUIRED`` says it needs and ``ROLE_ACTIONS`` gives.
"""

from html.parser import HTMLParser
from typing import Any

import pytest
from django.test import Client
from django.urls import resolve

from packets.models import Membership, Packet, PacketStatus, Role
from packets.permissions import role_allows
from tests.builders import make_user
from tests.test_permission_walk import Side, make_side
from tests.test_role_matrix import REQUIRED

pytestmark = pytest.mark.django_db


class _Targets(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.links: set[str] = set()
        self.forms: set[str] = set()

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = dict(attrs)
        if tag == "a" and values.get("href"):
            self.links.add(values["href"] or "")
        if tag == "form" and (values.get("method") or "").lower() == "post":
            self.forms.add(values.get("action") or "")


def _targets(html: str, packet: Packet) -> _Targets:
    parser = _Targets()
    parser.feed(html)
    prefix = f"/packets/{packet.pk}/"
    parser.links = {link.split("#")[0] for link in parser.links if link.startswith(prefix)}
    parser.forms = {form for form in parser.forms if form.startswith(prefix)}
    return parser


def _post_action(url: str) -> Any:
    match = resolve(url.split("?")[0])
    uses = REQUIRED[match.url_name or ""]
    use = next(
        use for use in uses if all(str(match.kwargs.get(key)) == str(value) for key, value in use.kwargs.items())
    )
    return use.methods["POST"]


def _member(side: Side, role: str) -> Any:
    if role == Role.OWNER:
        return side.user
    user = make_user(f"as-{role}")
    Membership.objects.create(packet=side.packet, user=user, role=role)
    return user


@pytest.mark.parametrize("status", [PacketStatus.DRAFT, PacketStatus.APPROVED])
@pytest.mark.parametrize("role", [Role.OWNER, Role.EDITOR, Role.COUNSEL, Role.VIEWER])
def test_every_action_offered_on_the_packet_pages_is_one_the_role_may_take(
    client: Client, role: str, status: str
) -> None:
    side = make_side("alice", "Riverton", version_number=1)
    Packet.objects.filter(pk=side.packet.pk).update(status=status, approved_revision=side.packet.revision)
    client.force_login(_member(side, role))
    problems = []
    for page in (f"/packets/{side.packet.pk}/", f"/packets/{side.packet.pk}/counsel/"):
        response = client.get(page)
        assert response.status_code == 200
        targets = _targets(response.content.decode(), side.packet)
        assert targets.links, page
        for link in sorted(targets.links):
            answer = client.get(link)
            if answer.streaming:
                b"".join(answer.streaming_content)
            if answer.status_code in (403, 404, 405) or answer.status_code >= 500:
                problems.append(f"{role} on {page}: link {link} answers {answer.status_code}")
        problems += [
            f"{role} on {page}: form to {action} needs {_post_action(action)}"
            for action in sorted(targets.forms)
            if not role_allows(role, _post_action(action))
        ]
    assert problems == []


def test_counsel_is_not_offered_rename_delete_or_members(client: Client) -> None:
    side = make_side("alice", "Riverton", version_number=1)
    client.force_login(_member(side, Role.COUNSEL))
    page = client.get(f"/packets/{side.packet.pk}/").content.decode()
    for hidden in ("rename/", "delete/", "members/"):
        assert f'href="/packets/{side.packet.pk}/{hidden}"' not in page
    assert "Rename" not in page and ">Delete<" not in page


def test_a_viewer_is_not_offered_export_or_the_way_to_continue_editing(client: Client) -> None:
    side = make_side("alice", "Riverton", version_number=1)
    client.force_login(_member(side, Role.VIEWER))
    page = client.get(f"/packets/{side.packet.pk}/").content.decode()
    assert "export/" not in page and "Continue:" not in page
