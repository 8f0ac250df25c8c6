"""The audit log: who did what to which packet, when and from where.

Views are recorded by one middleware keyed on the resolved URL name and its ``packet_id``, so a view added later is
recorded without anyone remembering to. What a request alone does not show — the outcome of a status change, an
invitation, a membership — is recorded from the rows those services write (signals below), with the request's user,
address and browser taken from a context variable the middleware sets. Entries are only ever inserted
(``AuditEntry.save`` refuses updates); the app has no path that edits or deletes them.
"""

import logging
from collections.abc import Callable
from contextvars import ContextVar
from dataclasses import dataclass
from typing import Any
from uuid import UUID

from axes.helpers import get_client_ip_address
from django.contrib.auth.decorators import login_required
from django.contrib.auth.signals import user_logged_in, user_logged_out, user_login_failed
from django.core.paginator import Paginator
from django.db import DatabaseError, transaction
from django.db.models import Subquery
from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver
from django.http import HttpRequest, HttpResponse, HttpResponseBase
from django.shortcuts import render
from django.views.decorators.http import require_GET

from packets.models import AuditEntry, Invitation, Membership, Packet, ReviewEvent, Role
from packets.permissions import Action, packet_for_user

logger = logging.getLogger(__name__)

# URL names whose GET hands out the packet's content as a file.
DOWNLOADS = frozenset(
    {
        "exhibit_download",
        "packet_version_download",
        "packet_online_filing",
        "packet_export",
        "case_render_download",
        "case_document_download",
        "case_public_summary_markdown",
    }
)
# Downloads whose query string chooses what is handed out: its values are part of the entry.
DOWNLOAD_CHOICES = {"packet_online_filing": ("version", "max_mb")}
CHOICE_MAX = 20
# Polled by the render page every few seconds: one entry per poll would bury everything else.
NOT_RECORDED = frozenset({"packet_render_status"})

DESCRIPTION_MAX = AuditEntry._meta.get_field("description").max_length or 300
USER_AGENT_MAX = AuditEntry._meta.get_field("user_agent").max_length or 300


@dataclass(frozen=True)
class Origin:
    """Who is asking and from where: the request's user, client address and browser."""

    user: Any
    ip: str | None
    user_agent: str


# The request being answered, so a service's rows can be recorded with who and from where. The request, not its
# origin, is kept: reading ``request.user`` costs a session and user lookup that most requests never need.
_request: ContextVar[HttpRequest | None] = ContextVar("audit_request", default=None)


def _current_origin() -> Origin | None:
    request = _request.get()
    return request_origin(request) if request is not None else None


def request_origin(request: HttpRequest) -> Origin:
    user = getattr(request, "user", None)
    return Origin(
        user=user if user is not None and user.is_authenticated else None,
        ip=get_client_ip_address(request),
        user_agent=request.META.get("HTTP_USER_AGENT", "")[:USER_AGENT_MAX],
    )


def audit_record(
    *,
    action: str,
    description: str,
    packet_id: UUID | str | None = None,
    user: Any = None,
    origin: Origin | None = None,
) -> None:
    """Insert one audit entry; the packet link is kept only while the packet exists (its id is kept always)."""
    origin = origin or _current_origin() or Origin(user=None, ip=None, user_agent="")
    user = user if user is not None else origin.user
    # The INSERT looks the packet up itself (NULL when it is gone, as after a delete): one statement per entry, not a
    # read and a write. django-stubs types a field's values, not the expressions the ORM takes for them.
    existing = Subquery(Packet.objects.filter(pk=packet_id).values("pk")) if packet_id else None
    AuditEntry.objects.create(
        packet_id=existing,  # type: ignore[misc]
        packet_ref=packet_id or None,
        user_id=user.pk if user is not None else None,
        username=user.get_username() if user is not None else "",
        action=action,
        description=description[:DESCRIPTION_MAX],
        ip=origin.ip,
        user_agent=origin.user_agent,
    )


def _record_after_commit(**kwargs: Any) -> None:
    # After commit: a rolled-back change leaves no entry, and a packet deleted in the same transaction (its
    # memberships go first) is no longer linked.
    origin = _current_origin()
    # robust: the change is committed already; a failed entry is logged, not turned into an error page.
    transaction.on_commit(lambda: audit_record(origin=origin, **kwargs), robust=True)


# ── Requests ────────────────────────────────────────────────────────────────────────────────────────────────────────


def _describe(url_name: str, kwargs: dict[str, Any]) -> str:
    words = url_name.replace("_", " ")
    details = ", ".join(f"{key}={value}" for key, value in sorted(kwargs.items()) if key != "packet_id")
    return f"{words} ({details})" if details else words


def _request_action(request: HttpRequest, url_name: str, response: HttpResponseBase) -> str:
    if request.method in ("GET", "HEAD"):
        return "download" if url_name in DOWNLOADS else "view"
    if url_name == "packet_delete" and response.status_code in (302, 303):
        return "delete"
    return "change"


class AuditMiddleware:
    """Records every answered request to a packet URL; a refusal is recorded too, but not linked to the packet."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponseBase]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponseBase:
        token = _request.set(request)
        try:
            response = self.get_response(request)
            try:
                self._record(request, response)
            except DatabaseError:
                # The answer is already made (perhaps the page saying the database is away); the operator learns
                # from the log that this request has no entry.
                logger.exception("audit entry for %s %s could not be written", request.method, request.path)
        finally:
            _request.reset(token)
        return response

    def _record(self, request: HttpRequest, response: HttpResponseBase) -> None:
        if getattr(request, _RECORDED, False):
            return  # written with the change it made (audit_request_with_change)
        recorded = _recorded_request(request)
        if recorded is None:
            return
        match, origin = recorded
        chosen = {
            key: request.GET[key][:CHOICE_MAX] for key in DOWNLOAD_CHOICES.get(match.url_name, ()) if key in request.GET
        }
        description = _describe(match.url_name or "", {**match.kwargs, **chosen})
        if response.status_code >= 400:
            # Not linked to the packet, so a member never sees who probed for it, but kept for the operator.
            audit_record(action="refused", description=f"{request.method} {description}", origin=origin)
            return
        audit_record(
            action=_request_action(request, match.url_name or "", response),
            description=description,
            packet_id=match.kwargs["packet_id"],
            origin=origin,
        )


def _recorded_request(request: HttpRequest) -> tuple[Any, Origin] | None:
    """The URL match and origin of a request the log records: a signed-in user's request to a packet URL."""
    match = getattr(request, "resolver_match", None)
    if match is None or "packet_id" not in match.kwargs or match.url_name in NOT_RECORDED:
        return None
    origin = request_origin(request)  # the user as the view left it
    if origin.user is None:
        return None  # sent to log in: nothing was shown
    return match, origin


_RECORDED = "_audit_recorded"


def audit_request_with_change() -> None:
    """Write the entry of the request being answered ("change" to its packet) now, in the caller's transaction.

    For a service that has just changed the packet inside its transaction (a step save): the entry then commits with
    the change, one commit instead of two, and the middleware leaves the request alone. A caller whose transaction
    rolls back calls ``audit_request_rolled_back``: the entry went with it, and the middleware records the request as
    usual, from its response.
    """
    request = _request.get()
    recorded = _recorded_request(request) if request is not None and request.method == "POST" else None
    if recorded is None:
        return
    match, origin = recorded
    audit_record(
        action="change",
        description=_describe(match.url_name or "", match.kwargs),
        packet_id=match.kwargs["packet_id"],
        origin=origin,
    )
    setattr(request, _RECORDED, True)


def audit_request_rolled_back() -> None:
    """The transaction that held ``audit_request_with_change``'s entry rolled back: the middleware writes one."""
    request = _request.get()
    if request is not None:
        setattr(request, _RECORDED, False)


# ── Outcomes written by the services ────────────────────────────────────────────────────────────────────────────────


@receiver(post_save, sender=ReviewEvent, dispatch_uid="audit_review_event")
def _status_changed(sender: type, instance: ReviewEvent, created: bool, raw: bool = False, **kwargs: Any) -> None:
    if created and not raw:
        _record_after_commit(
            action="status",
            description=f"{instance.from_status} → {instance.to_status} at revision {instance.revision}",
            packet_id=instance.packet_id,
            user=instance.user,
        )


@receiver(post_save, sender=Invitation, dispatch_uid="audit_invitation")
def _invitation_saved(sender: type, instance: Invitation, created: bool, raw: bool = False, **kwargs: Any) -> None:
    fields = kwargs.get("update_fields") or ()
    if raw:
        return  # loaded from a backup or fixture: nobody did anything
    if created:
        user, words = instance.invited_by, "sent to"
    elif "accepted_at" in fields:
        user, words = instance.accepted_by, "accepted:"
    elif "revoked_at" in fields:
        user, words = None, "withdrawn:"
    else:
        return
    role = Role(instance.role).label
    _record_after_commit(
        action="invite",
        description=f"{words} {instance.email} as {role}",
        packet_id=instance.packet_id,
        user=user,
    )


@receiver(post_save, sender=Membership, dispatch_uid="audit_membership_added")
def _member_added(sender: type, instance: Membership, created: bool, raw: bool = False, **kwargs: Any) -> None:
    if created and not raw:
        _record_after_commit(
            action="member",
            description=f"added {instance.user.get_username()} as {Role(instance.role).label}",
            packet_id=instance.packet_id,
        )


@receiver(post_delete, sender=Membership, dispatch_uid="audit_membership_removed")
def _member_removed(sender: type, instance: Membership, **kwargs: Any) -> None:
    _record_after_commit(
        action="member",
        description=f"removed {instance.user.get_username()} ({Role(instance.role).label})",
        packet_id=instance.packet_id,
    )


# ── Accounts ────────────────────────────────────────────────────────────────────────────────────────────────────────


@receiver(user_logged_in, dispatch_uid="audit_login")
def _logged_in(sender: type, request: HttpRequest | None, user: Any, **kwargs: Any) -> None:
    origin = request_origin(request) if request is not None else None
    audit_record(action="login", description="logged in", user=user, origin=origin)


@receiver(user_logged_out, dispatch_uid="audit_logout")
def _logged_out(sender: type, request: HttpRequest | None, user: Any, **kwargs: Any) -> None:
    if user is not None:
        origin = request_origin(request) if request is not None else None
        audit_record(action="logout", description="logged out", user=user, origin=origin)


@receiver(user_login_failed, dispatch_uid="audit_login_failed")
def _login_failed(sender: type, credentials: dict[str, Any], request: HttpRequest | None = None, **kwargs: Any) -> None:
    origin = request_origin(request) if request is not None else None
    username = str(credentials.get("username", ""))[:150]
    audit_record(action="login_failed", description=f"failed login as {username!r}", origin=origin)


# ── The packet's log, for its owner and counsel ─────────────────────────────────────────────────────────────────────

PAGE_SIZE = 100


@login_required
@require_GET
def packet_audit(request: HttpRequest, packet_id: UUID) -> HttpResponse:
    packet = packet_for_user(request.user, packet_id, Action.READ_AUDIT)
    entries = AuditEntry.objects.filter(packet=packet).select_related("user")
    page = Paginator(entries, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "packets/audit.html", {"packet": packet, "page": page})
