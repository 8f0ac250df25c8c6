"""Exhibit labels across the case: the filed packet's (A … N, as filed) and the new exhibits added after filing
(responses, amendments), whose labels continue after the last filed one (after N comes O), in the order they were
added across the whole case — a label once cited keeps meaning one document."""

from typing import Any
from uuid import UUID

from packets.evidence.labels import exhibit_label
from packets.models import CaseDocument, CaseDocumentKind, Exhibit, Filing

NEW_EVIDENCE_KINDS = (CaseDocumentKind.RESPONSE_EVIDENCE, CaseDocumentKind.AMENDMENT_EVIDENCE)


def filed_exhibits(filing: Filing) -> list[dict[str, Any]]:
    """The filed packet's exhibits as filed: ``[{"label", "id", "title", "sha256"}]`` from the pinned version, or —
    for a packet filed with a PDF made outside the app — from the packet's exhibits as they are now."""
    if filing.filed_version is not None:
        return list(filing.filed_version.exhibits or [])
    rows = Exhibit.objects.filter(packet_id=filing.packet_id).values_list("id", "title", "sha256")
    return [
        {"label": exhibit_label(index), "id": str(pk), "title": title, "sha256": sha256}
        for index, (pk, title, sha256) in enumerate(rows)
    ]


def new_exhibit_labels(filing: Filing) -> dict[UUID, str]:
    """Every new exhibit of the case (a response's, an amendment's) → its label, continuing after the filed ones."""
    start = len(filed_exhibits(filing))
    documents = CaseDocument.objects.filter(packet_id=filing.packet_id, kind__in=NEW_EVIDENCE_KINDS).order_by(
        "created_at", "pk"
    )
    return {pk: exhibit_label(start + index) for index, pk in enumerate(documents.values_list("pk", flat=True))}
