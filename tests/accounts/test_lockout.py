"""The failed-login lock counts a username and a client address together, so a stranger cannot lock anyone out, and
the client address comes from the proxy's X-Forwarded-For only when TRUSTED_PROXY_COUNT says to trust it."""

from typing import Any

import pytest
from django.conf import settings as django_settings
from django.test import Client
from django.urls import reverse

from packets.models import AuditEntry
from tests.builders import make_user

PASSWORD = "correct horse battery"  # what make_user gives
APPLICANT_ADDRESS = "203.0.113.20"
STRANGER_ADDRESS = "198.51.100.66"


def log_in(login: str, password: str = PASSWORD, *, address: str, **headers: str) -> Any:
    return Client().post(reverse("login"), {"login": login, "password": password}, REMOTE_ADDR=address, **headers)


def fail_often(login: str, *, address: str, **headers: str) -> None:
    for _attempt in range(django_settings.AXES_FAILURE_LIMIT):
        log_in(login, "a wrong guess", address=address, **headers)


@pytest.mark.django_db
def test_failures_on_random_usernames_from_one_address_do_not_stop_the_applicant_elsewhere() -> None:
    make_user("ana")
    for attempt in range(django_settings.AXES_FAILURE_LIMIT * 2):
        log_in(f"random{attempt}", "a wrong guess", address=STRANGER_ADDRESS)

    assert log_in("ana", address=APPLICANT_ADDRESS).status_code == 302


@pytest.mark.django_db
def test_failures_on_one_username_at_one_address_do_not_lock_that_user_at_another() -> None:
    make_user("carmen")
    fail_often("carmen", address=STRANGER_ADDRESS)

    assert log_in("carmen", address=STRANGER_ADDRESS).status_code == 429  # the guesser is stopped
    assert log_in("carmen", address=APPLICANT_ADDRESS).status_code == 302  # counsel at her own desk is not


@pytest.mark.django_db
def test_a_username_in_another_case_counts_as_the_same_username() -> None:
    make_user("carmen")
    for attempt in range(django_settings.AXES_FAILURE_LIMIT):
        log_in("Carmen" if attempt % 2 else "CARMEN", "a wrong guess", address=STRANGER_ADDRESS)

    assert log_in("carmen", address=STRANGER_ADDRESS).status_code == 429


@pytest.mark.django_db
def test_guesses_by_username_and_by_email_address_count_together() -> None:
    make_user("carmen", email="carmen@lawfirm.example")
    for attempt in range(django_settings.AXES_FAILURE_LIMIT):
        login = "carmen" if attempt % 2 else "Carmen@LawFirm.example"
        log_in(login, "a wrong guess", address=STRANGER_ADDRESS)

    assert log_in("carmen@lawfirm.example", address=STRANGER_ADDRESS).status_code == 429
    assert log_in("carmen", address=APPLICANT_ADDRESS).status_code == 302


@pytest.mark.django_db
def test_behind_the_proxy_without_a_proxy_count_the_forwarded_header_is_ignored(settings: Any) -> None:
    settings.TRUSTED_PROXY_COUNT = 0
    make_user("ana")
    # Every request comes from the proxy at 127.0.0.1; the header is the client's to invent, so it changes nothing.
    fail_often("ana", address="127.0.0.1", HTTP_X_FORWARDED_FOR=STRANGER_ADDRESS)

    assert log_in("ana", address="127.0.0.1", HTTP_X_FORWARDED_FOR=APPLICANT_ADDRESS).status_code == 429


@pytest.mark.django_db
def test_with_one_trusted_proxy_the_address_it_forwarded_decides(settings: Any) -> None:
    settings.TRUSTED_PROXY_COUNT = 1
    make_user("ana")
    fail_often("ana", address="127.0.0.1", HTTP_X_FORWARDED_FOR=STRANGER_ADDRESS)

    assert log_in("ana", address="127.0.0.1", HTTP_X_FORWARDED_FOR=STRANGER_ADDRESS).status_code == 429
    assert log_in("ana", address="127.0.0.1", HTTP_X_FORWARDED_FOR=APPLICANT_ADDRESS).status_code == 302


@pytest.mark.django_db
def test_a_forged_first_entry_in_the_forwarded_header_does_not_change_the_address(settings: Any) -> None:
    settings.TRUSTED_PROXY_COUNT = 1
    make_user("ana")
    fail_often("ana", address="127.0.0.1", HTTP_X_FORWARDED_FOR=STRANGER_ADDRESS)

    # nginx appends the address it saw: whatever the stranger wrote before it is not believed.
    forged = f"{APPLICANT_ADDRESS}, {STRANGER_ADDRESS}"
    assert log_in("ana", address="127.0.0.1", HTTP_X_FORWARDED_FOR=forged).status_code == 429


@pytest.mark.django_db
def test_the_audit_log_records_the_forwarded_client_address_behind_a_trusted_proxy(settings: Any) -> None:
    settings.TRUSTED_PROXY_COUNT = 1
    make_user("ana")
    log_in("ana", address="127.0.0.1", HTTP_X_FORWARDED_FOR=APPLICANT_ADDRESS)

    assert AuditEntry.objects.filter(action="login").values_list("ip", flat=True).get() == APPLICANT_ADDRESS
