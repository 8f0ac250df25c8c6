"""The audit log: every view, download, edit, invitation and status change of a packet says who, when, what and from
where; the owner and counsel read it; nothing in the app can change it."""

from typing import Any

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from packets.audit.records import NOT_RECORDED
from packets.models import AuditEntry, Membership, Packet, PacketStatus, Role
from tests.builders import make_user
from tests.parole_wizard.pages import open_step, submit_step
from tests.test_permission_walk import _fill, _url, make_side, packet_routes

BROWSER = "Mozilla/5.0 (X11; Linux x86_64) AuditTest/1.0"
ADDRESS = "203.0.113.41"


@pytest.fixture
def side(db: None) -> Any:
    return make_side("alice", "Riverton", version_number=1)


@pytest.fixture
def owner(client: Client, side: Any) -> Client:
    client.force_login(side.user)
    client.defaults.update(HTTP_USER_AGENT=BROWSER, REMOTE_ADDR=ADDRESS)
    return client


def entries(packet: Packet, action: str | None = None) -> list[AuditEntry]:
    found = AuditEntry.objects.filter(packet=packet)
    return list(found.filter(action=action) if action else found)


def _read(response: Any) -> Any:
    if response.streaming:
        b"".join(response.streaming_content)
    return response


def test_opening_the_packet_records_who_when_what_and_from_where(owner: Client, side: Any) -> None:
    owner.get(reverse("packet_detail", args=[side.packet.pk]))

    [entry] = entries(side.packet, "view")
    assert entry.user == side.user
    assert entry.username == "alice"
    assert entry.description == "packet detail"
    assert entry.ip == ADDRESS
    assert entry.user_agent == BROWSER
    assert entry.created_at is not None
    assert entry.packet_ref == side.packet.pk


def test_downloads_are_recorded_with_the_file_they_handed_out(owner: Client, side: Any) -> None:
    _read(owner.get(reverse("exhibit_download", args=[side.packet.pk, side.exhibit.pk])))
    _read(owner.get(reverse("packet_version_download", args=[side.packet.pk, side.version.number])))

    descriptions = sorted(entry.description for entry in entries(side.packet, "download"))
    assert descriptions == [
        f"exhibit download (exhibit_id={side.exhibit.pk})",
        f"packet version download (number={side.version.number})",
    ]


def test_every_packet_page_a_member_opens_is_recorded_including_views_added_later(owner: Client, side: Any) -> None:
    answered = set()
    for route in packet_routes():
        response = _read(owner.get(_url(route, _fill(route, side))))
        if response.status_code < 400:
            answered.add(route.name)

    recorded = {entry.description.split(" (")[0].replace(" ", "_") for entry in entries(side.packet)}
    assert len(answered) >= 15
    assert answered - NOT_RECORDED <= recorded


def test_an_edit_is_recorded(owner: Client, side: Any) -> None:
    page = owner.get(reverse("packet_rename", args=[side.packet.pk]))
    assert page.status_code == 200

    owner.post(reverse("packet_rename", args=[side.packet.pk]), {"name": "Riverton, renamed"})

    [entry] = entries(side.packet, "change")
    assert entry.description == "packet rename"
    assert Packet.objects.get(pk=side.packet.pk).name == "Riverton, renamed"


def test_a_status_change_records_its_outcome(owner: Client, side: Any, django_capture_on_commit_callbacks: Any) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        owner.post(reverse("packet_transition", args=[side.packet.pk, "submit"]), {"note": "Please look"})

    assert Packet.objects.get(pk=side.packet.pk).status == PacketStatus.IN_REVIEW
    [entry] = entries(side.packet, "status")
    assert entry.description.startswith("draft → in_review at revision")
    assert (entry.user, entry.ip, entry.user_agent) == (side.user, ADDRESS, BROWSER)


def test_invitations_and_membership_changes_are_recorded(
    owner: Client, side: Any, django_capture_on_commit_callbacks: Any
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        owner.post(
            reverse("packet_members", args=[side.packet.pk]), {"email": "counsel@example.org", "role": "counsel"}
        )
        owner.post(reverse("invitation_revoke", args=[side.packet.pk, side.invitation.pk]))
        owner.post(reverse("member_remove", args=[side.packet.pk, side.member.pk]))

    descriptions = [
        entry.description for entry in reversed(entries(side.packet)) if entry.action in ("invite", "member")
    ]
    assert descriptions == [
        "sent to counsel@example.org as Counsel",
        f"withdrawn: {side.invitation.email} as Counsel",
        "removed alice-editor (Editor)",
    ]
    assert all(entry.ip == ADDRESS for entry in entries(side.packet, "invite"))


def test_a_stranger_is_refused_and_the_attempt_is_kept_out_of_the_packets_log(client: Client, side: Any) -> None:
    mallory = make_user("mallory")
    client.force_login(mallory)

    assert client.get(reverse("packet_detail", args=[side.packet.pk])).status_code == 404

    assert entries(side.packet) == []
    attempt = AuditEntry.objects.get(user=mallory, action="refused")
    assert attempt.packet is None
    assert attempt.description == "GET packet detail"


def test_the_log_outlives_the_packet(owner: Client, side: Any) -> None:
    packet_id = side.packet.pk
    owner.get(reverse("packet_detail", args=[packet_id]))

    owner.post(reverse("packet_delete", args=[packet_id]), {"confirm_name": "Riverton"})

    assert not Packet.objects.filter(pk=packet_id).exists()
    actions = list(AuditEntry.objects.filter(packet_ref=packet_id).values_list("action", flat=True))
    assert "delete" in actions and "view" in actions


# ── Reading the log ─────────────────────────────────────────────────────────────────────────────────────────────────


@pytest.mark.parametrize(("role", "status"), [(Role.COUNSEL, 200), (Role.EDITOR, 404), (Role.VIEWER, 404)])
def test_owner_and_counsel_read_the_log_and_nobody_else(client: Client, side: Any, role: str, status: int) -> None:
    member = make_user(f"as-{role}")
    Membership.objects.create(packet=side.packet, user=member, role=role)
    client.force_login(member)

    assert client.get(reverse("packet_audit", args=[side.packet.pk])).status_code == status


def test_the_log_page_shows_the_entries_and_escapes_what_the_browser_sent(client: Client, side: Any) -> None:
    client.force_login(side.user)
    hostile = '<script>alert("ua")</script>{{ 7|add:7 }}'
    client.get(reverse("packet_detail", args=[side.packet.pk]), HTTP_USER_AGENT=hostile, REMOTE_ADDR=ADDRESS)

    page = client.get(reverse("packet_audit", args=[side.packet.pk])).content.decode()

    assert "packet detail" in page
    assert ADDRESS in page
    assert "&lt;script&gt;alert(&quot;ua&quot;)&lt;/script&gt;{{ 7|add:7 }}" in page
    assert "<script>alert" not in page


# ── Nobody rewrites history ─────────────────────────────────────────────────────────────────────────────────────────


def test_an_entry_cannot_be_changed_or_deleted(owner: Client, side: Any) -> None:
    owner.get(reverse("packet_detail", args=[side.packet.pk]))
    [entry] = entries(side.packet)

    entry.description = "nothing happened"
    with pytest.raises(PermissionError):
        entry.save()
    with pytest.raises(PermissionError):
        entry.delete()

    assert AuditEntry.objects.get(pk=entry.pk).description == "packet detail"


def test_the_log_page_only_reads(owner: Client, side: Any) -> None:
    owner.get(reverse("packet_detail", args=[side.packet.pk]))
    before = list(AuditEntry.objects.values_list("pk", "description"))

    response = owner.post(reverse("packet_audit", args=[side.packet.pk]), {"description": "rewritten"})

    assert response.status_code == 405
    assert set(before) <= set(AuditEntry.objects.values_list("pk", "description"))


def test_no_admin_can_edit_the_log() -> None:
    from django.conf import settings

    assert "django.contrib.admin" not in settings.INSTALLED_APPS


def test_logins_logouts_and_failed_logins_are_recorded(client: Client, db: None) -> None:
    make_user("ana")
    client.post(reverse("login"), {"login": "ana", "password": "wrong"}, REMOTE_ADDR=ADDRESS)
    client.post(reverse("login"), {"login": "ana", "password": "correct horse battery"}, REMOTE_ADDR=ADDRESS)
    client.post(reverse("logout"), REMOTE_ADDR=ADDRESS)

    actions = list(AuditEntry.objects.order_by("id").values_list("action", "ip"))
    assert actions == [("login_failed", ADDRESS), ("login", ADDRESS), ("logout", ADDRESS)]


def test_rows_loaded_from_a_backup_record_nothing(side: Any, django_capture_on_commit_callbacks: Any) -> None:
    from django.core import serializers

    newcomer = make_user("newcomer")
    membership = Membership(packet=side.packet, user=newcomer, role=Role.VIEWER, created_at=timezone.now())
    [loaded] = serializers.deserialize("json", serializers.serialize("json", [membership]))
    before = AuditEntry.objects.count()

    with django_capture_on_commit_callbacks(execute=True):
        loaded.save()

    assert Membership.objects.filter(user=newcomer).exists()
    assert AuditEntry.objects.count() == before


def test_a_step_save_is_recorded_once_with_the_change_it_made(owner: Client, side: Any) -> None:
    # The entry is written in the save's own transaction (one commit, not two); the middleware must not add another.
    _response, page = open_step(owner, side.packet, "project")

    response = submit_step(owner, side.packet, "project", {"title": "Safe Schools"}, page=page)

    assert response.status_code == 302
    [entry] = entries(side.packet, "change")
    assert entry.description == "wizard step (step=project)"
    assert entry.user == side.user
    assert entry.ip == ADDRESS
    assert entry.user_agent == BROWSER
    assert Packet.objects.get(pk=side.packet.pk).data["project"]["title"] == "Safe Schools"


def test_a_save_that_changes_nothing_is_still_recorded_once(owner: Client, side: Any) -> None:
    _response, page = open_step(owner, side.packet, "project")
    submit_step(owner, side.packet, "project", {"title": "Safe Schools"}, page=page)

    submit_step(owner, side.packet, "project", {"title": "Safe Schools"}, page=page)  # the same answers again

    assert len(entries(side.packet, "change")) == 2


def test_a_refused_stale_save_records_no_change(side: Any) -> None:
    first_tab, second_tab = Client(), Client()
    first_tab.force_login(side.user)
    second_tab.force_login(side.user)
    _response, first_page = open_step(first_tab, side.packet, "project")
    _response, second_page = open_step(second_tab, side.packet, "project")
    submit_step(first_tab, side.packet, "project", {"title": "Safe Schools"}, page=first_page)

    response = submit_step(second_tab, side.packet, "project", {"title": "Something else"}, page=second_page)

    assert response.status_code == 409
    assert len(entries(side.packet, "change")) == 1  # the first tab's save only
    [refused] = AuditEntry.objects.filter(action="refused", user=side.user)
    assert refused.description == "POST wizard step (step=project)"
