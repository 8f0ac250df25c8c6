"""Plain words for every way the content schema can refuse a value, so no person reads pydantic's own.

Pydantic's messages ("Input should be a valid string", "String should have at most 200 characters", "Value error, …")
are English words of a library, written for programmers. Every page, message and import report that explains a refusal
takes its words from ``schema_error_message``: the schema's own validators raise our words (``value_error``,
``contradiction``), and every other kind of error, known or not, gets a marked-for-translation sentence of ours.
"""

from typing import TYPE_CHECKING, Any

from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise

_ENTER_DATE = _("Enter a real date, for example 2027-03-31.")
_CHOOSE = _("Choose one of the options shown.")
_ENTER_TEXT = _("Enter this answer as text.")
_ENTER_NUMBER = _("Enter a whole number, for example 3.")
_YES_OR_NO = _("Choose yes or no.")

# By pydantic's error type (pydantic_core's ErrorType): the kinds a packet's schema can raise, grouped by what the
# person should do about them.
_MESSAGES: dict[str, "StrOrPromise"] = {
    "string_too_long": _("Enter at most %(max_length)s characters."),
    "string_too_short": _("Enter at least %(min_length)s characters."),
    "too_long": _("Enter at most %(max_length)s entries."),
    "too_short": _("Enter at least %(min_length)s entries."),
    "string_type": _ENTER_TEXT,
    "string_unicode": _ENTER_TEXT,
    "string_sub_type": _ENTER_TEXT,
    "string_pattern_mismatch": _("This answer is not in the form asked for: check the hint below the question."),
    "missing": _("This answer is needed."),
    "date_parsing": _ENTER_DATE,
    "date_from_datetime_parsing": _ENTER_DATE,
    "date_from_datetime_inexact": _ENTER_DATE,
    "date_type": _ENTER_DATE,
    "datetime_parsing": _ENTER_DATE,
    "datetime_type": _ENTER_DATE,
    "date_past": _("Enter a date in the past."),
    "date_future": _("Enter a date in the future."),
    "enum": _CHOOSE,
    "literal_error": _CHOOSE,
    "bool_parsing": _YES_OR_NO,
    "bool_type": _YES_OR_NO,
    "int_parsing": _ENTER_NUMBER,
    "int_type": _ENTER_NUMBER,
    "int_from_float": _ENTER_NUMBER,
    "float_parsing": _("Enter a number, for example 2.5."),
    "float_type": _("Enter a number, for example 2.5."),
    "greater_than": _("Enter a number greater than %(gt)s."),
    "greater_than_equal": _("Enter a number of at least %(ge)s."),
    "less_than": _("Enter a number less than %(lt)s."),
    "less_than_equal": _("Enter a number of at most %(le)s."),
    "uuid_parsing": _("A file this answer points to is not one of this packet's files. Choose the file again."),
    "uuid_type": _("A file this answer points to is not one of this packet's files. Choose the file again."),
    "list_type": _("This list could not be read. Open the step again and re-enter its entries."),
    "dict_type": _("This entry could not be read. Open the step again and re-enter it."),
    "model_type": _("This entry could not be read. Open the step again and re-enter it."),
    "model_attributes_type": _("This entry could not be read. Open the step again and re-enter it."),
    "extra_forbidden": _("This answer is not one the form asks for, so it cannot be saved."),
}
OTHERWISE = _("This answer cannot be saved as it is: check it and save again.")


def schema_error_message(error: Any) -> str:
    """The words shown for one of pydantic's ``ValidationError.errors()``, in the active language."""
    if error["type"] in ("value_error", "contradiction"):  # raised by packets.content.schema with plain words of ours
        return gettext(str(error["msg"]).removeprefix("Value error, "))
    words = str(_MESSAGES.get(error["type"], OTHERWISE))
    try:
        return words % (error.get("ctx") or {})
    except (KeyError, TypeError, ValueError):  # a limit pydantic did not name
        return str(OTHERWISE)


def schema_errors_message(error: Any, limit: int = 3) -> str:
    """The plain words of the first few errors of a ``ValidationError``, each once, in one sentence list."""
    said: list[str] = []
    for item in error.errors():
        words = schema_error_message(item)
        if words not in said:
            said.append(words)
    return " ".join(said[:limit])
