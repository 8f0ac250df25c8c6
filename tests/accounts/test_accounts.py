"""Accounts: sign-up, log in and out, password change and reset, login throttling and session safety."""

import re
import uuid
from typing import Any

import pytest
from django.conf import settings as django_settings
from django.contrib.auth import get_user_model
from django.contrib.sessions.backends.db import SessionStore
from django.core import mail
from django.test import Client
from django.urls import reverse

# The password tests.builders.make_user gives the `user` fixture ("ana").
PASSWORD = "correct horse battery"
NEW_PASSWORD = "a brand new stable horse"


@pytest.fixture(autouse=True)
def _fast_password_hashing(settings: Any) -> None:
    # The real hasher is slow on purpose; these tests hash dozens of passwords and test the flows, not the hashing.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


def log_in(client: Client, username: str, password: str) -> Any:
    return client.post(reverse("login"), {"login": username, "password": password})


def logged_in_username(client: Client) -> str | None:
    response = client.get(reverse("dashboard"))
    if response.status_code != 200:
        return None
    return response.wsgi_request.user.get_username()


@pytest.mark.django_db
def test_it_signs_up_logs_in_and_shows_the_dashboard(client: Client) -> None:
    response = client.post(
        reverse("signup"),
        {"username": "carla", "email": "carla@example.org", "password1": NEW_PASSWORD, "password2": NEW_PASSWORD},
        follow=True,
    )

    assert response.redirect_chain == [(reverse("dashboard"), 302)]
    assert response.wsgi_request.user.get_username() == "carla"
    assert get_user_model().objects.get(username="carla").email == "carla@example.org"
    assert "<h1>My packets</h1>" in response.content.decode()


@pytest.mark.django_db
def test_sign_up_lists_every_problem_at_the_top_and_creates_no_account(client: Client) -> None:
    response = client.post(
        reverse("signup"), {"username": "carla", "email": "", "password1": "12345678", "password2": "different"}
    )

    page = response.content.decode()
    assert 'id="error-summary"' in page
    assert 'href="#id_email"' in page
    assert 'href="#id_password1"' in page  # a common, all-digit password
    assert page.count("<h1>") == 1
    assert not get_user_model().objects.filter(username="carla").exists()


def test_sign_up_sends_a_logged_in_user_to_the_dashboard(logged_in_client: Client) -> None:
    response = logged_in_client.get(reverse("signup"))

    assert response.status_code == 302
    assert response["Location"] == reverse("dashboard")


def test_it_logs_in_and_out(client: Client, user: Any) -> None:
    response = log_in(client, "ana", PASSWORD)
    assert response.status_code == 302
    assert response["Location"] == reverse("dashboard")
    assert logged_in_username(client) == "ana"

    response = client.post(reverse("logout"))

    assert response.status_code == 302
    assert response["Location"] == reverse("login")
    assert logged_in_username(client) is None


def test_logging_out_needs_a_post_so_a_link_cannot_log_anyone_out(logged_in_client: Client) -> None:
    response = logged_in_client.get(reverse("logout"))

    assert "Log out?" in response.content.decode()  # a page asking, with a button that posts
    assert logged_in_username(logged_in_client) == "ana"


def test_a_wrong_password_shows_one_message_that_does_not_say_which_part_was_wrong(client: Client, user: Any) -> None:
    response = log_in(client, "ana", "not the password")

    page = response.content.decode()
    assert response.status_code == 200
    assert "The username or email address and the password did not match" in page
    assert logged_in_username(client) is None


def test_it_changes_the_password_and_keeps_the_user_logged_in(client: Client, user: Any) -> None:
    log_in(client, "ana", PASSWORD)

    response = client.post(
        reverse("password_change"),
        {"oldpassword": PASSWORD, "password1": NEW_PASSWORD, "password2": NEW_PASSWORD},
    )

    assert response.status_code == 302
    assert response["Location"] == reverse("password_change")
    assert logged_in_username(client) == "ana"
    client.post(reverse("logout"))
    assert log_in(client, "ana", PASSWORD).status_code == 200  # the old password is refused
    assert log_in(client, "ana", NEW_PASSWORD).status_code == 302


def test_password_change_refuses_a_wrong_current_password(logged_in_client: Client, user: Any) -> None:
    response = logged_in_client.post(
        reverse("password_change"),
        {"oldpassword": "a guess", "password1": NEW_PASSWORD, "password2": NEW_PASSWORD},
    )

    assert response.status_code == 200
    assert 'href="#id_oldpassword"' in response.content.decode()
    user.refresh_from_db()
    assert user.check_password(PASSWORD)


def test_it_resets_a_forgotten_password_through_the_emailed_link(client: Client, user: Any) -> None:
    response = client.post(reverse("password_reset"), {"email": "ana@example.org"})
    assert response.status_code == 302
    assert response["Location"] == reverse("account_reset_password_done")

    assert len(mail.outbox) == 1
    email = mail.outbox[0]
    assert email.to == ["ana@example.org"]
    assert email.subject == "Reset your Parole Wizard password"
    match = re.search(r"https?://testserver(/accounts/password/reset/key/\S+/)", str(email.body))
    assert match, email.body
    link = match.group(1)

    # The link redirects to a URL without the token, so the token cannot leak through the Referer header.
    response = client.get(link, follow=True)
    assert response.status_code == 200
    assert "Choose a new password" in response.content.decode()
    set_password_url = response.redirect_chain[-1][0]

    response = client.post(set_password_url, {"password1": NEW_PASSWORD, "password2": NEW_PASSWORD})
    assert response.status_code == 302
    assert response["Location"] == reverse("account_reset_password_from_key_done")

    assert log_in(client, "ana", NEW_PASSWORD).status_code == 302
    assert logged_in_username(client) == "ana"


def test_a_password_reset_link_works_only_once(client: Client, user: Any) -> None:
    client.post(reverse("password_reset"), {"email": "ana@example.org"})
    match = re.search(r"https?://testserver(/accounts/password/reset/key/\S+/)", str(mail.outbox[0].body))
    assert match
    set_password_url = client.get(match.group(1), follow=True).redirect_chain[-1][0]
    client.post(set_password_url, {"password1": NEW_PASSWORD, "password2": NEW_PASSWORD})

    response = Client().get(match.group(1), follow=True)

    assert "This link no longer works" in response.content.decode()


def test_password_reset_for_an_unknown_address_sends_nothing_and_looks_the_same(client: Client, user: Any) -> None:
    response = client.post(reverse("password_reset"), {"email": "nobody@example.org"})

    assert response.status_code == 302
    assert response["Location"] == reverse("account_reset_password_done")
    assert mail.outbox == []


def test_failed_logins_lock_the_account_even_against_the_right_password(client: Client, user: Any) -> None:
    limit = django_settings.AXES_FAILURE_LIMIT
    for _attempt in range(limit - 1):
        assert log_in(client, "ana", "a wrong guess").status_code == 200

    response = log_in(client, "ana", "a wrong guess")
    assert response.status_code == 429

    response = log_in(client, "ana", PASSWORD)

    page = response.content.decode()
    assert response.status_code == 429
    assert "Login is locked for now" in page
    assert "too many failed attempts" in page
    assert "Wait 15 minutes, then try again." in page
    assert logged_in_username(client) is None


def test_the_lock_holds_only_for_that_username(client: Client, user: Any, other_user: Any) -> None:
    for _attempt in range(django_settings.AXES_FAILURE_LIMIT):
        log_in(client, "ana", "a wrong guess")

    # From another address: the failures' own address is locked too (tests/security/test_sessions.py).
    credentials = {"login": "ben", "password": "another correct horse"}
    assert client.post(reverse("login"), credentials, REMOTE_ADDR="203.0.113.7").status_code == 302


def test_logging_in_gives_a_new_session_id(client: Client, user: Any) -> None:
    # An attacker who planted a session id before login must not share the logged-in session.
    before = client.session.session_key
    assert before

    log_in(client, "ana", PASSWORD)

    after = client.cookies[django_settings.SESSION_COOKIE_NAME].value
    assert after != before
    assert not SessionStore().exists(before)
    assert logged_in_username(client) == "ana"


@pytest.mark.parametrize(
    "url_name, kwargs",
    [
        ("dashboard", {}),
        ("password_change", {}),
        ("packet_detail", {"packet_id": uuid.uuid4()}),
        ("packet_review", {"packet_id": uuid.uuid4()}),
        ("wizard_step", {"packet_id": uuid.uuid4(), "step": "beneficiary"}),
    ],
)
@pytest.mark.django_db
def test_protected_pages_send_anonymous_visitors_to_log_in(client: Client, url_name: str, kwargs: dict) -> None:
    url = reverse(url_name, kwargs=kwargs)

    response = client.get(url)

    assert response.status_code == 302
    assert response["Location"] == f"{reverse('login')}?next={url}"


@pytest.mark.django_db
def test_creating_a_packet_needs_a_login(client: Client) -> None:
    response = client.post(reverse("packet_new"), {"name": "Sneaky"})

    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


@pytest.mark.parametrize(
    "url_name",
    ["login", "signup", "password_reset", "account_reset_password_done", "account_reset_password_from_key_done"],
)
@pytest.mark.django_db
def test_account_pages_have_one_heading_and_the_page_landmarks(client: Client, url_name: str) -> None:
    response = client.get(reverse(url_name))

    page = response.content.decode()
    assert response.status_code == 200
    assert page.count("<h1>") == 1
    assert '<main id="main"' in page
    assert "<header" in page
    assert "<footer" in page


def test_a_logged_in_user_sees_the_password_change_pages(logged_in_client: Client) -> None:
    for url_name in ("password_change", "account_email", "mfa_index"):
        response = logged_in_client.get(reverse(url_name))
        assert response.status_code == 200
        assert response.content.decode().count("<h1>") == 1
