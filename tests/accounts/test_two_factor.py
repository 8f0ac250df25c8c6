"""Two-step login (allauth's TOTP): optional for everyone, required for counsel with COUNSEL_REQUIRE_MFA=true; the
authenticator secret is stored encrypted."""

import re
import time
from typing import Any

import pytest
from allauth.mfa import app_settings as mfa_settings
from allauth.mfa.models import Authenticator
from allauth.mfa.totp.internal.auth import format_hotp_value, hotp_value
from django.test import Client
from django.urls import reverse

from packets.models import Membership, Packet, Role
from tests.builders import make_packet, make_user

PASSWORD = "correct horse battery"


@pytest.fixture
def packet(db: None) -> Packet:
    return make_packet(make_user("olga"))


@pytest.fixture
def counsel(packet: Packet) -> Any:
    user = make_user("carmen")
    Membership.objects.create(packet=packet, user=user, role=Role.COUNSEL)
    return user


def log_in(username: str) -> Client:
    client = Client()
    assert client.post(reverse("login"), {"login": username, "password": PASSWORD}).status_code == 302
    return client


def current_code(secret: str) -> str:
    return format_hotp_value(hotp_value(secret, int(time.time()) // mfa_settings.TOTP_PERIOD))


def turn_on_totp(client: Client) -> str:
    # Changing how one logs in asks for the password again first.
    confirm = client.post(
        reverse("account_reauthenticate"), {"password": PASSWORD, "next": reverse("mfa_activate_totp")}
    )
    assert confirm.status_code == 302
    page = client.get(reverse("mfa_activate_totp")).content.decode()
    secret = re.search(r'<code id="authenticator_secret" class="totp-key">(\w+)</code>', page).group(1)  # type: ignore[union-attr]
    response = client.post(reverse("mfa_activate_totp"), {"code": current_code(secret)})
    assert response.status_code == 302, response.content.decode()
    return secret


def test_counsel_without_an_authenticator_is_sent_to_set_one_up_with_a_reason(
    settings: Any, counsel: Any, packet: Packet
) -> None:
    settings.COUNSEL_REQUIRE_MFA = True
    client = log_in("carmen")

    response = client.get(reverse("packet_detail", kwargs={"packet_id": packet.pk}), follow=True)

    page = response.content.decode()
    assert response.redirect_chain[0][0] == reverse("mfa_activate_totp")
    assert "Because you are counsel on a packet" in page
    assert "type your password again" in page  # then the set-up page


def test_counsel_with_an_authenticator_opens_packets_after_typing_the_code(
    settings: Any, counsel: Any, packet: Packet
) -> None:
    settings.COUNSEL_REQUIRE_MFA = True
    secret = turn_on_totp(log_in("carmen"))
    client = Client()

    first_step = client.post(reverse("login"), {"login": "carmen", "password": PASSWORD})
    assert first_step["Location"] == reverse("mfa_authenticate")
    # Password alone is not enough.
    assert client.get(reverse("packet_detail", kwargs={"packet_id": packet.pk})).status_code == 302
    # The same code twice is refused as a replay, so wait for the next period's code where needed.
    code = current_code(secret)
    response = client.post(reverse("mfa_authenticate"), {"code": code})
    if response.status_code != 302:
        time.sleep(mfa_settings.TOTP_PERIOD - time.time() % mfa_settings.TOTP_PERIOD + 1)
        response = client.post(reverse("mfa_authenticate"), {"code": current_code(secret)})
    assert response.status_code == 302

    assert client.get(reverse("packet_detail", kwargs={"packet_id": packet.pk})).status_code == 200


def test_an_applicant_is_not_asked_for_two_step_login_even_when_counsel_must(settings: Any, packet: Packet) -> None:
    settings.COUNSEL_REQUIRE_MFA = True
    client = log_in("olga")

    assert client.get(reverse("packet_detail", kwargs={"packet_id": packet.pk})).status_code == 200


def test_without_the_setting_counsel_may_go_without_two_step_login(counsel: Any, packet: Packet) -> None:
    client = log_in("carmen")

    assert client.get(reverse("packet_detail", kwargs={"packet_id": packet.pk})).status_code == 200


def test_counsel_who_must_use_two_step_login_cannot_turn_it_off(settings: Any, counsel: Any) -> None:
    settings.COUNSEL_REQUIRE_MFA = True
    client = log_in("carmen")
    turn_on_totp(client)

    client.post(reverse("mfa_deactivate_totp"))

    assert Authenticator.objects.filter(user=counsel, type=Authenticator.Type.TOTP).exists()


def test_the_authenticator_secret_is_stored_encrypted(counsel: Any) -> None:
    secret = turn_on_totp(log_in("carmen"))

    stored = Authenticator.objects.get(user=counsel, type=Authenticator.Type.TOTP).data
    assert secret not in str(stored)
