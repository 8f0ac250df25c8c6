"""The readiness rules of a re-parole request (a packet made from an approved case, ``Packet.reparole_of``), and the
facts about the earlier case they read (``reparole_facts``, built by ``packets.review.readiness.packet_readiness``).

- "reparole-reports-missing": the earlier period's reports are a re-parole request's best evidence; a report due
  before today whose PDF is not among the packet's exhibits is named (not even written, or written but not attached).
- "reparole-late": the facts file says to file at least so many days (90) before the current parole period ends; the
  planned filing date (or today, when none is planned or it has passed) is later than that.
"""

from collections.abc import Iterable, Iterator
from datetime import date, timedelta
from typing import TYPE_CHECKING

from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from packets.review.readiness_base import Finding, MissingReport, PacketFacts, ReparoleFacts, Severity, rule

if TYPE_CHECKING:
    from packets.models import Exhibit, Packet


def reparole_facts(packet: "Packet", exhibits: Iterable["Exhibit"], today: date) -> ReparoleFacts:
    """What the rules need about the case ``packet`` extends: its parole end, and each report due before ``today``
    whose PDF (as built in the app: same bytes) is not one of ``exhibits``."""
    from packets.case.summary import case_summary
    from packets.models import CaseRender, CaseRenderKind, Packet

    earlier = Packet.objects.get(pk=packet.reparole_of_id)  # type: ignore[misc]  # the caller checked it is set
    case = case_summary(earlier)
    held = {exhibit.sha256 for exhibit in exhibits}
    attached = set(
        CaseRender.objects.filter(packet=earlier, kind=CaseRenderKind.REPORT, sha256__in=held).values_list(
            "report_id", flat=True
        )
    )
    reports = {(report.condition_id, report.due_on): report for report in case.reports}
    missing = []
    for condition in case.conditions:
        for due_on in case.report_dates.get(condition.pk, []):
            report = reports.get((condition.pk, due_on))
            if due_on < today and (report is None or report.pk not in attached):
                missing.append(MissingReport(condition.recipient, due_on, written=report is not None))
    return ReparoleFacts(parole_to=case.decision.parole_to if case.decision else None, missing_reports=missing)


def _dates(reports: list[MissingReport]) -> str:
    return "; ".join(
        _("%(recipient)s, due %(date)s")
        % {"recipient": item.recipient, "date": date_format(item.due_on, "DATE_FORMAT")}
        for item in reports
    )


@rule
def reparole_reports(p: PacketFacts) -> Iterator[Finding]:
    if p.reparole is None or not p.reparole.missing_reports:
        return
    unwritten = [item for item in p.reparole.missing_reports if not item.written]
    unattached = [item for item in p.reparole.missing_reports if item.written]
    parts = []
    if unwritten:
        parts.append(
            ngettext(
                "This report of the earlier parole period was never written: %(reports)s.",
                "These reports of the earlier parole period were never written: %(reports)s.",
                len(unwritten),
            )
            % {"reports": _dates(unwritten)}
        )
    if unattached:
        parts.append(
            ngettext(
                "This report was written but its PDF is not attached here: %(reports)s.",
                "These reports were written but their PDFs are not attached here: %(reports)s.",
                len(unattached),
            )
            % {"reports": _dates(unattached)}
        )
    yield Finding("reparole-reports-missing", Severity.WARNING,
                  _("The reports you sent during the earlier parole period are the best evidence for re-parole: "
                    "they show the conditions were kept. %(details)s Write them in the earlier case, build their "
                    "PDFs and attach them as exhibits.") % {"details": " ".join(parts)},
                  "evidence", "")  # fmt: skip


@rule
def reparole_late(p: PacketFacts) -> Iterator[Finding]:
    if p.reparole is None or p.reparole.parole_to is None:
        return
    days = p.facts.get("reparole").before_expiry_days or 0
    file_by = p.reparole.parole_to - timedelta(days=days)
    filing = max(p.content.timeline.filing_date or p.today, p.today)
    if filing > file_by:
        yield Finding("reparole-late", Severity.WARNING,
                      _("The current parole period ends on %(end)s. A re-parole request should be filed at least "
                        "%(days)s days before that, by %(by)s, and this one would be filed on %(filing)s. File it as "
                        "soon as you can, and explain in the cover letter why it comes late.")
                      % {"end": date_format(p.reparole.parole_to, "DATE_FORMAT"), "days": days,
                         "by": date_format(file_by, "DATE_FORMAT"), "filing": date_format(filing, "DATE_FORMAT")},
                      "timeline", "filing_date")  # fmt: skip
