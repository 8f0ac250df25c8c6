"""Every deadline of a case, computed from its records and the filing facts (never from code constants).

A ``Deadline`` has a stable ``key`` (reminders are sent once per key, due date and lead time; the calendar feed uses
it as the event's UID), a due date, and a source note when a rule from the facts file set the date.
"""

import re
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Protocol

from dateutil.relativedelta import relativedelta
from django.utils.translation import gettext as _

from packets.content.facts import filing_facts
from packets.models import ConditionReport, Decision, ReportCadence, ReportingCondition, RequestForEvidence, ReviewState


class CaseRecords(Protocol):
    """What the deadlines are computed from (``packets.case.summary.CaseSummary`` is one)."""

    rfes: list[RequestForEvidence]
    decision: Decision | None
    conditions: list[ReportingCondition]
    reports: list[ConditionReport]
    report_dates: dict[int, list[date]]
    reparole_filed: bool

    @property
    def planned_departure(self) -> date | None: ...


# The most report due dates one condition produces (a daily cadence over years would otherwise flood the feed).
MAX_REPORTS_PER_CONDITION = 60


@dataclass(frozen=True)
class Deadline:
    key: str  # stable: "rfe:<id>", "fee", "report:<condition id>:<due date>", "parole_expiry", "reparole", "departure"
    kind: str  # rfe | fee | report | parole_expiry | reparole | departure
    title: str
    due_on: date
    done: bool = False  # answered, paid, sent: kept on the case page, left out of reminders and "next"
    done_note: str = ""  # how it was met, in a word or two ("sent", "paid", "not needed: departed")
    source: str = ""  # the facts file's source note, when a rule from it set the date

    def days_left(self, today: date) -> int:
        return (self.due_on - today).days

    def overdue(self, today: date) -> bool:
        return not self.done and self.due_on < today


def rfe_due_on(rfe: RequestForEvidence) -> date:
    """At most the facts file's days from the notice's issue date, plus its mail days when the notice was mailed."""
    fact = filing_facts().get("rfe_response")
    days = (fact.response_days or 0) + ((fact.mail_days or 0) if rfe.mailed else 0)
    return rfe.issued_on + timedelta(days=days)


def reparole_file_by(parole_to: date) -> date:
    """The last day to file a re-parole request: the facts file's days before the parole period ends."""
    fact = filing_facts().get("reparole")
    return parole_to - timedelta(days=fact.before_expiry_days or 0)


_EVERY = re.compile(r"\bevery\s+(\d+)\s+(day|week|month)s?\b", re.IGNORECASE)
_WORDS = {
    "weekly": relativedelta(weeks=1),
    "fortnightly": relativedelta(weeks=2),
    "monthly": relativedelta(months=1),
    "quarterly": relativedelta(months=3),
    "every quarter": relativedelta(months=3),
    "every month": relativedelta(months=1),
    "every week": relativedelta(weeks=1),
    "twice a year": relativedelta(months=6),
    "biannual": relativedelta(months=6),
    "annually": relativedelta(years=1),
    "yearly": relativedelta(years=1),
}


def cadence_from_text(text: str) -> relativedelta | None:
    """The reporting interval a monitoring section states ("monthly", "every 6 weeks"), or None when it says none."""
    found = _EVERY.search(text)
    if found:
        count, unit = int(found.group(1)), found.group(2).lower()
        if count <= 0:
            return None
        return {"day": relativedelta(days=count), "week": relativedelta(weeks=count)}.get(
            unit, relativedelta(months=count)
        )
    lowered = text.lower()
    for word, step in _WORDS.items():
        if word in lowered:
            return step
    return None


def condition_step(condition: ReportingCondition, monitoring_text: str) -> relativedelta | None:
    """How far apart the condition's reports are; None for a single report."""
    if condition.cadence == ReportCadence.MONTHLY:
        return relativedelta(months=1)
    if condition.cadence == ReportCadence.QUARTERLY:
        return relativedelta(months=3)
    if condition.cadence == ReportCadence.EVERY_DAYS and condition.every_days:
        return relativedelta(days=condition.every_days)
    if condition.cadence == ReportCadence.MONITORING:
        return cadence_from_text(monitoring_text)
    return None


def report_due_dates(
    condition: ReportingCondition, *, parole_from: date | None, parole_to: date | None, monitoring_text: str = ""
) -> list[date]:
    """The condition's due dates: the first (given, or one step after the parole starts), then every step until the
    parole period ends (a report due on its last day included)."""
    step = condition_step(condition, monitoring_text)
    first = condition.first_due_on
    if first is None:
        if parole_from is None or step is None:
            return []
        first = parole_from + step
    if step is None:
        return [first]
    dates: list[date] = []
    index = 0
    while len(dates) < MAX_REPORTS_PER_CONDITION:
        # Each date counted from the first (not from the one before), so 31 January → 28 February → 31 March.
        due = first + step * index
        if parole_to is not None and due > parole_to:
            break
        dates.append(due)  # noqa: PERF401 - the loop ends on a date, not on a count
        index += 1
        if parole_to is None and index >= 12:
            break
    return dates


def case_deadlines(case: CaseRecords) -> list[Deadline]:
    """Every deadline of the case, soonest first."""
    items: list[Deadline] = []
    rfe_source = filing_facts().get("rfe_response").source
    for rfe in case.rfes:
        items.append(  # noqa: PERF401 - more kinds follow
            Deadline(
                key=f"rfe:{rfe.pk}",
                kind="rfe",
                title=_("Response to the request for evidence of %(date)s due") % {"date": rfe.issued_on.isoformat()},
                due_on=rfe_due_on(rfe),
                done=rfe.review_state == ReviewState.SENT,
                done_note=_("response sent"),
                source=rfe_source,
            )
        )
    decision = case.decision
    if decision is not None:
        if decision.fee_due_on:
            items.append(
                Deadline(
                    key="fee",
                    kind="fee",
                    title=_("Parole fee due"),
                    due_on=decision.fee_due_on,
                    done=decision.fee_paid_on is not None,
                    done_note=_("paid"),
                    source=filing_facts().get("fee_parole").source,
                )
            )
        sent = {(report.condition_id, report.due_on) for report in case.reports if report.sent_on}
        items.extend(
            Deadline(
                key=f"report:{condition.pk}:{due.isoformat()}",
                kind="report",
                title=_("Report to %(recipient)s due") % {"recipient": condition.recipient},
                due_on=due,
                done=(condition.pk, due) in sent,
                done_note=_("sent"),
            )
            for condition in case.conditions
            for due in case.report_dates.get(condition.pk, [])
        )
        departed = decision.departed_on is not None
        if decision.parole_to:
            items.append(
                Deadline(
                    key="parole_expiry",
                    kind="parole_expiry",
                    title=_("Parole period ends"),
                    due_on=decision.parole_to,
                    done=departed,
                    done_note=_("not needed: departed"),
                )
            )
            items.append(
                Deadline(
                    key="reparole",
                    kind="reparole",
                    title=_("Last day to file a re-parole request"),
                    due_on=reparole_file_by(decision.parole_to),
                    done=departed or case.reparole_filed,
                    done_note=_("not needed: departed") if departed else _("re-parole requested"),
                    source=filing_facts().get("reparole").source,
                )
            )
    departure = case.planned_departure
    if departure is not None:
        items.append(
            Deadline(
                key="departure",
                kind="departure",
                title=_("Planned departure"),
                due_on=departure,
                done=decision is not None and decision.departed_on is not None,
                done_note=_("departed"),
            )
        )
    return sorted(items, key=lambda item: (item.due_on, item.key))


def open_deadlines(deadlines: list[Deadline]) -> list[Deadline]:
    return [item for item in deadlines if not item.done]


def next_deadline(deadlines: list[Deadline]) -> Deadline | None:
    """The soonest deadline not yet met (an overdue one first: it is the soonest)."""
    remaining = open_deadlines(deadlines)
    return remaining[0] if remaining else None
