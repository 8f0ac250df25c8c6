"""Whether a response is ready to send: every item answered and citing evidence, every label real, every new
exhibit used — and what must always be said: a partial response is decided as it stands, and there is one response."""

from dataclasses import dataclass
from datetime import date

from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from packets.case.deadlines import rfe_due_on
from packets.case.rfe import CitableExhibit
from packets.models import RequestForEvidence, RfeItem


@dataclass(frozen=True)
class ResponseFinding:
    severity: str  # blocker | warning
    message: str
    item: int | None = None  # the item's number it is about


def rfe_readiness(
    rfe: RequestForEvidence, items: list[RfeItem], citable: list[CitableExhibit], today: date
) -> list[ResponseFinding]:
    findings = []
    labels = {row.label for row in citable}
    new_ids = {row.document_id for row in citable if row.new}
    cited_new: set[str] = set()
    for item in items:
        if not item.answer.strip():
            findings.append(
                ResponseFinding("blocker", _("Item %(n)s has no answer yet.") % {"n": item.number}, item.number)
            )
        if not item.citations:
            findings.append(
                ResponseFinding(
                    "blocker", _("Item %(n)s cites no exhibit: cite at least one.") % {"n": item.number}, item.number
                )
            )
        for cited in item.citations:
            if "filed" in cited and cited["filed"] not in labels:
                findings.append(
                    ResponseFinding(
                        "blocker",
                        _("Item %(n)s cites Exhibit %(label)s, which the filed packet does not have.")
                        % {"n": item.number, "label": cited["filed"]},
                        item.number,
                    )
                )
            if "document" in cited:
                if cited["document"] in new_ids:
                    cited_new.add(cited["document"])
                else:
                    findings.append(
                        ResponseFinding(
                            "blocker",
                            _("Item %(n)s cites a new exhibit that was removed.") % {"n": item.number},
                            item.number,
                        )
                    )
    findings.extend(
        ResponseFinding(
            "warning", _("New Exhibit %(label)s is enclosed but no answer cites it.") % {"label": row.label}
        )
        for row in citable
        if row.new and row.document_id not in cited_new
    )
    if rfe.notice_id is None:
        findings.append(
            ResponseFinding("warning", _("Upload the notice: the response is sent with the notice on top."))
        )
    days = (rfe_due_on(rfe) - today).days
    if days < 0:
        findings.append(
            ResponseFinding(
                "blocker",
                ngettext(
                    "The response deadline passed %(days)s day ago. Talk to counsel now.",
                    "The response deadline passed %(days)s days ago. Talk to counsel now.",
                    -days,
                )
                % {"days": -days},
            )
        )
    findings.append(
        ResponseFinding(
            "warning",
            _("A partial response is decided on the record as it stands: answer every item, with evidence."),
        )
    )
    findings.append(
        ResponseFinding(
            "warning", _("Only one response is possible: send everything together, with the notice on top.")
        )
    )
    return findings
