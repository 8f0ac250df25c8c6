"""Approving with a note, and marking as filed: a confirmation page that records the date, method and receipt number."""

from datetime import timedelta
from typing import Any

import pytest
from django.core import mail
from django.core.files.base import ContentFile
from django.test import Client
from django.utils import timezone

from packets.models import Filing, Membership, Packet, PacketStatus, PacketVersion, Role
from packets.review.filing import packet_mark_filed, receipt_number_normalized
from packets.review.workflow import ReviewRefused, packet_approve, packet_submit
from tests.builders import make_packet, make_user, pdf_bytes

pytestmark = pytest.mark.django_db


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
    return packet_submit(packet=packet, by=owner)


@pytest.fixture
def approved(packet: Packet, counsel: Any) -> Packet:
    return packet_approve(packet=packet, by=counsel, revision=packet.revision)


def _final_version(packet: Packet) -> PacketVersion:
    version = PacketVersion(
        packet=packet,
        number=1,
        data=packet.data,
        sha256="0" * 64,
        page_count=1,
        size=100,
        final=True,
        created_at=timezone.now(),
    )
    version.pdf.save("final.pdf", ContentFile(pdf_bytes()), save=False)
    version.save()
    return version


def _as(client: Client, user: Any) -> Client:
    client.force_login(user)
    return client


def test_counsel_approves_with_a_note_shown_in_history_and_the_email(
    client: Client, packet: Packet, counsel: Any, django_capture_on_commit_callbacks: Any
) -> None:
    page = _as(client, counsel).get(f"/packets/{packet.pk}/counsel/").content.decode()
    assert 'id="approve-note"' in page
    with django_capture_on_commit_callbacks(execute=True):
        client.post(
            f"/packets/{packet.pk}/counsel/approve/",
            {"revision": packet.revision, "note": "Approved; mail it with a tracking number."},
        )
    assert Packet.objects.get(pk=packet.pk).status == PacketStatus.APPROVED
    assert "Approved; mail it with a tracking number." in client.get(f"/packets/{packet.pk}/counsel/").content.decode()
    assert "Approved; mail it with a tracking number." in mail.outbox[-1].body


def test_mark_as_filed_asks_for_confirmation_instead_of_filing_on_one_click(
    client: Client, approved: Packet, counsel: Any
) -> None:
    page = _as(client, counsel).get(f"/packets/{approved.pk}/counsel/").content.decode()
    assert f'href="/packets/{approved.pk}/counsel/mark_filed/"' in page
    assert f'action="/packets/{approved.pk}/counsel/mark_filed/"' not in page
    confirmation = client.get(f"/packets/{approved.pk}/counsel/mark_filed/")
    assert confirmation.status_code == 200
    text = confirmation.content.decode()
    assert 'name="filed_on"' in text and 'name="receipt_number"' in text and "Mailed to the lockbox" in text
    assert Packet.objects.get(pk=approved.pk).status == PacketStatus.APPROVED


def test_filing_needs_the_final_pdf_unless_it_was_filed_outside_the_app(
    client: Client, approved: Packet, counsel: Any
) -> None:
    today = timezone.localdate().isoformat()
    response = _as(client, counsel).post(
        f"/packets/{approved.pk}/counsel/mark_filed/", {"filed_on": today, "method": "lockbox"}
    )
    assert response.status_code == 400
    assert "There is no final PDF of the approved revision yet" in response.content.decode()
    assert not Filing.objects.exists()

    response = client.post(
        f"/packets/{approved.pk}/counsel/mark_filed/",
        {"filed_on": today, "method": "other", "filed_outside_app": "on", "receipt_number": ""},
    )
    assert response.status_code == 302
    filing = Filing.objects.get(packet=approved)
    assert (filing.filed_outside_app, filing.filed_version, filing.recorded_by) == (True, None, counsel)


def test_filing_records_the_date_method_receipt_and_final_pdf_and_the_packet_page_shows_them(
    client: Client, approved: Packet, counsel: Any, owner: Any, django_capture_on_commit_callbacks: Any
) -> None:
    version = _final_version(approved)
    yesterday = timezone.localdate() - timedelta(days=1)
    Packet.objects.filter(pk=approved.pk).update(created_at=timezone.now() - timedelta(days=30))
    with django_capture_on_commit_callbacks(execute=True):
        response = _as(client, counsel).post(
            f"/packets/{approved.pk}/counsel/mark_filed/",
            {"filed_on": yesterday.isoformat(), "method": "lockbox", "receipt_number": "ioe-0123 456 789"},
        )
    assert response.status_code == 302
    filing = Filing.objects.get(packet=approved)
    assert (filing.filed_on, filing.method, filing.receipt_number) == (yesterday, "lockbox", "IOE0123456789")
    assert filing.filed_version == version
    assert Packet.objects.get(pk=approved.pk).status == PacketStatus.FILED
    assert "IOE0123456789" in mail.outbox[-1].body and "Mailed to the lockbox" in mail.outbox[-1].body

    for url in (f"/packets/{approved.pk}/", f"/packets/{approved.pk}/counsel/"):
        page = _as(client, owner).get(url).content.decode()
        assert "IOE0123456789" in page and "Mailed to the lockbox" in page and "final PDF, version 1" in page


@pytest.mark.parametrize(
    ("values", "message"),
    [
        ({"filed_on": "tomorrow"}, "Enter the date as year-month-day"),
        ({"filed_on": "FUTURE"}, "cannot be in the future"),
        ({"filed_on": "2001-01-01"}, "cannot be before the packet was started"),
        ({"receipt_number": "IOE012345"}, "three letters and ten digits"),
        ({"receipt_number": "1230123456789"}, "three letters and ten digits"),
        ({"method": ""}, "Choose how it was filed."),
    ],
)
def test_the_filing_form_explains_each_mistake(
    client: Client, approved: Packet, counsel: Any, values: dict[str, str], message: str
) -> None:
    data = {"filed_on": timezone.localdate().isoformat(), "method": "online", "filed_outside_app": "on"} | values
    if data["filed_on"] == "FUTURE":
        data["filed_on"] = (timezone.localdate() + timedelta(days=2)).isoformat()
    response = _as(client, counsel).post(f"/packets/{approved.pk}/counsel/mark_filed/", data)
    assert response.status_code == 400
    assert message in response.content.decode()
    assert Packet.objects.get(pk=approved.pk).status == PacketStatus.APPROVED


def test_the_service_refuses_a_packet_that_is_not_approved_and_records_nothing(packet: Packet, owner: Any) -> None:
    with pytest.raises(ReviewRefused, match="cannot be"):
        packet_mark_filed(
            packet=packet, by=owner, filed_on=timezone.localdate(), method="online", filed_outside_app=True
        )
    assert not Filing.objects.exists()


def test_receipt_numbers_are_normalized() -> None:
    assert receipt_number_normalized(" ioe–0123-456 789 ") == "IOE0123456789"
