"""People are named by full name (counsel with firm and bar number) everywhere, and comments and history say when."""

from typing import Any

import pytest
from django.core import mail
from django.test import Client
from django.utils import timezone

from packets.models import Membership, Packet, Profile, Role
from packets.people import profile_save
from packets.review.comments import comment_add
from packets.review.notifications import notifications_send_due
from packets.review.workflow import packet_request_changes, packet_submit
from tests.builders import make_packet, make_user

pytestmark = pytest.mark.django_db

COUNSEL = "Dana Whitfield (Whitfield Immigration Law, bar no. / accreditation NY 4123456)"


@pytest.fixture
def owner() -> Any:
    user = make_user("lucia88")
    profile_save(user=user, full_name="Lucía Fernández")
    return user


@pytest.fixture
def counsel() -> Any:
    user = make_user("dwhit", email="dana@whitfield.example")
    profile_save(user=user, full_name="Dana Whitfield", firm="Whitfield Immigration Law", bar_number="NY 4123456")
    return user


@pytest.fixture
def packet(owner: Any, counsel: Any) -> Packet:
    packet = make_packet(owner, name="Riverton schools")
    Membership.objects.create(packet=packet, user=counsel, role=Role.COUNSEL)
    return packet


def test_the_profile_page_is_reachable_from_the_header_and_explains_mistakes(client: Client, counsel: Any) -> None:
    client.force_login(counsel)
    assert 'href="/profile/"' in client.get("/").content.decode()
    response = client.post("/profile/", {"full_name": "  ", "firm": "", "bar_number": "NY 41<23>"})
    assert response.status_code == 400
    text = response.content.decode()
    assert "Enter your full name." in text
    assert "as on your bar card or accreditation" in text
    response = client.post("/profile/", {"full_name": "Dana  Whitfield", "firm": "", "bar_number": "NY 4123456"})
    assert "Add the firm or organisation" in response.content.decode()
    response = client.post(
        "/profile/", {"full_name": "Dana  Whitfield", "firm": "Whitfield Law", "bar_number": "NY 4123456"}
    )
    assert response.status_code == 302
    profile = Profile.objects.get(user=counsel)
    assert (profile.full_name, profile.firm, profile.bar_number) == ("Dana Whitfield", "Whitfield Law", "NY 4123456")


def test_comments_name_people_with_date_time_and_zone_not_user_names(
    client: Client, packet: Packet, owner: Any, counsel: Any
) -> None:
    comment_add(packet=packet, by=counsel, body="Add the second surname.", step="beneficiary")
    client.force_login(owner)
    for url in (f"/packets/{packet.pk}/steps/beneficiary/", f"/packets/{packet.pk}/counsel/"):
        page = client.get(url).content.decode()
        assert COUNSEL in page, url
        assert "dwhit" not in page, url
        assert timezone.localtime().tzname() in page and "<time datetime=" in page, url


def test_history_members_page_and_packet_page_name_people_by_full_name(
    client: Client, packet: Packet, owner: Any, counsel: Any
) -> None:
    packet = packet_submit(packet=packet, by=owner)
    packet_request_changes(packet=packet, by=counsel, note="Add the passport page.")
    client.force_login(owner)
    history = client.get(f"/packets/{packet.pk}/counsel/").content.decode()
    assert "Lucía Fernández" in history and COUNSEL in history and "lucia88" not in history
    members = client.get(f"/packets/{packet.pk}/members/").content.decode()
    assert COUNSEL in members and "dwhit" not in members
    assert COUNSEL in client.get(f"/packets/{packet.pk}/").content.decode()


def test_emails_name_the_person_not_their_user_name(
    packet: Packet, owner: Any, counsel: Any, django_capture_on_commit_callbacks: Any
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        packet = packet_submit(packet=packet, by=owner)
    assert mail.outbox[-1].body.startswith("Lucía Fernández submitted")
    comment_add(packet=packet, by=counsel, body="One question.", step="beneficiary")
    notifications_send_due(now=timezone.now() + timezone.timedelta(minutes=16))
    assert f"{COUNSEL}: One question." in mail.outbox[-1].body


def test_someone_without_a_profile_is_shown_by_account_name_then_user_name(client: Client, packet: Packet) -> None:
    named, bare = make_user("jdoe"), make_user("anon42")
    named.first_name, named.last_name = "Jo", "Doe"
    named.save()
    for user in (named, bare):
        Membership.objects.create(packet=packet, user=user, role=Role.VIEWER)
    client.force_login(packet.memberships.get(role=Role.OWNER).user)
    members = client.get(f"/packets/{packet.pk}/members/").content.decode()
    assert "Jo Doe" in members and "anon42" in members


def test_comment_times_are_shown_in_the_sites_time_zone(
    client: Client, settings: Any, packet: Packet, owner: Any, counsel: Any
) -> None:
    settings.TIME_ZONE = "America/New_York"
    comment_add(packet=packet, by=counsel, body="Check the dates.", step="beneficiary")
    client.force_login(owner)
    page = client.get(f"/packets/{packet.pk}/counsel/").content.decode()
    assert " EST</time>" in page or " EDT</time>" in page
