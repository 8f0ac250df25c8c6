"""Data for the render panel on the packet page (versions, the latest render job, whether the user may render)."""

from typing import Any

from django import template

from packets.models import Packet, PacketVersion, RenderJob
from packets.permissions import Action, role_allows

register = template.Library()


@register.simple_tag
def render_panel_data(packet: Packet) -> dict[str, Any]:
    role = getattr(packet, "current_role", "")
    return {
        "versions": list(PacketVersion.objects.filter(packet=packet).select_related("created_by")),
        "job": RenderJob.objects.filter(packet=packet).first(),
        "can_render": role_allows(role, Action.RENDER),
        "can_edit": role_allows(role, Action.EDIT),
    }
