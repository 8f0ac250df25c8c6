"""Who may do what to a packet: declared once here, enforced by ``packet_for_user`` in every view and service."""

from enum import StrEnum
from functools import cache
from uuid import UUID

from django.contrib.auth.models import AbstractBaseUser, AnonymousUser, User
from django.core.exceptions import ValidationError
from django.db import connections, router
from django.http import Http404, HttpRequest

from packets.models import Membership, Packet, Role
from packets.statements import column, columns, select_rows, table


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


_READ = frozenset({Action.VIEW, Action.COMMENT})
_WORK = _READ | {Action.EDIT, Action.UPLOAD, Action.RENDER, Action.EXPORT}

ROLE_ACTIONS: dict[str, frozenset[Action]] = {
    # The owner may do everything but review: approval is counsel's, and an owner without counsel says so explicitly
    # (FILE_WITHOUT_COUNSEL) instead of approving their own packet.
    Role.OWNER: frozenset(Action) - {Action.REVIEW},
    Role.EDITOR: _WORK,
    Role.COUNSEL: _WORK | {Action.REVIEW, Action.RENDER_FINAL, Action.MARK_FILED, Action.READ_AUDIT},
    Role.VIEWER: _READ,
}


def role_allows(role: str, action: Action) -> bool:
    return action in ROLE_ACTIONS.get(role, frozenset())


def packet_for_user(user: AbstractBaseUser | AnonymousUser, packet_id: UUID | str, action: Action) -> Packet:
    """The packet, if ``user`` is a member whose role allows ``action``; otherwise 404, never a hint that it exists.

    Every packet page runs this first, so it is one prepared statement (packets.statements): the packet with the
    member's role, which the packet then carries as ``current_role``.
    """
    if not user.is_authenticated:
        raise Http404
    connection = connections[router.db_for_read(Packet)]
    try:
        key = Packet._meta.pk.get_db_prep_value(packet_id, connection)  # type: ignore[union-attr]
    except ValidationError:
        raise Http404 from None  # not an id at all
    found = select_rows(Packet, _member_packet_sql(connection.alias), [key, user.pk], extra=("current_role",))
    if not found or not role_allows(found[0].current_role, action):  # type: ignore[attr-defined]
        raise Http404
    return found[0]


@cache
def _member_packet_sql(alias: str) -> str:
    key = column(Packet, "pk", alias)
    select = f"SELECT {columns(Packet, 'p', alias)}, m.{column(Membership, 'role', alias)}"
    member_of = column(Membership, "packet", alias)
    joined = f"FROM {table(Packet, alias)} p JOIN {table(Membership, alias)} m ON m.{member_of} = p.{key}"
    # Names from the models' metadata, quoted; values are parameters.
    return f"{select} {joined} WHERE p.{key} = %s AND m.{column(Membership, 'user', alias)} = %s"  # noqa: S608


def signed_in_user(request: HttpRequest) -> User:
    """``request.user`` in a view behind login_required: always a real user (typed so, for the services)."""
    if not isinstance(request.user, User):
        raise Http404
    return request.user
