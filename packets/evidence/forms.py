"""Forms of the packets app (exhibit details)."""

from django import forms
from django.utils.translation import gettext_lazy as _

from packets.models import ExhibitKind
from packets.text_fields import LimitedTextField


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self) -> None:
        super().__init__(format="%Y-%m-%d")


class ExhibitDetailsForm(forms.Form):
    """Correct an exhibit's title, kind, issuer or date."""

    title = LimitedTextField(label=_("Title"), max_length=200)
    kind = forms.ChoiceField(label=_("Kind of evidence"), choices=ExhibitKind.choices)
    issuer = LimitedTextField(label=_("Issued by"), required=False, max_length=200)
    issued_on = forms.DateField(label=_("Date"), required=False, widget=DateInput())
