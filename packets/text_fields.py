"""The text field every form of the site uses: its length limit checked on the server, in plain words, and counted
as one types when JavaScript runs (static/js/forms.js), never enforced with ``maxlength``.

A browser cuts a paste at ``maxlength`` without a word: the end of a long answer would be lost and nobody would know.
Without the attribute the whole paste stays in the field, the page counts it ("312 of 300 characters") and says it is
too long, and the form refuses it with the same words, keeping every character typed so that it can be shortened.
"""

from typing import Any

from django import forms
from django.core.validators import MaxLengthValidator
from django.utils.translation import gettext_lazy as _

TOO_LONG = _(
    "This answer is %(show_value)s characters long; at most %(limit_value)s characters fit here. Shorten it, then save."
)
# Read by static/js/forms.js: the words it shows under the field, %(count)s and %(max)s replaced as one types.
COUNT_WORDS = _("%(count)s of %(max)s characters")
OVER_WORDS = _("%(count)s of %(max)s characters: too long. Shorten it before you save.")


class LimitedTextField(forms.CharField):
    """A ``CharField`` whose ``max_length`` is checked by the form and counted in the browser, not cut by it."""

    def __init__(self, *, max_length: int | None = None, **kwargs: Any) -> None:
        super().__init__(max_length=max_length, **kwargs)
        self.validators = [item for item in self.validators if not isinstance(item, MaxLengthValidator)]
        if max_length is not None:
            self.validators.append(MaxLengthValidator(max_length, message=TOO_LONG))

    def widget_attrs(self, widget: forms.Widget) -> dict[str, Any]:
        attrs = super().widget_attrs(widget)
        attrs.pop("maxlength", None)
        if self.max_length is not None and not widget.is_hidden:
            attrs["data-max-length"] = str(self.max_length)
            attrs["data-count-words"] = COUNT_WORDS
            attrs["data-over-words"] = OVER_WORDS
        return attrs


class LimitedEmailField(LimitedTextField, forms.EmailField):
    """An ``EmailField`` whose length limit is checked and counted like ``LimitedTextField``'s, not cut."""


def too_long_message(text: str, limit: int) -> str:
    """The words ``LimitedTextField`` refuses ``text`` with, for a hand-written field with the same limit."""
    return str(TOO_LONG) % {"show_value": len(text), "limit_value": limit}


def counted_attrs(limit: int) -> dict[str, str]:
    """The attributes that make static/js/forms.js count a hand-written field with ``limit`` (no ``maxlength``)."""
    return {"data-max-length": str(limit), "data-count-words": str(COUNT_WORDS), "data-over-words": str(OVER_WORDS)}
