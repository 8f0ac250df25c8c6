"""Sharing a packet: invitations by email, accepting them through log-in or sign-up, withdrawing, removing members."""

import hashlib
import re
import threading
from collections.abc import Callable
from datetime import timedelta
from typing import Any

import pytest
from django.core import mail
from django.db import connection
from django.http import Http404
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from packets.models import Invitation, Membership, Packet, Role
from packets.sharing.services import (
    SharingRefused,
    invitation_accept,
    invitation_create,
    invitation_revoke,
    membership_remove,
)
from tests.builders import make_packet, make_user

LINK = re.compile(r"http://testserver(/invitations/[0-9a-f-]+/[A-Za-z0-9_-]+/)")
CONFIRM_LINK = re.compile(r"https?://testserver(/accounts/confirm-email/\S+/)")


def _build_url(path: str) -> str:
    return f"http://testserver{path}"


def _invite(packet: Packet, owner: Any, email: str, role: str = Role.COUNSEL) -> tuple[Invitation, str]:
    """Invite through the service; returns the invitation and the path of its link."""
    invitation, token = invitation_create(packet=packet, email=email, role=role, by=owner, build_url=_build_url)
    return invitation, reverse("invitation_accept", kwargs={"invitation_id": invitation.pk, "token": token})


def _text(response: Any) -> str:
    return response.content.decode()


@pytest.fixture
def owner(db: None) -> Any:
    return make_user("olga", email="olga@example.org")


@pytest.fixture
def packet(owner: Any) -> Packet:
    return make_packet(owner, name="Riverton schools")


@pytest.fixture
def counsel(db: None) -> Any:
    return make_user("carmen", email="Carmen.Ruiz@LawFirm.example")


# ── Inviting ────────────────────────────────────────────────────────────────────────────────────────────────────


def test_the_owner_invites_someone_and_they_get_an_email_with_a_link(
    client: Client, owner: Any, packet: Packet
) -> None:
    client.force_login(owner)

    response = client.post(
        reverse("packet_members", kwargs={"packet_id": packet.pk}),
        {"email": "carmen.ruiz@lawfirm.example", "role": "counsel"},
    )

    assert response.status_code == 302
    invitation = Invitation.objects.get(packet=packet)
    assert (invitation.email, invitation.role, invitation.invited_by) == (
        "carmen.ruiz@lawfirm.example",
        "counsel",
        owner,
    )
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == ["carmen.ruiz@lawfirm.example"]
    assert "Riverton schools" in message.subject
    assert "olga" in message.body and "Counsel" in message.body
    assert LINK.search(message.body), message.body


def test_only_a_hash_of_the_token_is_stored_and_the_link_lasts_seven_days(owner: Any, packet: Packet) -> None:
    invitation, path = _invite(packet, owner, "carmen@lawfirm.example")

    token = path.rstrip("/").rsplit("/", 1)[1]
    assert len(token) >= 40
    assert invitation.token_hash == hashlib.sha256(token.encode()).hexdigest()
    assert token not in str(Invitation.objects.filter(pk=invitation.pk).values().get())
    assert timedelta(days=6, hours=23) < invitation.expires_at - timezone.now() <= timedelta(days=7)


def test_the_owner_role_cannot_be_given_by_invitation(client: Client, owner: Any, packet: Packet) -> None:
    client.force_login(owner)

    response = client.post(
        reverse("packet_members", kwargs={"packet_id": packet.pk}), {"email": "x@example.org", "role": "owner"}
    )

    assert response.status_code == 400
    assert not Invitation.objects.exists()
    with pytest.raises(SharingRefused):
        _invite(packet, owner, "x@example.org", role=Role.OWNER)


def test_inviting_an_existing_member_is_refused_whatever_the_case_of_the_address(
    client: Client, owner: Any, packet: Packet, counsel: Any
) -> None:
    Membership.objects.create(packet=packet, user=counsel, role=Role.COUNSEL)
    client.force_login(owner)

    response = client.post(
        reverse("packet_members", kwargs={"packet_id": packet.pk}),
        {"email": "carmen.ruiz@lawfirm.example", "role": "viewer"},
    )
    myself = client.post(
        reverse("packet_members", kwargs={"packet_id": packet.pk}), {"email": "OLGA@example.org", "role": "viewer"}
    )

    assert response.status_code == myself.status_code == 400
    assert "carmen.ruiz@lawfirm.example is already a member of this packet (Counsel)." in _text(response)
    assert "already a member" in _text(myself)
    assert not Invitation.objects.exists()
    assert mail.outbox == []


def test_re_inviting_replaces_the_pending_invitation_and_its_link(
    client: Client, owner: Any, packet: Packet, counsel: Any
) -> None:
    first, first_path = _invite(packet, owner, "carmen.ruiz@lawfirm.example", role=Role.VIEWER)
    second, second_path = _invite(packet, owner, "CARMEN.RUIZ@lawfirm.example", role=Role.COUNSEL)
    client.force_login(counsel)

    old = client.post(first_path)
    new = client.post(second_path)

    assert list(Invitation.objects.values_list("pk", flat=True)) == [second.pk]
    assert old.status_code == 410
    assert "not valid" in _text(old)
    assert new.status_code == 302
    assert Membership.objects.get(packet=packet, user=counsel).role == Role.COUNSEL


# ── Accepting ───────────────────────────────────────────────────────────────────────────────────────────────────


def test_the_invitee_logs_in_through_the_link_and_joins_with_the_chosen_role(
    client: Client, owner: Any, packet: Packet, counsel: Any
) -> None:
    _invite(packet, owner, "carmen.ruiz@lawfirm.example", role=Role.COUNSEL)
    path = LINK.search(mail.outbox[0].body).group(1)  # type: ignore[union-attr]

    landing = client.get(path)
    login_url = re.search(r'href="([^"]*/accounts/login/\?next=[^"]*)"', _text(landing)).group(1).replace("&amp;", "&")  # type: ignore[union-attr]
    logged_in = client.post(login_url, {"login": "carmen", "password": "correct horse battery"})
    confirm = client.get(logged_in.url)
    accepted = client.post(path)

    assert landing.status_code == 200
    assert "Riverton schools" in _text(landing) and "Counsel" in _text(landing)
    assert logged_in.status_code == 302 and logged_in.url == path
    assert "Accept and open the packet" in _text(confirm)
    assert accepted.status_code == 302
    assert accepted.url == reverse("packet_detail", kwargs={"packet_id": packet.pk})
    assert Membership.objects.get(packet=packet, user=counsel).role == Role.COUNSEL
    invitation = Invitation.objects.get()
    assert invitation.accepted_by == counsel and invitation.accepted_at is not None
    assert client.get(accepted.url).status_code == 200


def test_a_new_person_signs_up_through_the_link_and_comes_back_to_accept(
    client: Client, owner: Any, packet: Packet
) -> None:
    _invite(packet, owner, "new.counsel@example.org", role=Role.EDITOR)
    path = LINK.search(mail.outbox[0].body).group(1)  # type: ignore[union-attr]
    landing = client.get(path)
    signup_url = (
        re.search(r'href="([^"]*/accounts/signup/\?next=[^"]*)"', _text(landing)).group(1).replace("&amp;", "&")
    )  # type: ignore[union-attr]

    signed_up = client.post(
        signup_url,
        {
            "username": "newcounsel",
            "email": "New.Counsel@example.org",
            "password1": "a long enough passphrase 42",
            "password2": "a long enough passphrase 42",
        },
    )
    back_unconfirmed = client.get(signed_up.url)
    refused = client.post(signed_up.url)
    joined_unconfirmed = Membership.objects.filter(user__username="newcounsel").exists()
    confirm_link = CONFIRM_LINK.search(str(mail.outbox[-1].body)).group(1)  # type: ignore[union-attr]
    confirmed = client.post(confirm_link)
    accepted = client.post(confirmed.url)

    assert signed_up.status_code == 302 and signed_up.url == path
    # Anyone can sign up claiming an address: the invitation waits until the address is confirmed.
    assert "Confirm your email address first" in _text(back_unconfirmed)
    assert refused.status_code == 200 and not joined_unconfirmed
    assert confirmed.status_code == 302 and confirmed.url == path  # back to the invitation
    assert accepted.status_code == 302
    assert Membership.objects.get(packet=packet, user__username="newcounsel").role == Role.EDITOR


def test_sign_up_does_not_send_people_to_another_site(client: Client, db: None) -> None:
    response = client.post(
        reverse("signup") + "?next=https://evil.example/phish",
        {
            "username": "someone",
            "email": "someone@example.org",
            "password1": "a long enough passphrase 42",
            "password2": "a long enough passphrase 42",
        },
    )

    assert response.status_code == 302
    assert response.url == reverse("dashboard")


def test_a_used_link_is_refused(client: Client, owner: Any, packet: Packet, counsel: Any) -> None:
    _invitation, path = _invite(packet, owner, "carmen.ruiz@lawfirm.example")
    client.force_login(counsel)
    assert client.post(path).status_code == 302

    again = client.post(path)
    looked_at = client.get(path)

    assert again.status_code == looked_at.status_code == 410
    assert "already been used" in _text(again)
    assert Membership.objects.filter(packet=packet).count() == 2


def test_a_used_link_cannot_be_used_by_the_next_person_either(owner: Any, packet: Packet, counsel: Any) -> None:
    invitation, path = _invite(packet, owner, "carmen.ruiz@lawfirm.example")
    token = path.rstrip("/").rsplit("/", 1)[1]
    invitation_accept(invitation_id=invitation.pk, token=token, user=counsel)
    Membership.objects.filter(user=counsel).delete()  # removed later: the old link must not bring them back

    with pytest.raises(SharingRefused, match="already been used"):
        invitation_accept(invitation_id=invitation.pk, token=token, user=counsel)


def test_an_expired_link_is_refused(client: Client, owner: Any, packet: Packet, counsel: Any) -> None:
    invitation, path = _invite(packet, owner, "carmen.ruiz@lawfirm.example")
    Invitation.objects.filter(pk=invitation.pk).update(expires_at=timezone.now() - timedelta(seconds=1))
    client.force_login(counsel)

    response = client.post(path)

    assert response.status_code == 410
    assert "This invitation has expired (invitations last 7 days). Ask for a new one." in _text(response)
    assert not Membership.objects.filter(user=counsel).exists()


def test_a_withdrawn_link_is_refused(client: Client, owner: Any, packet: Packet, counsel: Any) -> None:
    invitation, path = _invite(packet, owner, "carmen.ruiz@lawfirm.example")
    client.force_login(owner)
    revoked = client.post(reverse("invitation_revoke", kwargs={"packet_id": packet.pk, "invitation_id": invitation.pk}))
    client.force_login(counsel)

    response = client.post(path)

    assert revoked.status_code == 302
    assert response.status_code == 410
    assert "This invitation was withdrawn." in _text(response)
    assert not Membership.objects.filter(user=counsel).exists()


def test_a_wrong_or_truncated_token_is_refused_without_naming_the_packet(
    client: Client, owner: Any, packet: Packet, counsel: Any
) -> None:
    invitation, path = _invite(packet, owner, "carmen.ruiz@lawfirm.example")
    client.force_login(counsel)

    wrong = client.post(reverse("invitation_accept", kwargs={"invitation_id": invitation.pk, "token": "x" * 43}))
    truncated = client.get(path[:-6] + "/")

    for response in (wrong, truncated):
        assert response.status_code == 410
        assert "This invitation link is not valid." in _text(response)
        assert "Riverton" not in _text(response)
    assert not Membership.objects.filter(user=counsel).exists()


def test_someone_else_who_is_logged_in_is_refused_and_told_whom_it_was_for(
    client: Client, owner: Any, packet: Packet, counsel: Any
) -> None:
    _invitation, path = _invite(packet, owner, "carmen.ruiz@lawfirm.example")
    client.force_login(make_user("mallory", email="mallory@example.org"))

    looked_at = client.get(path)
    response = client.post(path)

    assert looked_at.status_code == response.status_code == 403
    assert "This invitation was sent to c…@lawfirm.example; log in as that person to accept it." in _text(response)
    assert Membership.objects.filter(packet=packet).count() == 1
    assert Invitation.objects.get().accepted_at is None
    # The right person can still use it.
    client.force_login(counsel)
    assert client.post(path).status_code == 302


def test_an_address_differing_only_in_case_matches(owner: Any, packet: Packet, counsel: Any) -> None:
    # counsel signed up as Carmen.Ruiz@LawFirm.example
    invitation, path = _invite(packet, owner, "CARMEN.RUIZ@lawfirm.EXAMPLE")

    membership = invitation_accept(invitation_id=invitation.pk, token=path.rstrip("/").rsplit("/", 1)[1], user=counsel)

    assert (membership.packet, membership.user, membership.role) == (packet, counsel, Role.COUNSEL)


def test_a_member_who_opens_an_invitation_again_is_told_they_are_in(
    client: Client, owner: Any, packet: Packet, counsel: Any
) -> None:
    _invitation, path = _invite(packet, owner, "carmen.ruiz@lawfirm.example")
    Membership.objects.create(packet=packet, user=counsel, role=Role.VIEWER)
    client.force_login(counsel)

    response = client.post(path)

    assert response.status_code == 403
    assert "You are already a member of this packet." in _text(response)
    assert Membership.objects.get(user=counsel).role == Role.VIEWER


# ── The members page, withdrawing and removing ─────────────────────────────────────────────────────────────────


def test_the_members_page_lists_members_and_pending_invitations(
    client: Client, owner: Any, packet: Packet, counsel: Any
) -> None:
    Membership.objects.create(packet=packet, user=counsel, role=Role.COUNSEL)
    _invite(packet, owner, "viewer@example.org", role=Role.VIEWER)
    expired, _path = _invite(packet, owner, "late@example.org", role=Role.EDITOR)
    Invitation.objects.filter(pk=expired.pk).update(expires_at=timezone.now() - timedelta(days=1))
    used, used_path = _invite(packet, owner, "gone@example.org", role=Role.EDITOR)
    Invitation.objects.filter(pk=used.pk).update(accepted_at=timezone.now())
    client.force_login(owner)

    response = client.get(reverse("packet_members", kwargs={"packet_id": packet.pk}))

    html = _text(response)
    assert response.status_code == 200
    assert "olga" in html and "carmen" in html
    assert "viewer@example.org as Viewer" in html
    assert "late@example.org as Editor" in html and "expired" in html
    assert "gone@example.org" not in html
    assert [m.user for m in response.context["memberships"]] == [owner, counsel]


def test_the_packet_page_links_to_the_members_page_only_for_those_who_manage_members(
    client: Client, owner: Any, packet: Packet, counsel: Any
) -> None:
    Membership.objects.create(packet=packet, user=counsel, role=Role.COUNSEL)
    members_url = reverse("packet_members", kwargs={"packet_id": packet.pk})
    detail_url = reverse("packet_detail", kwargs={"packet_id": packet.pk})

    client.force_login(owner)
    as_owner = _text(client.get(detail_url))
    client.force_login(counsel)
    as_counsel = _text(client.get(detail_url))

    assert members_url in as_owner
    assert members_url not in as_counsel


def test_a_removed_member_loses_access_at_once(client: Client, owner: Any, packet: Packet, counsel: Any) -> None:
    membership = Membership.objects.create(packet=packet, user=counsel, role=Role.COUNSEL)
    counsel_client = Client()
    counsel_client.force_login(counsel)
    detail_url = reverse("packet_detail", kwargs={"packet_id": packet.pk})
    assert counsel_client.get(detail_url).status_code == 200
    client.force_login(owner)

    removed = client.post(
        reverse("member_remove", kwargs={"packet_id": packet.pk, "membership_id": membership.pk}), follow=True
    )

    assert "Removed carmen from this packet." in _text(removed)
    assert counsel_client.get(detail_url).status_code == 404
    assert (
        counsel_client.get(reverse("wizard_step", kwargs={"packet_id": packet.pk, "step": "beneficiary"})).status_code
        == 404
    )
    assert "Riverton" not in _text(counsel_client.get(reverse("shared_with_me")))


def test_the_last_owner_cannot_be_removed(client: Client, owner: Any, packet: Packet) -> None:
    own = Membership.objects.get(packet=packet, user=owner)
    client.force_login(owner)

    response = client.post(
        reverse("member_remove", kwargs={"packet_id": packet.pk, "membership_id": own.pk}), follow=True
    )

    assert "A packet always keeps its owner." in _text(response)
    assert Membership.objects.filter(pk=own.pk).exists()


def test_an_accepted_invitation_cannot_be_withdrawn(owner: Any, packet: Packet, counsel: Any) -> None:
    invitation, path = _invite(packet, owner, "carmen.ruiz@lawfirm.example")
    invitation_accept(invitation_id=invitation.pk, token=path.rstrip("/").rsplit("/", 1)[1], user=counsel)

    with pytest.raises(SharingRefused, match="already accepted or withdrawn"):
        invitation_revoke(packet=packet, invitation_id=invitation.pk, by=owner)


def test_an_invitation_of_another_packet_cannot_be_withdrawn_or_a_member_of_another_removed_through_mine(
    owner: Any, packet: Packet, other_user: Any
) -> None:
    others = make_packet(other_user, name="Salem")
    invitation, _path = _invite(others, other_user, "carmen@example.org")
    their_owner = Membership.objects.get(packet=others)

    with pytest.raises(SharingRefused):
        invitation_revoke(packet=packet, invitation_id=invitation.pk, by=owner)
    with pytest.raises(SharingRefused):
        membership_remove(packet=packet, membership_id=their_owner.pk, by=owner)
    assert Invitation.objects.get(pk=invitation.pk).revoked_at is None
    assert Membership.objects.filter(pk=their_owner.pk).exists()


@pytest.mark.parametrize("role", [Role.EDITOR, Role.COUNSEL, Role.VIEWER, None])
def test_the_sharing_services_check_the_role_themselves(role: Role | None, owner: Any, packet: Packet) -> None:
    someone = make_user("someone")
    if role is not None:
        Membership.objects.create(packet=packet, user=someone, role=role)
    invitation, _path = _invite(packet, owner, "carmen@example.org")
    own = Membership.objects.get(packet=packet, user=owner)

    with pytest.raises(Http404):
        invitation_create(packet=packet, email="x@example.org", role=Role.VIEWER, by=someone, build_url=_build_url)
    with pytest.raises(Http404):
        invitation_revoke(packet=packet, invitation_id=invitation.pk, by=someone)
    with pytest.raises(Http404):
        membership_remove(packet=packet, membership_id=own.pk, by=someone)
    assert Invitation.objects.get().revoked_at is None


# ── Shared with me ──────────────────────────────────────────────────────────────────────────────────────────────


def test_shared_with_me_lists_the_packets_i_am_in_but_do_not_own(
    client: Client, owner: Any, packet: Packet, counsel: Any
) -> None:
    Membership.objects.create(packet=packet, user=counsel, role=Role.COUNSEL)
    make_packet(counsel, name="Counsel's own packet")
    make_packet(owner, name="Olga's private packet")
    packet = make_packet(owner, name="Riverton again")  # not shared
    client.force_login(counsel)

    response = client.get(reverse("shared_with_me"))

    html = _text(response)
    assert [row["packet"].name for row in response.context["rows"]] == ["Riverton schools"]
    row = response.context["rows"][0]
    assert row["role"] == "Counsel"
    assert "Counsel&#x27;s own packet" not in html and "Olga&#x27;s private packet" not in html
    assert "olga" in html  # who made the last change
    assert f'href="{reverse("shared_with_me")}"' in html  # the header links here


def test_shared_with_me_shows_status_and_unresolved_comments_when_they_exist(
    client: Client, owner: Any, packet: Packet, counsel: Any
) -> None:
    Membership.objects.create(packet=packet, user=counsel, role=Role.VIEWER)
    client.force_login(counsel)

    row = client.get(reverse("shared_with_me")).context["rows"][0]

    if hasattr(Packet, "status"):
        assert row["status"] == Packet(status=packet.status).get_status_display()  # type: ignore[misc]
    if hasattr(packet, "comments"):
        assert row["unresolved"] == 0


def test_shared_with_me_needs_a_login(client: Client) -> None:
    response = client.get(reverse("shared_with_me"))

    assert response.status_code == 302
    assert response.url.startswith(reverse("login"))


# ── At the same moment (PostgreSQL: real row locks) ───────────────────────────────────────────────────────────


def _at_once(calls: list[Callable[[], Any]]) -> tuple[list[Any], list[BaseException]]:
    start = threading.Barrier(len(calls))
    results: list[Any] = []
    errors: list[BaseException] = []

    def run(call: Callable[[], Any]) -> None:
        try:
            start.wait()
            results.append(call())
        except BaseException as error:  # noqa: BLE001 - returned to the test, which checks it
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(call,)) for call in calls]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return results, errors


@pytest.mark.django_db(transaction=True)
def test_a_link_opened_in_two_tabs_at_once_works_once() -> None:
    if connection.vendor != "postgresql":
        pytest.skip("needs concurrent connections with row locks (PostgreSQL)")
    owner = make_user("olga")
    counsel = make_user("carmen", email="carmen@example.org")
    packet = make_packet(owner)
    invitation, path = _invite(packet, owner, "carmen@example.org")
    token = path.rstrip("/").rsplit("/", 1)[1]

    def accept() -> Membership:
        return invitation_accept(invitation_id=invitation.pk, token=token, user=counsel)

    results, errors = _at_once([accept] * 4)

    assert len(results) == 1
    assert len(errors) == 3 and all(isinstance(error, SharingRefused) for error in errors), errors
    assert Membership.objects.filter(packet=packet, user=counsel).count() == 1


@pytest.mark.django_db(transaction=True)
def test_inviting_the_same_address_twice_at_once_leaves_one_pending_invitation() -> None:
    if connection.vendor != "postgresql":
        pytest.skip("needs concurrent connections with row locks (PostgreSQL)")
    owner = make_user("olga")
    packet = make_packet(owner)

    def invite() -> Any:
        return _invite(packet, owner, "carmen@example.org")

    results, errors = _at_once([invite] * 4)

    assert len(results) >= 1
    assert all(isinstance(error, SharingRefused) for error in errors), errors
    assert Invitation.objects.filter(packet=packet).count() == 1
