"""How an exhibit is named in a line of text: its title, issuer and date, each said once.

Titles are often composed with the issuer in them ("Letter of support, Riverton Fire & Rescue", issued by Riverton
Fire & Rescue), so a caption that joins the three must not say the issuer twice. Parts are compared without regard to
case, accents or runs of white space, and a part already said inside an earlier one (as whole words) is left out.
"""

import re
import unicodedata

# What may stand between a title and an issuer composed into it: "Letter, X", "Letter — X", "Letter (X)".
_SEPARATORS = r"\s*(?:,|;|:|—|–|-|\(|\bfrom\b|\bby\b)\s*"


def _folded(text: str) -> str:
    decomposed = unicodedata.normalize("NFKD", text)
    return re.sub(r"\s+", " ", "".join(ch for ch in decomposed if not unicodedata.combining(ch))).strip().casefold()


def _said_in(part: str, earlier: str) -> bool:
    """Whether ``part`` is already said, as whole words, in ``earlier`` (both folded)."""
    return re.search(rf"(?<!\w){re.escape(part)}(?!\w)", earlier) is not None


def caption_parts(*parts: str) -> list[str]:
    """``parts`` in order without the empty ones and without any already said in an earlier one."""
    kept: list[str] = []
    for part in (part.strip() for part in parts):
        folded = _folded(part)
        if folded and not any(_said_in(folded, _folded(earlier)) for earlier in kept):
            kept.append(part)
    return kept


def exhibit_caption(title: str, issuer: str = "", issued_on: str = "") -> str:
    """ "Title, issuer, date", each said once: the line an exhibit gets on its slip sheet and in evidence lists."""
    return ", ".join(caption_parts(title, issuer, issued_on))


def title_without_issuer(title: str, issuer: str) -> str:
    """``title`` without a trailing ``issuer`` composed into it ("Letter of support, X" → "Letter of support"), for
    a table that shows the issuer in a column of its own; the title as it is when that would leave nothing."""
    if not issuer.strip():
        return title
    folded_issuer = re.escape(_folded(issuer))
    match = re.search(rf"{_SEPARATORS}{folded_issuer}\)?$", _folded(title))
    if match is None or match.start() == 0:
        return title
    # Folding keeps one character per character except for accents and white space: cut the original by words.
    kept_words = len(_folded(title)[: match.start()].split())
    return " ".join(title.split()[:kept_words]).rstrip(",;:—–-( ")
