"""Data for the render panel on the packet page (versions, the latest render job, whether the user may render, the
online-filing form)."""

from typing import Any

from django import template

from packets.models import Packet, PacketVersion, RenderJob
from packets.permissions import Action, role_allows
from packets.rendering.forms import OnlineFilingForm
from packets.rendering.versions import render_jobs_fail_stale

register = template.Library()


@register.simple_tag
def render_panel_data(packet: Packet) -> dict[str, Any]:
    role = getattr(packet, "current_role", "")
    render_jobs_fail_stale(packet=packet)  # so a job no worker took up is not shown "in progress" for ever
    versions = list(PacketVersion.objects.filter(packet=packet).select_related("created_by"))
    return {
        "versions": versions,
        "online_form": OnlineFilingForm(versions=versions),
        "job": RenderJob.objects.filter(packet=packet).first(),
        "can_render": role_allows(role, Action.RENDER),
        "can_edit": role_allows(role, Action.EDIT),
    }
