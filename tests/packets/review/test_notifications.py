"""Emails reach the right person with a link that works: absolute links, comment digests, invitation reminders."""

import io
import subprocess
import sys
from datetime import timedelta
from typing import Any

import pytest
from django.core import mail
from django.core.management import call_command
from django.db import connection
from django.test import Client
from django.utils import timezone
from django_tasks import task_backends

from packets.models import Invitation, Membership, Notification, Packet, Role
from packets.review.comments import comment_add
from packets.review.notifications import DIGEST_WINDOW, invitation_reminders_send, notifications_send_due
from packets.review.tasks import send_due_notifications_task
from packets.review.workflow import packet_submit
from packets.sharing.services import invitation_create
from parole_wizard.settings import BASE_DIR
from tests.builders import make_packet, make_user
from tests.security.test_headers import production_environment

pytestmark = pytest.mark.django_db

SITE = "https://parole.example.org"


@pytest.fixture(autouse=True)
def _site(settings: Any) -> None:
    settings.SITE_URL = SITE


@pytest.fixture
def owner() -> Any:
    return make_user("owner")


@pytest.fixture
def counsel() -> Any:
    return make_user("counsel")


@pytest.fixture
def packet(owner: Any, counsel: Any) -> Packet:
    packet = make_packet(owner, name="Riverton schools")
    Membership.objects.create(packet=packet, user=counsel, role=Role.COUNSEL)
    return packet


def _later(minutes: int) -> Any:
    return timezone.now() + timedelta(minutes=minutes)


# ── absolute links ─────────────────────────────────────────────────────────────────────────────────────────────────


def test_a_review_email_links_to_the_packet_with_the_sites_address(
    packet: Packet, owner: Any, django_capture_on_commit_callbacks: Any
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        packet_submit(packet=packet, by=owner)
    (message,) = mail.outbox
    assert f"{SITE}/packets/{packet.pk}/counsel/" in message.body


def test_an_invitation_email_links_with_the_sites_address_not_the_requests_host(
    client: Client, packet: Packet, owner: Any
) -> None:
    client.force_login(owner)
    client.post(
        f"/packets/{packet.pk}/members/",
        {"email": "editor@example.org", "role": "editor"},
        HTTP_HOST="testserver",
    )
    (message,) = mail.outbox
    assert f"{SITE}/invitations/" in message.body
    assert "testserver" not in message.body


def test_production_refuses_to_start_without_a_site_url() -> None:
    environment = production_environment()
    del environment["SITE_URL"]
    result = subprocess.run(  # noqa: S603 - our own manage.py with a fixed argument list
        [sys.executable, "manage.py", "check"],
        cwd=BASE_DIR,
        env=environment,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert result.returncode != 0
    assert "ImproperlyConfigured: Set SITE_URL" in result.stderr


# ── comment digests ────────────────────────────────────────────────────────────────────────────────────────────────


def test_the_applicants_comments_reach_counsel_in_one_digest_after_a_quarter_hour(
    packet: Packet, owner: Any, counsel: Any
) -> None:
    editor = make_user("editor")
    Membership.objects.create(packet=packet, user=editor, role=Role.EDITOR)
    first = comment_add(packet=packet, by=owner, body="Is the passport page enough?", step="beneficiary")
    comment_add(packet=packet, by=editor, body="I added the school letter.", step="project")
    comment_add(packet=packet, by=owner, body="Also this one.", parent=first)

    assert notifications_send_due(now=_later(5)) == 0
    assert mail.outbox == []
    assert notifications_send_due(now=_later(16)) == 1

    (digest,) = mail.outbox  # to counsel only: the owner and the editor are the same (the applicant's) side
    assert digest.to == ["counsel@example.org"]
    assert "Is the passport page enough?" in digest.body and "I added the school letter." in digest.body
    assert "Also this one." in digest.body
    assert f"{SITE}/packets/{packet.pk}/counsel/" in digest.body
    assert f"{SITE}/packets/{packet.pk}/steps/beneficiary/" in digest.body


def test_counsels_comment_reaches_the_applicants_side_never_counsel_or_its_author(
    packet: Packet, owner: Any, counsel: Any
) -> None:
    colleague, viewer = make_user("colleague"), make_user("viewer")
    Membership.objects.create(packet=packet, user=colleague, role=Role.COUNSEL)
    Membership.objects.create(packet=packet, user=viewer, role=Role.VIEWER)
    comment_add(packet=packet, by=counsel, body="Add the second surname.", step="beneficiary")
    notifications_send_due(now=_later(16))
    assert [message.to for message in mail.outbox] == [["owner@example.org"]]
    assert "Add the second surname." in mail.outbox[0].body


def test_no_second_digest_follows_within_the_quarter_hour_and_a_second_run_sends_nothing(
    packet: Packet, owner: Any
) -> None:
    comment_add(packet=packet, by=owner, body="First question.", step="beneficiary")
    sent_at = _later(16)
    assert notifications_send_due(now=sent_at) == 1
    assert notifications_send_due(now=sent_at) == 0
    comment_add(packet=packet, by=owner, body="Second question.", step="beneficiary")
    Notification.objects.filter(sent_at__isnull=True).update(created_at=sent_at + timedelta(minutes=1))
    assert notifications_send_due(now=sent_at + timedelta(minutes=10)) == 0
    assert notifications_send_due(now=sent_at + DIGEST_WINDOW + timedelta(minutes=1)) == 1
    assert len(mail.outbox) == 2 and "Second question." in mail.outbox[1].body
    assert "First question." not in mail.outbox[1].body


def test_the_comment_summary_waiting_to_be_sent_is_encrypted_in_the_database(packet: Packet, owner: Any) -> None:
    comment_add(packet=packet, by=owner, body="Canary-kestrel-5521 in a comment", step="beneficiary")
    with connection.cursor() as cursor:
        cursor.execute("SELECT payload FROM packets_notification")
        stored = [row[0] for row in cursor.fetchall()]
    assert stored and all("kestrel" not in value for value in stored)
    assert Notification.objects.get().payload["body"] == "Canary-kestrel-5521 in a comment"


def test_nobody_without_an_address_is_emailed(packet: Packet, owner: Any) -> None:
    silent = make_user("silent", email="")
    Membership.objects.create(packet=packet, user=silent, role=Role.COUNSEL)
    comment_add(packet=packet, by=owner, body="Hello", step="beneficiary")
    notifications_send_due(now=_later(16))
    assert [message.to for message in mail.outbox] == [["counsel@example.org"]]
    assert not Notification.objects.filter(sent_at__isnull=True).exists()


def test_nobody_is_emailed_at_an_address_they_have_not_confirmed(packet: Packet, owner: Any) -> None:
    unconfirmed = make_user("unconfirmed", email_verified=False)
    Membership.objects.create(packet=packet, user=unconfirmed, role=Role.COUNSEL)
    comment_add(packet=packet, by=owner, body="Hello", step="beneficiary")
    notifications_send_due(now=_later(16))
    assert [message.to for message in mail.outbox] == [["counsel@example.org"]]


def test_a_comment_queues_the_digest_task_for_when_its_quarter_hour_is_up(
    settings: Any, packet: Packet, owner: Any, django_capture_on_commit_callbacks: Any
) -> None:
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend", "QUEUES": ["default"]}}
    backend = task_backends["default"]
    with django_capture_on_commit_callbacks(execute=True):
        comment_add(packet=packet, by=owner, body="Hello", step="beneficiary")
    (queued,) = backend.results  # type: ignore[attr-defined]
    notification = Notification.objects.get()
    assert queued.task.run_after == notification.created_at + DIGEST_WINDOW
    assert send_due_notifications_task.call() == 0  # not due yet: nothing is sent early


# ── invitation reminders and the cron command ───────────────────────────────────────────────────────────────────────


def _invite(packet: Packet, owner: Any, email: str, expires_in: timedelta) -> Invitation:
    invitation, _token = invitation_create(packet=packet, email=email, role=Role.VIEWER, by=owner, build_url=str)
    Invitation.objects.filter(pk=invitation.pk).update(expires_at=timezone.now() + expires_in)
    return invitation


def test_an_invitation_about_to_expire_reminds_the_owner_once(packet: Packet, owner: Any) -> None:
    _invite(packet, owner, "soon@example.org", timedelta(hours=20))
    _invite(packet, owner, "later@example.org", timedelta(days=5))
    revoked = _invite(packet, owner, "gone@example.org", timedelta(hours=10))
    Invitation.objects.filter(pk=revoked.pk).update(revoked_at=timezone.now())
    mail.outbox.clear()

    assert invitation_reminders_send() == 1
    assert invitation_reminders_send() == 0
    (reminder,) = mail.outbox
    assert reminder.to == ["owner@example.org"]
    assert "soon@example.org" in reminder.body
    assert f"{SITE}/packets/{packet.pk}/members/" in reminder.body


def test_the_send_notifications_command_flushes_due_digests_and_reminders_idempotently(
    packet: Packet, owner: Any
) -> None:
    comment_add(packet=packet, by=owner, body="Hello", step="beneficiary")
    Notification.objects.update(created_at=timezone.now() - timedelta(minutes=20))
    _invite(packet, owner, "soon@example.org", timedelta(hours=30))
    mail.outbox.clear()

    out = io.StringIO()
    call_command("send_notifications", stdout=out)
    assert "Sent 1 comment digest(s) and 1 invitation reminder(s)." in out.getvalue()
    call_command("send_notifications", stdout=out)
    assert len(mail.outbox) == 2
