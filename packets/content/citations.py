"""Which exhibits each part of the narrative cites: one mapping, used by the PDF and by the readiness review."""

from collections.abc import Sequence
from uuid import UUID

from packets.content.schema import PacketData

# Exhibit kinds cited by a section as a group (beyond the ids the content names directly).
KIND_CITED_BY = {
    "certificate": "qualifications",
    "financial": "logistics",
    "plan": "risk",
    "collaboration": "sustainability",
    "need": "qualifications",
    "return_ties": "exit",
}


def section_citations(content: PacketData, exhibits: Sequence[tuple[UUID, str]]) -> dict[str, list[UUID]]:
    """Section name → exhibit ids it cites, in exhibit order. Exhibits of kind "other" are cited by the evidence
    overview (the exhibit index), so every exhibit is cited somewhere once the packet is complete."""
    known = [exhibit_id for exhibit_id, _kind in exhibits]
    cited: dict[str, list[UUID]] = {}

    def add(section: str, exhibit_id: UUID | None) -> None:
        if exhibit_id in known and exhibit_id not in cited.setdefault(section, []):
            cited[section].append(exhibit_id)

    add("beneficiary", content.beneficiary.passport_exhibit_id)
    add("qualifications", content.qualifications.cv_exhibit_id)
    for partner in content.partners.items:
        add("partners", partner.letter_exhibit_id)
    for exhibit_id, kind in exhibits:
        if kind in KIND_CITED_BY:
            add(KIND_CITED_BY[kind], exhibit_id)
    return cited


def cited_exhibit_ids(content: PacketData, exhibits: Sequence[tuple[UUID, str]]) -> set[UUID]:
    return {exhibit_id for ids in section_citations(content, exhibits).values() for exhibit_id in ids}
