"""Packets in every state counsel meets on the caseload, made through the real services (no PDF rendered: filed
"with a PDF made outside this app"). Used by the caseload's tests and by benchmarks/caseload.py."""

from datetime import date, timedelta
from typing import Any

from django.contrib.auth.models import User
from django.utils import timezone

from packets.case.decision import decision_save
from packets.case.rfe import rfe_record
from packets.case.rfe_review import rfe_mark_sent, rfe_transition
from packets.models import Membership, Packet, RequestForEvidence, Role
from packets.review.filing import packet_mark_filed
from packets.review.workflow import packet_approve, packet_request_changes, packet_submit
from tests.builders import make_packet

UNFILED = ("draft", "in_review", "changes_requested", "approved")
FILED = ("filed", "receipt", "rfe_draft", "rfe_in_review", "response_sent", "parole_approved", "denied")
STATES = UNFILED + FILED


def make_counsel_packet(
    owner: User,
    counsel: User,
    state: str,
    *,
    name: str = "Riverton schools",
    beneficiary: str = "Ana María Ortiz Reyes",
    receipt_number: str = "IOE0123456789",
    rfe_issued_on: date | None = None,
    planned_filing: date | None = None,
) -> Packet:
    """A packet of ``owner`` with ``counsel`` as its counsel, brought to ``state`` (one of STATES)."""
    sections: dict[str, Any] = {"beneficiary": {"full_name": beneficiary}}
    if planned_filing is not None:
        sections["timeline"] = {"filing_date": planned_filing.isoformat()}
    packet = make_packet(owner, name=name, **sections)
    Membership.objects.create(packet=packet, user=counsel, role=Role.COUNSEL)
    if state == "draft":
        return packet
    packet = packet_submit(packet=packet, by=owner)
    if state == "in_review":
        return packet
    if state == "changes_requested":
        return packet_request_changes(packet=packet, by=counsel, note="Add the district's letter.")
    packet = packet_approve(packet=packet, by=counsel, revision=packet.revision)
    if state == "approved":
        return packet
    today = timezone.localdate()
    packet = packet_mark_filed(
        packet=packet,
        by=counsel,
        filed_on=today,
        method="lockbox",
        receipt_number="" if state == "filed" else receipt_number,
        filed_outside_app=True,
    )
    if state in ("rfe_draft", "rfe_in_review", "response_sent"):
        rfe = rfe_record(
            packet=packet,
            by=owner,
            issued_on=rfe_issued_on or today - timedelta(days=10),
            received_on=None,
            mailed=True,
            items=["Evidence that no engineer in the state can do the assessment."],
        )
        _rfe_to(rfe, state, owner=owner, counsel=counsel)
    elif state in ("parole_approved", "denied"):
        outcome = "approved" if state == "parole_approved" else "denied"
        data: dict[str, Any] = {"outcome": outcome, "decided_on": today}
        if outcome == "approved":
            data |= {"parole_from": today, "parole_to": today + timedelta(days=365), "fee_due_on": today}
        decision_save(packet=packet, by=counsel, data=data)
    elif state not in ("filed", "receipt"):
        raise ValueError(state)
    packet.refresh_from_db()
    return packet


def _rfe_to(rfe: RequestForEvidence, state: str, *, owner: User, counsel: User) -> None:
    if state == "rfe_draft":
        return
    rfe_transition(rfe=rfe, by=owner, name="submit")
    if state == "rfe_in_review":
        return
    rfe_transition(rfe=rfe, by=counsel, name="approve", revision=rfe.revision)
    rfe_mark_sent(rfe=rfe, by=counsel, sent_on=timezone.localdate(), method="mail")
