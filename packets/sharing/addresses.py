"""Whose email address is confirmed: the gate for joining a packet by invitation and for sending notifications.

Addresses and their confirmation are django-allauth's (``EmailAddress`` rows). Accounts made before allauth have no
row yet: their address counts as unconfirmed until they confirm it, which is what the invitation page offers.
"""

from typing import Any

# allauth's own resend (what its email page's button calls): it applies the rate limit and says "sent" on the page.
from allauth.account.internal.flows.email_verification import send_verification_email_to_address
from allauth.account.models import EmailAddress
from django.http import HttpRequest


def email_is_verified(user: Any) -> bool:
    """True when ``user``'s own address (``user.email``) is one they have confirmed.

    Notifications call this before sending: mail goes only to an address its owner has shown to be theirs.
    """
    email = (getattr(user, "email", "") or "").strip()
    if not email or not getattr(user, "pk", None):
        return False
    return EmailAddress.objects.filter(user=user, email__iexact=email, verified=True).exists()


def user_has_verified_address(*, user: Any, email: str) -> bool:
    """True when ``user`` has confirmed ``email`` (compared without regard to case)."""
    return EmailAddress.objects.filter(user=user, email__iexact=email.strip(), verified=True).exists()


def user_has_unverified_address(*, user: Any, email: str) -> bool:
    """True when ``email`` is ``user``'s (their account's address or one they added) but not confirmed yet."""
    email = email.strip()
    if user_has_verified_address(user=user, email=email):
        return False
    own = (user.email or "").strip().lower() == email.lower()
    return own or EmailAddress.objects.filter(user=user, email__iexact=email).exists()


def email_address_send_confirmation(*, request: HttpRequest, user: Any, email: str) -> None:
    """Email ``user`` a link confirming ``email`` (their own, unconfirmed address), within allauth's rate limit."""
    address = EmailAddress.objects.filter(user=user, email__iexact=email.strip()).first()
    if address is None:
        address = EmailAddress.objects.create(
            user=user,
            email=email.strip().lower(),
            verified=False,
            primary=not EmailAddress.objects.filter(user=user).exists(),
        )
    send_verification_email_to_address(request, address)


def email_address_ensure(*, user: Any) -> EmailAddress | None:
    """Give an account from before allauth a row for its address, unconfirmed, so its account page can confirm it."""
    email = (user.email or "").strip()
    if not email or EmailAddress.objects.filter(user=user).exists():
        return None
    return EmailAddress.objects.create(user=user, email=email.lower(), verified=False, primary=True)


def email_address_mark_verified(*, user: Any) -> EmailAddress:
    """Record ``user.email`` as confirmed and primary (demo users, whose addresses nobody can receive mail at)."""
    address, _created = EmailAddress.objects.update_or_create(
        user=user, email=user.email.lower(), defaults={"verified": True, "primary": True}
    )
    return address
