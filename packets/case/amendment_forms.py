"""The forms of an amendment: recording it, its letter, a new exhibit, sending it (the last two as a response's)."""

from django import forms
from django.utils.translation import gettext_lazy

from packets.case.rfe_forms import RfeExhibitForm, RfeSentForm
from packets.text_fields import LimitedTextField

_SUMMARY = {"required": gettext_lazy("Say in a line what changed, for example “Departure moved to 30 April”.")}


def _summary_field() -> LimitedTextField:
    return LimitedTextField(
        label=gettext_lazy("What changed, in a line"),
        max_length=300,
        help_text=gettext_lazy("Printed at the top of the supplemental letter."),
        error_messages=_SUMMARY,
    )


class AmendmentForm(forms.Form):
    summary = _summary_field()
    from_log = forms.UUIDField(required=False, widget=forms.HiddenInput)


class AmendmentLetterForm(forms.Form):
    summary = _summary_field()
    letter = LimitedTextField(
        label=gettext_lazy("Supplemental letter"),
        required=False,
        max_length=20000,
        widget=forms.Textarea(attrs={"rows": 14}),
        help_text=gettext_lazy(
            "Drafted from what changed and the new exhibits. Edit it freely; the summary, the receipt number and "
            "the signature are printed around it."
        ),
    )
    # The letter as the form was shown (``amendment_letter_stamp``): a letter changed since is not overwritten.
    loaded = forms.CharField(required=False, widget=forms.HiddenInput, max_length=64)


class AmendmentExhibitForm(RfeExhibitForm):
    """A new exhibit for the amendment: the same file checks and title as a response's."""


class AmendmentSentForm(RfeSentForm):
    """When and how the supplemental letter was sent."""
