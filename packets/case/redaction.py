"""Personal data left out of what is published: every personal value the packet holds (the beneficiary's names, the
contacts' names, passport and identity numbers, addresses, emails, phones, the date of birth), and anything that looks
like one (any email, phone number, passport-like or receipt number, a full date matching the date of birth), replaced
in a text by a neutral word, with a count of what was left out.
"""

import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import date

from django.utils import translation
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from packets.content.schema import PacketData
from packets.content.schema_types import SupporterKind

NAME, CONTACT, NUMBER, ADDRESS, EMAIL, PHONE, BIRTH, RECEIPT = (
    "name",
    "contact",
    "number",
    "address",
    "email",
    "phone",
    "birth",
    "receipt",
)
KIND_WORDS = {
    NAME: gettext_lazy("The beneficiary's name"),
    CONTACT: gettext_lazy("Contacts' names"),
    NUMBER: gettext_lazy("Passport and identity numbers"),
    RECEIPT: gettext_lazy("Receipt numbers"),
    ADDRESS: gettext_lazy("Addresses"),
    EMAIL: gettext_lazy("Email addresses"),
    PHONE: gettext_lazy("Phone numbers"),
    BIRTH: gettext_lazy("Dates of birth"),
}
REPLACEMENTS = {
    NAME: gettext_lazy("[the specialist]"),
    CONTACT: gettext_lazy("[a partner contact]"),
}
NAME_PART_MIN = 3

# Anything that looks like personal data, whoever typed it.
PATTERNS = (
    (EMAIL, re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+")),
    (RECEIPT, re.compile(r"(?<![\w])[A-Z]{3}\d{10}(?![\w])", re.IGNORECASE)),
    (PHONE, re.compile(r"(?<![\w+])(?:\+\d[\d ().-]{6,}\d|\(?\d{3}\)?[ .-]\d{3}[ .-]\d{4})(?![\w])")),
    (NUMBER, re.compile(r"(?<![\w-])(?=[A-Z0-9]*\d)(?=[A-Z0-9]*[A-Z])[A-Z0-9]{6,9}(?![\w-])", re.IGNORECASE)),
)


@dataclass(frozen=True)
class PersonalValue:
    kind: str
    value: str


@dataclass
class LeftOut:
    """What one kind of personal data a redaction took out: how often, and the values themselves."""

    kind: str
    count: int = 0
    values: list[str] = field(default_factory=list)

    @property
    def label(self) -> str:
        return str(KIND_WORDS[self.kind])


@dataclass
class Redaction:
    text: str
    left_out: list[LeftOut]

    @property
    def total(self) -> int:
        return sum(item.count for item in self.left_out)


def personal_values(data: PacketData) -> list[PersonalValue]:
    """Every personal value the packet's content holds, longest first (a full name before its parts)."""
    found: list[PersonalValue] = []
    person = data.beneficiary
    found += _names(NAME, [person.full_name, person.other_names])
    contacts = [data.organisation.contact_name, data.requestor.counsel_name]
    contacts += [partner.contact_name for partner in data.partners.items]
    contacts += [item.name for item in data.logistics.supporters if item.kind == SupporterKind.PERSON]
    found += _names(CONTACT, contacts)
    found += [PersonalValue(NUMBER, person.passport_number)]
    found += _address(person.residence_address) + _address(data.organisation.address)
    emails = [person.email, data.organisation.contact_email, data.requestor.counsel_email]
    phones = [person.phone, data.organisation.contact_phone, data.requestor.counsel_phone]
    for partner in data.partners.items:
        emails.append(partner.contact_email)
        phones.append(partner.contact_phone)
    found += [PersonalValue(EMAIL, value) for value in emails] + [PersonalValue(PHONE, value) for value in phones]
    if person.date_of_birth:
        found += [PersonalValue(BIRTH, value) for value in date_spellings(person.date_of_birth)]
    unique = {(item.kind, item.value.strip()): None for item in found if item.value and item.value.strip()}
    return sorted((PersonalValue(kind, value) for kind, value in unique), key=lambda item: -len(item.value))


def _names(kind: str, names: Iterable[str]) -> list[PersonalValue]:
    found = []
    for name in names:
        if not name.strip():
            continue
        found.append(PersonalValue(kind, name.strip()))
        found += [PersonalValue(kind, part) for part in re.split(r"[\s,]+", name) if len(part) >= NAME_PART_MIN]
    return found


def _address(address: str) -> list[PersonalValue]:
    """The whole address, each of its lines, and each comma-separated part that holds a number (the street)."""
    lines = [line.strip() for line in address.splitlines() if line.strip()]
    parts = [part.strip() for line in lines for part in line.split(",") if re.search(r"\d", part)]
    return [PersonalValue(ADDRESS, value) for value in [address.strip(), *lines, *parts] if len(value) >= 4]


def date_spellings(day: date) -> list[str]:
    """The ways a full date is commonly written: 1988-03-14, 14/03/1988, 03/14/1988, 14 March 1988, March 14, 1988…"""
    with translation.override("en"):
        words = [date_format(day, pattern) for pattern in ("j F Y", "F j, Y", "F j Y", "j M Y", "M j, Y", "jS F Y")]
        words.append(date_format(day, "DATE_FORMAT"))
    d, m, y = day.day, day.month, day.year
    numbers = [f"{y}-{m:02}-{d:02}"]
    for sep in "/.-":
        numbers += [
            f"{d:02}{sep}{m:02}{sep}{y}",
            f"{m:02}{sep}{d:02}{sep}{y}",
            f"{d}{sep}{m}{sep}{y}",
            f"{m}{sep}{d}{sep}{y}",
        ]
    return list(dict.fromkeys(words + numbers))


def redact(text: str, values: list[PersonalValue]) -> Redaction:
    """``text`` with every personal value (case-insensitive, whole words) and everything that looks like personal
    data replaced; ``left_out`` says what, per kind, in the order of ``KIND_WORDS``."""
    counts: dict[str, LeftOut] = {}

    def note(kind: str, value: str, times: int) -> None:
        item = counts.setdefault(kind, LeftOut(kind))
        item.count += times
        if value not in item.values:
            item.values.append(value)

    for item in values:
        pattern = re.compile(r"(?<![\w])" + re.escape(item.value) + r"(?![\w])", re.IGNORECASE)
        text = _replace(text, pattern, item.kind, note)
    for kind, pattern in PATTERNS:
        text = _replace(text, pattern, kind, note)
    ordered = [counts[kind] for kind in KIND_WORDS if kind in counts]
    return Redaction(text=text, left_out=ordered)


def _replace(text: str, pattern: re.Pattern[str], kind: str, note: Callable[[str, str, int], None]) -> str:
    def one(match: re.Match[str]) -> str:
        note(kind, match.group(0), 1)
        return str(REPLACEMENTS.get(kind, _("[removed]")))

    return pattern.sub(one, text)
