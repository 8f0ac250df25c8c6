"""Deadlines in words on the case pages: "in 12 days", "today", "overdue by 3 days" (said, not only coloured)."""

from dataclasses import dataclass
from datetime import date

from django import template
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from packets.case.deadlines import Deadline, rfe_due_on
from packets.case.summary import CaseSummary
from packets.models import Filing, Packet, ReportingCondition, RequestForEvidence

register = template.Library()


@register.filter
def deadline_overdue(deadline: Deadline, today: date) -> bool:
    return deadline.overdue(today)


@register.filter
def days_left_words(deadline: Deadline, today: date) -> str:
    return days_words(deadline.due_on, today, done=deadline.done)


def days_words(due_on: date, today: date, *, done: bool = False) -> str:
    if done:
        return _("done")
    days = (due_on - today).days
    if days == 0:
        return _("due today")
    if days > 0:
        return ngettext("in %(days)s day", "in %(days)s days", days) % {"days": days}
    return ngettext("overdue by %(days)s day", "overdue by %(days)s days", -days) % {"days": -days}


@register.filter
def due_in_words(due_on: date, today: date) -> str:
    return days_words(due_on, today)


@register.filter
def rfe_due(rfe: RequestForEvidence) -> date:
    return rfe_due_on(rfe)


@dataclass(frozen=True)
class ReportDate:
    due_on: date
    sent_on: date | None
    overdue: bool
    written: bool = False


@register.filter
def report_dates_of(case: CaseSummary, condition: ReportingCondition) -> list[ReportDate]:
    """The condition's due dates, each with its report's sent date; an unsent past one is overdue."""
    today = timezone.localdate()
    sent = {report.due_on: report.sent_on for report in case.reports if report.condition_id == condition.pk}
    return [
        ReportDate(due, sent.get(due), sent.get(due) is None and due < today, written=due in sent)
        for due in case.report_dates.get(condition.pk, [])
    ]


@dataclass(frozen=True)
class EarlierCase:
    packet: Packet | None  # None: the user is not on the earlier packet (its name is not theirs to see)
    receipt_number: str


@register.simple_tag(takes_context=True)
def reparole_of(context: template.Context, packet: Packet) -> EarlierCase | None:
    """The case a re-parole request extends, for its packet page; None for any other packet."""
    if packet.reparole_of_id is None:
        return None
    user = context["request"].user
    earlier = Packet.objects.filter(pk=packet.reparole_of_id, memberships__user_id=user.pk).first()
    filing = Filing.objects.filter(packet_id=packet.reparole_of_id).first()
    return EarlierCase(earlier, filing.receipt_number if filing else "")
