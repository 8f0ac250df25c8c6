"""Filed packets for the tests of the case after filing: approved by counsel, a final version pinned, marked filed."""

import hashlib
from datetime import date
from typing import Any

from django.contrib.auth.models import User
from django.core.files.base import ContentFile
from django.utils import timezone

from packets.content.services import ExhibitUpload, exhibit_add
from packets.models import Membership, Packet, PacketVersion, Role
from packets.rendering.versions import exhibit_sources, packet_pdf
from packets.review.filing import packet_mark_filed
from packets.review.workflow import packet_approve, packet_submit
from tests.builders import make_packet, pdf_bytes, upload

# Exhibits A (1 page), B (2 pages) and C (1 page) of every small filed case.
SMALL_EXHIBITS = [
    ("passport", "Passport biographic page", 1),
    ("cv", "Curriculum vitae", 2),
    ("plan", "Training plan", 1),
]


def make_filed_case(
    owner: User,
    counsel: User | None = None,
    *,
    name: str = "Riverton schools",
    real_pdf: bool = False,
    receipt_number: str = "IOE0123456789",
    filed_on: date | None = None,
    method: str = "lockbox",
    sections: dict[str, Any] | None = None,
    mark_filed: bool = True,
) -> Packet:
    """A packet with three exhibits (A 1 page, B 2 pages, C 1 page), approved by ``counsel`` (a member), its final
    version pinned and marked filed (``mark_filed=False``: left approved, for a test that files it itself).
    ``real_pdf``: the final version is the packet really rendered (its page numbers are real; a few seconds),
    otherwise a one-page stand-in PDF."""
    sections = sections or {
        "beneficiary": {"full_name": "Ana María Ortiz Reyes"},
        "project": {"title": "Seismic triage of Riverton schools", "summary": "Assess 14 school buildings."},
    }
    packet = make_packet(owner, name=name, **sections)
    for kind, title, pages in SMALL_EXHIBITS:
        exhibit_add(
            packet=packet,
            upload=ExhibitUpload(
                file=upload(f"{kind}.pdf", pdf_bytes(pages, text=title), "application/pdf"), kind=kind, title=title
            ),
            by=owner,
        )
    packet.refresh_from_db()
    if counsel is None:
        from tests.builders import make_user

        counsel = make_user(f"{owner.username}-counsel")
    Membership.objects.get_or_create(packet=packet, user=counsel, defaults={"role": Role.COUNSEL})
    packet = packet_submit(packet=packet, by=owner)
    packet = packet_approve(packet=packet, by=counsel, revision=packet.revision)
    created_at = timezone.now()
    if real_pdf:
        rendered, _sources = packet_pdf(packet=packet, final=True, version_number=1, created_at=created_at)
        content, pages = rendered.pdf, rendered.page_count
    else:
        content, pages = pdf_bytes(), 1
    version = PacketVersion(
        packet=packet,
        number=1,
        data=packet.data,
        exhibits=[
            {"label": s.label, "id": s.id, "title": s.title, "sha256": s.sha256} for s in exhibit_sources(packet)
        ],
        sha256=hashlib.sha256(content).hexdigest(),
        page_count=pages,
        size=len(content),
        final=True,
        created_by=counsel,
        created_at=created_at,
    )
    version.pdf.save("final.pdf", ContentFile(content), save=False)
    version.save()
    if not mark_filed:
        return packet
    return packet_mark_filed(
        packet=packet,
        by=counsel,
        filed_on=filed_on or timezone.localdate(),
        method=method,
        receipt_number=receipt_number,
    )
