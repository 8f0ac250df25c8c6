"""Key rotation for the two-step-login secrets: django-allauth keeps each authenticator's TOTP secret and recovery-code
seed in ``Authenticator.data``, encrypted through the MFA adapter (``parole_wizard.account_adapter.MFAAdapter``) with
ENCRYPTION_KEYS. They are not a column of ours, so ``encryption_rotate`` rewrites them here; without this, dropping a
retired key would lock everyone with an authenticator out of their account."""

from typing import Any

from django.apps import apps
from django.db import transaction

from packets.crypto import is_token, token_is_current

# The keys of ``Authenticator.data`` whose values allauth passes through the adapter's encrypt().
_ENCRYPTED_KEYS = ("secret", "seed")
_ENCRYPTED_LISTS = ("migrated_codes",)


def authenticators_reencrypt() -> int:
    """Re-encrypt every authenticator's secrets with the newest key (plain ones, from before the adapter encrypted,
    get encrypted); returns how many authenticators were rewritten. Nothing to do when allauth's MFA is not installed.
    """
    if not apps.is_installed("allauth.mfa"):
        return 0
    from allauth.mfa.adapter import get_adapter
    from allauth.mfa.models import Authenticator

    adapter = get_adapter()
    rewritten = 0
    for pk in Authenticator.objects.values_list("pk", flat=True).iterator():
        with transaction.atomic():  # one at a time, so an interrupted run can simply be started again
            authenticator = Authenticator.objects.select_for_update().filter(pk=pk).first()
            if authenticator is None:
                continue
            data, changed = _reencrypted(dict(authenticator.data or {}), adapter)
            if changed:
                Authenticator.objects.filter(pk=pk).update(data=data)
                rewritten += 1
    return rewritten


def _reencrypted(data: dict[str, Any], adapter: Any) -> tuple[dict[str, Any], bool]:
    changed = False

    def again(value: Any) -> Any:
        nonlocal changed
        if not isinstance(value, str) or token_is_current(value):
            return value
        changed = True
        return adapter.encrypt(adapter.decrypt(value) if is_token(value) else value)

    for key in _ENCRYPTED_KEYS:
        if key in data:
            data[key] = again(data[key])
    for key in _ENCRYPTED_LISTS:
        if isinstance(data.get(key), list):
            data[key] = [again(item) for item in data[key]]
    return data, changed
