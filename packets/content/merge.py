"""Three-way merge of one section: what I changed and what was saved meanwhile, both against the revision I loaded.

Two tabs (or two people) open one step at revision r; one saves first. The other's save is then compared question by
question with r's version of the section (the ``PacketChange`` snapshot of r): a question only I changed takes my
answer, a question only the other save changed keeps the saved answer, and only a question both changed to different
answers is a conflict for the person to settle.

A list of repeated entries (people, milestones, trips) is one question here. Merging entry by entry by position is
wrong as soon as one side deletes or inserts an entry: every later entry shifts, and an edit of "entry 3" would land
on what is now a different person. Entries have no identity the form keeps everywhere (milestones have no id), so a
list changed on one side only is taken whole from that side, and a list changed differently on both sides is shown
side by side — the person sees both lists, which is what they need to decide.
"""

from dataclasses import dataclass, field
from typing import Any


@dataclass(frozen=True)
class SectionMerge:
    """The merged section value, and the names of the questions both sides changed differently (mine kept there)."""

    value: dict[str, Any]
    conflicts: list[str] = field(default_factory=list)


def section_merge(*, base: dict[str, Any] | None, theirs: dict[str, Any], mine: dict[str, Any]) -> SectionMerge:
    """Merge ``mine`` and ``theirs``, both changed from ``base`` (JSON values of one section, as the schema dumps them).

    Where both changed a question to different answers, the merged value holds mine: the person who is shown the
    conflict is the one who typed it, and the saved answer is beside it on the page. Without ``base`` (a revision
    recorded before snapshots existed) every question the two answer differently is a conflict: nothing is guessed.
    """
    merged: dict[str, Any] = {}
    conflicts = []
    for name in dict.fromkeys([*theirs, *mine]):
        saved, typed = theirs.get(name), mine.get(name)
        if base is None:
            merged[name] = typed
            if not _same(saved, typed):
                conflicts.append(name)
            continue
        was = base.get(name)
        if _same(typed, was):
            merged[name] = saved
        elif _same(saved, was) or _same(saved, typed):
            merged[name] = typed
        else:
            merged[name] = typed
            conflicts.append(name)
    return SectionMerge(value=merged, conflicts=conflicts)


def _same(first: Any, second: Any) -> bool:
    # A question never answered is stored as "", None or [] depending on its type and on the schema's age.
    if first in (None, "", []) and second in (None, "", []):
        return True
    return bool(first == second)


def changed_questions(*, base: dict[str, Any] | None, value: dict[str, Any]) -> list[str]:
    """The questions whose answer in ``value`` differs from ``base`` (what a merge took from either side)."""
    if base is None:
        return []
    return [name for name in value if not _same(value.get(name), base.get(name))]
