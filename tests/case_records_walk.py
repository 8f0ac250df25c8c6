"""The case records the permission walk and the role matrix try every case URL with: the packet is recorded as
filed (its status left as it was, so every other view answers as before) and holds one of each case object."""

from datetime import timedelta
from typing import Any

from django.core.files.base import ContentFile
from django.utils import timezone

from packets.models import (
    Amendment,
    CaseDocument,
    CaseLogEntry,
    CaseRender,
    ClosingReport,
    ConditionReport,
    Decision,
    Filing,
    Packet,
    PacketVersion,
    ReportingCondition,
    RequestForEvidence,
    RfeItem,
)
from tests.builders import pdf_bytes


def make_case_records(packet: Packet, user: Any, version: PacketVersion) -> dict[str, Any]:
    today = timezone.localdate()
    Filing.objects.create(
        packet=packet, filed_on=today, method="lockbox", receipt_number="IOE0123456789", filed_version=version
    )
    entry = CaseLogEntry.objects.create(
        packet=packet, happened_on=today, kind="call", summary="A call.", created_by=user
    )
    rfe = RequestForEvidence.objects.create(packet=packet, issued_on=today, created_by=user)
    RfeItem.objects.create(rfe=rfe, number=1, text="Send the district's letter.")
    document = CaseDocument(
        packet=packet,
        rfe=rfe,
        kind="response_evidence",
        title=f"{packet.name} notice",
        original_name="notice.pdf",
        content_type="application/pdf",
        size=1,
        page_count=1,
        sha256="0" * 64,
    )
    document.file.save("notice", ContentFile(pdf_bytes(text=packet.name)), save=False)
    document.save()
    amendment = Amendment.objects.create(packet=packet, summary="Departure moved", revision=packet.revision)
    amendment_document = CaseDocument(
        packet=packet,
        amendment=amendment,
        kind="amendment_evidence",
        title=f"{packet.name} new ticket",
        original_name="ticket.pdf",
        content_type="application/pdf",
        size=1,
        page_count=1,
        sha256="1" * 64,
    )
    amendment_document.file.save("ticket", ContentFile(pdf_bytes(text=packet.name)), save=False)
    amendment_document.save()
    render = CaseRender(packet=packet, kind="rfe_response", rfe=rfe, sha256="0" * 64, page_count=1, size=1)
    render.pdf.save("r.pdf", ContentFile(pdf_bytes(text="response")), save=False)
    render.save()
    decision = Decision.objects.create(
        packet=packet,
        outcome="approved",
        decided_on=today,
        parole_from=today,
        parole_to=today + timedelta(days=90),
        departed_on=today,
    )
    condition = ReportingCondition.objects.create(
        decision=decision, recipient="County office", cadence="monthly", first_due_on=today + timedelta(days=30)
    )
    report = ConditionReport.objects.create(condition=condition, due_on=condition.first_due_on, narrative="Month one.")
    closing = ClosingReport.objects.create(packet=packet, lessons="Start the paperwork early.", revision=1)
    return {
        "document": document,
        "entry": entry,
        "rfe": rfe,
        "amendment": amendment,
        "amendment_document": amendment_document,
        "render": render,
        "decision": decision,
        "condition": condition,
        "report": report,
        "closing": closing,
    }


def case_snapshot(packet: Packet) -> tuple[Any, ...]:
    """What a refused request must not have changed in the case."""
    return (
        list(
            Filing.objects.filter(packet=packet).values_list("receipt_number", "receipt_on", "e_notification_requested")
        ),
        list(CaseDocument.objects.filter(packet=packet).values_list("pk", "title")),
        list(CaseLogEntry.objects.filter(packet=packet).values_list("pk", "summary")),
        list(RequestForEvidence.objects.filter(packet=packet).values_list("pk", "review_state", "revision", "sent_on")),
        list(RfeItem.objects.filter(rfe__packet=packet).values_list("pk", "text", "answer")),
        list(Amendment.objects.filter(packet=packet).values_list("pk", "summary", "letter", "sent_on")),
        list(CaseRender.objects.filter(packet=packet).values_list("pk")),
        list(Decision.objects.filter(packet=packet).values_list("outcome", "parole_to", "departed_on")),
        list(ReportingCondition.objects.filter(decision__packet=packet).values_list("pk", "recipient", "cadence")),
        list(
            ConditionReport.objects.filter(condition__decision__packet=packet).values_list(
                "pk", "narrative", "sent_on", "revision"
            )
        ),
        list(ClosingReport.objects.filter(packet=packet).values_list("lessons", "public_summary", "revision")),
    )
