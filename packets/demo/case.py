"""The Riverton demo case after filing: filed, receipted, a request for evidence answered and sent, approved with a
reporting condition, and its first report written and sent.

Built through the case services, in the order a user would record it, so the demo case is what the app would have
made. Nothing is rendered: the notices are small PDFs drawn like the demo's exhibits (``packets.demo.documents``), and
the packet is marked as filed with a PDF made outside the app, so seeding stays fast. The story is dated relative to
today (filed about five months ago), so its deadlines are always live: the next report falls due in a few weeks.
"""

from datetime import date, timedelta

from django.contrib.auth.models import User
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from packets.case.decision import condition_save, decision_save
from packets.case.filing_record import FilingRecordForm, filing_record_update
from packets.case.reports import report_achievements, report_period, report_save
from packets.case.rfe import citable_exhibits, parse_citations, rfe_exhibit_add, rfe_item_answer, rfe_record
from packets.case.rfe_review import rfe_mark_sent, rfe_transition
from packets.case.summary import case_summary
from packets.demo.documents import Letterhead, Section, Signer, document_pdf, letter_pdf
from packets.demo.people import BENEFICIARY, DR_BENEFICIARY, PARTNERS, PROJECT_TITLE
from packets.demo.scenario import create_demo_packet
from packets.models import Filing, FilingMethod, Membership, Packet, Role, SentMethod
from packets.review.filing import packet_mark_filed
from packets.review.workflow import packet_approve, packet_submit

DEMO_RECEIPT_NUMBER = "IOE0918273645"
FILED_CASE_NAME = "Riverton schools — filed case"
USCIS = Letterhead("U.S. Citizenship and Immigration Services", ("Humanitarian Affairs Branch", "SPECIMEN — DEMO"))
REPORT_RECIPIENT = "USCIS Humanitarian Affairs Branch"

# What the agency asks, and how the demo answers: (item, answer, citations as a user types them).
RFE_ITEMS = (
    (
        "Submit evidence that a licensed Oregon engineer will sign every assessment report.",
        "Two licensed Oregon engineers of the partner firms will review and sign every report; their signed "
        "supervision agreement is new Exhibit O. The firms' statements (Exhibit J) already confirm their role.",
        "J, O",
    ),
    (
        "Explain how the beneficiary's stay will be funded for its whole length.",
        "The Cascadia Structural Safety Alliance pays the stipend, housing, insurance and return airfare for the "
        "whole stay, as its board resolution, budget and statement of funds show (Exhibit K, page 1).",
        "K p. 1",
    ),
)


def _pdf(name: str, content: bytes) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content, content_type="application/pdf")


def _notice(*, title: str, dated: date, paragraphs: list[str]) -> bytes:
    return letter_pdf(
        letterhead=USCIS,
        dated=dated,
        recipient=(PARTNERS[0].name, PARTNERS[0].address),
        subject=f"{title} — Form I-131, beneficiary {BENEFICIARY}",
        paragraphs=paragraphs,
        signer=Signer("Humanitarian Affairs Branch", "Service Center Operations"),
    )


def _supervision_agreement() -> bytes:
    return document_pdf(
        title="Supervision agreement",
        subtitle=PROJECT_TITLE,
        author="Riverton Office of Emergency Management",
        sections=[
            Section(
                "Agreement",
                [
                    f"{DR_BENEFICIARY} advises and trains; licensed Oregon structural engineers of the partner firms "
                    "review and sign every assessment report of the project.",
                ],
            )
        ],
    )


def create_demo_case(*, owner: User, counsel: User) -> Packet:
    """A second Riverton packet, owned by ``owner`` with ``counsel`` on it, taken through filing to its first report."""
    today = timezone.localdate()
    filed_on = today - timedelta(days=150)
    packet = create_demo_packet(owner=owner, name=FILED_CASE_NAME)
    # The story began months ago: a packet cannot be filed before it was started (packet_mark_filed checks).
    Packet.objects.filter(pk=packet.pk).update(created_at=timezone.now() - timedelta(days=160))
    Membership.objects.create(packet=packet, user=counsel, role=Role.COUNSEL)
    packet.refresh_from_db()
    packet = packet_submit(packet=packet, by=owner)
    packet = packet_approve(packet=packet, by=counsel, revision=packet.revision)
    packet = packet_mark_filed(
        packet=packet, by=counsel, filed_on=filed_on, method=FilingMethod.LOCKBOX, filed_outside_app=True
    )
    _record_receipt(packet, counsel, filed_on + timedelta(days=10))
    _answer_rfe(packet, owner, counsel, filed_on + timedelta(days=40))
    _approve(packet, counsel, filed_on + timedelta(days=100))
    packet.refresh_from_db()
    return packet


def _record_receipt(packet: Packet, by: User, receipt_on: date) -> None:
    filing = Filing.objects.get(packet=packet)
    notice = _notice(
        title="Receipt notice (I-797C)",
        dated=receipt_on,
        paragraphs=[f"Receipt number {DEMO_RECEIPT_NUMBER}. We received your Form I-131 and will process it."],
    )
    form = FilingRecordForm(
        {"receipt_number": DEMO_RECEIPT_NUMBER, "receipt_on": receipt_on.isoformat(), "e_notification_requested": "on"},
        {"receipt_notice": _pdf("receipt-notice-i797c.pdf", notice)},
        filing=filing,
    )
    if not form.is_valid():
        raise ValueError(form.errors.as_text())
    filing_record_update(packet=packet, by=by, form=form)


def _answer_rfe(packet: Packet, owner: User, counsel: User, issued_on: date) -> None:
    notice = _notice(
        title="Request for evidence",
        dated=issued_on,
        paragraphs=[f"{number}. {item}" for number, (item, _answer, _cited) in enumerate(RFE_ITEMS, start=1)],
    )
    rfe = rfe_record(
        packet=packet,
        by=owner,
        issued_on=issued_on,
        received_on=issued_on + timedelta(days=4),
        mailed=True,
        items=[item for item, _answer, _cited in RFE_ITEMS],
        notice=_pdf("request-for-evidence.pdf", notice),
    )
    rfe_exhibit_add(
        rfe=rfe,
        by=owner,
        file=_pdf("supervision-agreement.pdf", _supervision_agreement()),
        title="Supervision agreement",
    )
    filing = Filing.objects.get(packet=packet)
    available = citable_exhibits(rfe, filing)
    for item, (_text, answer, cited) in zip(rfe.items.order_by("number"), RFE_ITEMS, strict=True):
        rfe_item_answer(item=item, by=owner, answer=answer, citations=parse_citations(cited, available))
    rfe.refresh_from_db()
    rfe_transition(rfe=rfe, by=owner, name="submit")
    rfe_transition(rfe=rfe, by=counsel, name="approve", revision=rfe.revision)
    rfe_mark_sent(rfe=rfe, by=counsel, sent_on=issued_on + timedelta(days=30), method=SentMethod.COURIER)


def _approve(packet: Packet, counsel: User, decided_on: date) -> None:
    parole_from = decided_on + timedelta(days=15)
    decision = decision_save(
        packet=packet,
        by=counsel,
        data={
            "outcome": "approved",
            "decided_on": decided_on,
            "parole_from": parole_from,
            # A year: the re-parole window (90 days before the end) is still ahead, as in a case one would demo.
            "parole_to": parole_from + timedelta(days=365),
            "employment_limits": "Work only on the project named in the request.",
            "fee_paid_on": decided_on + timedelta(days=5),
            "travel_document_on": decided_on + timedelta(days=8),
            "arrived_on": parole_from,
        },
    )
    first_due_on = parole_from + timedelta(days=30)
    condition = condition_save(
        packet=packet,
        by=counsel,
        decision=decision,
        data={
            "recipient": REPORT_RECIPIENT,
            "how": "By email, with the report as a PDF",
            "cadence": "monthly",
            "first_due_on": first_due_on,
        },
    )
    case = case_summary(packet)
    period = report_period(case, condition, first_due_on)
    if period is None:  # the condition produced its first due date above; without it the demo is broken
        raise ValueError("The demo reporting condition produced no first report.")
    achievements = [
        {**row, "achieved": achieved}
        for row, achieved in zip(report_achievements(packet, case, None), ("14", "2", "0", "0"), strict=True)
    ]
    report_save(
        packet=packet,
        condition=condition,
        period=period,
        by=counsel,
        revision=None,
        narrative=(
            "Rapid triage of all 14 buildings is complete; occupancy decisions were made with Fire & Rescue. "
            "Detailed assessments of the first two priority buildings are done."
        ),
        achievements=achievements,
        sent_on=period.due_on + timedelta(days=1),
    )
