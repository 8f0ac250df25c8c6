"""Who approved a packet, as the final PDF names them, and where the packet's own counsel text disagrees.

The approval record (``Packet.approved_by``, ``approved_at``, ``approved_revision``, written by
``packets.review.workflow``) is the truth about who approved what; the counsel's name typed into the "Who is asking"
step is only text. A final packet's cover and cover letter name the approving member, and the final-render page says
in plain words when the typed text names someone else, before anything is rendered.
"""

import re
import unicodedata
from dataclasses import dataclass
from datetime import date

from django.utils import timezone
from django.utils.translation import gettext as _

from packets.models import Packet
from packets.people import person_name


@dataclass(frozen=True)
class Approver:
    name: str  # the member's full name (their user name when they gave none)
    firm: str  # the firm typed into the packet, when the typed counsel is this member; else ""
    approved_on: date
    revision: int


def packet_approver(packet: Packet) -> Approver | None:
    """The counsel whose approval a final PDF of ``packet`` renders from, or None (not approved by a member)."""
    user = packet.approved_by
    if user is None or packet.approved_at is None or packet.approved_revision is None:
        return None
    name = person_name(user)  # the profile's full name, then the account's, then the user name
    requestor = packet.content.requestor
    firm = requestor.counsel_firm if same_person(name, requestor.counsel_name) else ""
    return Approver(name, firm, timezone.localdate(packet.approved_at), packet.approved_revision)


def approver_differences(packet: Packet) -> list[str]:
    """What a final PDF will say about counsel that the packet's own text says differently, in plain words."""
    approver = packet_approver(packet)
    if approver is None:
        return []
    content = packet.content
    typed = content.requestor.counsel_name
    notes = []
    if typed and not same_person(approver.name, typed):
        notes.append(
            _(
                "The packet names %(typed)s as counsel (step “Who is asking”), but %(approver)s approved it. The "
                "final PDF's cover and cover letter will name %(approver)s, without a firm. If %(typed)s is right, "
                "correct the approval rather than the PDF: changing the counsel's name is an edit, and it needs a "
                "new approval."
            )
            % {"typed": typed, "approver": approver.name}
        )
    letter = content.cover_letter.text
    if letter and not re.search(re.escape(_folded(approver.name)), _folded(letter)):
        notes.append(
            _(
                "The cover letter was written by hand and does not name %(approver)s, who approved the packet; it "
                "will be printed as written. Edit it if %(approver)s should sign it."
            )
            % {"approver": approver.name}
        )
    return notes


def same_person(one: str, other: str) -> bool:
    """Whether two written names name the same person, regardless of case, accents, spacing and titles."""
    return bool(_name_words(one)) and _name_words(one) == _name_words(other)


_TITLES = {"dr", "mr", "mrs", "ms", "mx", "prof", "esq"}


def _name_words(name: str) -> list[str]:
    return [word for word in re.findall(r"\w+", _folded(name)) if word not in _TITLES]


def _folded(text: str) -> str:
    decomposed = unicodedata.normalize("NFKD", text)
    return re.sub(r"\s+", " ", "".join(ch for ch in decomposed if not unicodedata.combining(ch))).casefold()
