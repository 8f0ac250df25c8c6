"""The readiness rules about partners and their support letters (``@rule``, see ``readiness_base``): who the
partners are, whether a reviewer can reach them, and what each letter says and when it was written.

Imported by ``packets.review.readiness`` with the other rules' module, so that every rule here is registered.
"""

import re
import unicodedata
from collections.abc import Iterator

from django.utils.translation import gettext as _

from packets.content.schema import OrganisationKind, Partner, RequestedBy
from packets.review.letter_dates import letter_date_in
from packets.review.readiness_base import ExhibitFacts, Finding, PacketFacts, Severity, rule

LETTER_MAX_AGE_DAYS = 183
K = OrganisationKind
# The kinds whose word a reviewer weighs most: "a letter from a government agency, NGO or public-safety body".
# Hospitals and health services count with public safety (public health); schools, utilities and other public
# bodies, universities, faith and community groups and companies are good partners but not that category.
STRONG_KINDS = {
    K.GOVERNMENT_AGENCY, K.TRIBAL_GOVERNMENT,  # government
    K.NGO, K.INTERNATIONAL_ORGANISATION,  # non-governmental
    K.PUBLIC_SAFETY, K.HEALTH_SERVICE,  # public safety and health
}  # fmt: skip


# ── Partners and letters ─────────────────────────────────────────────────────────────────────────────────────────────


def _blank(value: str) -> bool:
    return not value.strip()


def _normalise(text: str) -> str:
    """``text`` with accents dropped and case folded ("José" and "JOSE" read alike), whitespace runs as one space."""
    decomposed = unicodedata.normalize("NFKD", text)
    return re.sub(r"\s+", " ", "".join(ch for ch in decomposed if not unicodedata.combining(ch))).casefold()


def _words(normalised: str) -> list[str]:
    return re.findall(r"\w+", normalised)


def _has_word(text: str, word: str) -> bool:
    """Whether the normalised ``text`` holds ``word`` as a whole word: "ana" is not in "banana" or "analysis"."""
    return re.search(rf"(?<!\w){re.escape(word)}(?!\w)", text) is not None


def _mentions_person(text: str, full_name: str) -> bool:
    parts = [part for part in _words(_normalise(full_name)) if len(part) > 2]
    return bool(parts) and sum(_has_word(text, part) for part in parts) >= min(2, len(parts))


def _mentions_project(text: str, title: str) -> bool:
    words = [word for word in _words(_normalise(title)) if len(word) > 3]
    return bool(words) and sum(_has_word(text, word) for word in words) >= max(1, (len(words) + 1) // 2)


def _mentions_contact(text: str) -> bool:
    return bool(re.search(r"[\w.+-]+@[\w-]+\.[\w.]+", text) or re.search(r"\+?\d[\d ()./-]{6,}\d", text))


@rule
def partners(p: PacketFacts) -> Iterator[Finding]:
    content = p.content
    if not content.partners.items:
        yield Finding("no-partner", Severity.WARNING,
                      _("No partner organisation is listed. Partners show that the community wants this work."),
                      "partners", "items")  # fmt: skip
    elif not any(partner.kind in STRONG_KINDS for partner in content.partners.items) and not (
        content.requestor.requested_by == RequestedBy.ORGANISATION and content.organisation.kind in STRONG_KINDS
    ):  # the requesting organisation's own request speaks for it as a letter would
        yield Finding("no-official-letter", Severity.WARNING,
                      _("Neither a partner nor the requesting organisation is a government agency, an NGO or a "
                        "public-safety body. A letter from one of them carries the most weight with a reviewer."),
                      "partners", "items")  # fmt: skip
    filing = content.timeline.filing_date or p.today
    for row, partner in enumerate(content.partners.items):
        name = partner.name or _("A partner")
        yield from _partner_contact(partner, name, row)
        letter = p.exhibit(partner.letter_exhibit_id)
        if letter is None:
            yield Finding("partner-without-letter", Severity.WARNING,
                          _("%(partner)s has no support letter. Upload a signed letter that confirms support for "
                            "the project, names the person's role and gives a contact.") % {"partner": name},
                          "partners", "letter_file", row)  # fmt: skip
            continue
        if partner.letter_date and (filing - partner.letter_date).days > LETTER_MAX_AGE_DAYS:
            yield Finding("letter-too-old", Severity.WARNING,
                          _("The letter from %(partner)s is dated %(date)s, more than six months before filing. "
                            "Ask for a fresh, dated letter.") % {"partner": name, "date": partner.letter_date},
                          "partners", "letter_date", row)  # fmt: skip
        yield from _letter_content(p, name, letter)
        yield from _letter_date(partner, name, letter, row)


def _partner_contact(partner: Partner, name: str, row: int) -> Iterator[Finding]:
    """What is missing of the partner's point of contact, linked to the missing field of its row."""
    no_name, no_way = _blank(partner.contact_name), _blank(partner.contact_email) and _blank(partner.contact_phone)
    if no_name and no_way:
        message = _("%(partner)s has no point of contact: add the contact's name and an email or phone number, so "
                    "the reviewer can verify the partnership.")  # fmt: skip
    elif no_name:
        message = _("The point of contact of %(partner)s has no name: add the name of the person the reviewer can "
                    "reach.")  # fmt: skip
    elif no_way:
        message = _("The point of contact of %(partner)s has no email or phone number: add at least one, so the "
                    "reviewer can verify the partnership.")  # fmt: skip
    else:
        return
    field = "contact_name" if no_name else "contact_email"
    yield Finding("partner-without-contact", Severity.WARNING, message % {"partner": name}, "partners", field, row)


def _letter_date(partner: Partner, name: str, letter: ExhibitFacts, row: int) -> Iterator[Finding]:
    """The date the letter itself bears, when its text shows one, against the date recorded for it."""
    recorded = partner.letter_date or letter.issued_on
    written = letter_date_in(letter.text) if letter.text else None
    if recorded and written and written != recorded:
        yield Finding("letter-date-differs", Severity.WARNING,
                      _("The letter from %(partner)s is dated %(written)s, but %(recorded)s is recorded as its "
                        "date. The exhibit index and the partner table print the recorded date: correct it, or "
                        "upload the letter you meant.")
                      % {"partner": name, "written": written, "recorded": recorded},
                      "partners", "letter_date", row)  # fmt: skip


def _letter_content(p: PacketFacts, name: str, letter: ExhibitFacts) -> Iterator[Finding]:
    unchecked = _("Confirm yourself that it names the person, the project and a contact — a reviewer reads for "
                  "exactly these three points.")  # fmt: skip
    if letter.text is None and letter.text_status == "no_text":
        yield Finding("letter-no-text-layer", Severity.SUGGESTION,
                      _("The letter from %(partner)s is a scan without readable text, so it could not be checked.")
                      % {"partner": name} + " " + unchecked, "partners", "letter_file")  # fmt: skip
        return
    if letter.text is None:  # not read yet, or its text layer could not be read in the time allowed
        yield Finding("letter-not-read", Severity.SUGGESTION,
                      _("The text of the letter from %(partner)s could not be read automatically, so it could not "
                        "be checked.") % {"partner": name} + " " + unchecked,
                      "partners", "letter_file")  # fmt: skip
        return
    if len(letter.text.strip()) < 40:
        yield Finding("letter-little-text", Severity.SUGGESTION,
                      _("The letter from %(partner)s has a text layer, but it holds almost no text, so it could not "
                        "be checked.") % {"partner": name} + " " + unchecked,
                      "partners", "letter_file")  # fmt: skip
        return
    text = _normalise(letter.text)
    missing = []
    if not _mentions_person(text, p.content.beneficiary.full_name):
        missing.append(_("the person's name"))
    if p.content.project.title and not _mentions_project(text, p.content.project.title):
        missing.append(_("the project"))
    if not _mentions_contact(text):
        missing.append(_("a contact (email or phone)"))
    if missing:
        yield Finding("letter-weak", Severity.WARNING,
                      _("The letter from %(partner)s never mentions %(missing)s. A letter that does not tie the "
                        "person to the project is weak evidence: ask the partner to add it.")
                      % {"partner": name, "missing": ", ".join(missing)},
                      "partners", "letter_file")  # fmt: skip
