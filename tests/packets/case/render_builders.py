"""A request for evidence ready to render, for the tests of the case's PDFs: a notice of two pages, three numbered
items citing filed exhibits and new ones, new exhibits D (2 pages) and E (1 page)."""

from datetime import date
from typing import Any

from django.contrib.auth.models import User
from django.utils import timezone

from packets.case.documents import CaseUpload, case_document_add
from packets.models import (
    Amendment,
    CaseDocument,
    CaseDocumentKind,
    Packet,
    RequestForEvidence,
    ReviewState,
    RfeItem,
)
from tests.builders import pdf_bytes, upload

ITEMS = [
    "Submit evidence that the beneficiary holds a valid passport.",
    "Explain how the training plan serves the public.",
    "Provide a letter from the host school district.",
]
ANSWERS = [
    "The passport biographic page was filed; its page is cited below.",
    "The plan trains 40 inspectors; the revised plan is enclosed.",
    "The district's letter of support is enclosed.",
]


def case_document(packet: Packet, by: User, title: str, pages: int, kind: str, **links: Any) -> CaseDocument:
    return case_document_add(
        packet=packet,
        upload=CaseUpload(
            file=upload(f"{title}.pdf", pdf_bytes(pages, text=title), "application/pdf"),
            kind=kind,
            title=title,
            **links,
        ),
        by=by,
    )


def make_rfe(packet: Packet, by: User, *, with_notice: bool = True) -> RequestForEvidence:
    rfe = RequestForEvidence.objects.create(packet=packet, issued_on=date(2027, 1, 11), created_by=by)
    if with_notice:
        rfe.notice = case_document(packet, by, "RFE notice from the agency", 2, CaseDocumentKind.RFE_NOTICE)
        rfe.save(update_fields=["notice"])
    plan = case_document(packet, by, "Revised training plan", 2, CaseDocumentKind.RESPONSE_EVIDENCE, rfe=rfe)
    letter = case_document(packet, by, "District letter of support", 1, CaseDocumentKind.RESPONSE_EVIDENCE, rfe=rfe)
    citations = [
        [{"filed": "A", "page": 1}],
        [{"filed": "C"}, {"document": str(plan.pk)}],
        [{"document": str(letter.pk)}, {"filed": "B", "page": 2}],
    ]
    for number, (text, answer, cited) in enumerate(zip(ITEMS, ANSWERS, citations, strict=True), start=1):
        RfeItem.objects.create(rfe=rfe, number=number, text=text, answer=answer, citations=cited)
    return rfe


def approve(rfe: RequestForEvidence, counsel: User) -> None:
    rfe.review_state = ReviewState.APPROVED
    rfe.approved_revision = rfe.revision
    rfe.approved_by = counsel
    rfe.approved_at = timezone.now()
    rfe.save()


def make_amendment(packet: Packet, by: User) -> Amendment:
    amendment = Amendment.objects.create(
        packet=packet,
        summary="Departure moved to 2027-09-30",
        letter="To the reviewing officer:\n\nThe project's end moved by two weeks; the new schedule is enclosed.",
        revision=packet.revision,
        created_by=by,
    )
    case_document(packet, by, "New project schedule", 1, CaseDocumentKind.AMENDMENT_EVIDENCE, amendment=amendment)
    return amendment
