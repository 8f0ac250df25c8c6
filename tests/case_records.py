"""A filed case with every kind of record of the case after filing, and a file for each file field: for the tests
that carry a case somewhere else (archive, backup, key rotation) and must find all of it again."""

import hashlib
from datetime import date, timedelta
from typing import Any

from django.contrib.auth.models import User
from django.core.files.base import ContentFile
from django.db import models
from django.utils import timezone

from packets.case.documents import CaseUpload, case_document_add
from packets.case.log import case_log_record
from packets.models import (
    Amendment,
    CaseComment,
    CaseDocument,
    CaseDocumentKind,
    CaseLogKind,
    CaseRender,
    CaseRenderKind,
    CaseReviewEvent,
    ClosingReport,
    ConditionReport,
    Decision,
    DecisionOutcome,
    Filing,
    Packet,
    ReportCadence,
    ReportingCondition,
    RequestForEvidence,
    ReviewState,
    RfeItem,
)
from tests.builders import jpeg_bytes, pdf_bytes, upload
from tests.case_builders import make_filed_case


def _document(packet: Packet, by: User, kind: str, title: str, content: bytes, **links: Any) -> CaseDocument:
    name = f"{title} scan.jpg" if content.startswith(b"\xff\xd8") else f"{title}.pdf"
    return case_document_add(
        packet=packet, upload=CaseUpload(file=upload(name, content), kind=kind, title=title, **links), by=by
    )


def _render(packet: Packet, by: User, kind: str, text: str, **links: Any) -> CaseRender:
    content = pdf_bytes(2, text=text)
    render = CaseRender(
        packet=packet,
        kind=kind,
        source_revision=3,
        final=True,
        sha256=hashlib.sha256(content).hexdigest(),
        page_count=2,
        size=len(content),
        layout={"O": {"first_page": 3, "pages": 1}},
        created_by=by,
        **links,
    )
    render.pdf.save("render.pdf", ContentFile(content), save=False)
    render.save()
    return render


def make_case_with_every_record(owner: User, counsel: User, *, secret: str = "Quintero") -> Packet:
    """A filed case (``make_filed_case``) with every record of the case (``add_every_case_record``)."""
    packet = make_filed_case(owner, counsel)
    add_every_case_record(packet, owner, counsel, secret=secret)
    return packet


def add_every_case_record(packet: Packet, owner: User, counsel: User, *, secret: str = "Quintero") -> None:
    """To the filed ``packet``: a receipt notice, two log entries (one with an attachment, one that
    became an amendment), an answered RFE (notice, three items citing filed exhibits and a new one, a comment, review
    steps, approved and sent), an amendment with its evidence, a response PDF and a report PDF, an approval with a
    reporting condition and a report, and a closing report. ``secret`` is written into every free-text field and
    file name, and into the text of the PDFs."""
    today = timezone.localdate()
    receipt = _document(packet, owner, CaseDocumentKind.RECEIPT_NOTICE, f"Receipt {secret}", pdf_bytes(1, text=secret))
    Filing.objects.filter(packet=packet).update(receipt_notice=receipt, receipt_on=today, e_notification_requested=True)
    amendment = Amendment.objects.create(
        packet=packet,
        summary=f"Departure moved ({secret})",
        letter=f"Dear officer, {secret} departs later.",
        revision=packet.revision,
        changes=[
            {"section": "timeline", "field": "departure_date", "before": "2027-03-31", "after": f"2027-04-30 {secret}"}
        ],
        sent_on=today,
        sent_method="mail",
        created_by=owner,
    )
    call = case_log_record(
        packet=packet, by=owner, summary=f"Called about {secret}", kind=CaseLogKind.CALL, who=f"Officer {secret}"
    )
    _document(packet, owner, CaseDocumentKind.ATTACHMENT, f"Call notes {secret}", jpeg_bytes(), log_entry=call)
    change = case_log_record(packet=packet, by=owner, summary=f"{secret} departs later", kind=CaseLogKind.CHANGE_DATES)
    change.amendment = amendment
    change.save()
    _document(
        packet, owner, CaseDocumentKind.AMENDMENT_EVIDENCE, f"New ticket {secret}", pdf_bytes(1), amendment=amendment
    )
    rfe = RequestForEvidence.objects.create(
        packet=packet,
        issued_on=today - timedelta(days=10),
        received_on=today - timedelta(days=5),
        introduction=f"In response to the request about {secret}",
        revision=4,
        review_state=ReviewState.SENT,
        approved_revision=4,
        approved_by=counsel,
        approved_at=timezone.now(),
        sent_on=today,
        sent_method="courier",
        created_by=owner,
    )
    notice = _document(packet, owner, CaseDocumentKind.RFE_NOTICE, f"RFE notice {secret}", pdf_bytes(2, text=secret))
    rfe.notice = notice
    rfe.save()
    new_exhibit = _document(
        packet, owner, CaseDocumentKind.RESPONSE_EVIDENCE, f"Letter {secret}", pdf_bytes(3, text=secret), rfe=rfe
    )
    items = [
        RfeItem.objects.create(
            rfe=rfe,
            number=number,
            text=f"Item {number} asks about {secret}",
            answer=f"Answer {number}: {secret}",
            citations=citations,
        )
        for number, citations in (
            (1, [{"filed": "A", "page": 1}]),
            (2, [{"filed": "B", "page": 2}, {"document": str(new_exhibit.pk)}]),
            (3, [{"document": str(new_exhibit.pk)}]),
        )
    ]
    CaseComment.objects.create(
        packet=packet, rfe=rfe, item=items[1], author=counsel, body=f"Cite more on {secret}", revision=2
    )
    for before, after in ((ReviewState.DRAFT, ReviewState.IN_REVIEW), (ReviewState.IN_REVIEW, ReviewState.APPROVED)):
        CaseReviewEvent.objects.create(
            packet=packet, rfe=rfe, user=counsel, from_state=before, to_state=after, note=f"{secret} ok", revision=4
        )
    _render(packet, owner, CaseRenderKind.RFE_RESPONSE, f"Response {secret}", rfe=rfe)
    decision_notice = _document(packet, owner, CaseDocumentKind.DECISION_NOTICE, f"Approval {secret}", pdf_bytes(1))
    decision = Decision.objects.create(
        packet=packet,
        outcome=DecisionOutcome.APPROVED,
        decided_on=today,
        notice=decision_notice,
        note=f"Approved for {secret}",
        parole_from=date(2027, 1, 4),
        parole_to=date(2027, 12, 31),
        employment_limits=f"No work for {secret}",
        other_conditions=f"Stay near {secret}",
        fee_amount_usd=1000,
        fee_due_on=today + timedelta(days=30),
        fee_paid_on=today,
        recorded_by=owner,
    )
    condition = ReportingCondition.objects.create(
        decision=decision,
        recipient=f"{secret} County Office",
        how=f"Email to {secret}",
        cadence=ReportCadence.MONTHLY,
        first_due_on=date(2027, 2, 4),
    )
    report = ConditionReport.objects.create(
        condition=condition,
        due_on=date(2027, 2, 4),
        period_from=date(2027, 1, 4),
        period_to=date(2027, 2, 3),
        narrative=f"{secret} trained 12 people",
        achievements=[{"indicator": "people trained", "target": "40", "achieved": f"12 ({secret})"}],
        sent_on=date(2027, 2, 3),
        revision=2,
        created_by=owner,
    )
    _render(packet, owner, CaseRenderKind.REPORT, f"Report {secret}", report=report)
    ClosingReport.objects.create(
        packet=packet,
        outcomes=[{"indicator": "people trained", "target": "40", "achieved": "41"}],
        milestones=[{"description": f"Course by {secret}", "due_on": "2027-05-01", "reached": True, "note": ""}],
        capacity_built=f"{secret} trained trainers",
        continued_by=f"{secret}'s team",
        compliance=f"All reports sent by {secret}",
        lessons=f"{secret} learned",
        public_summary=f"A training course ({secret}).",
        revision=1,
        updated_by=owner,
    )


CASE_MODELS: tuple[type[models.Model], ...] = (
    CaseDocument,
    RequestForEvidence,
    RfeItem,
    CaseComment,
    CaseReviewEvent,
    Amendment,
    CaseRender,
    Decision,
    ReportingCondition,
    ConditionReport,
    ClosingReport,
)
