"""Edits as the review sees them: every change recorded with the content and exhibit list it produced (so any two
revisions can be compared), and an approval withdrawn when the approved packet changes.

The content services call these inside their own transaction, after a change produced ``packet.revision``.
"""

from collections.abc import Iterable
from typing import Any

from django.contrib.auth.models import User
from django.utils.translation import gettext as _

from packets.evidence.labels import exhibit_label
from packets.models import (
    Exhibit,
    Packet,
    PacketChange,
    PacketStatus,
    ReviewEvent,
    Role,
)
from packets.review.notifications import review_notify

S = PacketStatus


def exhibit_snapshot(packet: Packet) -> list[dict[str, Any]]:
    """The exhibit list as diffs compare it: id, label, title, kind and content hash, in packet order."""
    rows = Exhibit.objects.filter(packet_id=packet.pk).values_list("id", "title", "kind", "sha256")
    return [
        {"id": str(pk), "label": exhibit_label(index), "title": title, "kind": kind, "sha256": sha256}
        for index, (pk, title, kind, sha256) in enumerate(rows)
    ]


def review_record_edit(*, packet: Packet, by: User | None, sections: Iterable[str], summary: str = "") -> None:
    """Called by the content services, in their transaction, after a change produced ``packet.revision``.

    Records the change of each of ``sections``, each with the content and exhibit list as they are now (so any two
    revisions can be compared), and moves an approved packet to "changed since approval".
    """
    exhibits = exhibit_snapshot(packet)
    for section in sections:
        PacketChange.objects.create(
            packet=packet,
            user=by,
            section=section,
            summary=summary,
            revision=packet.revision,
            snapshot=packet.data,
            exhibits=exhibits,
        )
    if packet.status == S.APPROVED:
        Packet.objects.filter(pk=packet.pk).update(status=S.CHANGED_SINCE_APPROVAL)
        event = ReviewEvent.objects.create(
            packet=packet,
            user=by,
            from_status=S.APPROVED,
            to_status=S.CHANGED_SINCE_APPROVAL,
            note=_("Edited after approval."),
            revision=packet.revision,
        )
        packet.status = S.CHANGED_SINCE_APPROVAL
        review_notify(packet=packet, event=event, name="changed", roles=frozenset({Role.COUNSEL}), actor=by)


def review_record_exhibit_change(*, packet: Packet, by: User | None, summary: str) -> None:
    """An exhibit was added, replaced, retitled, moved or removed: that is a new revision of the packet too.

    Only ``Packet.revision`` moves, never a section's revision, so nobody's form of a section goes stale because of it.
    """
    packet.revision += 1
    packet.updated_by = by  # type: ignore[assignment]
    packet.save(update_fields=["revision", "updated_by", "updated_at"])
    review_record_edit(packet=packet, by=by, sections=["evidence"], summary=summary)


def revision_snapshot(packet: Packet, revision: int) -> tuple[dict[str, Any], list[dict[str, Any]]] | None:
    """The content and exhibit list as they were at ``revision``, or None when no snapshot exists for it."""
    change = (
        PacketChange.objects.filter(packet_id=packet.pk, revision__lte=revision, snapshot__isnull=False)
        .order_by("-revision", "-id")
        .first()
    )
    if change is not None:
        snapshot: dict[str, Any] = change.snapshot or {}
        exhibits: list[dict[str, Any]] = change.exhibits or []
        return snapshot, exhibits
    if revision == 0:
        from packets.content.schema import PacketData

        return PacketData().model_dump(mode="json"), []
    return None
