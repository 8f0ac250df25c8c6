"""The print HTML, as separate parts: cover, cover letter, contents, one part per narrative section, exhibit index,
the slip sheets and the filing checklist.

Each part is a document of its own, so the renderer can cache and lay out parts independently (a text edit re-lays
out only the parts it touches). The contents and the exhibit index carry page numbers, which the renderer works out
from the page counts the layout engine reports for the other parts; they are the only parts that depend on others.
Links between parts are written ``packet-link:<destination>`` and turned into PDF destinations by the bundler. All
user text goes through Django's autoescaping.
"""

from dataclasses import dataclass
from datetime import date
from typing import Any

from django.template.loader import render_to_string
from django.utils.translation import gettext as _

from packets.assembly.narrative import PrintExhibit, narrative_sections
from packets.content.facts import filing_checklist, filing_facts
from packets.content.schema import PacketData, RequestedBy

LONG_TEXT_MAX = 10_000


@dataclass(frozen=True)
class PrintApproval:
    """The counsel who approved the revision a final packet is rendered from (the review's record, as plain data)."""

    name: str
    firm: str
    approved_on: date
    revision: int


@dataclass(frozen=True)
class PrintReparole:
    """The earlier case a re-parole request extends: its receipt number and parole period (for the cover, the
    cover letter and the title, as the form instructions ask a re-parole request to say so)."""

    receipt_number: str
    parole_from: date | None
    parole_to: date | None

    def period(self) -> str:
        start = self.parole_from.isoformat() if self.parole_from else "?"
        end = self.parole_to.isoformat() if self.parole_to else "?"
        return _("%(start)s to %(end)s") % {"start": start, "end": end}

    def receipt(self) -> str:
        return self.receipt_number or _("not known")


@dataclass(frozen=True)
class PrintMeta:
    packet_name: str
    version_number: int
    final: bool
    rendered_on: date
    filed_without_counsel_on: date | None = (
        None  # the owner chose to file without counsel review (packets.review.workflow)
    )
    approval: PrintApproval | None = None  # a final's approving counsel; None for a draft
    reparole: PrintReparole | None = None  # the earlier case, when this packet asks for re-parole

    def dated(self, data: PacketData) -> date:
        """The date the cover and the cover letter bear: a final's approval (or the owner's choice to file without
        counsel), else the planned filing date, else the day of the render."""
        if self.final and self.approval is not None:
            return self.approval.approved_on
        if self.final and self.filed_without_counsel_on is not None:
            return self.filed_without_counsel_on
        return data.timeline.filing_date or self.rendered_on


@dataclass(frozen=True)
class PrintPart:
    """One print document. ``title`` and ``destination`` name its entry in the contents and the outline."""

    html: str
    title: str = ""
    destination: str = ""


@dataclass(frozen=True)
class PrintParts:
    """Every part whose layout depends only on the packet's content, in packet order around the contents and index."""

    cover: PrintPart
    letter: PrintPart
    sections: list[PrintPart]
    slips: PrintPart | None  # one page per exhibit, in exhibit order; None without exhibits
    checklist: PrintPart


@dataclass(frozen=True)
class ContentsEntry:
    title: str
    destination: str
    page: int
    level: int  # 1: a part; 2: an exhibit, under the exhibit index


@dataclass(frozen=True)
class IndexRow:
    exhibit: PrintExhibit
    first: int  # the slip sheet's packet page
    last: int  # the exhibit's last packet page


def print_parts(data: PacketData, exhibits: list[PrintExhibit], meta: PrintMeta) -> PrintParts:
    """The parts for ``data`` with ``exhibits`` (already normalised, so page counts are known)."""
    approval = meta.approval
    signer = "\n".join(part for part in (approval.name, approval.firm) if part) if approval is not None else None
    letter = data.cover_letter.text or generated_cover_letter(data, exhibits, signer=signer)
    names = print_names(data, exhibits, meta)
    context = {
        "names": names,
        "data": data,
        "meta": meta,
        "dated": meta.dated(data),
        "cover": cover_facts(data, meta),
        "letter": letter,
    }
    sections = [
        PrintPart(
            html=_document("packets/print/section.html", {"section": section, "names": names}),
            title=section.title,
            destination=section.id,
        )
        for section in narrative_sections(data, exhibits)
    ]
    slips = (
        PrintPart(html=_document("packets/print/slips.html", {"exhibits": exhibits}), destination="exhibits")
        if exhibits
        else None
    )
    return PrintParts(
        cover=PrintPart(html=_document("packets/print/cover.html", context)),
        letter=PrintPart(
            html=_document("packets/print/letter.html", context), title=_("Cover letter"), destination="cover-letter"
        ),
        sections=sections,
        slips=slips,
        checklist=PrintPart(
            html=_document(
                "packets/print/checklist.html", {"checklist": filing_checklist(data), "facts": filing_facts()}
            ),
            title=_("Filing checklist"),
            destination="filing-checklist",
        ),
    )


def print_names(data: PacketData, exhibits: list[PrintExhibit], meta: PrintMeta) -> list[str]:
    """The people's and organisations' names the packet prints, which are never hyphenated (``tokens.py``)."""
    people = [data.beneficiary.full_name, data.organisation.name, data.organisation.contact_name]
    people += [data.requestor.counsel_name, data.requestor.counsel_firm]
    people += [name for partner in data.partners.items for name in (partner.name, partner.contact_name)]
    people += [supporter.name for supporter in data.logistics.supporters]
    people += [exhibit.source.issuer for exhibit in exhibits]
    people += [meta.approval.name, meta.approval.firm] if meta.approval is not None else []
    people += [name.strip() for name in data.beneficiary.other_names.split(",")]
    return sorted({name for name in people if name})


def contents_part(entries: list[ContentsEntry]) -> PrintPart:
    return PrintPart(html=_document("packets/print/contents.html", {"entries": entries}))


INDEX_DESTINATION = "exhibit-index"


def index_title() -> str:
    return _("Exhibit index")


def index_part(rows: list[IndexRow]) -> PrintPart:
    return PrintPart(
        html=_document("packets/print/index.html", {"rows": rows}), title=index_title(), destination=INDEX_DESTINATION
    )


def _document(template: str, context: dict[str, Any]) -> str:
    # render_to_string gives a SafeString: the part's own output, escaped there, is not escaped twice here.
    return render_to_string("packets/print/document.html", {"body": render_to_string(template, context)})


def document_title(data: PacketData, meta: PrintMeta) -> str:
    project = data.project.title or meta.packet_name
    person = data.beneficiary.full_name
    if meta.reparole is not None:
        return _("Re-parole request: %(person)s — %(project)s") % {"person": person or "—", "project": project}
    return _("Parole request: %(person)s — %(project)s") % {"person": person, "project": project} if person else project


def document_author(data: PacketData) -> str:
    return data.organisation.name or data.requestor.counsel_name or data.beneficiary.full_name


def cover_facts(data: PacketData, meta: PrintMeta) -> list[tuple[str, str]]:
    requestor = (
        data.organisation.name
        if data.requestor.requested_by == RequestedBy.ORGANISATION
        else data.beneficiary.full_name
        if data.requestor.requested_by == RequestedBy.SELF
        else ""
    )
    approval = meta.approval
    named = (approval.name, approval.firm) if approval else (data.requestor.counsel_name, data.requestor.counsel_firm)
    counsel = ", ".join(part for part in named if part)
    version = _("Version %(number)s") % {"number": meta.version_number}
    version += "" if meta.final else " " + _("(draft)")
    reparole = meta.reparole
    rows = [
        (_("Request"), _("REPAROLE (re-parole request)") if reparole else ""),
        (_("Earlier receipt number"), reparole.receipt() if reparole else ""),
        (_("Earlier parole period"), reparole.period() if reparole else ""),
        (_("Beneficiary"), data.beneficiary.full_name),
        (_("Requestor"), requestor),
        (_("Lead organisation"), data.organisation.name),
        (_("Counsel"), counsel),
        (_("Date"), meta.dated(data).isoformat()),
        (_("Packet version"), version),
    ]
    if approval is not None:
        rows.append((_("Approval"), approved_line(approval)))
    if meta.filed_without_counsel_on:
        rows.append(
            (
                _("Counsel review"),
                _("Filed without counsel review (the applicant's choice, recorded on %(date)s)")
                % {"date": meta.filed_without_counsel_on.isoformat()},
            )
        )
    return [(label, value) for label, value in rows if value]


def approved_line(approval: PrintApproval) -> str:
    who = ", ".join(part for part in (approval.name, approval.firm) if part)
    return _("Reviewed and approved by %(who)s, on %(date)s (revision %(revision)s)") % {
        "who": who,
        "date": approval.approved_on.isoformat(),
        "revision": approval.revision,
    }


def generated_cover_letter(data: PacketData, exhibits: list[PrintExhibit], *, signer: str | None = None) -> str:
    """The letter written from the answers; the user may replace it (``data.cover_letter.text``). ``signer``: the
    counsel who approved a final packet, who signs its letter whatever name the answers give."""
    person = data.beneficiary.full_name or _("the beneficiary")
    project = data.project.title or _("the project")
    organisation = data.organisation.name
    paragraphs = [_("To the reviewing officer:")]
    asking = (
        _("On behalf of %(org)s, we respectfully request") % {"org": organisation}
        if organisation
        else _("I respectfully request")
    )
    request = _("%(asking)s parole for significant public benefit for %(person)s") % {
        "asking": asking,
        "person": person,
    }
    if data.beneficiary.citizenship:
        request += _(", a citizen of %(country)s,") % {"country": data.beneficiary.citizenship}
    request += _(" to take part in %(project)s.") % {"project": project}
    if data.timeline.arrival_date and data.timeline.departure_date:
        request += " " + _(
            "We ask for entry on %(arrival)s and a stay until %(departure)s, when %(person)s will leave."
        ) % {
            "arrival": data.timeline.arrival_date.isoformat(),
            "departure": data.timeline.departure_date.isoformat(),
            "person": person,
        }
    paragraphs.append(request)
    paragraphs.extend(_first_paragraph(text) for text in (data.project.summary, data.project.public_benefit) if text)
    if data.qualifications.need_connection or data.qualifications.skills:
        paragraphs.append(_first_paragraph(data.qualifications.need_connection or data.qualifications.skills))
    if data.timeline.entry_deadline_reason:
        paragraphs.append(_first_paragraph(data.timeline.entry_deadline_reason))
    if exhibits:
        paragraphs.append(
            _(
                "The enclosed evidence (Exhibits %(first)s to %(last)s, listed in the exhibit index) "
                "supports each point."
            )
            % {"first": exhibits[0].label, "last": exhibits[-1].label}
            if len(exhibits) > 1
            else _("The enclosed evidence (Exhibit A) supports this request.")
        )
    paragraphs.append(_("Thank you for your consideration."))
    signature = signer or data.requestor.counsel_name or data.organisation.contact_name or person
    paragraphs.append(_("Respectfully,") + "\n" + signature)
    return "\n\n".join(paragraphs)


def _first_paragraph(text: str) -> str:
    return text.strip().split("\n\n", 1)[0]
