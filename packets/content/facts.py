"""Filing facts (forms, fees, where to file) kept as one versioned data file, never scattered through code.

``packets/data/filing_facts.json`` carries a "last verified" date and a source note for each fact; changing a fee is a
data change. The file is validated when the app starts (PacketsConfig.ready), so a broken edit stops the app with a
clear message instead of printing a wrong checklist.
"""

from datetime import date
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING, Literal

from pydantic import BaseModel, ConfigDict, Field

if TYPE_CHECKING:
    from packets.content.schema import PacketData

FACTS_FILE = Path(__file__).parent / "data" / "filing_facts.json"


class FilingFact(BaseModel):
    model_config = ConfigDict(extra="forbid")

    id: str = Field(pattern=r"^[a-z0-9_]+$")
    kind: Literal[
        "form", "fee", "filing", "enclose", "timing", "after_filing"
    ]  # after_filing: the case, not the checklist
    name: str
    detail: str
    applies: Literal["always", "per_supporter", "with_counsel", "when_relevant"]
    source: str
    confidence: str
    copies: int | None = None
    signature: str | None = None
    amount_usd: int | None = Field(default=None, ge=0)
    processing_days: int | None = Field(default=None, ge=0)
    max_file_mb: float | None = Field(default=None, gt=0)  # an upload limit, in megabytes (10**6 bytes)
    response_days: int | None = Field(default=None, gt=0)  # a response window, counted from the notice's date
    mail_days: int | None = Field(default=None, ge=0)  # added to a response window when the notice was mailed
    before_expiry_days: int | None = Field(default=None, gt=0)  # file at least this many days before an expiry


class FilingFacts(BaseModel):
    model_config = ConfigDict(extra="forbid")

    version: int
    last_verified: date
    verified_by: str
    disclaimer: str
    facts: list[FilingFact]

    def get(self, fact_id: str) -> FilingFact:
        for fact in self.facts:
            if fact.id == fact_id:
                return fact
        raise KeyError(fact_id)

    def days_since_verified(self, today: date) -> int:
        return (today - self.last_verified).days


@cache
def filing_facts(path: Path = FACTS_FILE) -> FilingFacts:
    """The filing facts, validated (cached per process)."""
    return FilingFacts.model_validate_json(path.read_text(encoding="utf-8"))


class ChecklistItem(BaseModel):
    """One line of the filing checklist, tailored to a packet."""

    kind: str
    name: str
    detail: str
    copies: int | None = None
    signature: str | None = None
    amount_usd: int | None = None
    source: str
    confidence: str


def filing_checklist(content: "PacketData", facts: FilingFacts | None = None) -> list[ChecklistItem]:
    """The forms, fees, signatures and enclosures this packet needs, from the filing facts (never from code)."""
    facts = facts or filing_facts()
    supporters = [s.name or "a supporter" for s in content.logistics.supporters if s.files_declaration]
    has_counsel = bool(content.requestor.counsel_name)
    items = []
    for fact in facts.facts:
        if fact.kind == "after_filing":  # deadlines of the case after filing (packets.case.deadlines)
            continue
        detail = fact.detail
        if fact.applies == "per_supporter":
            if not supporters:
                continue
            detail = f"{detail} Needed from: {', '.join(supporters)}."
        if fact.applies == "with_counsel" and not has_counsel:
            continue
        items.append(
            ChecklistItem(
                kind=fact.kind,
                name=fact.name,
                detail=detail,
                copies=len(supporters) if fact.applies == "per_supporter" else fact.copies,
                signature=fact.signature,
                amount_usd=fact.amount_usd,
                source=fact.source,
                confidence=fact.confidence,
            )
        )
    return items
