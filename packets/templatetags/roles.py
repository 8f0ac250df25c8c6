"""``{% if packet|can:"manage_members" %}``: what the current user's role allows, from ``ROLE_ACTIONS`` only."""

from django import template

from packets.models import Packet
from packets.permissions import Action, role_allows

register = template.Library()


@register.filter
def can(packet: Packet, action: str) -> bool:
    """Whether the role ``packet_for_user`` found for this request allows ``action`` (false when there is none)."""
    return role_allows(getattr(packet, "current_role", ""), Action(action))
