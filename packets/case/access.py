"""Who may open a case and act on it: the packet's roles, through ``packet_for_user`` (404 for anyone else), and only
once the packet was filed."""

from uuid import UUID

from django.contrib.auth.models import AbstractBaseUser, AnonymousUser
from django.http import Http404

from packets.models import Filing, Packet
from packets.permissions import Action, packet_for_user


class CaseNotFiled(Http404):
    """The packet is the user's, but it has not been marked as filed: there is no case yet."""


def case_packet_for_user(user: AbstractBaseUser | AnonymousUser, packet_id: UUID | str, action: Action) -> Packet:
    """The filed packet, if ``user``'s role allows ``action`` on it (Action.VIEW to read the case, Action.EDIT to
    record what happened, Action.UPLOAD for files, Action.REVIEW to approve a response); otherwise 404."""
    packet = packet_for_user(user, packet_id, action)
    if not Filing.objects.filter(packet_id=packet.pk).exists():
        raise CaseNotFiled
    return packet
