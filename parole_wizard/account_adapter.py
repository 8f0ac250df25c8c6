"""How django-allauth fits this site: where a confirmed address leads, and the two-factor secrets kept encrypted."""

from typing import Any

from allauth.account.adapter import DefaultAccountAdapter
from allauth.account.models import EmailAddress
from allauth.mfa.adapter import DefaultMFAAdapter
from allauth.mfa.models import Authenticator
from django.http import HttpRequest
from django.utils.http import url_has_allowed_host_and_scheme

from packets.crypto import decrypt_json, encrypt_json
from packets.sharing.addresses import email_address_ensure
from packets.sharing.views import INVITATION_RETURN_KEY
from parole_wizard.counsel_mfa import mfa_required_for


class AccountAdapter(DefaultAccountAdapter):
    def login(self, request: HttpRequest, user: Any) -> None:
        super().login(request, user)
        email_address_ensure(user=user)

    def get_email_verification_redirect_url(self, email_address: EmailAddress) -> Any:
        """Back to the invitation that asked for the confirmation, when there is one in this browser."""
        request = self.request
        back = request.session.pop(INVITATION_RETURN_KEY, "") if hasattr(request, "session") else ""
        if back and url_has_allowed_host_and_scheme(back, allowed_hosts={request.get_host()}):
            return back
        return super().get_email_verification_redirect_url(email_address)


class MFAAdapter(DefaultMFAAdapter):
    """Authenticator secrets and recovery codes are encrypted with ENCRYPTION_KEYS, like every other secret."""

    def encrypt(self, text: str) -> str:
        return encrypt_json(text)

    def decrypt(self, encrypted_text: str) -> str:
        return str(decrypt_json(encrypted_text))

    def can_delete_authenticator(self, authenticator: Authenticator) -> bool:
        # Where two-factor is required (COUNSEL_REQUIRE_MFA), counsel cannot switch it off.
        return not (authenticator.type == Authenticator.Type.TOTP and mfa_required_for(authenticator.user))
