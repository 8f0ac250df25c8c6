"""Who may do what to a packet: declared once here, enforced by ``packet_for_user`` in every view and service."""

from enum import StrEnum
from uuid import UUID

from django.contrib.auth.models import AbstractBaseUser, AnonymousUser
from django.http import Http404

from packets.models import Membership, Packet, Role


class Action(StrEnum):
    VIEW = "view"
    EDIT = "edit"
    UPLOAD = "upload"
    EXPORT = "export"
    RENDER = "render"
    RENAME = "rename"
    DELETE = "delete"


ROLE_ACTIONS: dict[str, frozenset[Action]] = {
    Role.OWNER: frozenset(Action),
    Role.EDITOR: frozenset({Action.VIEW, Action.EDIT, Action.UPLOAD, Action.RENDER, Action.EXPORT}),
    Role.COUNSEL: frozenset({Action.VIEW, Action.EDIT, Action.UPLOAD, Action.RENDER, Action.EXPORT}),
    Role.VIEWER: frozenset({Action.VIEW}),
}


def role_allows(role: str, action: Action) -> bool:
    return action in ROLE_ACTIONS.get(role, frozenset())


def packet_for_user(user: AbstractBaseUser | AnonymousUser, packet_id: UUID | str, action: Action) -> Packet:
    """The packet, if ``user`` is a member whose role allows ``action``; otherwise 404, never a hint that it exists."""
    if not user.is_authenticated:
        raise Http404
    membership = Membership.objects.select_related("packet").filter(packet_id=packet_id, user_id=user.pk).first()
    if membership is None or not role_allows(membership.role, action):
        raise Http404
    packet = membership.packet
    packet.current_role = membership.role  # type: ignore[attr-defined]
    return packet
