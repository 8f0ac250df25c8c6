"""A case as every page reads it: the filing, requests for evidence, decision, conditions, reports, amendments and
closing report of a filed packet, loaded in a fixed number of queries (one case or three hundred), with its deadlines
and its status timeline worked out once.
"""

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date
from typing import Any
from uuid import UUID

from django.db.models import Prefetch
from django.utils.translation import gettext_lazy as _

from packets.case.deadlines import Deadline, case_deadlines, next_deadline, report_due_dates
from packets.case.digest import PacketDigest, packet_digests
from packets.models import (
    Amendment,
    ClosingReport,
    ConditionReport,
    Decision,
    DecisionOutcome,
    Filing,
    Packet,
    PacketStatus,
    ReportingCondition,
    RequestForEvidence,
    ReviewState,
    RfeItem,
)


@dataclass(frozen=True)
class Stage:
    key: str
    label: str
    on: date | None
    state: str  # done | current | upcoming | skipped


@dataclass
class CaseSummary:
    packet: Packet
    digest: PacketDigest  # what the case reads of the packet's content (packets.case.digest)
    filing: Filing | None
    rfes: list[RequestForEvidence] = field(default_factory=list)  # with .items prefetched, oldest first
    decision: Decision | None = None
    conditions: list[ReportingCondition] = field(default_factory=list)
    reports: list[ConditionReport] = field(default_factory=list)
    amendments: list[Amendment] = field(default_factory=list)
    closing: ClosingReport | None = None
    reparole_filed: bool = False  # a re-parole packet made from this case was filed
    report_dates: dict[int, list[date]] = field(default_factory=dict)  # condition id → its due dates
    deadlines: list[Deadline] = field(default_factory=list)

    @property
    def filed(self) -> bool:
        return self.filing is not None

    @property
    def planned_departure(self) -> date | None:
        """The departure date the packet plans (the timeline step; an amendment that moved it changed the content)."""
        return self.digest.departure_date

    @property
    def next_deadline(self) -> Deadline | None:
        return next_deadline(self.deadlines)

    @property
    def open_rfe(self) -> RequestForEvidence | None:
        return next((rfe for rfe in reversed(self.rfes) if rfe.review_state != ReviewState.SENT), None)

    @property
    def approved(self) -> bool:
        return self.decision is not None and self.decision.outcome == DecisionOutcome.APPROVED

    @property
    def denied(self) -> bool:
        return self.decision is not None and self.decision.outcome == DecisionOutcome.DENIED

    @property
    def departed(self) -> bool:
        return self.decision is not None and self.decision.departed_on is not None

    @property
    def stages(self) -> list[Stage]:
        return case_stages(self)


def case_stages(case: CaseSummary) -> list[Stage]:
    """filed → receipt → request for evidence → response sent → decision → travel / arrival → departure → closed.

    A stage with a date is done; the first without one is current; the RFE stages are skipped when a decision came
    without one, travel and departure when the request was not approved."""
    filing, decision = case.filing, case.decision
    first_rfe = case.rfes[0] if case.rfes else None
    sent = [rfe.sent_on for rfe in case.rfes if rfe.sent_on]
    closed_on = None
    if decision is not None:
        closed_on = decision.closed_on or (
            decision.decided_on if decision.outcome != DecisionOutcome.APPROVED else None
        )
    rows: list[tuple[str, object, date | None, bool]] = [
        ("filed", _("Filed"), filing.filed_on if filing else None, False),
        (
            "receipt",
            _("Receipt"),
            (filing.receipt_on or filing.filed_on) if filing and filing.receipt_number else None,
            False,
        ),
        (
            "rfe",
            _("Request for evidence"),
            first_rfe.issued_on if first_rfe else None,
            first_rfe is None and decision is not None,
        ),
        ("response", _("Response sent"), max(sent) if sent else None, first_rfe is None and decision is not None),
        ("decision", _("Decision"), decision.decided_on if decision else None, False),
        (
            "arrival",
            _("Travel and arrival"),
            decision.arrived_on if decision else None,
            decision is not None and decision.outcome != DecisionOutcome.APPROVED,
        ),
        (
            "departure",
            _("Departure"),
            decision.departed_on if decision else None,
            decision is not None and decision.outcome != DecisionOutcome.APPROVED,
        ),
        ("closed", _("Closed"), closed_on, False),
    ]
    stages = []
    current_given = False
    for key, label, on, skipped in rows:
        if skipped:
            state = "skipped"
        elif on is not None:
            state = "done"
        elif not current_given:
            state, current_given = "current", True
        else:
            state = "upcoming"
        stages.append(Stage(key, str(label), on, state))
    return stages


# What lists (the caseload, the calendar feed, reminders) never read: left in the database, not decrypted per row.
_BRIEF_DEFERRED = {
    RequestForEvidence: ("introduction",),
    Decision: ("note", "employment_limits", "other_conditions"),
    ConditionReport: ("narrative", "achievements"),
    ClosingReport: (
        "outcomes",
        "milestones",
        "capacity_built",
        "continued_by",
        "compliance",
        "lessons",
        "public_summary",
    ),
}


def load_cases(packets: Iterable[Packet], *, brief: bool = False) -> dict[UUID, CaseSummary]:
    """The case of each packet (filed or not: an unfiled packet's case is empty), in a fixed number of queries.

    ``brief``, for lists: the deadlines, status and turn only — no request items, no amendments (two queries fewer)
    and none of the long encrypted texts (``_BRIEF_DEFERRED``), which a list never shows."""
    packets = list(packets)
    ids = [packet.pk for packet in packets]
    digests = packet_digests(packets)

    def rows(model: Any, **lookups: Any) -> Any:
        found = model.objects.filter(**lookups)
        return found.defer(*_BRIEF_DEFERRED[model]) if brief and model in _BRIEF_DEFERRED else found

    filings = {filing.packet_id: filing for filing in Filing.objects.filter(packet_id__in=ids)}
    rfes: dict[UUID, list[RequestForEvidence]] = defaultdict(list)
    requests = rows(RequestForEvidence, packet_id__in=ids)
    if not brief:
        requests = requests.prefetch_related(Prefetch("items", queryset=RfeItem.objects.order_by("number")))
    for rfe in requests:
        rfes[rfe.packet_id].append(rfe)
    decisions = {decision.packet_id: decision for decision in rows(Decision, packet_id__in=ids)}
    by_decision = {decision.pk: decision for decision in decisions.values()}
    # Each condition and report is given the decision and condition already loaded (not joined and decrypted again).
    conditions: dict[UUID, list[ReportingCondition]] = defaultdict(list)
    by_condition = {}
    for condition in ReportingCondition.objects.filter(decision_id__in=list(by_decision)):
        condition.decision = by_decision[condition.decision_id]
        conditions[condition.decision.packet_id].append(condition)
        by_condition[condition.pk] = condition
    reports: dict[UUID, list[ConditionReport]] = defaultdict(list)
    for report in rows(ConditionReport, condition_id__in=list(by_condition)):
        report.condition = by_condition[report.condition_id]
        reports[report.condition.decision.packet_id].append(report)
    amendments: dict[UUID, list[Amendment]] = defaultdict(list)
    for amendment in () if brief else Amendment.objects.filter(packet_id__in=ids):
        amendments[amendment.packet_id].append(amendment)
    closings = {report.packet_id: report for report in rows(ClosingReport, packet_id__in=ids)}
    reparoled = set(
        Packet.objects.filter(reparole_of_id__in=ids, status=PacketStatus.FILED).values_list(
            "reparole_of_id", flat=True
        )
    )
    cases = {}
    for packet in packets:
        decision = decisions.get(packet.pk)
        case = CaseSummary(
            packet=packet,
            digest=digests[packet.pk],
            filing=filings.get(packet.pk),
            rfes=rfes.get(packet.pk, []),
            decision=decision,
            conditions=conditions.get(packet.pk, []),
            reports=reports.get(packet.pk, []),
            amendments=amendments.get(packet.pk, []),
            closing=closings.get(packet.pk),
            reparole_filed=packet.pk in reparoled,
        )
        monitoring = case.digest.reporting_channels
        case.report_dates = {
            condition.pk: report_due_dates(
                condition,
                parole_from=decision.parole_from if decision else None,
                parole_to=decision.parole_to if decision else None,
                monitoring_text=monitoring,
            )
            for condition in case.conditions
        }
        case.deadlines = case_deadlines(case)
        cases[packet.pk] = case
    return cases


def case_summary(packet: Packet) -> CaseSummary:
    return load_cases([packet])[packet.pk]
