"""What an amendment changed: the diff between the filed version and the packet as it is now
(``packets.content.diffs``), kept on the amendment as a flat JSON list and read back from it for the page and the
letter. A packet filed with a PDF made outside this app has no pinned content, so it has no diff."""

from typing import Any

from packets.content.diffs import (
    ExhibitChange,
    FieldChange,
    ListChange,
    PacketDiff,
    RowChange,
    SectionDiff,
    packet_diff,
)
from packets.content.schema import SECTION_NAMES
from packets.content.sections import section_title
from packets.models import Filing, Packet
from packets.review.edits import exhibit_snapshot

EXHIBITS = "exhibits"  # the "section" of a change to the packet's own exhibit list


def filed_content(filing: Filing) -> tuple[dict[str, Any], list[dict[str, Any]]] | None:
    """The content and exhibit list that were filed, or None for a packet filed with a PDF made outside the app."""
    version = filing.filed_version
    if version is None or filing.filed_outside_app:
        return None
    return dict(version.data or {}), list(version.exhibits or [])


def changes_since_filing(packet: Packet, filing: Filing) -> list[dict[str, Any]] | None:
    """The diff filed version → the packet now, as ``Amendment.changes`` keeps it; None when nothing was pinned."""
    filed = filed_content(filing)
    if filed is None:
        return None
    return diff_to_json(packet_diff(filed[0], packet.data, filed[1], exhibit_snapshot(packet)))


def _field_json(change: FieldChange) -> dict[str, Any]:
    return {
        "field": change.name,
        "label": change.label,
        "before": change.before,
        "after": change.after,
        "words": [list(run) for run in change.words] if change.words is not None else None,
    }


def diff_to_json(diff: PacketDiff) -> list[dict[str, Any]]:
    """A ``PacketDiff`` as a flat JSON list: one row per changed field, list or exhibit, each naming its section."""
    rows: list[dict[str, Any]] = []
    for section in diff.sections:
        rows += [{"section": section.name, **_field_json(change)} for change in section.fields]
        rows += [
            {
                "section": section.name,
                "field": listed.name,
                "label": listed.label,
                "added": listed.added,
                "removed": listed.removed,
                "moved": listed.moved,
                "changed": [
                    {"label": row.label, "fields": [_field_json(change) for change in row.fields]}
                    for row in listed.changed
                ],
            }
            for listed in section.lists
        ]
    for exhibit in diff.exhibits:
        rows.append(
            {
                "section": EXHIBITS,
                "kind": exhibit.kind,
                "before": _brief(exhibit.before),
                "after": _brief(exhibit.after),
            }
        )
    return rows


def _brief(exhibit: dict[str, Any] | None) -> dict[str, str] | None:
    return None if exhibit is None else {"label": str(exhibit.get("label", "")), "title": str(exhibit.get("title", ""))}


def _field(row: dict[str, Any]) -> FieldChange:
    words = row.get("words")
    return FieldChange(
        name=str(row.get("field", "")),
        label=str(row.get("label") or row.get("field", "")),
        before=str(row.get("before") or "—"),
        after=str(row.get("after") or "—"),
        words=[(str(kind), str(text)) for kind, text in words] if isinstance(words, list) else None,
    )


def diff_from_json(rows: list[dict[str, Any]]) -> PacketDiff:
    """``Amendment.changes`` back as a ``PacketDiff``, for the diff templates (in section order)."""
    sections: dict[str, SectionDiff] = {}
    exhibits = []
    for row in rows or []:
        name = str(row.get("section", ""))
        if name == EXHIBITS:
            exhibits.append(ExhibitChange(str(row.get("kind", "")), row.get("before"), row.get("after")))
            continue
        section = sections.setdefault(name, SectionDiff(name=name, title=section_title(name)))
        if any(key in row for key in ("added", "removed", "moved", "changed")):
            section.lists.append(
                ListChange(
                    name=str(row.get("field", "")),
                    label=str(row.get("label") or row.get("field", "")),
                    added=list(row.get("added") or []),
                    removed=list(row.get("removed") or []),
                    moved=list(row.get("moved") or []),
                    changed=[
                        RowChange(str(changed.get("label", "")), [_field(f) for f in changed.get("fields") or []])
                        for changed in row.get("changed") or []
                    ],
                )
            )
        else:
            section.fields.append(_field(row))
    order = {name: index for index, name in enumerate(SECTION_NAMES)}
    ordered = sorted(sections.values(), key=lambda section: order.get(section.name, len(order)))
    return PacketDiff(sections=ordered, exhibits=exhibits)
