"""The sections of the content about who and what: the person who would travel, who asks, the organisation, the
project, why this person, and the partners (``packets.content.schema`` assembles them into ``PacketData``)."""

import uuid
from datetime import date
from typing import Literal

from django.utils.translation import gettext, gettext_noop
from pydantic import Field, model_validator

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
    status: ShortText = text("Visa or status", gettext_noop("For example: B-1 visitor, ESTA, J-1."))
    purpose: Text = text("Purpose", gettext_noop("For example: earthquake engineering conference."))
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

    full_name: ShortText = text("Full name", gettext_noop("As printed in the passport."))
    other_names: ShortText = text(
        "Other names used", gettext_noop("Earlier names, spellings without accents, aliases.")
    )
    date_of_birth: date | None = optional_date("Date of birth")
    place_of_birth: ShortText = text(
        "Place of birth", gettext_noop("City and country, for example: Valparaíso, Chile.")
    )
    citizenship: ShortText = text("Country of citizenship")
    passport_number: ShortText = text("Passport number")
    passport_country: ShortText = text("Passport issued by", gettext_noop("The country that issued the passport."))
    passport_issued_on: date | None = optional_date("Passport issue date")
    passport_expires_on: date | None = optional_date(
        "Passport expiry date",
        gettext_noop("It must stay valid well past the planned departure; six months or more is safest."),
    )
    residence_address: Text = long_text("Current home address", gettext_noop("Street, city, country."))
    email: Email = text("Email address")
    phone: Phone = text("Phone number", gettext_noop("With the country code, for example: +56 9 5555 0101."))
    prior_trips: list[PriorTrip] = Field(default_factory=list, title=gettext_noop("Earlier trips to the United States"))
    immigration_history: LongText = long_text(
        "Visa refusals and other immigration history",
        gettext_noop(
            "Any refused visa, overstay, removal or pending application, with dates. Write 'None' if there is none."
        ),
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
    counsel_name: ShortText = text(
        "Counsel's name", gettext_noop("The immigration lawyer or accredited representative, if any.")
    )
    counsel_firm: ShortText = text("Law firm or organisation")
    counsel_email: Email = text("Counsel's email")
    counsel_phone: Phone = text("Counsel's phone")


class Organisation(Section):
    """The organisation that requests parole on the beneficiary's behalf and coordinates the project."""

    name: ShortText = text("Organisation name")
    kind: OrganisationKind | None = Field(default=None, title=gettext_noop("Kind of organisation"))
    address: Text = Field(default="", title=gettext_noop("Address"), json_schema_extra={"widget": "textarea"})
    contact_name: ShortText = text(
        "Point of contact", gettext_noop("The person the reviewer can reach about this request.")
    )
    contact_title: ShortText = text("Their job title")
    contact_email: Email = text("Their email")
    contact_phone: Phone = text("Their phone")


# ── 3. The project ─────────────────────────────────────────────────────────────────────────────────────────────────


class Project(Section):
    title: ShortText = text(
        "Project title", gettext_noop("A short name, for example: Safe Schools Seismic Assessment.")
    )
    summary: LongText = long_text(
        "Plain summary", gettext_noop("What will be done, where, and by whom — in a few sentences.")
    )
    public_benefit: LongText = long_text(
        "Public-interest or community-safety outcome",
        gettext_noop("The concrete result, with numbers: people protected, buildings…"),
    )
    beneficiaries: LongText = long_text(
        "Who benefits", gettext_noop("The communities, groups or institutions that gain.")
    )
    urgency: LongText = long_text(
        "Why now", gettext_noop("Deadlines, seasons, funding windows that make the timing urgent.")
    )
    priorities: LongText = long_text(
        "National or local priorities", gettext_noop("Plans, mandates or programmes this project serves.")
    )


# ── 4. Why this person ─────────────────────────────────────────────────────────────────────────────────────────────


class Qualifications(Section):
    skills: LongText = long_text(
        "Specialised skills", gettext_noop("Years of experience, specialities, tools, languages.")
    )
    need_connection: LongText = long_text(
        "How these skills meet the community's need",
        gettext_noop("Tie each skill to the need: why this person, and why nobody available locally can do it."),
    )
    prior_work: LongText = long_text(
        "Earlier humanitarian or safety work", gettext_noop("Where, when, what was achieved.")
    )
    certifications: LongText = long_text("Certifications and licences", gettext_noop("Name, issuer and year of each."))
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
