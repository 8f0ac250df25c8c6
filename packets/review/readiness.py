"""Readiness review: what a reviewer would find missing or weak, before anyone files.

Each rule reads the packet's content (``PacketData``) and its exhibits and yields findings: a stable rule id, a
severity, a plain-language message that says why a reviewer cares and what to do, and the step and field to fix.
Rules never change anything, and findings are never printed in the packet itself.

A finding's message is translated when the rule runs (``gettext``, whole sentences with named placeholders), so
``review`` gives findings in the active language: the user's, when a page or a command runs it.

Three kinds of module, each importing only the ones before it: ``readiness_base`` (findings, facts and the rule
registry), the rules (``readiness_rules``, and ``readiness_partners`` about partners and their letters) and this one,
which runs them (``review``) on facts or on a stored packet (``packet_readiness``). Import from here: the names of
the others that callers use are re-exported.
"""

from collections.abc import Iterable
from datetime import date
from typing import TYPE_CHECKING

from packets.review.readiness_base import RULES, SEVERITY_ORDER
from packets.review.readiness_base import ExhibitFacts as ExhibitFacts
from packets.review.readiness_base import Finding as Finding
from packets.review.readiness_base import PacketFacts as PacketFacts
from packets.review.readiness_base import Severity as Severity

# Importing the rules' module registers every rule in RULES.
from packets.review.readiness_partners import LETTER_MAX_AGE_DAYS as LETTER_MAX_AGE_DAYS
from packets.review.readiness_reparole import reparole_facts
from packets.review.readiness_rules import FACTS_MAX_AGE_DAYS as FACTS_MAX_AGE_DAYS

if TYPE_CHECKING:
    from packets.models import Exhibit, Packet


def review(packet_facts: PacketFacts) -> list[Finding]:
    """Every finding, blockers first, in step order within each severity."""
    findings = [finding for check in RULES for finding in check(packet_facts)]
    return sorted(findings, key=lambda finding: SEVERITY_ORDER[finding.severity])


def packet_readiness(
    *, packet: "Packet", today: date | None = None, exhibits: "Iterable[Exhibit] | None" = None
) -> list[Finding]:
    """The readiness findings of a stored packet, from its content and what its exhibits' rows hold.

    No exhibit file is opened: a letter's text was read in the sandbox when it was stored (``Exhibit.text``). That
    column is encrypted, so it is loaded only where a rule reads it: support letters, and whatever exhibit a partner
    names as its letter. ``exhibits``: the packet's exhibits, when the caller has read them already.
    """
    from django.utils import timezone

    from packets.models import ExhibitKind

    content = packet.content
    named_as_letters = {partner.letter_exhibit_id for partner in content.partners.items}

    def is_letter(exhibit: "Exhibit") -> bool:
        return exhibit.kind == ExhibitKind.SUPPORT_LETTER or exhibit.pk in named_as_letters

    rows = list(packet.exhibits.defer("text") if exhibits is None else exhibits)
    letters = [row for row in rows if is_letter(row)]
    texts = {row.pk: row.text for row in letters if "text" not in row.get_deferred_fields()}
    unread = [row.pk for row in letters if row.pk not in texts]
    if unread:  # one query for the letters whose text the caller did not load (never one per letter)
        texts.update(packet.exhibits.filter(pk__in=unread).values_list("pk", "text"))
    facts = []
    for row in rows:
        text = texts.get(row.pk)
        facts.append(
            ExhibitFacts(
                row.pk,
                row.kind,
                row.title,
                row.page_count,
                row.size,
                text if isinstance(text, str) else None,
                row.text_status,
                row.issued_on,
            )
        )
    today = today or timezone.localdate()
    reparole = reparole_facts(packet, rows, today) if packet.reparole_of_id else None
    return review(PacketFacts(content=content, exhibits=facts, today=today, reparole=reparole))
