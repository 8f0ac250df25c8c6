"""Words a reader copies or checks, kept whole in the print: email addresses, web addresses, people's and
organisations' names, numbers and dates.

The narrative is justified with automatic hyphenation (print.css), which would otherwise print "o.koval-chuk@…": a
hyphen the reader cannot tell from one in the address. Each such token is wrapped in a span that forbids
hyphenation (``print.css``: ``.tok-address``, ``.tok-name``, ``.tok-fixed``); addresses may still break, without a
hyphen, at a few points (after "@", a "/" or a "." of the domain: ``<wbr>`` between pieces kept whole), and
numbers and dates never break. Everything else is escaped, so the
result is safe to print as it is (``mark_safe`` of text escaped here, never of user text as it came).
"""

import re
from collections.abc import Iterable

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

_EMAIL = r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+"
_URL = r"(?:https?://|www\.)[^\s<>\"']+[^\s<>\"'.,;:!?)]"
_MONTH = (
    r"(?:January|February|March|April|May|June|July|August|September|October|November|December|"
    r"Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sept?|Oct|Nov|Dec)\.?"
)
_DATE = rf"{_MONTH}\s+\d{{1,2}},?\s+\d{{4}}|\d{{1,2}}\s+{_MONTH}\s+\d{{4}}"
# Digits with the separators numbers are written with (2026-11-02, 11/02/2026, +1 503 555 0142, USD 6,000, 14).
_NUMBER = r"\+?\d(?:[\d,.:/-]|\s(?=\d))*\d|\d"
# Where an address may break, without a hyphen: after the "@" and each "." of an email's domain; after each ".",
# "/" (not inside "//"), "?", "&" or "=" of a web address. Nowhere else, not even after a hyphen of its own: a line
# ending "riverton-" cannot be told from a hyphenated word.
_EMAIL_BREAKS = re.compile(r"(?<=\.)")
_URL_BREAKS = re.compile(r"(?<=/)(?!/)|(?<=[.?&=])")


def _pattern(names: Iterable[str]) -> re.Pattern[str]:
    spelled = sorted({name.strip() for name in names if len(name.strip()) > 1}, key=len, reverse=True)
    name = "|".join(r"\s+".join(re.escape(word) for word in item.split()) for item in spelled)
    alternatives = [f"(?P<address>{_EMAIL}|{_URL})", f"(?P<fixed>{_DATE}|{_NUMBER})"]
    if name:
        alternatives.insert(1, rf"(?P<name>(?<!\w)(?:{name})(?!\w))")
    return re.compile("|".join(alternatives))


def _address_pieces(token: str) -> list[str]:
    """``token`` cut where it may break: each piece is kept on one line (print.css)."""
    if "@" in token and not re.match(_URL, token):
        local, domain = token.split("@", 1)
        return [f"{local}@", *(piece for piece in _EMAIL_BREAKS.split(domain) if piece)]
    return [piece for piece in _URL_BREAKS.split(token) if piece]


def unhyphenated(text: str, names: Iterable[str] = ()) -> SafeString:
    """``text`` escaped, with its addresses, ``names``, numbers and dates wrapped so they are never hyphenated."""
    parts: list[str] = []
    position = 0
    for match in _pattern(names).finditer(text):
        parts.append(escape(text[position : match.start()]))
        token = match.group()
        if match.lastgroup == "address":
            pieces = "<wbr>".join(f"<span>{escape(piece)}</span>" for piece in _address_pieces(token))
            parts.append(f'<span class="tok-address">{pieces}</span>')
        elif match.lastgroup == "name":
            parts.append(f'<span class="tok-name">{escape(token)}</span>')
        else:
            parts.append(f'<span class="tok-fixed">{escape(token)}</span>')
        position = match.end()
    parts.append(escape(text[position:]))
    return mark_safe("".join(parts))  # noqa: S308 - every piece of user text above went through escape()
