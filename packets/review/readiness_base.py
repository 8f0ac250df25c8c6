"""What the readiness rules are made of: the facts they read, the findings they yield, and the registry they join.

A rule is a function from ``PacketFacts`` to ``Finding``s, registered with ``@rule``; the rules are in
``packets.review.readiness_rules`` and are run by ``packets.review.readiness.review``, the module to import them from.
"""

from collections.abc import Callable, Iterator
from dataclasses import asdict, dataclass, field
from datetime import date
from enum import StrEnum
from uuid import UUID

from packets.content.facts import FilingFacts, filing_facts
from packets.content.schema import PacketData


class Severity(StrEnum):
    BLOCKER = "blocker"
    WARNING = "warning"
    SUGGESTION = "suggestion"


SEVERITY_ORDER = {Severity.BLOCKER: 0, Severity.WARNING: 1, Severity.SUGGESTION: 2}


@dataclass(frozen=True)
class Finding:
    rule: str
    severity: Severity
    message: str
    step: str
    field: str = ""
    row: int | None = None  # which row of a list (the partner) the field is in, when it is in one

    def as_dict(self) -> dict[str, str]:
        return {key: str(value) for key, value in asdict(self).items() if value is not None}


@dataclass(frozen=True)
class ExhibitFacts:
    """What the rules need to know about one exhibit; ``text`` is None when a PDF or image has no text layer, and
    ``text_status`` says why (``packets.models.ExhibitTextStatus``: also "not_read" and "unreadable")."""

    id: UUID
    kind: str
    title: str
    page_count: int
    size: int
    text: str | None = None
    text_status: str = "read"
    issued_on: date | None = None


@dataclass(frozen=True)
class MissingReport:
    """A report the earlier parole period called for, due before today, whose PDF the re-parole packet lacks."""

    recipient: str
    due_on: date
    written: bool


@dataclass(frozen=True)
class ReparoleFacts:
    """What a re-parole request's rules read about the earlier case it extends."""

    parole_to: date | None
    missing_reports: list[MissingReport] = field(default_factory=list)


@dataclass(frozen=True)
class PacketFacts:
    content: PacketData
    exhibits: list[ExhibitFacts]
    today: date
    facts: FilingFacts = field(default_factory=filing_facts)
    reparole: ReparoleFacts | None = None  # only for a re-parole request (``Packet.reparole_of``)

    def exhibit(self, exhibit_id: UUID | None) -> ExhibitFacts | None:
        return next((item for item in self.exhibits if item.id == exhibit_id), None) if exhibit_id else None


Rule = Callable[[PacketFacts], Iterator[Finding]]
RULES: list[Rule] = []


def rule(function: Rule) -> Rule:
    RULES.append(function)
    return function
