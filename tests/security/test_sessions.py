"""Sessions and logins as OWASP ASVS V3 asks: idle and absolute timeouts, logout that ends the session on the server,
no private page kept by the browser, a password change that ends (or keeps) the other sessions. (A new session id at
login: tests/accounts/test_accounts.py; throttling by username and address together: tests/accounts/test_lockout.py.)"""

import re
from typing import Any

from django.conf import settings
from django.contrib.sessions.backends.db import SessionStore
from django.test import Client
from django.urls import reverse

from packets.models import UserSession
from parole_wizard.sessions import SEEN, STARTED
from tests.builders import make_packet
from tests.parole_wizard.pages import form_values, open_step, step_url
from tests.test_permission_walk import make_side

PASSWORD = "correct horse battery"  # what make_user gives "ana"
NEW_PASSWORD = "a brand new stable horse"


def log_in(client: Client, username: str = "ana", password: str = PASSWORD, address: str = "127.0.0.1") -> Any:
    return client.post(reverse("login"), {"login": username, "password": password}, REMOTE_ADDR=address)


def session_key(client: Client) -> str:
    return client.cookies[settings.SESSION_COOKIE_NAME].value


def shift_clock(client: Client, key: str, seconds: int) -> None:
    """Pretend ``key`` (STARTED or SEEN) happened ``seconds`` earlier than it did."""
    session = client.session
    session[key] = session[key] - seconds
    session.save()


def page_text(response: Any) -> str:
    return " ".join(response.content.decode().split())


# ── Timeouts ────────────────────────────────────────────────────────────────────────────────────────────────────────


def test_a_session_idle_longer_than_the_limit_is_logged_out_with_a_message_on_the_login_page(
    client: Client, user: Any, settings: Any
) -> None:
    settings.SESSION_IDLE_SECONDS = 30 * 60
    assert log_in(client).status_code == 302
    old_key = session_key(client)
    shift_clock(client, SEEN, 30 * 60 + 1)

    response = client.get(reverse("dashboard"), follow=True)

    assert response.redirect_chain[-1][0].startswith(reverse("login"))
    text = page_text(response)
    assert "You were logged out after 30 minutes without activity." in text
    assert "Your saved answers are kept" in text
    assert not SessionStore().exists(old_key)
    assert not UserSession.objects.filter(session_key=old_key).exists()


def test_activity_within_the_idle_limit_keeps_the_session_and_restarts_the_clock(client: Client, user: Any) -> None:
    assert log_in(client).status_code == 302
    shift_clock(client, SEEN, settings.SESSION_IDLE_SECONDS - 120)
    seen_before = client.session[SEEN]

    assert client.get(reverse("dashboard")).status_code == 200

    assert client.session[SEEN] > seen_before + settings.SESSION_IDLE_SECONDS - 200


def test_a_session_older_than_the_absolute_limit_is_logged_out_even_when_active(
    client: Client, user: Any, settings: Any
) -> None:
    settings.SESSION_ABSOLUTE_SECONDS = 12 * 60 * 60
    assert log_in(client).status_code == 302
    shift_clock(client, STARTED, 12 * 60 * 60 + 1)

    response = client.get(reverse("dashboard"), follow=True)

    assert response.redirect_chain[-1][0].startswith(reverse("login"))
    assert "because you had been logged in for 12 hours" in page_text(response)


def test_answers_posted_after_an_idle_logout_are_kept_through_login(client: Client, user: Any) -> None:
    packet = make_packet(user, project={"title": "Safe Schools"})
    assert log_in(client).status_code == 302
    _response, page = open_step(client, packet, "project")
    shift_clock(client, SEEN, settings.SESSION_IDLE_SECONDS + 1)

    typed = "Six thousand eight hundred students in fourteen buildings."
    response = client.post(
        step_url(packet, "project"), {**page, "project-public_benefit": typed, "wizard_action": "next"}
    )

    assert response.url.startswith(reverse("login"))
    login = client.post(response.url, {"login": "ana", "password": PASSWORD})
    assert form_values(client.get(login.url))["project-public_benefit"].strip() == typed


# ── Logout and the back button ──────────────────────────────────────────────────────────────────────────────────────


def test_logout_deletes_the_session_on_the_server_so_a_copied_cookie_is_useless(client: Client, user: Any) -> None:
    packet = make_packet(user, name="Riverton private")
    assert log_in(client).status_code == 302
    stolen = session_key(client)

    client.post(reverse("logout"))

    assert not SessionStore().exists(stolen)
    replay = Client()
    replay.cookies[settings.SESSION_COOKIE_NAME] = stolen
    response = replay.get(reverse("packet_detail", args=[packet.pk]))
    assert response.status_code == 302
    assert response.url.startswith(reverse("login"))
    assert b"Riverton private" not in response.content


def test_signed_in_pages_and_files_are_never_stored_by_the_browser(client: Client, db: None) -> None:
    # What the back button shows after logout is what the browser stored: no-store means nothing.
    side = make_side("alice", "Riverton", version_number=1)
    client.force_login(side.user)
    urls = [
        reverse("dashboard"),
        reverse("packet_detail", args=[side.packet.pk]),
        reverse("wizard_step", args=[side.packet.pk, "beneficiary"]),
        reverse("packet_review", args=[side.packet.pk]),
        reverse("packet_audit", args=[side.packet.pk]),
        reverse("exhibit_download", args=[side.packet.pk, side.exhibit.pk]),
        reverse("packet_version_download", args=[side.packet.pk, side.version.number]),
    ]
    for url in urls:
        response = client.get(url)
        if response.streaming:
            b"".join(response.streaming_content)
        assert response.status_code == 200, url
        assert "no-store" in response["Cache-Control"], url


# ── Password change and the other sessions ──────────────────────────────────────────────────────────────────────────


def _change_password(client: Client, **extra: str) -> Any:
    data = {"oldpassword": PASSWORD, "password1": NEW_PASSWORD, "password2": NEW_PASSWORD, **extra}
    return client.post(reverse("password_change"), data)


def test_the_password_change_page_offers_to_log_out_elsewhere_ticked_by_default(user: Any) -> None:
    here, elsewhere = Client(), Client()
    log_in(here)
    log_in(elsewhere, address="203.0.113.20")

    page = page_text(here.get(reverse("password_change")))

    checkbox = re.search(r'<input[^>]*name="end_other_sessions"[^>]*>', page)
    assert checkbox is not None
    assert 'type="checkbox"' in checkbox.group(0)
    assert "checked" in checkbox.group(0)
    assert "You are logged in on 1 other device or browser." in page


def test_changing_the_password_ends_the_other_sessions_when_asked(user: Any) -> None:
    here, elsewhere = Client(), Client()
    log_in(here)
    log_in(elsewhere, address="203.0.113.20")
    other_key = session_key(elsewhere)

    assert _change_password(here, end_other_sessions="on").status_code == 302

    assert not SessionStore().exists(other_key)
    assert elsewhere.get(reverse("dashboard")).status_code == 302
    assert here.get(reverse("dashboard")).status_code == 200
    assert UserSession.objects.filter(user=user).count() == 1
    assert UserSession.objects.get(user=user).session_key == session_key(here)


def test_changing_the_password_can_keep_the_other_sessions(user: Any) -> None:
    here, elsewhere = Client(), Client()
    log_in(here)
    log_in(elsewhere, address="203.0.113.20")

    assert _change_password(here).status_code == 302  # an unticked box is not sent

    assert elsewhere.get(reverse("dashboard")).status_code == 200
    assert here.get(reverse("dashboard")).status_code == 200


def test_a_password_change_with_a_wrong_current_password_ends_nothing(user: Any) -> None:
    here, elsewhere = Client(), Client()
    log_in(here)
    log_in(elsewhere, address="203.0.113.20")

    response = here.post(
        reverse("password_change"),
        {
            "oldpassword": "wrong",
            "password1": NEW_PASSWORD,
            "password2": NEW_PASSWORD,
            "end_other_sessions": "on",
        },
    )

    assert response.status_code == 200
    assert elsewhere.get(reverse("dashboard")).status_code == 200
