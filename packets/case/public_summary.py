"""The publishable summary of a closed case: the project, its dates (month and year), outcomes, milestones, capacity
built, who continues and the lessons, with no personal data — exported as a PDF and as Markdown.

It starts as a text made from the closing report and the project; the case people may rewrite it (kept in
``ClosingReport.public_summary``). Whatever it says, the redaction (``packets.case.redaction``) runs again on every
preview and export, so personal data typed into it, or into the closing report, never leaves.
"""

import re
from datetime import date

from django.contrib.auth.models import User
from django.db import transaction
from django.utils import timezone, translation
from django.utils.formats import date_format
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe
from django.utils.text import slugify
from django.utils.translation import gettext as _

from packets.assembly.document import Section, document_html, document_pdf
from packets.case.closing import ClosingRefused, closing_available, closing_locked, closing_milestones, closing_outcomes
from packets.case.log import case_log_record
from packets.case.redaction import RECEIPT, PersonalValue, Redaction, personal_values, redact
from packets.case.rendering import case_render_store, requestor_name
from packets.case.summary import CaseSummary
from packets.models import CaseRender, CaseRenderKind, ClosingReport, Packet


def _month(day: date | None) -> str:
    return date_format(day, "YEAR_MONTH_FORMAT") if day else ""


def summary_draft(packet: Packet, case: CaseSummary, closing: ClosingReport | None) -> str:
    """The summary the app writes from the closing report and the project (Markdown), before any redaction."""
    data = packet.content
    decision = case.decision
    lines = [f"# {data.project.title or packet.name}", ""]
    for text in (data.project.summary, data.project.public_benefit):
        if text.strip():
            lines += [text.strip(), ""]
    start = decision.arrived_on or decision.parole_from if decision else None
    end = decision.departed_on if decision else None
    if start or end:
        lines += [f"## {_('Dates')}", ""]
        lines += [
            _("The specialist worked on the project from %(start)s to %(end)s.")
            % {
                "start": _month(start) or _("(not recorded)"),
                "end": _month(end) or _("(not recorded)"),
            },
            "",
        ]
    outcomes = closing_outcomes(packet, case, closing)
    if outcomes:
        lines += [f"## {_('Outcomes')}", ""]
        for row in outcomes:
            achieved = row["achieved"] or _("not reported")
            lines.append(
                f"- {row['indicator']}: "
                + _("target %(target)s, achieved %(achieved)s")
                % {
                    "target": row["target"] or _("none given"),
                    "achieved": achieved,
                }
            )
        lines.append("")
    milestones = closing_milestones(packet, closing)
    if milestones:
        lines += [f"## {_('Milestones')}", ""]
        for row in milestones:
            when = _month(date.fromisoformat(row["due_on"])) if row["due_on"] else ""
            state = _("reached") if row["reached"] else _("not reached")
            lines.append(f"- {row['description']}" + (f" ({when})" if when else "") + f": {state}")
        lines.append("")
    for title, text in (
        (_("Capacity built"), closing.capacity_built if closing else ""),
        (_("Who continues the work"), closing.continued_by if closing else ""),
        (_("Lessons learned"), closing.lessons if closing else ""),
    ):
        if text.strip():
            lines += [f"## {title}", "", text.strip(), ""]
    return "\n".join(lines).strip() + "\n"


def summary_text(packet: Packet, case: CaseSummary, closing: ClosingReport | None) -> str:
    """The summary as the case people have it: their own text once they wrote one, else the app's draft."""
    if closing and closing.public_summary.strip():
        return closing.public_summary
    with translation.override("en"):
        return summary_draft(packet, case, closing)


def summary_values(packet: Packet, case: CaseSummary) -> list[PersonalValue]:
    values = personal_values(packet.content)
    if case.filing and case.filing.receipt_number:
        values.append(PersonalValue(RECEIPT, case.filing.receipt_number))
    return sorted(values, key=lambda item: -len(item.value))


def public_summary(packet: Packet, case: CaseSummary, closing: ClosingReport | None) -> Redaction:
    """The summary with every personal value left out, and what was left out."""
    return redact(summary_text(packet, case, closing), summary_values(packet, case))


def summary_markdown(packet: Packet, case: CaseSummary, closing: ClosingReport | None) -> tuple[str, str]:
    """The redacted summary as a Markdown file: (file name, text)."""
    redaction = public_summary(packet, case, closing)
    title = redact(packet.content.project.title or packet.name, summary_values(packet, case)).text
    return f"{slugify(title) or 'summary'}-summary.md", redaction.text.strip() + "\n"


def public_summary_save(
    *, packet: Packet, case: CaseSummary, by: User, revision: int | None, text: str
) -> ClosingReport:
    """Keep the case people's own summary text (empty: back to the app's draft), refused when stale."""
    if not closing_available(case):
        raise ClosingRefused(_("The summary is written after the departure. Record the departure first."))
    with transaction.atomic():
        closing, _created = closing_locked(packet, revision, by)
        closing.public_summary = text
        closing.revision += 1
        closing.updated_by = by
        closing.save()
        case_log_record(packet=packet, by=by, summary=_("Publishable summary edited."))
    return closing


def summary_html(text: str) -> tuple[SafeString, list[Section]]:
    """The Markdown of the summary as print HTML (headings, lists, paragraphs), and a bookmark per heading."""
    parts: list[str] = []
    sections: list[Section] = []
    in_list = False
    paragraph: list[str] = []

    def flush() -> None:
        nonlocal in_list
        if paragraph:
            parts.append("<p>" + "<br>".join(paragraph) + "</p>")
            paragraph.clear()
        if in_list:
            parts.append("</ul>")
            in_list = False

    for raw in text.splitlines():
        line = raw.strip()
        heading = re.match(r"^(#{1,3})\s+(.*)$", line)
        if heading or not line:
            flush()
        if heading:
            level, title = len(heading.group(1)), heading.group(2)
            anchor = f"part-{len(sections) + 1}"
            sections.append(Section(title, anchor))
            parts.append(f'<h{level} id="{anchor}">{escape(title)}</h{level}>')
        elif line.startswith(("- ", "* ")):
            if paragraph:
                flush()
            if not in_list:
                parts.append("<ul>")
                in_list = True
            parts.append(f"<li>{escape(line[2:])}</li>")
        elif line:
            if in_list:
                flush()
            paragraph.append(str(escape(line)))
    flush()
    return mark_safe("\n".join(parts)), sections  # noqa: S308 — every piece of text is escaped above


def public_summary_render(*, packet: Packet, case: CaseSummary, closing: ClosingReport, by: User | None) -> CaseRender:
    """The redacted summary as a PDF, kept as a ``CaseRender``; its title and author are redacted too."""
    created_at = timezone.now()
    values = summary_values(packet, case)
    with translation.override("en"):
        body, sections = summary_html(public_summary(packet, case, closing).text)
        title = redact(packet.content.project.title or packet.name, values).text
        html = document_html("packets/print/case/public_summary.html", {"body": body})
        rendered = document_pdf(
            html=html,
            sections=sections,
            title=_("Summary: %(title)s") % {"title": title},
            author=redact(requestor_name(packet), values).text,
            subject=_("Publishable summary of a project"),
            created_at=created_at,
            final=True,
        )
    return case_render_store(
        packet=packet,
        kind=CaseRenderKind.PUBLIC_SUMMARY,
        rendered=rendered,
        final=True,
        by=by,
        source_revision=closing.revision,
        target={},
    )
