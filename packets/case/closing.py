"""The closing report, written once the person has left: outcomes against each indicator (target against achieved),
the milestones of the timeline reached or not, the capacity built and who continues the work, compliance with the
reporting conditions (worked out from the reports' due and sent dates), proof of departure and lessons learned —
exported as a numbered, bookmarked PDF for the partners and the file.

Until a departure date is recorded there is nothing to close: every function here is only reached through
``closing_available``. The first time, the outcomes start from the last report's "achieved so far" and the milestones
from the packet's timeline; after that, from what was saved.
"""

from dataclasses import dataclass
from datetime import date
from typing import Any

from django.contrib.auth.models import User
from django.db import transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, gettext_noop

from packets.assembly.document import Section, document_html, document_pdf
from packets.case.log import case_log_record
from packets.case.rendering import case_render_store, requestor_name
from packets.case.reports import report_achievements
from packets.case.summary import CaseSummary
from packets.models import CaseDocument, CaseRender, CaseRenderKind, ClosingReport, Packet
from packets.people import person_name

ON_TIME, LATE, NOT_SENT = "on_time", "late", "not_sent"
COMPLIANCE_WORDS = {
    ON_TIME: gettext_lazy("sent on time"),
    LATE: gettext_lazy("sent late"),
    NOT_SENT: gettext_lazy("not sent"),
}


class ClosingRefused(Exception):
    """The closing report cannot be saved as asked (no departure yet, a stale edit); plain words."""


@dataclass(frozen=True)
class ComplianceLine:
    recipient: str
    due_on: date
    sent_on: date | None
    state: str  # ON_TIME | LATE | NOT_SENT

    @property
    def words(self) -> str:
        return str(COMPLIANCE_WORDS[self.state])

    @property
    def days_late(self) -> int:
        return (self.sent_on - self.due_on).days if self.sent_on and self.state == LATE else 0


def closing_available(case: CaseSummary) -> bool:
    """A closing report is written after the departure, and only then."""
    return case.departed


def closing_outcomes(packet: Packet, case: CaseSummary, closing: ClosingReport | None) -> list[dict[str, str]]:
    """One row per indicator: ``{"indicator", "target", "achieved"}``, "achieved" as saved in the closing report,
    else the last report's "achieved so far"."""
    saved = {
        str(row.get("indicator", "")): str(row.get("achieved", "")) for row in (closing.outcomes if closing else [])
    }
    return [
        row | {"achieved": saved[row["indicator"]]} if row["indicator"] in saved else row
        for row in report_achievements(packet, case, None)
    ]


def closing_milestones(packet: Packet, closing: ClosingReport | None) -> list[dict[str, Any]]:
    """One row per milestone of the packet's timeline: ``{"description", "due_on", "reached", "note"}`` (``due_on``
    an ISO date or ""), "reached" and "note" as saved, matched by description."""
    saved = {str(row.get("description", "")): row for row in (closing.milestones if closing else [])}
    rows = []
    for milestone in packet.content.timeline.milestones:
        if not (milestone.description or milestone.due_on):
            continue
        kept = saved.get(milestone.description, {})
        rows.append(
            {
                "description": milestone.description,
                "due_on": milestone.due_on.isoformat() if milestone.due_on else "",
                "reached": bool(kept.get("reached", False)),
                "note": str(kept.get("note", "")),
            }
        )
    return rows


def compliance_lines(case: CaseSummary) -> list[ComplianceLine]:
    """Every report the conditions called for up to the departure (and any written after it), oldest first: sent
    on or before its due date, sent late, or not sent."""
    departed = case.decision.departed_on if case.decision else None
    reports = {(report.condition_id, report.due_on): report for report in case.reports}
    lines = []
    for condition in case.conditions:
        for due_on in case.report_dates.get(condition.pk, []):
            report = reports.get((condition.pk, due_on))
            if departed and due_on > departed and report is None:
                continue
            sent_on = report.sent_on if report else None
            state = NOT_SENT if sent_on is None else ON_TIME if sent_on <= due_on else LATE
            lines.append(ComplianceLine(condition.recipient, due_on, sent_on, state))
    return sorted(lines, key=lambda line: (line.due_on, line.recipient))


def departure_proof(case: CaseSummary) -> CaseDocument | None:
    decision = case.decision
    return decision.departure_proof if decision and decision.departure_proof_id else None


def closing_save(
    *,
    packet: Packet,
    case: CaseSummary,
    by: User,
    revision: int | None,
    outcomes: list[dict[str, str]],
    milestones: list[dict[str, Any]],
    texts: dict[str, str],
) -> ClosingReport:
    """Write or correct the closing report. ``texts`` holds ``capacity_built``, ``continued_by``, ``compliance``
    and ``lessons``. ``revision`` is the one the form was shown with: a report changed by someone else since is
    refused (the form keeps the typed text)."""
    if not closing_available(case):
        raise ClosingRefused(_("The closing report is written after the departure. Record the departure first."))
    with transaction.atomic():
        closing, created = closing_locked(packet, revision, by)
        closing.outcomes = outcomes
        closing.milestones = milestones
        for name in ("capacity_built", "continued_by", "compliance", "lessons"):
            setattr(closing, name, texts.get(name, ""))
        closing.revision += 1
        closing.updated_by = by
        closing.save()
        summary = _("Closing report written.") if created else _("Closing report updated.")
        case_log_record(packet=packet, by=by, summary=summary)
    return closing


def closing_locked(packet: Packet, revision: int | None, by: User) -> tuple[ClosingReport, bool]:
    """The packet's closing report locked for an update (a new one when there is none), if ``revision`` is the one
    it has; raises ``ClosingRefused`` when someone else saved it since. Call inside a transaction."""
    closing = ClosingReport.objects.select_for_update().filter(packet=packet).first()
    if closing is not None and revision != closing.revision:
        raise ClosingRefused(
            _(
                "Someone else saved the closing report while you were writing. Your text is still in the form: copy "
                "it, reload the page to see theirs, and combine the two."
            )
        )
    if closing is None:
        return ClosingReport(packet=packet, updated_by=by), True
    return closing, False


CLOSING_SECTIONS = (
    (gettext_noop("Outcomes"), "outcomes"),
    (gettext_noop("Milestones"), "milestones"),
    (gettext_noop("Capacity"), "capacity"),
    (gettext_noop("Compliance"), "compliance"),
    (gettext_noop("Departure"), "departure"),
    (gettext_noop("Lessons"), "lessons"),
)


def closing_render(*, packet: Packet, case: CaseSummary, closing: ClosingReport, by: User | None) -> CaseRender:
    """The closing report as a PDF (in English), kept as a ``CaseRender`` of its revision."""
    created_at = timezone.now()
    with translation.override("en"):
        context: dict[str, object] = {
            "packet_title": packet.content.project.title or packet.name,
            "beneficiary": packet.content.beneficiary.full_name,
            "requestor": requestor_name(packet),
            "receipt_number": case.filing.receipt_number if case.filing else "",
            "decision": case.decision,
            "closing": closing,
            "outcomes": closing_outcomes(packet, case, closing),
            "milestones": [row | {"due": _date_or_none(row["due_on"])} for row in closing_milestones(packet, closing)],
            "compliance": compliance_lines(case),
            "proof": departure_proof(case),
            "prepared_by": person_name(by) if by else "",
            "prepared_on": timezone.localdate(created_at),
        }
        html = document_html("packets/print/case/closing.html", context)
        rendered = document_pdf(
            html=html,
            sections=[Section(_(title), destination) for title, destination in CLOSING_SECTIONS],
            title=_("Closing report: %(title)s") % {"title": context["packet_title"]},
            author=requestor_name(packet),
            subject=_("Closing report of a parole case"),
            created_at=created_at,
            final=True,
        )
    return case_render_store(
        packet=packet,
        kind=CaseRenderKind.CLOSING,
        rendered=rendered,
        final=True,
        by=by,
        source_revision=closing.revision,
        target={},
    )


def closing_renders(packet: Packet, kind: str) -> list[CaseRender]:
    return list(CaseRender.objects.filter(packet=packet, kind=kind))


def _date_or_none(text: str) -> date | None:
    try:
        return date.fromisoformat(text) if text else None
    except ValueError:
        return None
