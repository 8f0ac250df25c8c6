"""The forms of a request for evidence: recording it, answering an item, adding a new exhibit, sending it."""

from datetime import date
from typing import Any

from django import forms
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from packets.case.documents import CaseFileField, CaseFormTokenField
from packets.case.rfe import split_items
from packets.models import Filing, SentMethod
from packets.text_fields import LimitedTextField

_DATE = {"invalid": gettext_lazy("Enter the date as year-month-day, for example 2026-03-14.")}


def _date_field(label: Any, required: bool = True, **kwargs: Any) -> forms.DateField:
    return forms.DateField(
        label=label,
        required=required,
        widget=forms.DateInput(attrs={"type": "date"}),
        error_messages=_DATE | {"required": gettext_lazy("Enter the date.")},
        **kwargs,
    )


class RfeRecordForm(forms.Form):
    issued_on = _date_field(
        gettext_lazy("Date the notice was issued"),
        help_text=gettext_lazy("As printed on the notice: the deadline counts from it."),
    )
    received_on = _date_field(gettext_lazy("Date you received it"), required=False)
    mailed = forms.BooleanField(
        label=gettext_lazy("The notice came by mail"),
        required=False,
        initial=True,
        help_text=gettext_lazy("A mailed notice gives 3 more days to respond."),
    )
    notice = CaseFileField(label=gettext_lazy("The notice (scan or PDF)"), required=False)
    items = LimitedTextField(
        label=gettext_lazy("The numbered items the agency asks for"),
        max_length=50000,
        widget=forms.Textarea(attrs={"rows": 10}),
        help_text=gettext_lazy(
            "Copy each item from the notice, each starting with its number (1., 2., …): each becomes an item to answer."
        ),
        error_messages={"required": gettext_lazy("Enter the items of the notice, each starting with its number.")},
    )
    form_token = CaseFormTokenField()

    def __init__(self, *args: Any, filing: Filing, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.filing = filing

    def clean_issued_on(self) -> date:
        value: date = self.cleaned_data["issued_on"]
        if value > timezone.localdate():
            raise forms.ValidationError(_("The notice cannot be dated in the future."))
        if value < self.filing.filed_on:
            raise forms.ValidationError(
                _("A request for evidence comes after the filing (%(date)s).") % {"date": self.filing.filed_on}
            )
        return value

    def clean_items(self) -> list[str]:
        items = split_items(self.cleaned_data["items"])
        if not items:
            raise forms.ValidationError(_("Enter the items of the notice, each starting with its number."))
        return items

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        issued, received = cleaned.get("issued_on"), cleaned.get("received_on")
        if issued and received and received < issued:
            self.add_error("received_on", _("You cannot have received it before it was issued."))
        return cleaned


class RfeAnswerForm(forms.Form):
    answer = LimitedTextField(
        label=gettext_lazy("Answer"), required=False, max_length=20000, widget=forms.Textarea(attrs={"rows": 5})
    )
    cites = LimitedTextField(
        label=gettext_lazy("Exhibits this answer cites"),
        required=False,
        max_length=500,
        help_text=gettext_lazy("Labels, with a page if it helps: “C p. 2, O”. Filed exhibits keep their filed labels."),
    )


class RfeIntroductionForm(forms.Form):
    introduction = LimitedTextField(
        label=gettext_lazy("Opening of the response letter (optional)"),
        required=False,
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=gettext_lazy("Left empty, the letter opens with the receipt number and the notice's date."),
    )


class RfeExhibitForm(forms.Form):
    file = CaseFileField(label=gettext_lazy("New exhibit"))
    title = LimitedTextField(
        label=gettext_lazy("Title"),
        max_length=200,
        error_messages={"required": gettext_lazy("Give the exhibit a title, so the officer knows what it is.")},
    )
    form_token = CaseFormTokenField()


class RfeItemForm(forms.Form):
    text = LimitedTextField(
        label=gettext_lazy("What the agency asks (another item)"),
        max_length=10000,
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"required": gettext_lazy("Enter the item's text.")},
    )


class RfeSentForm(forms.Form):
    sent_on = _date_field(gettext_lazy("Date sent"))
    method = forms.ChoiceField(
        label=gettext_lazy("How was it sent?"),
        choices=SentMethod.choices,
        widget=forms.RadioSelect,
        error_messages={"required": gettext_lazy("Choose how it was sent.")},
    )


class RfeStepForm(forms.Form):
    note = LimitedTextField(
        label=gettext_lazy("Note"), required=False, max_length=5000, widget=forms.Textarea(attrs={"rows": 2})
    )
    revision = forms.IntegerField(required=False, widget=forms.HiddenInput)


class RfeCommentForm(forms.Form):
    body = LimitedTextField(
        label=gettext_lazy("Comment"),
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 2}),
        error_messages={"required": gettext_lazy("Write the comment first.")},
    )
    item = forms.IntegerField(required=False, widget=forms.HiddenInput)
