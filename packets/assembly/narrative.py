"""The narrative of the packet: one print section per area of the request, as blocks (prose, facts, tables, the
exhibits each cites), and the exhibits as the print HTML knows them."""

import uuid
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from django.utils.translation import gettext as _
from pydantic import BaseModel

from packets.assembly.exhibits import ExhibitSource
from packets.content.captions import title_without_issuer
from packets.content.citations import section_citations
from packets.content.schema import ORGANISATION_KIND_LABELS, PacketData, RequestedBy


@dataclass(frozen=True)
class PrintExhibit:
    index: int
    source: ExhibitSource
    pages: int

    @property
    def label(self) -> str:
        return self.source.label

    @property
    def bookmark(self) -> str:
        """The exhibit's line in the contents and the outline."""
        return _("Exhibit %(label)s — %(title)s") % {"label": self.label, "title": self.source.title}

    @property
    def listed_title(self) -> str:
        """The title for a table with the issuer in a column of its own (the exhibit index)."""
        return title_without_issuer(self.source.title, self.source.issuer)

    @property
    def citation(self) -> str:
        if self.pages == 1:
            return _("(Exhibit %(label)s, p. 1)") % {"label": self.label}
        return _("(Exhibit %(label)s, pp. 1–%(pages)s)") % {"label": self.label, "pages": self.pages}


@dataclass
class Block:
    kind: str  # "prose", "facts" (label/value rows), "table", "cites"
    title: str = ""
    text: str = ""
    rows: list[Any] = field(default_factory=list)
    headers: list[str] = field(default_factory=list)
    cites: list[PrintExhibit] = field(default_factory=list)


@dataclass
class PrintSection:
    id: str
    title: str
    blocks: list[Block]


def narrative_sections(data: PacketData, exhibits: list[PrintExhibit]) -> list[PrintSection]:
    """One section per area of the request that has content, in the order of the questionnaire."""
    by_id = {exhibit.source.id: exhibit for exhibit in exhibits}
    cited = section_citations(data, [(uuid.UUID(e.source.id), e.source.kind) for e in exhibits])

    def cites(section: str) -> list[PrintExhibit]:
        return [by_id[str(exhibit_id)] for exhibit_id in cited.get(section, []) if str(exhibit_id) in by_id]

    builders = [
        ("beneficiary", _("The beneficiary"), _beneficiary_blocks),
        ("requestor", _("The requestor"), _requestor_blocks),
        ("project", _("The project and its public benefit"), _project_blocks),
        ("qualifications", _("Why this person"), _qualification_blocks),
        ("partners", _("Partners"), _partner_blocks),
        ("timeline", _("Timeline and milestones"), _timeline_blocks),
        ("alternatives", _("Alternatives considered"), _alternative_blocks),
        ("logistics", _("Logistics and financial support"), _logistics_blocks),
        ("risk", _("Risk management"), _prose_only("risk")),
        ("monitoring", _("Monitoring and reporting"), _monitoring_blocks),
        ("exit", _("Exit strategy"), _prose_only("exit")),
        ("sustainability", _("Sustainability and transparency"), _prose_only("sustainability")),
    ]
    sections = []
    for name, title, build in builders:
        blocks = build(data, by_id)
        section_cites = [exhibit for exhibit in cites(name) if name != "partners"]
        if section_cites:
            blocks.append(Block(kind="cites", title=_("Evidence"), cites=section_cites))
        if blocks:
            sections.append(PrintSection(id=f"section-{name}", title=title, blocks=blocks))
    return sections


def _prose(model: BaseModel) -> list[Block]:
    """A prose block for every long free-text answer of ``model`` that has content, under the question's title."""
    blocks = []
    for name, info in type(model).model_fields.items():
        value = getattr(model, name)
        extra = info.json_schema_extra if isinstance(info.json_schema_extra, dict) else {}
        if isinstance(value, str) and value and extra.get("widget") == "textarea":
            blocks.append(Block(kind="prose", title=info.title or name, text=value))
    return blocks


def _prose_only(section: str) -> Any:
    def build(data: PacketData, by_id: dict[str, PrintExhibit]) -> list[Block]:
        return _prose(data.section(section))

    return build


def _facts(rows: list[tuple[str, str]]) -> list[Block]:
    rows = [(label, value) for label, value in rows if value]
    return [Block(kind="facts", rows=rows)] if rows else []


def _d(value: date | None) -> str:
    return value.isoformat() if value else ""


def _beneficiary_blocks(data: PacketData, by_id: dict[str, PrintExhibit]) -> list[Block]:
    person = data.beneficiary
    passport = ", ".join(
        part
        for part in (
            person.passport_number,
            person.passport_country,
            _("issued %(date)s") % {"date": _d(person.passport_issued_on)} if person.passport_issued_on else "",
            _("expires %(date)s") % {"date": _d(person.passport_expires_on)} if person.passport_expires_on else "",
        )
        if part
    )
    blocks = _facts(
        [
            (_("Full name"), person.full_name),
            (_("Other names used"), person.other_names),
            (_("Date of birth"), _d(person.date_of_birth)),
            (_("Place of birth"), person.place_of_birth),
            (_("Citizenship"), person.citizenship),
            (_("Passport"), passport),
            (_("Home address"), person.residence_address),
            (_("Email"), person.email),
            (_("Phone"), person.phone),
        ]
    )
    if person.prior_trips:
        rows = [
            [
                _d(trip.arrived_on),
                _d(trip.departed_on),
                trip.status,
                trip.purpose,
                _("yes") if trip.left_on_time else _("no"),
            ]
            for trip in person.prior_trips
        ]
        headers = [_("Arrived"), _("Departed"), _("Status"), _("Purpose"), _("Left on time")]
        blocks.append(Block(kind="table", title=_("Earlier trips to the United States"), headers=headers, rows=rows))
    return blocks + _prose(person)


def _requestor_blocks(data: PacketData, by_id: dict[str, PrintExhibit]) -> list[Block]:
    org, req = data.organisation, data.requestor
    files = {RequestedBy.SELF: _("The beneficiary, on their own behalf"), RequestedBy.ORGANISATION: org.name}
    contact = ", ".join(
        part for part in (org.contact_name, org.contact_title, org.contact_email, org.contact_phone) if part
    )
    counsel = ", ".join(
        part for part in (req.counsel_name, req.counsel_firm, req.counsel_email, req.counsel_phone) if part
    )
    return _facts(
        [
            (_("Filed by"), files.get(req.requested_by, "") if req.requested_by else ""),
            (_("Lead organisation"), org.name),
            (_("Kind"), _(ORGANISATION_KIND_LABELS[org.kind]) if org.kind else ""),
            (_("Address"), org.address),
            (_("Point of contact"), contact),
            (_("Counsel"), counsel),
        ]
    )


def _project_blocks(data: PacketData, by_id: dict[str, PrintExhibit]) -> list[Block]:
    return _facts([(_("Project"), data.project.title)]) + _prose(data.project)


def _qualification_blocks(data: PacketData, by_id: dict[str, PrintExhibit]) -> list[Block]:
    return _prose(data.qualifications)


def _partner_blocks(data: PacketData, by_id: dict[str, PrintExhibit]) -> list[Block]:
    rows = []
    for partner in data.partners.items:
        contact = ", ".join(
            part
            for part in (partner.contact_name, partner.contact_title, partner.contact_email, partner.contact_phone)
            if part
        )
        kind = _(ORGANISATION_KIND_LABELS[partner.kind]) if partner.kind else ""
        letter = by_id.get(str(partner.letter_exhibit_id)) if partner.letter_exhibit_id else None
        rows.append(
            {
                "name": partner.name,
                "kind": kind,
                "role": partner.role,
                "contact": contact,
                "letter_date": _d(partner.letter_date),
                "letter": letter,
            }
        )
    if not rows:
        return []
    headers = [_("Organisation"), _("Role in the project"), _("Contact"), _("Letter of support")]
    return [Block(kind="partners", headers=headers, rows=rows)]


def _timeline_blocks(data: PacketData, by_id: dict[str, PrintExhibit]) -> list[Block]:
    timeline = data.timeline
    stay = _("%(days)s days") % {"days": timeline.stay_days} if timeline.stay_days is not None else ""
    blocks = _facts(
        [
            (_("Planned filing date"), _d(timeline.filing_date)),
            (_("Requested arrival"), _d(timeline.arrival_date)),
            (_("Departure"), _d(timeline.departure_date)),
            (_("Length of stay"), stay),
        ]
    )
    blocks += _prose(timeline)
    if timeline.milestones:
        rows = [[_d(m.due_on), m.description, m.outcome] for m in timeline.milestones]
        headers = [_("Date"), _("Milestone"), _("Expected outcome")]
        blocks.append(Block(kind="table", title=_("Milestones"), headers=headers, rows=rows))
    return blocks


def _alternative_blocks(data: PacketData, by_id: dict[str, PrintExhibit]) -> list[Block]:
    blocks = []
    if data.alternatives.options:
        rows = [[option.option, option.why_not] for option in data.alternatives.options]
        headers = [_("Option considered"), _("Why it does not work")]
        blocks.append(Block(kind="table", headers=headers, rows=rows))
    return blocks + _prose(data.alternatives)


def _logistics_blocks(data: PacketData, by_id: dict[str, PrintExhibit]) -> list[Block]:
    blocks = _prose(data.logistics)
    if data.logistics.supporters:
        rows = [
            [s.name, s.relationship, s.covers, _("yes") if s.files_declaration else _("no")]
            for s in data.logistics.supporters
        ]
        headers = [_("Supporter"), _("Relationship"), _("Pays for"), _("Files Form I-134")]
        blocks.append(Block(kind="table", title=_("Financial supporters"), headers=headers, rows=rows))
    return blocks


def _monitoring_blocks(data: PacketData, by_id: dict[str, PrintExhibit]) -> list[Block]:
    monitoring = data.monitoring
    blocks = _prose(monitoring)
    if monitoring.indicators:
        rows = [[indicator.name, indicator.target] for indicator in monitoring.indicators]
        blocks.insert(
            1 if blocks else 0,
            Block(kind="table", title=_("Indicators"), headers=[_("Indicator"), _("Target")], rows=rows),
        )
    return blocks
