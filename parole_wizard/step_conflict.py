"""A stale edit: the step's section was saved (in another tab, or by someone else) after the form was loaded.

The two versions are merged three ways against the revision the form was loaded from (``packets.content.merge``):
answers to different questions are saved together without asking; only questions both changed differently are shown
side by side, with everything else already merged into the person's draft.
"""

from typing import Any

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _

from packets.content.merge import SectionMerge, changed_questions, section_merge
from packets.content.schema import PacketData
from packets.models import Packet
from packets.review.edits import revision_snapshot
from parole_wizard.forms.base import _json_ready
from parole_wizard.steps import Step


class MergeConflict(Exception):
    """Both sides changed the same question: ``merge`` holds the merged value (mine where they conflict)."""

    def __init__(self, *, packet: Packet, merge: SectionMerge, base: dict[str, Any] | None) -> None:
        super().__init__(f"{len(merge.conflicts)} conflicting answer(s) in packet {packet.pk}")
        self.packet = packet
        self.merge = merge
        self.base = base


def stale_merge(*, packet: Packet, section: str, base_revision: int, mine: dict[str, Any]) -> tuple[SectionMerge, Any]:
    """``mine`` (answers typed against ``base_revision``) merged with the section as ``packet`` has it now; and the
    section as it was at ``base_revision`` (None when that revision has no snapshot)."""
    snapshot = revision_snapshot(packet, base_revision)
    base = (snapshot[0].get(section) or {}) if snapshot else None
    theirs = packet.data.get(section) or {}
    return section_merge(base=base, theirs=theirs, mine=section_json(section, mine)), base


def section_json(section: str, value: dict[str, Any]) -> dict[str, Any]:
    """A section's value as the schema stores it (dates as text, defaults filled), so answers compare as saved."""
    model = type(PacketData().section(section))
    dumped: dict[str, Any] = model.model_validate(_json_ready(value)).model_dump(mode="json")
    return dumped


def conflict_page(
    request: HttpRequest, *, packet: Packet, step: Step, form: Any, conflict: MergeConflict, step_url: str, status: int
) -> HttpResponse:
    """The conflicting questions side by side, and which answers were merged already (nothing was saved)."""
    saved = packet.data.get(step.section or "") or {}
    merged = conflict.merge.value
    rows = [
        {"label": _label(form, name), "saved": _display(saved.get(name)), "mine": _display(merged.get(name))}
        for name in conflict.merge.conflicts
    ]
    already = [
        _label(form, name)
        for name in changed_questions(base=conflict.base, value=merged)
        if name not in conflict.merge.conflicts and _label(form, name)
    ]
    context = {
        "packet": packet,
        "step": step,
        "rows": rows,
        "already_merged": already,
        "had_files": bool(request.FILES),
        "step_url": step_url,
    }
    return render(request, "wizard/conflict.html", context, status=status)


def _label(form: Any, name: str) -> str:
    if name in form.fields:
        return str(form.fields[name].label)
    if name in getattr(form, "lists", {}):
        return str(form.lists[name].title)
    info = form.model.model_fields.get(name) if hasattr(form, "model") else None
    return _(info.title) if info is not None and info.title else ""


def _display(value: Any) -> str:
    if value in (None, "", []):
        return "—"
    if isinstance(value, list):
        return "\n".join(
            " · ".join(str(v) for k, v in item.items() if v not in (None, "") and not k.endswith("id"))
            if isinstance(item, dict)
            else str(item)
            for item in value
        )
    if value is True:
        return _("Yes")
    if value is False:
        return _("No")
    return str(value)
