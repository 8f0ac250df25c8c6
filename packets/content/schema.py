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

from packets.content.schema_people import Beneficiary as Beneficiary
from packets.content.schema_people import Contact as Contact
from packets.content.schema_people import Organisation as Organisation
from packets.content.schema_people import Partner as Partner
from packets.content.schema_people import Partners as Partners
from packets.content.schema_people import PriorTrip as PriorTrip
from packets.content.schema_people import Project as Project
from packets.content.schema_people import Qualifications as Qualifications
from packets.content.schema_people import Requestor as Requestor
from packets.content.schema_types import ORGANISATION_KIND_LABELS as ORGANISATION_KIND_LABELS
from packets.content.schema_types import AlternativeKind as AlternativeKind
from packets.content.schema_types import LongText, ShortText, Text, _wrong, long_text, optional_date, text
from packets.content.schema_types import OrganisationKind as OrganisationKind
from packets.content.schema_types import RequestedBy as RequestedBy
from packets.content.schema_types import Section as Section
from packets.content.schema_types import SupporterKind as SupporterKind

SCHEMA_VERSION: Literal[1] = 1


# ── 7. Timeline ────────────────────────────────────────────────────────────────────────────────────────────────────


class Milestone(Section):
    due_on: date | None = optional_date("Date")
    description: Text = text("Milestone")
    outcome: Text = text("Expected outcome")


class Timeline(Section):
    filing_date: date | None = optional_date("Planned filing date", gettext_noop("When the request will be sent."))
    arrival_date: date | None = optional_date("Requested arrival date")
    departure_date: date | None = optional_date(
        "Fixed end date (departure)", gettext_noop("The day the person will leave.")
    )
    entry_deadline_reason: LongText = long_text(
        "Why entry is needed by the arrival date",
        gettext_noop("The event or deadline that the arrival date is tied to."),
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
    option: ShortText = text("Option considered", gettext_noop("For example: H-1B visa, O-1 visa, remote support."))
    why_not: Text = Field(
        default="", title=gettext_noop("Why it does not work"), json_schema_extra={"widget": "textarea"}
    )


class Alternatives(Section):
    options: list[Alternative] = Field(default_factory=list, title=gettext_noop("Options considered"))
    summary: LongText = long_text(
        "Why parole is the only workable route",
        gettext_noop("Sum up why no visa or remote option meets the need in time."),
    )


# ── 9. Logistics ───────────────────────────────────────────────────────────────────────────────────────────────────


class Supporter(Section):
    name: ShortText = text("Name")
    kind: SupporterKind | None = Field(default=None, title=gettext_noop("Person or organisation"))
    relationship: ShortText = text("Relationship to the project")
    covers: Text = text(
        "What they pay for", gettext_noop("For example: stipend of USD 6,000 a month, housing, insurance.")
    )
    files_declaration: bool = Field(
        default=True, title=gettext_noop("Will file a declaration of financial support (Form I-134)")
    )


class Logistics(Section):
    arrival_plan: LongText = long_text("Arrival plan", gettext_noop("Port of entry, who meets the person, first days."))
    housing: LongText = long_text("Housing", gettext_noop("Where the person will live and who provides it."))
    transport: LongText = long_text("Local transport")
    supervision: LongText = long_text(
        "Supervision on the ground", gettext_noop("Who supervises, how often, and how to reach them.")
    )
    supporters: list[Supporter] = Field(default_factory=list, title=gettext_noop("Financial supporters"))


# ── 10. Risk ───────────────────────────────────────────────────────────────────────────────────────────────────────


class RiskManagement(Section):
    scope_change: LongText = long_text(
        "If the scope changes", gettext_noop("What happens if the work grows or shrinks.")
    )
    security: LongText = long_text("If security conditions change")
    public_health: LongText = long_text("If a public-health event occurs")
    safety_precautions: LongText = long_text(
        "Safety and health precautions", gettext_noop("Site safety, insurance, protocols.")
    )
    background_checks: LongText = long_text("Background checks", gettext_noop("Who checks the person, and how."))
    legal_compliance: LongText = long_text(
        "Compliance with local law", gettext_noop("Licences, supervision rules, permits.")
    )
    local_systems: LongText = long_text(
        "Why local systems will not be overburdened",
        gettext_noop("Who pays for housing, health care; no use of public benefits."),
    )


# ── 11. Monitoring ─────────────────────────────────────────────────────────────────────────────────────────────────


class Indicator(Section):
    name: ShortText = text("Indicator", gettext_noop("For example: buildings triaged."))
    target: ShortText = text("Target", gettext_noop("For example: 14 by 2027-01-29."))


class Monitoring(Section):
    reporting_channels: LongText = long_text(
        "Reporting to authorities", gettext_noop("Who receives reports, how often, in what form.")
    )
    indicators: list[Indicator] = Field(default_factory=list, title=gettext_noop("Measurable indicators"))
    shares_data: bool | None = Field(
        default=None, title=gettext_noop("Will the project share personal or sensitive data?")
    )
    data_sharing: LongText = long_text(
        "Data-sharing and privacy",
        gettext_noop("The agreement that governs shared data, and how privacy is protected."),
    )


# ── 12. Exit ───────────────────────────────────────────────────────────────────────────────────────────────────────


class ExitPlan(Section):
    exit_strategy: LongText = long_text(
        "Exit strategy", gettext_noop("How and when the person leaves: ticket, hand-over.")
    )
    return_ties: LongText = long_text(
        "Ties that ensure return", gettext_noop("Job, family, property, studies waiting at home.")
    )
    conditions_compliance: LongText = long_text(
        "Compliance with parole conditions", gettext_noop("Reporting, limits on employment, address changes.")
    )
    denial_contingency: LongText = long_text(
        "If the request is denied",
        gettext_noop("What the project does instead, and other lawful channels pursued in parallel."),
    )


# ── 13 & 14. Sustainability and transparency ───────────────────────────────────────────────────────────────────────


class Sustainability(Section):
    capacity_building: LongText = long_text(
        "Capacity-building and knowledge transfer",
        gettext_noop("What stays behind: trained people, materials, procedures."),
    )
    local_leadership: LongText = long_text("Local leadership", gettext_noop("Who leads the work after the stay."))
    cultural_sensitivity: LongText = long_text("Cultural sensitivity and languages")
    community_consultation: LongText = long_text(
        "Community consultation and feedback", gettext_noop("Meetings, surveys, how feedback changes the work.")
    )
    affiliations: LongText = long_text(
        "Affiliations", gettext_noop("Employers, memberships and roles of the person. Write 'None' if there are none.")
    )
    funding_sources: LongText = long_text("Funding sources", gettext_noop("Who pays for what."))
    use_of_time: LongText = long_text(
        "How the time in the United States will be spent", gettext_noop("A typical week.")
    )


# ── 15. Evidence (files live beside the data) ──────────────────────────────────────────────────────────────────────


class CoverLetter(Section):
    text: LongText = long_text(
        "Cover letter", gettext_noop("Leave empty to use the letter generated from the answers; edit to replace it.")
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
