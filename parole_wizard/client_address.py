"""Who is logging in, and from where, for the failed-login lock (django-axes) and the audit log.

Behind a proxy every connection comes from the proxy, so the address must come from the ``X-Forwarded-For`` header
the proxy adds to. But a client can send that header too: only the entries our own proxies appended can be believed.
``TRUSTED_PROXY_COUNT`` says how many proxies are in front of the app (0, the default, ignores the header). With one
nginx that appends ``$remote_addr`` (docs/production.md), the last entry is the client as nginx saw it; with N
proxies, the N-th from the end. django-allauth follows the same rule with the same count (ALLAUTH_TRUSTED_PROXY_COUNT).
"""

from ipaddress import ip_address
from typing import Any

from django.conf import settings
from django.contrib.auth import get_user_model
from django.http import HttpRequest


def _valid(candidate: str) -> str | None:
    try:
        return str(ip_address(candidate.strip()))
    except ValueError:
        return None


def client_address(request: HttpRequest) -> str | None:
    """The client's address: from X-Forwarded-For when TRUSTED_PROXY_COUNT proxies are trusted, else the socket's."""
    remote = request.META.get("REMOTE_ADDR")
    count = int(getattr(settings, "TRUSTED_PROXY_COUNT", 0))
    forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "")
    if count > 0 and forwarded:
        entries = [entry for entry in forwarded.split(",") if entry.strip()]
        if len(entries) >= count:
            found = _valid(entries[-count])
            if found:
                return found
    return remote


def login_name(request: HttpRequest | None, credentials: dict[str, Any] | None) -> str | None:
    """The name a login attempt was for, whatever form posted it, in one case so "Ana" and "ana" count together.

    allauth's form posts ``login`` (a username or an email address) and passes ``username`` or ``email`` on to
    ``authenticate``; Django's own forms post ``username``. An account's email address counts as its username, so
    guesses cannot be split between the two.
    """
    candidates: list[Any] = []
    if request is not None and request.method == "POST":
        candidates += [request.POST.get("login"), request.POST.get("username")]
    if credentials:
        candidates += [credentials.get("username"), credentials.get("email"), credentials.get("login")]
    for candidate in candidates:
        if isinstance(candidate, str) and candidate.strip():
            return _account_name(candidate.strip()).casefold()
    return None


def _account_name(login: str) -> str:
    """The username of the account an email address logs in to, so both ways of logging in share one count."""
    if "@" not in login:
        return login
    user = get_user_model().objects.filter(email__iexact=login).only("username").first()
    return user.get_username() if user is not None else login
