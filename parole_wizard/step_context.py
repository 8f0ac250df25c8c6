"""What a step page shows beside its form: the task list, what is missing, the exhibits, file slots and letters."""

from typing import Any

from packets.content.schema import PacketData
from packets.evidence.labels import exhibit_label
from packets.models import Exhibit, Packet
from packets.review.comments import step_comments_and_counts
from packets.review.readiness import Severity, packet_readiness
from parole_wizard.steps import STATE_LABELS, Step, evidence_count, step_state


def step_page_context(
    *, packet: Packet, content: PacketData, step: Step, steps: list[Step], form: Any, exhibits: list[Exhibit]
) -> dict[str, Any]:
    """The template context of ``step``'s page besides the wizard's own (``steps``: the steps that apply)."""
    evidence = evidence_count(exhibits)
    missing: list[Any] = []
    if step.section:
        missing = step_state(step, content, evidence)[1]
    findings = packet_readiness(packet=packet, exhibits=exhibits)
    threads, unresolved = step_comments_and_counts(packet, step.name)
    exhibit_list = _labelled(exhibits)
    return {
        "packet": packet,
        "step": step,
        "task_list": [
            {
                "step": item,
                "state": step_state(item, content, evidence)[0],
                "blockers": sum(f.step == item.name and f.severity is Severity.BLOCKER for f in findings),
                "warnings": sum(f.step == item.name and f.severity is Severity.WARNING for f in findings),
            }
            for item in steps
        ],
        "state_labels": STATE_LABELS,
        "comment_threads": threads,
        "unresolved": unresolved,
        "missing": missing,
        "missing_fields": {item.field for item in missing if item.row is None},
        "errors": form.all_errors() if form.is_bound else [],
        "exhibit_list": exhibit_list,
        # Lists, not dicts: a template's ``formsets.items`` would find a formset named "items".
        "slot_list": _slots(form, exhibit_list),
        "letters": _letters(form, exhibit_list),
        "list_blocks": [(name, spec, form.formsets[name]) for name, spec in getattr(form, "lists", {}).items()],
        # Only a form with a file input posts multipart/form-data; the others post url-encoded.
        "multipart": form.is_multipart() or any(f.is_multipart() for f in getattr(form, "formsets", {}).values()),
    }


def _slots(form: Any, exhibits: list[Any]) -> list[dict[str, Any]]:
    """Each file slot of the step (passport page, CV): its title, the stored exhibit, its file and remove fields."""
    by_id = {str(exhibit.pk): exhibit for exhibit in exhibits}
    slots = []
    for id_field, (_kind, title) in getattr(form, "slots", {}).items():
        base, stored = id_field.removesuffix("_exhibit_id"), form.stored.get(id_field)
        slots.append(
            {
                "title": title,
                "current": by_id.get(str(stored)) if stored else None,
                "file": form[f"{base}_file"],
                "remove": form[f"{base}_remove"] if stored else None,
            }
        )
    return slots


def _letters(form: Any, exhibits: list[Any]) -> dict[str, Any]:
    """The stored support letter of each partner row, by the partner's id."""
    by_id = {str(exhibit.pk): exhibit for exhibit in exhibits}
    rows = form.stored.get("items") or [] if "items" in getattr(form, "lists", {}) else []
    return {
        str(row.get("id")): by_id[str(row["letter_exhibit_id"])]
        for row in rows
        if row.get("letter_exhibit_id") and str(row["letter_exhibit_id"]) in by_id
    }


def _labelled(exhibits: list[Any]) -> list[Any]:
    ordered = sorted(exhibits, key=lambda exhibit: (exhibit.position, exhibit.created_at))
    for index, exhibit in enumerate(ordered):
        exhibit.label = exhibit_label(index)
    return ordered
