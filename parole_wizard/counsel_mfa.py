"""Two-factor for counsel: with ``COUNSEL_REQUIRE_MFA=true``, someone who is counsel on any packet sets up an
authenticator app (TOTP, django-allauth's MFA) before they can open any packet page.

Counsel see many people's passports and immigration histories, so a stolen password alone must not open them.
Applicants may turn two-factor on too; for them it stays optional.
"""

from collections.abc import Callable
from typing import Any

from allauth.mfa.models import Authenticator
from django.conf import settings
from django.contrib import messages
from django.http import HttpRequest, HttpResponseBase
from django.shortcuts import redirect
from django.urls import resolve
from django.urls.exceptions import Resolver404
from django.utils.translation import gettext as _

from packets.models import Membership, Role

# Pages listing or showing packets; every URL with a packet in it counts too.
PACKET_PAGES = {"dashboard", "shared_with_me", "packet_new", "packet_import"}


def user_is_counsel(user: Any) -> bool:
    return bool(user.is_authenticated) and Membership.objects.filter(user=user, role=Role.COUNSEL).exists()


def mfa_required_for(user: Any) -> bool:
    """True when ``user`` must have two-factor turned on: counsel, while COUNSEL_REQUIRE_MFA is set."""
    return bool(getattr(settings, "COUNSEL_REQUIRE_MFA", False)) and user_is_counsel(user)


def user_has_totp(user: Any) -> bool:
    return Authenticator.objects.filter(user=user, type=Authenticator.Type.TOTP).exists()


def _is_packet_page(request: HttpRequest) -> bool:
    try:
        match = resolve(request.path_info)
    except Resolver404:
        return False
    return match.url_name in PACKET_PAGES or "packet_id" in match.kwargs


class CounselMfaMiddleware:
    """Sends counsel without an authenticator app to set one up, saying why, before any packet page."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponseBase]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponseBase:
        if (
            getattr(settings, "COUNSEL_REQUIRE_MFA", False)
            and request.user.is_authenticated
            and _is_packet_page(request)
            and mfa_required_for(request.user)
            and not user_has_totp(request.user)
        ):
            messages.info(
                request,
                _(
                    "Because you are counsel on a packet, this site asks for a second step when you log in: a "
                    "six-digit code from an authenticator app on your phone. Set it up below; it takes about two "
                    "minutes. Then you can open your packets."
                ),
            )
            return redirect("mfa_activate_totp")
        return self.get_response(request)
