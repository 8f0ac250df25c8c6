"""Rotating the encryption key keeps two-step login working: the authenticator secrets and recovery codes that
allauth keeps encrypted with ENCRYPTION_KEYS are re-encrypted with the new key, so the old one can be dropped."""

import io
import time
from typing import Any

import pytest
from allauth.mfa import app_settings as mfa_settings
from allauth.mfa.models import Authenticator
from allauth.mfa.recovery_codes.internal.auth import RecoveryCodes
from allauth.mfa.totp.internal.auth import TOTP, format_hotp_value, generate_totp_secret, hotp_value
from cryptography.fernet import Fernet
from django.core.management import call_command
from django.test import Client
from django.urls import reverse

from tests.builders import make_user

pytestmark = pytest.mark.django_db

PASSWORD = "correct horse battery"


def current_code(secret: str) -> str:
    return format_hotp_value(hotp_value(secret, int(time.time()) // mfa_settings.TOTP_PERIOD))


def test_after_rotating_the_key_and_dropping_the_old_one_the_authenticator_code_still_logs_in(settings: Any) -> None:
    user = make_user("carmen")
    secret = generate_totp_secret()
    TOTP.activate(user, secret)
    codes = RecoveryCodes.activate(user).get_unused_codes()
    old, new = settings.ENCRYPTION_KEYS[0], Fernet.generate_key().decode()

    settings.ENCRYPTION_KEYS = [new, old]
    out = io.StringIO()
    call_command("rotate_encryption", stdout=out)
    assert "two-step-login authenticators: 2 re-encrypted" in out.getvalue()
    settings.ENCRYPTION_KEYS = [new]  # the old key is gone

    client = Client()
    first_step = client.post(reverse("login"), {"login": "carmen", "password": PASSWORD})
    assert first_step["Location"] == reverse("mfa_authenticate")
    response = client.post(reverse("mfa_authenticate"), {"code": current_code(secret)})
    assert response.status_code == 302 and response["Location"] != reverse("mfa_authenticate")
    recovery = RecoveryCodes(Authenticator.objects.get(user=user, type=Authenticator.Type.RECOVERY_CODES))
    assert recovery.get_unused_codes() == codes


def test_a_second_rotation_leaves_secrets_already_under_the_newest_key_alone(settings: Any) -> None:
    user = make_user("carmen")
    TOTP.activate(user, generate_totp_secret())
    settings.ENCRYPTION_KEYS = [Fernet.generate_key().decode(), *settings.ENCRYPTION_KEYS]
    call_command("rotate_encryption", stdout=io.StringIO())
    out = io.StringIO()
    call_command("rotate_encryption", stdout=out)
    assert "two-step-login authenticators: 0 re-encrypted" in out.getvalue()


def test_a_secret_stored_before_it_was_encrypted_is_encrypted_by_rotation_and_still_verifies() -> None:
    user = make_user("carmen")
    secret = generate_totp_secret()
    Authenticator.objects.create(user=user, type=Authenticator.Type.TOTP, data={"secret": secret})
    call_command("rotate_encryption", stdout=io.StringIO())
    authenticator = Authenticator.objects.get(user=user)
    assert secret not in str(authenticator.data)
    assert TOTP(authenticator).validate_code(current_code(secret))
