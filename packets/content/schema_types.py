"""The types the packet's content schema (``packets.content.schema``) is built from: field types and the helpers
that make fields, the base of every section, and the choice lists with their labels.

Field types (``Email``, ``Phone``, ``ShortText``, ``Text``, ``LongText``) carry a length limit and, for email and phone,
a validator and the pattern the published JSON Schema documents. The helpers ``text()``, ``long_text()`` and
``optional_date()`` build a field from its title and description; ``_wrong`` builds the error of a contradiction
inside a section, naming the field a form shows it beside.

Translation. Titles, descriptions and choice labels are stored in English, marked with ``gettext_noop`` (or written
through ``text()``, ``long_text()`` and ``optional_date()``, which makemessages is told about with ``--keyword``): the
JSON Schema publishes them in English, and the wizard translates each one when it builds a page's fields
(parole_wizard.fields). Validation messages are translated when they are raised, with ``gettext``: validation runs
while a request is handled, under the user's language, and pydantic keeps an error's message as a plain string, which
the forms show as it is. A packet validated outside a request (the PDF render, under English) gets English messages.
"""

import re
from enum import StrEnum
from typing import Annotated, Any

from django.utils.translation import gettext, gettext_noop
from pydantic import AfterValidator, BaseModel, ConfigDict, Field
from pydantic_core import PydanticCustomError

_EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")
_PHONE = re.compile(r"^\+?[0-9 ()./-]+$")


def _check_email(value: str) -> str:
    value = value.strip()
    if value and not _EMAIL.match(value):
        raise ValueError(gettext("Enter an email address like name@example.org."))
    return value


def _check_phone(value: str) -> str:
    value = value.strip()
    if value:
        digits = sum(ch.isdigit() for ch in value)
        if not _PHONE.match(value) or not 7 <= digits <= 15:
            raise ValueError(
                gettext("Enter a phone number with 7 to 15 digits, with the country code, like +1 503 555 0142.")
            )
    return value


# The patterns document the rule in the published JSON Schema; the validators enforce it with plain-words messages.
def _wrong(message: str, *place: str | int) -> PydanticCustomError:
    """A contradiction inside a section, with the field (a path below the model) a form should show it beside.

    ``message`` is already translated (see the module's docstring on translation)."""
    return PydanticCustomError("contradiction", message, {"place": ".".join(str(part) for part in place)})


Email = Annotated[
    str,
    Field(max_length=254, json_schema_extra={"pattern": r"^$|^[^@\s]+@[^@\s]+\.[^@\s]+$"}),
    AfterValidator(_check_email),
]
Phone = Annotated[
    str, Field(max_length=32, json_schema_extra={"pattern": r"^$|^\+?[0-9 ()./-]{7,32}$"}), AfterValidator(_check_phone)
]
# Surrounding white space is trimmed by every section's configuration (``Section``), before the length is checked.
ShortText = Annotated[str, Field(max_length=200)]
Text = Annotated[str, Field(max_length=600)]
LONG_TEXT_MAX = 10_000
LongText = Annotated[str, Field(max_length=LONG_TEXT_MAX)]


def long_text(title: str, description: str = "", **kwargs: Any) -> Any:
    """A narrative answer: shown as a large text area in the wizard."""
    return Field(default="", title=title, description=description, json_schema_extra={"widget": "textarea"}, **kwargs)


def text(title: str, description: str = "", **kwargs: Any) -> Any:
    return Field(default="", title=title, description=description, **kwargs)


def optional_date(title: str, description: str = "") -> Any:
    return Field(default=None, title=title, description=description)


class Section(BaseModel):
    """Base of every section: unknown keys are refused, surrounding white space is trimmed."""

    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True, validate_assignment=True)


class RequestedBy(StrEnum):
    SELF = "self"
    ORGANISATION = "organisation"


class OrganisationKind(StrEnum):
    # Stored values: never rename one (saved packets and exports hold them); add new kinds at the end.
    GOVERNMENT_AGENCY = "government_agency"
    PUBLIC_BODY = "public_body"
    PUBLIC_SAFETY = "public_safety"
    NGO = "ngo"
    COMMUNITY_GROUP = "community_group"
    UNIVERSITY = "university"
    COMPANY = "company"
    OTHER = "other"
    TRIBAL_GOVERNMENT = "tribal_government"
    HEALTH_SERVICE = "health_service"
    UTILITY = "utility"
    SCHOOL = "school"
    FAITH_GROUP = "faith_group"
    INTERNATIONAL_ORGANISATION = "international_organisation"


ORGANISATION_KIND_LABELS = {
    OrganisationKind.GOVERNMENT_AGENCY: gettext_noop("Government agency (federal, state, county or city)"),
    OrganisationKind.TRIBAL_GOVERNMENT: gettext_noop("Tribal government"),
    OrganisationKind.PUBLIC_SAFETY: gettext_noop("Public-safety department (fire, police, EMS)"),
    OrganisationKind.HEALTH_SERVICE: gettext_noop("Hospital or health service"),
    OrganisationKind.UTILITY: gettext_noop("Utility (water, power, transit)"),
    OrganisationKind.SCHOOL: gettext_noop("School or school district"),
    OrganisationKind.UNIVERSITY: gettext_noop("University or research institute"),
    OrganisationKind.PUBLIC_BODY: gettext_noop("Other public body"),
    OrganisationKind.NGO: gettext_noop("Non-governmental organisation (NGO) or charity"),
    OrganisationKind.INTERNATIONAL_ORGANISATION: gettext_noop("International organisation (UN agency, Red Cross…)"),
    OrganisationKind.FAITH_GROUP: gettext_noop("Faith-based organisation"),
    OrganisationKind.COMMUNITY_GROUP: gettext_noop("Community group or association"),
    OrganisationKind.COMPANY: gettext_noop("Company"),
    OrganisationKind.OTHER: gettext_noop("Other"),
}


class SupporterKind(StrEnum):
    PERSON = "person"
    ORGANISATION = "organisation"


SUPPORTER_KIND_LABELS = {
    SupporterKind.PERSON: gettext_noop("A person"),
    SupporterKind.ORGANISATION: gettext_noop("An organisation"),
}


class AlternativeKind(StrEnum):
    VISA = "visa"
    REMOTE = "remote"
    OTHER = "other"


ALTERNATIVE_KIND_LABELS = {
    AlternativeKind.VISA: gettext_noop("Another visa category"),
    AlternativeKind.REMOTE: gettext_noop("Remote work or support"),
    AlternativeKind.OTHER: gettext_noop("Something else"),
}
