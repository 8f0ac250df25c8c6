"""An invitation joins only a confirmed address equal to the invited one, and confirming brings the person back."""

import re

import pytest
from django.contrib.auth import get_user_model
from django.core import mail
from django.test import Client
from django.urls import reverse

from packets.models import Membership, Packet, Role
from packets.sharing.services import invitation_create
from tests.builders import make_packet, make_user

PASSWORD = "correct horse battery"
CONFIRM_LINK = re.compile(r"https?://testserver(/accounts/confirm-email/\S+/)")


@pytest.fixture
def packet(db: None) -> Packet:
    return make_packet(make_user("olga"))


def invite(packet: Packet, email: str) -> str:
    owner = get_user_model().objects.get(username="olga")
    invitation, token = invitation_create(
        packet=packet, email=email, role=Role.COUNSEL, by=owner, build_url=lambda path: f"http://testserver{path}"
    )
    return reverse("invitation_accept", kwargs={"invitation_id": invitation.pk, "token": token})


def logged_in(username: str) -> Client:
    client = Client()
    assert client.post(reverse("login"), {"login": username, "password": PASSWORD}).status_code == 302
    return client


def test_an_account_from_before_the_switch_confirms_its_address_from_the_invitation_and_joins(packet: Packet) -> None:
    get_user_model().objects.create_user("carmen", email="carmen@lawfirm.example", password=PASSWORD)
    path = invite(packet, "Carmen@LawFirm.example")
    client = logged_in("carmen")
    mail.outbox.clear()

    asked = client.get(path)
    client.post(path, {"send_confirmation": "1"})
    assert not Membership.objects.filter(packet=packet, user__username="carmen").exists()
    assert mail.outbox[-1].to == ["carmen@lawfirm.example"]
    confirm_link = CONFIRM_LINK.search(str(mail.outbox[-1].body)).group(1)  # type: ignore[union-attr]
    confirmed = client.post(confirm_link)
    accepted = client.post(confirmed.url)

    assert "Confirm your email address first" in asked.content.decode()
    assert confirmed.url == path
    assert accepted.status_code == 302
    assert Membership.objects.get(packet=packet, user__username="carmen").role == Role.COUNSEL


def test_accepting_without_a_confirmed_address_joins_nothing(packet: Packet) -> None:
    make_user("carmen", email="carmen@lawfirm.example", email_verified=False)
    path = invite(packet, "carmen@lawfirm.example")
    client = logged_in("carmen")

    client.post(path)

    assert not Membership.objects.filter(packet=packet, user__username="carmen").exists()


def test_a_confirmed_other_address_does_not_count_for_the_invited_one(packet: Packet) -> None:
    user = make_user("mallory", email="mallory@example.org")  # confirmed
    user.email = "carmen@lawfirm.example"  # then the account's address changed to the invited one, unconfirmed
    user.save()
    path = invite(packet, "carmen@lawfirm.example")
    client = logged_in("mallory")

    client.post(path)

    assert not Membership.objects.filter(packet=packet, user__username="mallory").exists()


def test_a_confirmed_invited_address_joins_at_once(packet: Packet) -> None:
    make_user("carmen", email="carmen@lawfirm.example")
    path = invite(packet, "CARMEN@lawfirm.example")

    response = logged_in("carmen").post(path)

    assert response.status_code == 302
    assert Membership.objects.filter(packet=packet, user__username="carmen", role=Role.COUNSEL).exists()
