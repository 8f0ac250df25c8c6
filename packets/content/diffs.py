"""What changed between two versions of a packet: pure functions over two content dicts and two exhibit lists.

Content is ``PacketData`` dumped as JSON (a ``PacketChange`` snapshot or a ``PacketVersion``'s data); an exhibit list
holds ``{"id", "label", "title", "sha256"}`` per exhibit in packet order. Prose gets a word-level diff, other fields
before/after, lists added/removed/changed/reordered rows (partners matched by their stable id), exhibits
added/removed/replaced/retitled. HTML is built with ``format_html``/``escape`` only: user text is never marked safe.
"""

import difflib
import re
from dataclasses import dataclass, field
from typing import Any

from django.utils.html import escape, format_html
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext_lazy as _
from pydantic import BaseModel

from packets.content.schema import SECTION_NAMES, PacketData
from packets.content.sections import section_title

# Lists whose rows carry a stable id; rows of other lists are matched by their whole content.
ROW_KEYS = {("partners", "items"): "id"}

Words = list[tuple[str, str]]  # ("equal" | "insert" | "delete", text)


@dataclass
class FieldChange:
    name: str
    label: str
    before: str
    after: str
    words: Words | None = None  # prose only

    @property
    def html(self) -> SafeString:
        return words_html(self.words) if self.words is not None else SafeString("")


@dataclass
class RowChange:
    label: str  # how the row reads ("Riverton Fire Department")
    fields: list[FieldChange] = field(default_factory=list)


@dataclass
class ListChange:
    name: str
    label: str
    added: list[str] = field(default_factory=list)
    removed: list[str] = field(default_factory=list)
    moved: list[str] = field(default_factory=list)
    changed: list[RowChange] = field(default_factory=list)


@dataclass
class SectionDiff:
    name: str
    title: str
    fields: list[FieldChange] = field(default_factory=list)
    lists: list[ListChange] = field(default_factory=list)


@dataclass
class ExhibitChange:
    kind: str  # "added", "removed", "replaced", "retitled"
    before: dict[str, Any] | None
    after: dict[str, Any] | None


@dataclass
class PacketDiff:
    sections: list[SectionDiff]
    exhibits: list[ExhibitChange]

    @property
    def empty(self) -> bool:
        return not self.sections and not self.exhibits


def packet_diff(
    before: dict[str, Any],
    after: dict[str, Any],
    before_exhibits: list[dict[str, Any]] | None = None,
    after_exhibits: list[dict[str, Any]] | None = None,
) -> PacketDiff:
    """Every difference between two versions of a packet's content and exhibits."""
    before_exhibits, after_exhibits = before_exhibits or [], after_exhibits or []
    names = _exhibit_names([*before_exhibits, *after_exhibits])
    sections = []
    for name in SECTION_NAMES:
        diff = section_diff(name, before.get(name) or {}, after.get(name) or {}, names)
        if diff.fields or diff.lists:
            sections.append(diff)
    return PacketDiff(sections=sections, exhibits=exhibit_changes(before_exhibits, after_exhibits))


def section_diff(name: str, before: dict[str, Any], after: dict[str, Any], names: dict[str, str]) -> SectionDiff:
    model = type(PacketData().section(name))
    diff = SectionDiff(name=name, title=section_title(name))
    for field_name, info in model.model_fields.items():
        old, new = before.get(field_name), after.get(field_name)
        if old == new:
            continue
        label = info.title or field_name
        row_model = _row_model(info.annotation)
        if row_model is not None:
            diff.lists.append(
                list_change(field_name, label, old or [], new or [], row_model, ROW_KEYS.get((name, field_name)), names)
            )
        else:
            diff.fields.append(field_change(field_name, label, old, new, _is_prose(info), names))
    return diff


def field_change(name: str, label: str, old: Any, new: Any, prose: bool, names: dict[str, str]) -> FieldChange:
    before, after = display(old, name, names), display(new, name, names)
    words = word_diff(old or "", new or "") if prose else None
    return FieldChange(name=name, label=label, before=before, after=after, words=words)


def list_change(
    name: str,
    label: str,
    before: list[dict[str, Any]],
    after: list[dict[str, Any]],
    row_model: type[BaseModel],
    key: str | None,
    names: dict[str, str],
) -> ListChange:
    """Rows added, removed, changed (rows with an id only) and reordered between two versions of a list."""
    change = ListChange(name=name, label=label)

    def ident(row: dict[str, Any]) -> str:
        return str(row.get(key)) if key else repr(sorted(row.items()))

    old_ids, new_ids = [ident(row) for row in before], [ident(row) for row in after]
    old_by_id, new_by_id = dict(zip(old_ids, before, strict=True)), dict(zip(new_ids, after, strict=True))
    remaining = list(new_ids)
    common_in_old_order = []
    for ident_, row in zip(old_ids, before, strict=True):
        if ident_ in remaining:
            remaining.remove(ident_)  # content-matched rows may repeat: match each once
            common_in_old_order.append(ident_)
        else:
            change.removed.append(row_label(row))
    leftover = list(old_ids)
    common_in_new_order = []
    for ident_, row in zip(new_ids, after, strict=True):
        if ident_ in leftover:
            leftover.remove(ident_)
            common_in_new_order.append(ident_)
        else:
            change.added.append(row_label(row))
    matcher = difflib.SequenceMatcher(a=common_in_old_order, b=common_in_new_order, autojunk=False)
    kept = {index for block in matcher.get_matching_blocks() for index in range(block.b, block.b + block.size)}
    change.moved = [row_label(new_by_id[ident_]) for i, ident_ in enumerate(common_in_new_order) if i not in kept]
    if key:
        for ident_ in common_in_new_order:
            old_row, new_row = old_by_id[ident_], new_by_id[ident_]
            fields = [
                field_change(
                    field_name,
                    info.title or field_name,
                    old_row.get(field_name),
                    new_row.get(field_name),
                    _is_prose(info),
                    names,
                )  # fmt: skip
                for field_name, info in row_model.model_fields.items()
                if field_name != key and old_row.get(field_name) != new_row.get(field_name)
            ]
            if fields:
                change.changed.append(RowChange(label=row_label(new_row), fields=fields))
    return change


def exhibit_changes(before: list[dict[str, Any]], after: list[dict[str, Any]]) -> list[ExhibitChange]:
    """Exhibits added, removed, replaced (same id with a new file, or same title with a new file) or retitled."""
    old_by_id = {item["id"]: item for item in before}
    new_by_id = {item["id"]: item for item in after}
    changes = []
    for item_id, new in new_by_id.items():
        old = old_by_id.get(item_id)
        if old is None:
            continue
        if old.get("sha256") != new.get("sha256"):
            changes.append(ExhibitChange("replaced", old, new))
        elif old.get("title") != new.get("title"):
            changes.append(ExhibitChange("retitled", old, new))
    removed = [item for item_id, item in old_by_id.items() if item_id not in new_by_id]
    added = [item for item_id, item in new_by_id.items() if item_id not in old_by_id]
    for new in list(added):
        twin = next((old for old in removed if old.get("title") == new.get("title")), None)
        if twin is not None:
            removed.remove(twin)
            added.remove(new)
            kind = "replaced" if twin.get("sha256") != new.get("sha256") else "retitled"
            changes.append(ExhibitChange(kind, twin, new))
    changes += [ExhibitChange("removed", item, None) for item in removed]
    changes += [ExhibitChange("added", None, item) for item in added]
    return changes


# ── Words ──────────────────────────────────────────────────────────────────────────────────────────────────────────

_TOKENS = re.compile(r"\s+|[^\s]+")


def word_diff(before: str, after: str) -> Words:
    """A word-level diff: runs of equal, inserted and deleted text (white space kept, so it reads naturally)."""
    old, new = _TOKENS.findall(str(before)), _TOKENS.findall(str(after))
    matcher = difflib.SequenceMatcher(a=old, b=new, autojunk=False)
    runs: Words = []
    for tag, a1, a2, b1, b2 in matcher.get_opcodes():
        if tag == "equal":
            runs.append(("equal", "".join(old[a1:a2])))
            continue
        if tag in ("delete", "replace"):
            runs.append(("delete", "".join(old[a1:a2])))
        if tag in ("insert", "replace"):
            runs.append(("insert", "".join(new[b1:b2])))
    return runs


def words_html(runs: Words) -> SafeString:
    """``<del>``/``<ins>`` around changed runs; every piece of text escaped."""
    parts = []
    for kind, text in runs:
        if kind == "insert":
            parts.append(format_html("<ins>{}</ins>", text))
        elif kind == "delete":
            parts.append(format_html("<del>{}</del>", text))
        else:
            parts.append(escape(text))
    return mark_safe("".join(parts))  # noqa: S308 - every part above is escaped or built by format_html


# ── Display ────────────────────────────────────────────────────────────────────────────────────────────────────────


def display(value: Any, name: str = "", names: dict[str, str] | None = None) -> str:
    """A value as a person reads it; exhibit ids become "Exhibit B — title"."""
    if value in (None, "", []):
        return "—"
    if name.endswith("exhibit_id") and names and str(value) in names:
        return names[str(value)]
    if isinstance(value, bool):
        return str(_("yes") if value else _("no"))
    if isinstance(value, list):
        return "; ".join(display(item) for item in value)
    if isinstance(value, dict):
        return row_label(value)
    return str(value)


def row_label(row: dict[str, Any]) -> str:
    for key in ("name", "description", "option", "indicator", "purpose", "status"):
        if row.get(key):
            return str(row[key])
    parts = [str(value) for key, value in row.items() if value not in (None, "", []) and not key.endswith("id")]
    return " · ".join(parts) or "—"


def _exhibit_names(exhibits: list[dict[str, Any]]) -> dict[str, str]:
    return {item["id"]: f"{_('Exhibit')} {item.get('label', '')} — {item.get('title', '')}" for item in exhibits}


def _is_prose(info: Any) -> bool:
    extra = info.json_schema_extra if isinstance(info.json_schema_extra, dict) else {}
    return extra.get("widget") == "textarea"


def _row_model(annotation: Any) -> type[BaseModel] | None:
    args: tuple[Any, ...] = getattr(annotation, "__args__", ())
    if getattr(annotation, "__origin__", None) is not list or not args:
        return None
    item = args[0]
    return item if isinstance(item, type) and issubclass(item, BaseModel) else None
