"""Counsel's caseload: every packet and case a person is counsel on, with its status in words, whose turn it is, the
next deadline and the unresolved comments — read in a fixed number of queries, however many packets there are.

Whose packets: those where the person's membership role is counsel. A person has one membership per packet
(``one_membership_per_user_and_packet``), so an owner is never also counsel of the same packet: their own packets
are on the dashboard, not here.

Whose turn it is, from counsel's side of the table:

- "waiting on me": the packet was submitted for review, or a response to a request for evidence was submitted to
  counsel for review;
- "on the client": a draft, changes requested, changed since approval, approved but not yet filed (the applicant
  renders the final PDF and files), a response still in draft, sent back or approved but not yet sent; after an
  approval of parole while a deadline is open (the fee, reports, the re-parole window, departure), and after departure
  until the closing report is written;
- "on the agency": filed and waiting for the receipt or the decision, the response sent;
- "nothing pending": denied, closed, or departed with the closing report written.

Comments carry no addressee, so unresolved comments are counted and shown but do not move the turn.

The names, receipt numbers and content are encrypted at rest, so the search runs in Python over the loaded rows.
"""

from dataclasses import dataclass
from datetime import date

from django.contrib.auth.models import User
from django.db.models import Count, IntegerField, OuterRef, Subquery, Value
from django.db.models.functions import Coalesce
from django.utils.translation import gettext_lazy as _

from packets.case.deadlines import Deadline
from packets.case.summary import CaseSummary, load_cases
from packets.models import (
    CaseComment,
    Comment,
    DecisionOutcome,
    Membership,
    Packet,
    PacketStatus,
    ReviewState,
    Role,
)
from packets.review.filing import receipt_number_normalized

ME, CLIENT, AGENCY, NONE = "me", "client", "agency", "none"

TURNS = {
    ME: _("Waiting on me"),
    CLIENT: _("On the client"),
    AGENCY: _("On the agency"),
    NONE: _("Nothing pending"),
}

# In the order a packet goes through them: sorting by status follows the workflow, then the case.
STATUSES = {
    "draft": _("Draft"),
    "in_review": _("Submitted for review"),
    "changes_requested": _("Changes requested"),
    "changed_since_approval": _("Changed since approval"),
    "approved": _("Approved, not yet filed"),
    "filed": _("Filed, waiting for the receipt"),
    "receipt": _("Receipt received, waiting for a decision"),
    "rfe_open": _("Request for evidence open"),
    "response_sent": _("Response sent, waiting for a decision"),
    "parole_approved": _("Parole approved"),
    "arrived": _("Arrived"),
    "departed": _("Departed"),
    "denied": _("Denied"),
    "closed": _("Closed"),
}
STATUS_ORDER = {key: index for index, key in enumerate(STATUSES)}

SORTS = {
    "deadline": _("Next deadline, soonest first"),
    "beneficiary": _("Beneficiary, A to Z"),
    "status": _("Status, in the order of the workflow"),
    "updated": _("Last change, newest first"),
}


@dataclass(frozen=True)
class CaseloadRow:
    packet: Packet
    beneficiary: str
    status: str  # a key of STATUSES
    turn: str  # a key of TURNS
    next_deadline: Deadline | None
    unresolved: int  # unresolved comment threads on the packet and comments on its case documents
    filed: bool
    receipt_number: str

    @property
    def status_label(self) -> str:
        return str(STATUSES[self.status])

    @property
    def turn_label(self) -> str:
        return str(TURNS[self.turn])

    def overdue(self, today: date) -> bool:
        return self.next_deadline is not None and self.next_deadline.overdue(today)


def _unresolved(model: type[Comment] | type[CaseComment], **extra: object) -> Coalesce:
    counted = (
        model.objects.filter(packet_id=OuterRef("pk"), resolved_at__isnull=True, **extra)
        .order_by()
        .values("packet_id")
        .annotate(count=Count("pk"))
        .values("count")
    )
    return Coalesce(Subquery(counted, output_field=IntegerField()), Value(0))


def counsel_packets(user: User) -> list[Packet]:
    """The packets ``user`` is counsel on, each with its unresolved comment counts: one query."""
    counsel_of = Membership.objects.filter(user_id=user.pk, role=Role.COUNSEL).values("packet_id")
    return list(
        # The content is read from its cached digest (packets.case.digest), not decrypted and validated per row.
        Packet.objects.filter(pk__in=counsel_of)
        .defer("data")
        .annotate(
            unresolved_comments=_unresolved(Comment, parent__isnull=True),
            unresolved_case_comments=_unresolved(CaseComment),
        )
        .order_by("-updated_at")
    )


def is_counsel_anywhere(user: User) -> bool:
    return Membership.objects.filter(user_id=user.pk, role=Role.COUNSEL).exists()


def case_status(case: CaseSummary) -> str:
    """Where a filed case stands, as a key of STATUSES."""
    decision = case.decision
    if decision is not None:
        if decision.closed_on or decision.outcome == DecisionOutcome.CLOSED:
            return "closed"
        if decision.outcome == DecisionOutcome.DENIED:
            return "denied"
        if decision.departed_on:
            return "departed"
        return "arrived" if decision.arrived_on else "parole_approved"
    if case.open_rfe is not None:
        return "rfe_open"
    if case.rfes:
        return "response_sent"
    return "receipt" if case.filing is not None and case.filing.receipt_number else "filed"


def case_turn(case: CaseSummary, status: str) -> str:
    """Whose move it is in a filed case (see the module's docstring)."""
    if status in ("filed", "receipt", "response_sent"):
        return AGENCY
    if status == "rfe_open":
        rfe = case.open_rfe
        return ME if rfe is not None and rfe.review_state == ReviewState.IN_REVIEW else CLIENT
    if status in ("parole_approved", "arrived"):
        return CLIENT if case.next_deadline is not None else NONE
    if status == "departed":
        return CLIENT if case.closing is None else NONE
    return NONE


PACKET_TURNS: dict[str, str] = {
    PacketStatus.DRAFT: CLIENT,
    PacketStatus.IN_REVIEW: ME,
    PacketStatus.CHANGES_REQUESTED: CLIENT,
    PacketStatus.CHANGED_SINCE_APPROVAL: CLIENT,
    PacketStatus.APPROVED: CLIENT,
    PacketStatus.FILED: AGENCY,  # filed without a filing record: only an old import could be that
}


def planned_filing(case: CaseSummary) -> Deadline | None:
    planned = case.digest.filing_date
    if planned is None:
        return None
    return Deadline(key="filing", kind="filing", title=str(_("Planned filing")), due_on=planned)


def caseload_row(packet: Packet, case: CaseSummary) -> CaseloadRow:
    unresolved = getattr(packet, "unresolved_comments", 0) + getattr(packet, "unresolved_case_comments", 0)
    beneficiary = case.digest.beneficiary
    if case.filed:
        status = case_status(case)
        turn, deadline = case_turn(case, status), case.next_deadline
    else:
        status = packet.status if packet.status in STATUSES else "draft"
        turn, deadline = PACKET_TURNS.get(packet.status, CLIENT), planned_filing(case)
    return CaseloadRow(
        packet=packet,
        beneficiary=beneficiary,
        status=status,
        turn=turn,
        next_deadline=deadline,
        unresolved=unresolved,
        filed=case.filed,
        receipt_number=case.filing.receipt_number if case.filing else "",
    )


def _matches(row: CaseloadRow, query: str) -> bool:
    words = query.casefold()
    if words in row.beneficiary.casefold() or words in row.packet.name.casefold():
        return True
    receipt = receipt_number_normalized(query)
    return bool(receipt) and receipt in row.receipt_number.upper()


def _sorted(rows: list[CaseloadRow], sort: str) -> list[CaseloadRow]:
    by_name = sorted(rows, key=lambda row: (row.beneficiary.casefold() or "\uffff", row.packet.name.casefold()))
    if sort == "beneficiary":
        return by_name
    if sort == "status":
        return sorted(by_name, key=lambda row: STATUS_ORDER[row.status])
    if sort == "updated":
        return sorted(by_name, key=lambda row: row.packet.updated_at, reverse=True)
    # Soonest deadline first (an overdue one is the soonest); rows without one last.
    return sorted(by_name, key=lambda row: row.next_deadline.due_on if row.next_deadline else date.max)


def caseload_rows(
    *, user: User, query: str = "", turn: str = "", status: str = "", sort: str = "deadline"
) -> list[CaseloadRow]:
    """Every packet ``user`` is counsel on, as caseload rows: searched (beneficiary, packet name or receipt number,
    any case), filtered by whose turn it is and by status, sorted (``SORTS``; an unknown value sorts by deadline,
    an unknown filter is ignored). A fixed number of queries: the packets with their comment counts, then their
    cases (``load_cases``)."""
    packets = counsel_packets(user)
    cases = load_cases(packets, brief=True)
    rows = [caseload_row(packet, cases[packet.pk]) for packet in packets]
    query = query.strip()
    if query:
        rows = [row for row in rows if _matches(row, query)]
    if turn in TURNS:
        rows = [row for row in rows if row.turn == turn]
    if status in STATUSES:
        rows = [row for row in rows if row.status == status]
    return _sorted(rows, sort)
