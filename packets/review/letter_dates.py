"""The date a letter bears, read from its text: the first full date in it, in the forms letters are written in.

"November 2, 2026", "Nov. 2, 2026", "2 November 2026", "2026-11-02" and "11/02/2026" (month first, the US way; a
day over 12 in the first place reads day first) all read as 2026-11-02. A letter's date stands at its top, above
the dates of the work it describes, so the first date found near the top is taken as the letter's own (and a letter
whose top shows none is taken to show none, rather than mistaking a project date for it).
"""

import re
from datetime import date

_MONTHS = {
    name: number
    for number, names in enumerate(
        (
            ("january", "jan"), ("february", "feb"), ("march", "mar"), ("april", "apr"), ("may",), ("june", "jun"),
            ("july", "jul"), ("august", "aug"), ("september", "sep", "sept"), ("october", "oct"),
            ("november", "nov"), ("december", "dec"),
        ),
        start=1,
    )
    for name in names
}  # fmt: skip
_MONTH = r"(?P<month>" + "|".join(sorted(_MONTHS, key=len, reverse=True)) + r")\.?"
_PATTERNS = (
    re.compile(rf"\b{_MONTH}\s+(?P<day>\d{{1,2}})(?:st|nd|rd|th)?,?\s+(?P<year>\d{{4}})\b", re.IGNORECASE),
    re.compile(rf"\b(?P<day>\d{{1,2}})(?:st|nd|rd|th)?\s+(?:of\s+)?{_MONTH},?\s+(?P<year>\d{{4}})\b", re.IGNORECASE),
    re.compile(r"\b(?P<year>\d{4})-(?P<month>\d{1,2})-(?P<day>\d{1,2})\b"),
    re.compile(r"\b(?P<month>\d{1,2})/(?P<day>\d{1,2})/(?P<year>\d{4})\b"),
)


# The letterhead, the date and the address block fit in this many characters of a letter's text.
HEAD_CHARS = 800


def letter_date_in(text: str) -> date | None:
    """The first valid date written near the top of ``text``, or None."""
    text = text[:HEAD_CHARS]
    found: list[tuple[int, date]] = []
    for pattern in _PATTERNS:
        for match in pattern.finditer(text):
            when = _date(match)
            if when is not None:
                found.append((match.start(), when))
                break  # the first of this form; an earlier one of another form may still win
    return min(found, key=lambda item: item[0])[1] if found else None


def _date(match: re.Match[str]) -> date | None:
    month_text, day, year = match["month"], int(match["day"]), int(match["year"])
    month = int(month_text) if month_text.isdigit() else _MONTHS[month_text.lower()]
    if month > 12 and day <= 12 and "/" in match[0]:  # 13/02/2026: written day first
        month, day = day, month
    try:
        return date(year, month, day)
    except ValueError:
        return None
