"""Comments beside a step, unresolved counts on task lists, and counsel's override form beside each blocker."""

from collections import Counter
from typing import Any

from django import template
from django.utils.translation import gettext

from packets.content.schema import PacketData
from packets.content.sections import section_title
from packets.models import FindingOverride
from packets.permissions import Action, role_allows
from packets.review.comment_drafts import comment_draft_take
from packets.review.comments import MAX_BODY, comment_threads, unresolved_counts
from packets.review.workflow import member_role
from packets.text_fields import counted_attrs

register = template.Library()


@register.simple_tag
def comment_counts(packet: Any) -> Counter[str]:
    """Unresolved comment threads per step (one query)."""
    return unresolved_counts(packet)


@register.inclusion_tag("packets/_step_badges.html")
def step_badges(blockers: int, warnings: int, comments: Counter[str], step: str) -> dict[str, int]:
    """A task list's counts beside a step: readiness blockers and warnings, and unresolved comment threads (each only
    when there are any)."""
    return {"blockers": blockers, "warnings": warnings, "threads": comments.get(step, 0) if comments else 0}


@register.filter
def step_title(step: str) -> str:
    """A step's title as the wizard shows it ("project" → "The project"), not its internal name."""
    return section_title(step)


@register.filter
def field_label(field: str, step: str) -> str:
    """A field's label as its form shows it, not its internal name (a comment anchored to "public_benefit")."""
    try:
        info = type(PacketData().section(step)).model_fields.get(field)
    except (AttributeError, KeyError):  # "evidence" and unknown steps have no section model
        info = None
    return gettext(info.title) if info is not None and info.title else field


@register.inclusion_tag("packets/_comments.html", takes_context=True)
def step_comments(context: Any, packet: Any, step: str, form: Any = None, threads: Any = None) -> dict[str, Any]:
    """The comment panel of one step: its threads (read here unless given) and a form that can anchor a comment to one
    field."""
    request = context["request"]
    fields = [
        (name, form.fields[name].label or name)
        for name in getattr(form, "field_names", ())
        if form is not None and name in form.fields
    ]
    role = getattr(packet, "current_role", None) or member_role(packet, request.user)
    threads = comment_threads(packet, step) if threads is None else threads
    targets = {f"step:{step}"} | {f"reply:{thread.comment.pk}" for thread in threads}
    draft_target, draft_body = comment_draft_take(request, targets)
    return {
        "packet": packet,
        "step": step,
        "threads": threads,
        "draft_reply": draft_target.removeprefix("reply:") if draft_target.startswith("reply:") else "",
        "draft_new": draft_body if draft_target == f"step:{step}" else "",
        "draft_body": draft_body,
        "counted": counted_attrs(MAX_BODY),
        "field_options": fields,
        "can_comment": role_allows(role or "", Action.COMMENT),
        "next": request.get_full_path(),
        "csrf_token": context.get("csrf_token"),
    }


@register.inclusion_tag("packets/review_override_form.html", takes_context=True)
def finding_override_form(context: Any, packet: Any, finding: Any) -> dict[str, Any]:
    """Beside a blocker: counsel's override form, or the override already recorded."""
    request = context["request"]
    role = getattr(packet, "current_role", None) or member_role(packet, request.user)
    override = FindingOverride.objects.filter(
        packet_id=packet.pk, rule=finding.rule, step=finding.step, field=finding.field
    ).first()
    return {
        "packet": packet,
        "finding": finding,
        "override": override,
        "can_override": role_allows(role or "", Action.REVIEW),
        "next": request.get_full_path(),
        "csrf_token": context.get("csrf_token"),
    }
