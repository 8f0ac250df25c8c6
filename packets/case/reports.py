"""Reports a reporting condition calls for, one per due date: what happened in the period and each of the packet's
indicators, target against achieved so far; exported as a numbered, bookmarked PDF for the agency or the partners.

A report is written for a due date the condition produces (``packets.case.deadlines.report_due_dates``); its period
runs from the day after the previous due date (or the first day of parole) to its own due date. "Achieved so far" is
carried forward from the latest earlier report, so each report starts from where the last one left off.
"""

from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from django.contrib.auth.models import User
from django.db import transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from packets.assembly.document import Section, document_html, document_pdf
from packets.case.log import case_log_record
from packets.case.rendering import case_render_store, requestor_name
from packets.case.summary import CaseSummary
from packets.models import CaseRender, CaseRenderKind, ConditionReport, Packet, ReportingCondition
from packets.people import person_name


class ReportRefused(Exception):
    """The report cannot be saved as asked (a stale edit, a date the condition does not produce); plain words."""


@dataclass(frozen=True)
class ReportPeriod:
    due_on: date
    period_from: date | None
    period_to: date


def report_period(case: CaseSummary, condition: ReportingCondition, due_on: date) -> ReportPeriod | None:
    """The period a report due on ``due_on`` covers, or None when the condition produces no such due date."""
    dates = case.report_dates.get(condition.pk, [])
    if due_on not in dates:
        return None
    index = dates.index(due_on)
    start = dates[index - 1] + timedelta(days=1) if index else (case.decision.parole_from if case.decision else None)
    return ReportPeriod(due_on=due_on, period_from=start, period_to=due_on)


def report_achievements(packet: Packet, case: CaseSummary, report: ConditionReport | None) -> list[dict[str, str]]:
    """One row per indicator of the packet's monitoring section, in its order: ``{"indicator", "target",
    "achieved"}``, "achieved" from this report, else carried forward from the latest earlier report."""
    earlier: dict[str, str] = {}
    for row in _earlier_rows(case, report):
        if row.get("achieved"):
            earlier[str(row.get("indicator", ""))] = str(row["achieved"])
    own = {
        str(row.get("indicator", "")): str(row.get("achieved", "")) for row in (report.achievements if report else [])
    }
    return [
        {
            "indicator": indicator.name,
            "target": indicator.target,
            "achieved": own.get(indicator.name, earlier.get(indicator.name, "")),
        }
        for indicator in packet.content.monitoring.indicators
        if indicator.name or indicator.target
    ]


def _earlier_rows(case: CaseSummary, report: ConditionReport | None) -> list[dict[str, Any]]:
    before = [
        item for item in case.reports if report is None or (item.pk != report.pk and item.due_on <= report.due_on)
    ]
    rows: list[dict[str, Any]] = []
    for item in sorted(before, key=lambda item: item.due_on):
        rows.extend(item.achievements or [])
    return rows


def report_save(
    *,
    packet: Packet,
    condition: ReportingCondition,
    period: ReportPeriod,
    by: User,
    revision: int | None,
    narrative: str,
    achievements: list[dict[str, str]],
    sent_on: date | None,
) -> ConditionReport:
    """Write or correct the report due on ``period.due_on``. ``revision`` is the one the form was shown with: a
    report changed by someone else since is refused (their words are not overwritten; the form keeps these)."""
    with transaction.atomic():
        report = ConditionReport.objects.select_for_update().filter(condition=condition, due_on=period.due_on).first()
        if report is not None and revision != report.revision:
            raise ReportRefused(
                _(
                    "Someone else saved this report while you were writing. Your text is still in the form: copy it, "
                    "reload the page to see theirs, and combine the two."
                )
            )
        created = report is None
        report = report or ConditionReport(condition=condition, due_on=period.due_on, created_by=by)
        was_sent = report.sent_on
        report.period_from, report.period_to = period.period_from, period.period_to
        report.narrative = narrative
        report.achievements = achievements
        report.sent_on = sent_on
        report.revision += 1
        report.save()
        words = {"recipient": condition.recipient, "date": period.due_on.isoformat()}
        summary = (
            _("Report to %(recipient)s due %(date)s written.")
            if created
            else _("Report to %(recipient)s due %(date)s updated.")
        )
        if sent_on and sent_on != was_sent:
            summary += " " + _("Sent on %(sent)s.") % {"sent": sent_on.isoformat()}
        case_log_record(packet=packet, by=by, summary=summary % words)
    return report


def report_render(*, packet: Packet, case: CaseSummary, report: ConditionReport, by: User | None) -> CaseRender:
    """The report as a PDF (in English, the language it is sent in), kept as a ``CaseRender`` of its revision."""
    condition = report.condition
    created_at = timezone.now()
    with translation.override("en"):
        context: dict[str, object] = {
            "packet_title": packet.content.project.title or packet.name,
            "beneficiary": packet.content.beneficiary.full_name,
            "requestor": requestor_name(packet),
            "receipt_number": case.filing.receipt_number if case.filing else "",
            "decision": case.decision,
            "condition": condition,
            "report": report,
            "rows": report_achievements(packet, case, report),
            "prepared_by": person_name(by) if by else "",
            "prepared_on": timezone.localdate(created_at),
        }
        html = document_html("packets/print/case/report.html", context)
        rendered = document_pdf(
            html=html,
            sections=[
                Section(_("Report"), "report"),
                Section(_("Indicators"), "indicators"),
                Section(_("What happened in the period"), "narrative"),
            ],
            title=_("Report to %(recipient)s due %(date)s") % {"recipient": condition.recipient, "date": report.due_on},
            author=requestor_name(packet),
            subject=_("Report under a condition of parole"),
            created_at=created_at,
            final=True,
        )
    return case_render_store(
        packet=packet,
        kind=CaseRenderKind.REPORT,
        rendered=rendered,
        final=True,
        by=by,
        source_revision=report.revision,
        target={"report": report},
    )
