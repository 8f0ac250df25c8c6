"""Signed-in sessions as OWASP ASVS (V3) asks: idle and absolute timeouts, and a password change that ends the user's
other sessions unless they choose to keep them.

Django already gives a new session id at login and deletes the session server-side at logout. It also ties each
session to a hash of the password, so a password change would end every other session with no choice. We track each
signed-in session (``UserSession``) so the password change can either delete the others from the session store
(the default) or re-stamp them with the new password's hash so they carry on. Sessions that began before tracking
existed are not known here; a password change ends them either way, through Django's hash check.
"""

import logging
import time
from collections.abc import Callable
from datetime import timedelta
from importlib import import_module
from typing import Any

from allauth.account.forms import ChangePasswordForm
from allauth.account.views import PasswordChangeView
from axes.helpers import get_client_ip_address
from django import forms
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import HASH_SESSION_KEY, SESSION_KEY, logout
from django.contrib.auth.signals import user_logged_in, user_logged_out
from django.contrib.sessions.backends.base import SessionBase
from django.db import DatabaseError
from django.dispatch import receiver
from django.http import HttpRequest, HttpResponse, HttpResponseBase
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from packets.audit.records import audit_record
from packets.models import UserSession

logger = logging.getLogger(__name__)

STARTED = "_signed_in_at"  # epoch seconds of the login
SEEN = "_seen_at"  # epoch seconds of the last request, to TOUCH_SECONDS
# Writing the session on every request costs a database write per click; the idle clock is kept to this precision.
TOUCH_SECONDS = 60


def idle_seconds() -> int:
    return int(getattr(settings, "SESSION_IDLE_SECONDS", 30 * 60))


def absolute_seconds() -> int:
    return int(getattr(settings, "SESSION_ABSOLUTE_SECONDS", 12 * 60 * 60))


def _store(session_key: str | None = None) -> SessionBase:
    engine = import_module(settings.SESSION_ENGINE)
    return engine.SessionStore(session_key=session_key)  # type: ignore[no-any-return]


# ── Timeouts ────────────────────────────────────────────────────────────────────────────────────────────────────────


def _timeout_message(reason: str) -> str:
    if reason == "idle":
        minutes = max(1, idle_seconds() // 60)
        return ngettext(
            "You were logged out after %(minutes)d minute without activity. Your saved answers are kept: log in to "
            "carry on.",
            "You were logged out after %(minutes)d minutes without activity. Your saved answers are kept: log in to "
            "carry on.",
            minutes,
        ) % {"minutes": minutes}
    hours = max(1, absolute_seconds() // 3600)
    return ngettext(
        "You were logged out because you had been logged in for %(hours)d hour. Your saved answers are kept: log in "
        "again to carry on.",
        "You were logged out because you had been logged in for %(hours)d hours. Your saved answers are kept: log in "
        "again to carry on.",
        hours,
    ) % {"hours": hours}


def _expired(session: SessionBase, now: int) -> str:
    """ "idle", "absolute" or "" for a signed-in session at ``now``."""
    started, seen = session.get(STARTED), session.get(SEEN)
    if started is None or seen is None:
        return ""
    if now - seen > idle_seconds():
        return "idle"
    if now - started > absolute_seconds():
        return "absolute"
    return ""


class SessionTimeoutMiddleware:
    """Logs a signed-in user out after SESSION_IDLE_SECONDS without a request or SESSION_ABSOLUTE_SECONDS after login.

    The request then carries on as anonymous: a page sends to the login page (which says why), and a wizard step that
    was being posted keeps its answers until login (see ``parole_wizard.wizard_storage``).
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponseBase]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponseBase:
        # No cookie, no session to time out (and no database query for health checks and first visits).
        if settings.SESSION_COOKIE_NAME in request.COOKIES and SESSION_KEY in request.session:
            self._check(request)
        return self.get_response(request)

    def _check(self, request: HttpRequest) -> None:
        session = request.session
        now = int(time.time())
        reason = _expired(session, now)
        if reason:
            user = request.user
            audit_record(action="timeout", description=f"logged out: {reason} timeout", user=user)
            logout(request)
            messages.info(request, _timeout_message(reason))
            return
        if session.get(STARTED) is None:
            session[STARTED] = now  # signed in before timeouts existed: the clocks start now
        if now - session.get(SEEN, 0) >= TOUCH_SECONDS:
            session[SEEN] = now
            if session.session_key:
                try:
                    UserSession.objects.filter(session_key=session.session_key).update(last_seen_at=timezone.now())
                except DatabaseError:
                    # Only the password page's count of other devices reads this: never worth an error page.
                    logger.warning("could not note activity of a session", exc_info=True)


@receiver(user_logged_in, dispatch_uid="sessions_logged_in")
def _logged_in(sender: type, request: HttpRequest | None, user: Any, **kwargs: Any) -> None:
    if request is None or not hasattr(request, "session"):
        return
    now = int(time.time())
    request.session[STARTED] = now
    request.session[SEEN] = now
    if request.session.session_key is None:
        request.session.save()
    UserSession.objects.update_or_create(
        session_key=request.session.session_key,
        defaults={
            "user": user,
            "last_seen_at": timezone.now(),
            "ip": get_client_ip_address(request),
            "user_agent": request.META.get("HTTP_USER_AGENT", "")[:300],
        },
    )


@receiver(user_logged_out, dispatch_uid="sessions_logged_out")
def _logged_out(sender: type, request: HttpRequest | None, user: Any, **kwargs: Any) -> None:
    # Django deletes the session itself right after this signal; only our record of it is left to remove.
    if request is not None and getattr(request, "session", None) is not None and request.session.session_key:
        UserSession.objects.filter(session_key=request.session.session_key).delete()


# ── Other sessions ──────────────────────────────────────────────────────────────────────────────────────────────────


def user_sessions_other(*, user: Any, current_key: str | None) -> list[UserSession]:
    """The user's other sessions that may still be in use (seen within the idle timeout)."""
    since = timezone.now() - timedelta(seconds=idle_seconds())
    return list(UserSession.objects.filter(user=user, last_seen_at__gte=since).exclude(session_key=current_key or ""))


def user_sessions_end_others(*, user: Any, current_key: str | None) -> int:
    """Delete every other session of ``user`` from the session store; returns how many there were."""
    rows = list(UserSession.objects.filter(user=user).exclude(session_key=current_key or ""))
    for row in rows:
        _store(row.session_key).delete()
    UserSession.objects.filter(pk__in=[row.pk for row in rows]).delete()
    return len(rows)


def user_sessions_keep_others(*, user: Any, current_key: str | None) -> int:
    """Let the user's other sessions survive a password change: stamp them with the new password's hash."""
    kept = 0
    for row in UserSession.objects.filter(user=user).exclude(session_key=current_key or ""):
        store = _store(row.session_key)
        if not store.exists(row.session_key) or store.get(SESSION_KEY) != str(user.pk):
            row.delete()
            continue
        store[HASH_SESSION_KEY] = user.get_session_auth_hash()
        store.save()
        kept += 1
    return kept


class SessionsPasswordChangeForm(ChangePasswordForm):
    """allauth's password change, plus the choice to end the user's other sessions (ACCOUNT_FORMS)."""

    end_other_sessions = forms.BooleanField(
        label=_("Log out everywhere else"),
        help_text=_(
            "Ends your sessions on other computers and phones, for example if someone else may know your old password. "
            "You stay logged in here."
        ),
        required=False,
        initial=True,
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for name, label in (
            ("oldpassword", _("Current password")),
            ("password1", _("New password")),
            ("password2", _("New password again")),
        ):
            self.fields[name].label = label
            self.fields[name].widget.attrs.pop("placeholder", None)


class SessionsPasswordChangeView(PasswordChangeView):
    """allauth's password change page, which also lists and ends (or keeps) the user's other sessions."""

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        context["other_sessions"] = user_sessions_other(
            user=self.request.user, current_key=self.request.session.session_key
        )
        return context

    def form_valid(self, form: Any) -> HttpResponse:
        old_key = self.request.session.session_key
        response = super().form_valid(form)  # saves, and gives this session a new id with the new hash
        new_key = self.request.session.session_key
        if old_key and new_key and old_key != new_key:
            UserSession.objects.filter(session_key=old_key).update(session_key=new_key)
        user = form.user
        if form.cleaned_data.get("end_other_sessions"):
            ended = user_sessions_end_others(user=user, current_key=new_key)
            audit_record(action="password", description=f"password changed; {ended} other sessions ended", user=user)
        else:
            kept = user_sessions_keep_others(user=user, current_key=new_key)
            audit_record(action="password", description=f"password changed; {kept} other sessions kept", user=user)
        return response
