"""Every URL that names a packet or something in it, tried by people who must not get it: nothing leaks.

The URLs come from the URL configuration itself, so a view added later is walked without anyone remembering to add
it here; ids of other kinds (render jobs, version numbers) are filled with real objects of the victim's packet too.
"""

import hashlib
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import pytest
from django.conf import settings
from django.core.files.base import ContentFile
from django.http import HttpRequest, HttpResponse
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, path, reverse
from django.utils import timezone

from packets.content.services import ExhibitUpload, exhibit_add
from packets.models import Comment, Exhibit, Invitation, Membership, Packet, PacketVersion, RenderJob, Role
from packets.review.comments import comment_add
from packets.sharing.services import invitation_create
from tests.builders import make_packet, make_user, pdf_bytes, upload
from tests.case_records_walk import case_snapshot, make_case_records

OBJECT_KWARGS = frozenset({"packet_id", "exhibit_id"})


@dataclass(frozen=True)
class Route:
    name: str
    kwargs: dict[str, str]  # kwarg → converter name ("uuid", "int", "slug", "str", "path" or "regex")


def _converter_name(converter: Any) -> str:
    return type(converter).__name__.removesuffix("Converter").lower()


def _walk(patterns: list[Any], namespace: str = "", inherited: dict[str, str] | None = None) -> Iterator[Route]:
    for entry in patterns:
        kwargs = dict(inherited or {})
        pattern = entry.pattern
        converters = getattr(pattern, "converters", None)
        if converters is not None and hasattr(pattern, "_route"):
            kwargs.update({name: _converter_name(conv) for name, conv in converters.items()})
        else:
            kwargs.update(dict.fromkeys(pattern.regex.groupindex, "regex"))
        if isinstance(entry, URLResolver):
            inner = f"{namespace}{entry.namespace}:" if entry.namespace else namespace
            yield from _walk(entry.url_patterns, inner, kwargs)
        elif isinstance(entry, URLPattern):
            yield Route(f"{namespace}{entry.name}" if entry.name else "", kwargs)


def packet_routes() -> list[Route]:
    return [route for route in _walk(get_resolver().url_patterns) if OBJECT_KWARGS & set(route.kwargs)]


@dataclass
class Side:
    """One user's packet and the things in it."""

    user: Any
    packet: Packet
    exhibit: Exhibit
    job: RenderJob
    version: PacketVersion
    member: Membership  # someone the owner could remove
    invitation: Invitation  # pending: the owner could withdraw it
    comment: Comment  # unresolved
    case: dict[
        str, Any
    ]  # the case after filing: its document, log entry, RFE, amendment (with a new exhibit), render, condition

    def value(self, kwarg: str, converter: str) -> Any:
        known = {
            "packet_id": self.packet.pk,
            "exhibit_id": self.exhibit.pk,
            "job_id": self.job.pk,
            "version_id": self.version.pk,
            "number": self.version.number,
            "membership_id": self.member.pk,
            "invitation_id": self.invitation.pk,
            "comment_id": self.comment.pk,
            "step": "beneficiary",
            "document_id": self.case["document"].pk,
            "entry_id": self.case["entry"].pk,
            "rfe_id": self.case["rfe"].pk,
            "amendment_id": self.case["amendment"].pk,
            "new_exhibit_id": self.case["amendment_document"].pk,
            "render_id": self.case["render"].pk,
            "condition_id": self.case["condition"].pk,
            "report_id": self.case["report"].pk,
            "due": self.case["report"].due_on.isoformat(),
        }
        if kwarg in known:
            return known[kwarg]
        # A kwarg nobody knows yet: a well-formed value, so the view still runs its permission check.
        return {"uuid": uuid.uuid4(), "int": 1}.get(converter, "x")

    def snapshot(self) -> tuple[Any, ...]:
        packet = Packet.objects.get(pk=self.packet.pk)
        return (
            packet.name,
            packet.revision,
            packet.status,
            packet.approved_revision,
            packet.data,
            list(Exhibit.objects.filter(packet=packet).values_list("pk", "position", "title")),
            list(Membership.objects.filter(packet=packet).values_list("user_id", "role")),
            list(Invitation.objects.filter(packet=packet).values_list("pk", "accepted_at", "revoked_at")),
            list(Comment.objects.filter(packet=packet).values_list("pk", "body", "resolved_at")),
            *case_snapshot(packet),
        )


def make_side(username: str, name: str, version_number: int) -> Side:
    """``username``'s packet: two exhibits, a version, a render job, an editor, an invitation and a comment."""
    user = make_user(username)
    packet = make_packet(user, name=name, beneficiary={"full_name": f"{name} beneficiary"})
    exhibit = exhibit_add(
        packet=packet,
        upload=ExhibitUpload(file=upload(f"{name}.pdf", pdf_bytes(text=name)), kind="plan", title=f"{name} plan"),
        by=user,
    )
    exhibit_add(
        packet=packet,
        upload=ExhibitUpload(file=upload(f"{name}-2.pdf", pdf_bytes(text=name)), kind="plan", title=f"{name} 2"),
        by=user,
    )
    content = pdf_bytes(text=f"{name} version")
    version = PacketVersion(
        packet=packet,
        number=version_number,
        data=packet.data,
        sha256=hashlib.sha256(content).hexdigest(),
        page_count=1,
        size=len(content),
        created_at=timezone.now(),
        created_by=user,
    )
    version.pdf.save("v1.pdf", ContentFile(content), save=False)
    version.save()
    job = RenderJob.objects.create(packet=packet, requested_by=user, version=version, state="done")
    member = Membership.objects.create(packet=packet, user=make_user(f"{username}-editor"), role=Role.EDITOR)
    invitation, _token = invitation_create(
        packet=packet, email=f"invitee@{username}.example", role=Role.COUNSEL, by=user, build_url=str
    )
    comment = comment_add(packet=packet, by=user, body=f"{name}: check the dates", step="beneficiary")
    return Side(
        user, packet, exhibit, job, version, member, invitation, comment, make_case_records(packet, user, version)
    )


def _url(route: Route, values: dict[str, Any]) -> str:
    return reverse(route.name, kwargs=values)


def _fill(route: Route, side: Side, **overrides: Any) -> dict[str, Any]:
    values = {kwarg: side.value(kwarg, converter) for kwarg, converter in route.kwargs.items()}
    values.update({key: value for key, value in overrides.items() if key in values})
    return values


@pytest.fixture
def alice(db: None) -> Side:
    return make_side("alice", "Riverton", version_number=3)


@pytest.fixture
def bob(db: None) -> Side:
    # Version numbers count per packet: different ones, so "Alice's number in Bob's packet" is not his own.
    return make_side("bob", "Salem", version_number=1)


def _request(client: Client, method: str, url: str) -> Any:
    response = client.get(url) if method == "GET" else client.post(url, {"confirm_name": "Riverton", "name": "Pwned"})
    if response.streaming:
        # Read to the end: the test client then closes the file, without the request_finished signal that would
        # close the test's database connection.
        b"".join(response.streaming_content)
    return response


def _not_found_elsewhere(client: Client, route: Route, side: Side, method: str) -> int:
    """The status the same request gets for a packet that does not exist: what a refusal must look like."""
    values = _fill(route, side, packet_id=uuid.uuid4())
    return _request(client, method, _url(route, values)).status_code


def _assert_refused(response: Any, client: Client, route: Route, side: Side, method: str, who: str) -> None:
    """404; or the method refusal (405) that a packet that does not exist gets too, so it tells nothing either."""
    status = response.status_code
    if status == 404:
        return
    if status == 405 and _not_found_elsewhere(client, route, side, method) == 405:
        return
    pytest.fail(f"{method} {route.name} as {who} answered {status}, expected 404")


def _assert_no_reach(
    response: Any, client: Client, route: Route, side: Side, method: str, foreign: dict[str, Any]
) -> None:
    """Ids of another packet inside one's own: 404, or exactly what ids that exist nowhere get (so nothing is told)."""
    if response.status_code == 404:
        return
    missing = {kwarg: uuid.uuid4() if isinstance(value, uuid.UUID) else 2**31 - 1 for kwarg, value in foreign.items()}
    baseline = _request(client, method, _url(route, _fill(route, side, **missing)))
    where = f"{method} {route.name} as Bob, with Alice's ids in his packet"
    assert response.status_code == baseline.status_code, f"{where} answered {response.status_code}"
    assert response.get("Location") == baseline.get("Location"), where
    if not response.streaming:
        assert b"Riverton" not in response.content, f"{where} shows Alice's packet"


# ── The walk finds what it should ───────────────────────────────────────────────────────────────────────────────


def test_the_walk_finds_every_packet_url() -> None:
    routes = packet_routes()
    names = {route.name for route in routes}

    assert len(routes) >= 15, names
    assert {"packet_detail", "wizard_step", "packet_delete", "exhibit_download", "exhibit_remove"} <= names
    assert sum("exhibit_id" in route.kwargs for route in routes) >= 4
    assert all(route.name for route in routes), "name every URL that takes a packet or exhibit id"


def test_the_walk_can_build_every_url(alice: Side) -> None:
    for route in packet_routes():
        assert _url(route, _fill(route, alice)).startswith(f"/packets/{alice.packet.pk}/")


# ── Who must not get in ─────────────────────────────────────────────────────────────────────────────────────────


@pytest.mark.parametrize("method", ["GET", "POST"])
def test_anonymous_visitors_are_sent_to_log_in_or_get_not_found(method: str, client: Client, alice: Side) -> None:
    before = alice.snapshot()
    login = reverse(settings.LOGIN_URL)
    for route in packet_routes():
        url = _url(route, _fill(route, alice))

        response = _request(client, method, url)

        assert response.status_code in (302, 404), f"{method} {route.name}: {response.status_code}"
        if response.status_code == 302:
            assert response.url.startswith(login), f"{method} {route.name} redirected to {response.url}"
    assert alice.snapshot() == before


def _walk_as_stranger(client: Client, alice: Side, method: str) -> None:
    for route in packet_routes():
        response = _request(client, method, _url(route, _fill(route, alice)))
        _assert_refused(response, client, route, alice, method, "a stranger")


@pytest.mark.parametrize("method", ["GET", "POST"])
def test_a_logged_in_stranger_gets_not_found_everywhere(method: str, client: Client, alice: Side) -> None:
    before = alice.snapshot()
    client.force_login(make_user("mallory"))

    _walk_as_stranger(client, alice, method)

    assert alice.snapshot() == before


def _leaky_view(request: HttpRequest, packet_id: uuid.UUID) -> HttpResponse:
    """A view that forgot ``packet_for_user``: the kind of mistake the walk exists to catch."""
    return HttpResponse(Packet.objects.get(pk=packet_id).name)


# Used as ROOT_URLCONF by the next test: the real URLs plus one leaky view.
urlpatterns = [
    *get_resolver(settings.ROOT_URLCONF).url_patterns,
    path("packets/<uuid:packet_id>/leak/", _leaky_view, name="leak"),
]


def test_the_walk_fails_on_a_new_view_that_leaks(client: Client, alice: Side, settings: Any) -> None:
    settings.ROOT_URLCONF = __name__
    client.force_login(make_user("mallory"))
    assert "leak" in {route.name for route in packet_routes()}

    with pytest.raises(pytest.fail.Exception, match="GET leak as a stranger answered 200"):
        _walk_as_stranger(client, alice, "GET")


@pytest.mark.parametrize("method", ["GET", "POST"])
def test_a_member_of_another_packet_cannot_reach_in_with_their_own_ids(
    method: str, client: Client, alice: Side, bob: Side
) -> None:
    before_alice, before_bob = alice.snapshot(), bob.snapshot()
    client.force_login(bob.user)
    tried = 0
    for route in packet_routes():
        # Alice's packet with Bob's ids for everything inside it.
        values = _fill(route, bob, packet_id=alice.packet.pk)
        response = _request(client, method, _url(route, values))
        _assert_refused(response, client, route, bob, method, "Bob, in Alice's packet")
        tried += 1

        # Bob's own packet with Alice's ids inside it: Bob is a member, so only the scoping of the lookup stops him.
        inner = [kwarg for kwarg in route.kwargs if kwarg != "packet_id" and alice.value(kwarg, "") is not None]
        alice_inner = {kwarg: alice.value(kwarg, route.kwargs[kwarg]) for kwarg in inner if kwarg != "step"}
        if not alice_inner:
            continue
        values = _fill(route, bob, **alice_inner)
        response = _request(client, method, _url(route, values))
        _assert_no_reach(response, client, route, bob, method, alice_inner)
        tried += 1
    assert tried >= 20
    assert alice.snapshot() == before_alice
    assert bob.snapshot() == before_bob


def test_a_viewer_cannot_change_anything(client: Client, alice: Side) -> None:
    from packets.models import Role

    viewer = make_user("victor")
    Membership.objects.create(packet=alice.packet, user=viewer, role=Role.VIEWER)
    before = alice.snapshot()
    client.force_login(viewer)
    for route in packet_routes():
        _request(client, "POST", _url(route, _fill(route, alice)))

    assert alice.snapshot() == before
    assert client.get(reverse("packet_detail", kwargs={"packet_id": alice.packet.pk})).status_code == 200
