"""The packet's content: one pydantic model, ``PacketData``, with a sub-model per section.

A packet is a draft for most of its life, so every field may be empty; what is *missing* is judged by the wizard's forms
and the readiness rules. What this module rejects is what is malformed (an email without an ``@``, a phone number
without digits) or contradictory as a reviewer would see it (departure before arrival, a milestone outside the stay, a
passport that expires before the departure date). Field titles and descriptions double as the wizard's labels and hints
and as the published JSON Schema (docs/packet.schema.json).

The sections are built from ``packets.content.schema_types``: field types and helpers, the ``Section`` base and the
choice lists; its docstring says how titles and messages are translated. The names other modules use are re-exported.
"""

import uuid
from dataclasses import dataclass
from datetime import date
from typing import Any, Literal

from django.utils.translation import gettext, gettext_noop
from pydantic import BaseModel, ConfigDict, Field, model_validator

from packets.content.schema_types import ORGANISATION_KIND_LABELS as ORGANISATION_KIND_LABELS
from packets.content.schema_types import AlternativeKind as AlternativeKind
from packets.content.schema_types import Email, LongText, Phone, ShortText, Text, _wrong, long_text, optional_date, text
from packets.content.schema_types import OrganisationKind as OrganisationKind
from packets.content.schema_types import RequestedBy as RequestedBy
from packets.content.schema_types import Section as Section
from packets.content.schema_types import SupporterKind as SupporterKind

SCHEMA_VERSION: Literal[1] = 1


# ── 1. The person ───────────────────────────────────────────────────────────────────────────────────────────────────


class PriorTrip(Section):
    arrived_on: date | None = optional_date("Arrived on")
    departed_on: date | None = optional_date("Departed on")
    status: ShortText = text("Visa or status", "For example: B-1 visitor, ESTA, J-1.")
    purpose: Text = text("Purpose", "For example: earthquake engineering conference.")
    left_on_time: bool = Field(default=True, title=gettext_noop("Left on or before the date required"))

    @model_validator(mode="after")
    def _departed_after_arrival(self) -> "PriorTrip":
        if self.arrived_on and self.departed_on and self.departed_on < self.arrived_on:
            raise _wrong(
                gettext("A trip cannot end before it starts: check the arrival and departure dates."), "departed_on"
            )
        return self


class Beneficiary(Section):
    """The person who would travel."""

    full_name: ShortText = text("Full name", "As printed in the passport.")
    other_names: ShortText = text("Other names used", "Earlier names, spellings without accents, aliases.")
    date_of_birth: date | None = optional_date("Date of birth")
    place_of_birth: ShortText = text("Place of birth", "City and country, for example: Valparaíso, Chile.")
    citizenship: ShortText = text("Country of citizenship")
    passport_number: ShortText = text("Passport number")
    passport_country: ShortText = text("Passport issued by", "The country that issued the passport.")
    passport_issued_on: date | None = optional_date("Passport issue date")
    passport_expires_on: date | None = optional_date(
        "Passport expiry date", "It must stay valid well past the planned departure; six months or more is safest."
    )
    residence_address: Text = long_text("Current home address", gettext_noop("Street, city, country."))
    email: Email = text("Email address")
    phone: Phone = text("Phone number", "With the country code, for example: +56 9 5555 0101.")
    prior_trips: list[PriorTrip] = Field(default_factory=list, title=gettext_noop("Earlier trips to the United States"))
    immigration_history: LongText = long_text(
        "Visa refusals and other immigration history",
        "Any refused visa, overstay, removal or pending application, with dates. Write 'None' if there is none.",
    )
    passport_exhibit_id: uuid.UUID | None = Field(
        default=None, title=gettext_noop("Passport biographic page (exhibit)")
    )

    @model_validator(mode="after")
    def _passport_dates_in_order(self) -> "Beneficiary":
        if self.passport_issued_on and self.passport_expires_on and self.passport_expires_on <= self.passport_issued_on:
            raise _wrong(gettext("The passport's expiry date must be after its issue date."), "passport_expires_on")
        return self


# ── 2. Who is asking ───────────────────────────────────────────────────────────────────────────────────────────────


class Contact(Section):
    name: ShortText = text("Contact name")
    title: ShortText = text("Job title")
    email: Email = text("Email")
    phone: Phone = text("Phone")


class Requestor(Section):
    requested_by: RequestedBy | None = Field(default=None, title=gettext_noop("Who files the request"))
    counsel_name: ShortText = text("Counsel's name", "The immigration lawyer or accredited representative, if any.")
    counsel_firm: ShortText = text("Law firm or organisation")
    counsel_email: Email = text("Counsel's email")
    counsel_phone: Phone = text("Counsel's phone")


class Organisation(Section):
    """The organisation that requests parole on the beneficiary's behalf and coordinates the project."""

    name: ShortText = text("Organisation name")
    kind: OrganisationKind | None = Field(default=None, title=gettext_noop("Kind of organisation"))
    address: Text = Field(default="", title=gettext_noop("Address"), json_schema_extra={"widget": "textarea"})
    contact_name: ShortText = text("Point of contact", "The person the reviewer can reach about this request.")
    contact_title: ShortText = text("Their job title")
    contact_email: Email = text("Their email")
    contact_phone: Phone = text("Their phone")


# ── 3. The project ─────────────────────────────────────────────────────────────────────────────────────────────────


class Project(Section):
    title: ShortText = text("Project title", "A short name, for example: Safe Schools Seismic Assessment.")
    summary: LongText = long_text("Plain summary", "What will be done, where, and by whom — in a few sentences.")
    public_benefit: LongText = long_text(
        "Public-interest or community-safety outcome", "The concrete result, with numbers: people protected, buildings…"
    )
    beneficiaries: LongText = long_text("Who benefits", "The communities, groups or institutions that gain.")
    urgency: LongText = long_text("Why now", "Deadlines, seasons, funding windows that make the timing urgent.")
    priorities: LongText = long_text(
        "National or local priorities", "Plans, mandates or programmes this project serves."
    )


# ── 4. Why this person ─────────────────────────────────────────────────────────────────────────────────────────────


class Qualifications(Section):
    skills: LongText = long_text("Specialised skills", "Years of experience, specialities, tools, languages.")
    need_connection: LongText = long_text(
        "How these skills meet the community's need",
        "Tie each skill to the need: why this person, and why nobody available locally can do it.",
    )
    prior_work: LongText = long_text("Earlier humanitarian or safety work", "Where, when, what was achieved.")
    certifications: LongText = long_text("Certifications and licences", "Name, issuer and year of each.")
    cv_exhibit_id: uuid.UUID | None = Field(default=None, title=gettext_noop("Curriculum vitae (exhibit)"))


# ── 5. Partners ────────────────────────────────────────────────────────────────────────────────────────────────────


class Partner(Section):
    id: uuid.UUID = Field(default_factory=uuid.uuid4, title=gettext_noop("Stable id of this partner"))
    name: ShortText = text("Organisation")
    kind: OrganisationKind | None = Field(default=None, title=gettext_noop("Kind"))
    role: Text = long_text("Role in the project", gettext_noop("What this partner does, concretely."))
    contact_name: ShortText = text("Point of contact")
    contact_title: ShortText = text("Their job title")
    contact_email: Email = text("Their email")
    contact_phone: Phone = text("Their phone")
    letter_date: date | None = optional_date("Date of the support letter")
    letter_exhibit_id: uuid.UUID | None = Field(default=None, title=gettext_noop("Support letter (exhibit)"))


class Partners(Section):
    items: list[Partner] = Field(default_factory=list, title=gettext_noop("Partner organisations"))


# ── 7. Timeline ────────────────────────────────────────────────────────────────────────────────────────────────────


class Milestone(Section):
    due_on: date | None = optional_date("Date")
    description: Text = text("Milestone")
    outcome: Text = text("Expected outcome")


class Timeline(Section):
    filing_date: date | None = optional_date("Planned filing date", "When the request will be sent.")
    arrival_date: date | None = optional_date("Requested arrival date")
    departure_date: date | None = optional_date("Fixed end date (departure)", "The day the person will leave.")
    entry_deadline_reason: LongText = long_text(
        "Why entry is needed by the arrival date", "The event or deadline that the arrival date is tied to."
    )
    milestones: list[Milestone] = Field(default_factory=list, title=gettext_noop("Milestones"))

    @model_validator(mode="after")
    def _dates_make_sense(self) -> "Timeline":
        if self.arrival_date and self.departure_date and self.departure_date <= self.arrival_date:
            raise _wrong(gettext("The departure date must be after the arrival date."), "departure_date")
        if self.filing_date and self.arrival_date and self.filing_date > self.arrival_date:
            raise _wrong(gettext("The filing date must be on or before the requested arrival date."), "filing_date")
        for index, milestone in enumerate(self.milestones):
            if milestone.due_on and self.arrival_date and milestone.due_on < self.arrival_date:
                message = gettext("The milestone dated %(date)s falls before the arrival date.")
                raise _wrong(message % {"date": milestone.due_on}, "milestones", index, "due_on")
            if milestone.due_on and self.departure_date and milestone.due_on > self.departure_date:
                message = gettext("The milestone dated %(date)s falls after the departure date.")
                raise _wrong(message % {"date": milestone.due_on}, "milestones", index, "due_on")
        return self

    @property
    def stay_days(self) -> int | None:
        """Days in the United States, counting both the arrival and the departure day (as a reviewer counts them)."""
        if self.arrival_date and self.departure_date:
            return (self.departure_date - self.arrival_date).days + 1
        return None


# ── 8. Alternatives ────────────────────────────────────────────────────────────────────────────────────────────────


class Alternative(Section):
    kind: AlternativeKind | None = Field(default=None, title=gettext_noop("Kind"))
    option: ShortText = text("Option considered", "For example: H-1B visa, O-1 visa, remote support.")
    why_not: Text = Field(
        default="", title=gettext_noop("Why it does not work"), json_schema_extra={"widget": "textarea"}
    )


class Alternatives(Section):
    options: list[Alternative] = Field(default_factory=list, title=gettext_noop("Options considered"))
    summary: LongText = long_text(
        "Why parole is the only workable route", "Sum up why no visa or remote option meets the need in time."
    )


# ── 9. Logistics ───────────────────────────────────────────────────────────────────────────────────────────────────


class Supporter(Section):
    name: ShortText = text("Name")
    kind: SupporterKind | None = Field(default=None, title=gettext_noop("Person or organisation"))
    relationship: ShortText = text("Relationship to the project")
    covers: Text = text("What they pay for", "For example: stipend of USD 6,000 a month, housing, insurance.")
    files_declaration: bool = Field(
        default=True, title=gettext_noop("Will file a declaration of financial support (Form I-134)")
    )


class Logistics(Section):
    arrival_plan: LongText = long_text("Arrival plan", "Port of entry, who meets the person, first days.")
    housing: LongText = long_text("Housing", "Where the person will live and who provides it.")
    transport: LongText = long_text("Local transport")
    supervision: LongText = long_text("Supervision on the ground", "Who supervises, how often, and how to reach them.")
    supporters: list[Supporter] = Field(default_factory=list, title=gettext_noop("Financial supporters"))


# ── 10. Risk ───────────────────────────────────────────────────────────────────────────────────────────────────────


class RiskManagement(Section):
    scope_change: LongText = long_text("If the scope changes", "What happens if the work grows or shrinks.")
    security: LongText = long_text("If security conditions change")
    public_health: LongText = long_text("If a public-health event occurs")
    safety_precautions: LongText = long_text("Safety and health precautions", "Site safety, insurance, protocols.")
    background_checks: LongText = long_text("Background checks", "Who checks the person, and how.")
    legal_compliance: LongText = long_text("Compliance with local law", "Licences, supervision rules, permits.")
    local_systems: LongText = long_text(
        "Why local systems will not be overburdened", "Who pays for housing, health care; no use of public benefits."
    )


# ── 11. Monitoring ─────────────────────────────────────────────────────────────────────────────────────────────────


class Indicator(Section):
    name: ShortText = text("Indicator", "For example: buildings triaged.")
    target: ShortText = text("Target", "For example: 14 by 2027-01-29.")


class Monitoring(Section):
    reporting_channels: LongText = long_text(
        "Reporting to authorities", "Who receives reports, how often, in what form."
    )
    indicators: list[Indicator] = Field(default_factory=list, title=gettext_noop("Measurable indicators"))
    shares_data: bool | None = Field(
        default=None, title=gettext_noop("Will the project share personal or sensitive data?")
    )
    data_sharing: LongText = long_text(
        "Data-sharing and privacy", "The agreement that governs shared data, and how privacy is protected."
    )


# ── 12. Exit ───────────────────────────────────────────────────────────────────────────────────────────────────────


class ExitPlan(Section):
    exit_strategy: LongText = long_text("Exit strategy", "How and when the person leaves: ticket, hand-over.")
    return_ties: LongText = long_text("Ties that ensure return", "Job, family, property, studies waiting at home.")
    conditions_compliance: LongText = long_text(
        "Compliance with parole conditions", "Reporting, limits on employment, address changes."
    )
    denial_contingency: LongText = long_text(
        "If the request is denied", "What the project does instead, and other lawful channels pursued in parallel."
    )


# ── 13 & 14. Sustainability and transparency ───────────────────────────────────────────────────────────────────────


class Sustainability(Section):
    capacity_building: LongText = long_text(
        "Capacity-building and knowledge transfer", "What stays behind: trained people, materials, procedures."
    )
    local_leadership: LongText = long_text("Local leadership", "Who leads the work after the stay.")
    cultural_sensitivity: LongText = long_text("Cultural sensitivity and languages")
    community_consultation: LongText = long_text(
        "Community consultation and feedback", "Meetings, surveys, how feedback changes the work."
    )
    affiliations: LongText = long_text(
        "Affiliations", "Employers, memberships and roles of the person. Write 'None' if there are none."
    )
    funding_sources: LongText = long_text("Funding sources", "Who pays for what.")
    use_of_time: LongText = long_text("How the time in the United States will be spent", "A typical week.")


# ── 15. Evidence (files live beside the data) ──────────────────────────────────────────────────────────────────────


class CoverLetter(Section):
    text: LongText = long_text(
        "Cover letter", "Leave empty to use the letter generated from the answers; edit to replace it."
    )


class PacketData(BaseModel):
    """Everything a packet says. The wizard edits it a section at a time; the PDF and readiness rules read it."""

    model_config = ConfigDict(extra="forbid", validate_assignment=False)

    schema_version: Literal[1] = SCHEMA_VERSION
    beneficiary: Beneficiary = Field(default_factory=Beneficiary)
    requestor: Requestor = Field(default_factory=Requestor)
    organisation: Organisation = Field(default_factory=Organisation)
    project: Project = Field(default_factory=Project)
    qualifications: Qualifications = Field(default_factory=Qualifications)
    partners: Partners = Field(default_factory=Partners)
    timeline: Timeline = Field(default_factory=Timeline)
    alternatives: Alternatives = Field(default_factory=Alternatives)
    logistics: Logistics = Field(default_factory=Logistics)
    risk: RiskManagement = Field(default_factory=RiskManagement)
    monitoring: Monitoring = Field(default_factory=Monitoring)
    exit: ExitPlan = Field(default_factory=ExitPlan)
    sustainability: Sustainability = Field(default_factory=Sustainability)
    cover_letter: CoverLetter = Field(default_factory=CoverLetter)

    @model_validator(mode="after")
    def _no_contradictions(self) -> "PacketData":
        problems = self.contradictions()
        if problems:
            raise ValueError(" ".join(problem.message for problem in problems))
        return self

    def contradictions(self) -> list["Contradiction"]:
        """Facts in two different sections that cannot both be true."""
        problems = []
        expires = self.beneficiary.passport_expires_on
        departs = self.timeline.departure_date
        if expires and departs and expires < departs:
            message = gettext(
                "The passport expires on %(expires)s, before the planned departure on %(departs)s. "
                "Renew the passport or shorten the stay."
            ) % {"expires": expires, "departs": departs}
            problems.append(
                Contradiction(("beneficiary", "passport_expires_on"), ("timeline", "departure_date"), message)
            )
        return problems

    def section(self, name: str) -> Section:
        value = getattr(self, name)
        if not isinstance(value, Section):
            raise KeyError(name)
        return value

    def exhibit_references(self) -> set[uuid.UUID]:
        """Every exhibit id the content points at (passport page, CV, support letters)."""
        ids = {self.beneficiary.passport_exhibit_id, self.qualifications.cv_exhibit_id}
        ids.update(partner.letter_exhibit_id for partner in self.partners.items)
        return {exhibit_id for exhibit_id in ids if exhibit_id is not None}


SECTION_NAMES: tuple[str, ...] = tuple(name for name in PacketData.model_fields if name not in ("schema_version",))


@dataclass(frozen=True)
class Contradiction:
    """Two fields (section, field) that disagree; the message (translated when the contradiction was found) is shown
    beside whichever one is being edited."""

    first: tuple[str, str]
    second: tuple[str, str]
    message: str

    def touches(self, section: str) -> str | None:
        """The field of ``section`` involved in this contradiction, if any."""
        for place in (self.first, self.second):
            if place[0] == section:
                return place[1]
        return None


def packet_json_schema() -> dict[str, Any]:
    return PacketData.model_json_schema()
