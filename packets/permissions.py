"""Who may do what to a packet: declared once here, enforced by ``packet_for_user`` in every view and service."""

from enum import StrEnum
from uuid import UUID

from django.contrib.auth.models import AbstractBaseUser, AnonymousUser, User
from django.core.exceptions import ValidationError
from django.db.models import F
from django.http import Http404, HttpRequest

from packets.models import Packet, Role


class Action(StrEnum):
    VIEW = "view"
    EDIT = "edit"
    UPLOAD = "upload"
    EXPORT = "export"
    RENDER = "render"  # a draft PDF (DRAFT mark on every page)
    RENAME = "rename"
    DELETE = "delete"
    COMMENT = "comment"  # write, reply to, resolve and reopen comments
    REVIEW = "review"  # request changes or approve
    SUBMIT = "submit"  # send the packet to counsel for review
    MANAGE_MEMBERS = "manage_members"  # invite, revoke invitations, remove members
    FILE_WITHOUT_COUNSEL = "file_without_counsel"
    RENDER_FINAL = "render_final"  # the filing PDF, from the approved revision only
    MARK_FILED = "mark_filed"  # record that the approved packet was sent to the agency
    READ_AUDIT = "read_audit"  # the packet's audit log: who viewed, downloaded and changed what, from where
    REQUEST_REPAROLE = "request_reparole"  # start a re-parole request (a new packet) from an approved case


_READ = frozenset({Action.VIEW, Action.COMMENT})
_WORK = _READ | {Action.EDIT, Action.UPLOAD, Action.RENDER, Action.EXPORT}

ROLE_ACTIONS: dict[str, frozenset[Action]] = {
    # The owner may do everything but review: approval is counsel's, and an owner without counsel says so explicitly
    # (FILE_WITHOUT_COUNSEL) instead of approving their own packet.
    Role.OWNER: frozenset(Action) - {Action.REVIEW},
    Role.EDITOR: _WORK,
    Role.COUNSEL: _WORK
    | {Action.REVIEW, Action.RENDER_FINAL, Action.MARK_FILED, Action.READ_AUDIT, Action.REQUEST_REPAROLE},
    Role.VIEWER: _READ,
}


def role_allows(role: str, action: Action) -> bool:
    return action in ROLE_ACTIONS.get(role, frozenset())


def packet_for_user(user: AbstractBaseUser | AnonymousUser, packet_id: UUID | str, action: Action) -> Packet:
    """The packet, if ``user`` is a member whose role allows ``action``; otherwise 404, never a hint that it exists.

    One query: the packet joined to the user's membership, whose role the packet then carries as ``current_role``.
    """
    if not user.is_authenticated:
        raise Http404
    try:
        packet = (
            Packet.objects.filter(pk=packet_id, memberships__user_id=user.pk)
            .annotate(current_role=F("memberships__role"))
            .get()
        )
    except (ValidationError, Packet.DoesNotExist):  # not an id at all, no such packet, or not a member
        raise Http404 from None
    if not role_allows(packet.current_role, action):
        raise Http404
    return packet


def signed_in_user(request: HttpRequest) -> User:
    """``request.user`` in a view behind login_required: always a real user (typed so, for the services)."""
    if not isinstance(request.user, User):
        raise Http404
    return request.user
