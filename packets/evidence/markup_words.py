"""What a person added to an exhibit on screen, in plain words: "a filled-in form, a signature and 2 comments and
highlights". Said when the file is uploaded and shown beside it in the exhibit list."""

from django.utils.text import get_text_list
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from packets.assembly.markup import MarkupFound


def markup_found_from(stored: object) -> MarkupFound:
    """The counts kept on an exhibit (``Exhibit.markup``); none for an exhibit stored before they were counted."""
    counts = stored if isinstance(stored, dict) else {}
    values = {key: counts.get(key, 0) for key in ("filled_fields", "signatures", "comments")}
    if not all(isinstance(value, int) and not isinstance(value, bool) and value >= 0 for value in values.values()):
        return MarkupFound()
    return MarkupFound(**values)  # type: ignore[arg-type]


def markup_words(markup: MarkupFound) -> str:
    """``markup`` as a list in words ("" when nothing was added)."""
    found = []
    if markup.filled_fields:
        found.append(_("a filled-in form"))
    if markup.signatures:
        found.append(ngettext("a signature", "%(count)s signatures", markup.signatures) % {"count": markup.signatures})
    if markup.comments:
        found.append(
            ngettext("a comment or highlight", "%(count)s comments and highlights", markup.comments)
            % {"count": markup.comments}
        )
    return get_text_list(found, _("and")) if found else ""


def markup_things(markup: MarkupFound) -> int:
    """How many things ``markup_words`` names (a form counts once), for the sentence's "it" or "they"."""
    return bool(markup.filled_fields) + markup.signatures + markup.comments
