"""Email addresses (django-allauth): log in by username or address, confirm an address by its emailed link, and
``email_is_verified`` — what invitations and notifications rely on. Accounts from before allauth keep working."""

import io
import re

import pytest
from allauth.account.models import EmailAddress
from django.contrib.auth import get_user_model
from django.core import mail
from django.core.management import call_command
from django.test import Client
from django.urls import reverse

from packets.sharing.addresses import email_is_verified
from tests.builders import make_user

PASSWORD = "correct horse battery"
NEW_PASSWORD = "a brand new stable horse"
CONFIRM_LINK = re.compile(r"https?://testserver(/accounts/confirm-email/\S+/)")


def signed_in_as(client: Client) -> str | None:
    response = client.get(reverse("dashboard"))
    return response.wsgi_request.user.get_username() if response.status_code == 200 else None


@pytest.mark.django_db
def test_a_person_logs_in_with_their_email_address_in_any_case() -> None:
    make_user("ana", email="ana@example.org")
    client = Client()

    response = client.post(reverse("login"), {"login": "Ana@Example.org", "password": PASSWORD})

    assert response.status_code == 302
    assert signed_in_as(client) == "ana"


@pytest.mark.django_db
def test_an_account_from_before_the_switch_logs_in_by_username_and_its_address_is_unconfirmed() -> None:
    # Made the old way: no allauth address row at all.
    user = get_user_model().objects.create_user("olduser", email="old@example.org", password=PASSWORD)
    client = Client()

    response = client.post(reverse("login"), {"login": "olduser", "password": PASSWORD})

    assert response.status_code == 302
    assert signed_in_as(client) == "olduser"
    assert not email_is_verified(user)
    # Listed on the account page, unconfirmed, where a confirmation can be sent.
    page = client.get(reverse("account_email")).content.decode()
    assert "old@example.org" in page
    assert "not confirmed yet" in page


@pytest.mark.django_db
def test_signing_up_emails_a_link_and_the_address_counts_as_confirmed_only_after_it_is_opened() -> None:
    client = Client()
    client.post(
        reverse("signup"),
        {"username": "carla", "email": "Carla@Example.org", "password1": NEW_PASSWORD, "password2": NEW_PASSWORD},
    )
    carla = get_user_model().objects.get(username="carla")
    assert not email_is_verified(carla)

    assert mail.outbox[-1].subject == "Confirm your email address for Parole Wizard"
    link = CONFIRM_LINK.search(str(mail.outbox[-1].body)).group(1)  # type: ignore[union-attr]
    page = client.get(link)
    assert "Yes, confirm this address" in page.content.decode()
    assert not email_is_verified(carla)  # opening the page alone (a mail scanner) confirms nothing

    client.post(link)

    assert email_is_verified(carla)


@pytest.mark.django_db
def test_email_is_verified_is_false_when_the_account_address_changed_to_an_unconfirmed_one() -> None:
    user = make_user("ana", email="ana@example.org")
    assert email_is_verified(user)

    user.email = "someone.else@example.org"
    user.save()

    assert not email_is_verified(user)


@pytest.mark.django_db
def test_a_user_without_an_address_is_not_verified() -> None:
    assert not email_is_verified(make_user("noaddress", email=""))


@pytest.mark.django_db
def test_a_second_account_cannot_sign_up_with_an_address_already_in_use() -> None:
    make_user("ana", email="ana@example.org")

    response = Client().post(
        reverse("signup"),
        {"username": "imposter", "email": "ANA@example.org", "password1": NEW_PASSWORD, "password2": NEW_PASSWORD},
    )

    assert 'href="#id_email"' in response.content.decode()
    assert not get_user_model().objects.filter(username="imposter").exists()


@pytest.mark.django_db
def test_the_demo_users_are_seeded_with_confirmed_addresses() -> None:
    call_command("seed_demo", stdout=io.StringIO())

    for username in ("applicant", "counsel"):
        user = get_user_model().objects.get(username=username)
        assert email_is_verified(user)
        assert EmailAddress.objects.get(user=user).primary


@pytest.mark.django_db
def test_the_account_page_sends_the_confirmation_email_again() -> None:
    make_user("ana", email="ana@example.org", email_verified=False)
    client = Client()
    client.post(reverse("login"), {"login": "ana", "password": PASSWORD})
    mail.outbox.clear()

    client.post(reverse("account_email"), {"email": "ana@example.org", "action_send": "1"})

    assert mail.outbox[-1].to == ["ana@example.org"]
    assert CONFIRM_LINK.search(str(mail.outbox[-1].body))
