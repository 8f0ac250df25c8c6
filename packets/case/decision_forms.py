"""The decision and what follows it: the parole period, conditions, the fee, travel, arrival and departure."""

from datetime import date
from typing import Any

from django import forms
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from packets.case.documents import CaseFileField, CaseFormTokenField
from packets.models import DecisionOutcome, Filing, ReportCadence
from packets.text_fields import LimitedTextField

_DATE_ERRORS = {
    "invalid": gettext_lazy("Enter the date as year-month-day, for example 2026-03-14."),
    "required": gettext_lazy("Enter the date."),
}


def date_field(label: Any, required: bool = False, **kwargs: Any) -> forms.DateField:
    return forms.DateField(
        label=label,
        required=required,
        widget=forms.DateInput(attrs={"type": "date"}),
        error_messages=_DATE_ERRORS,
        **kwargs,
    )


class DecisionForm(forms.Form):
    outcome = forms.ChoiceField(
        label=gettext_lazy("The decision"),
        choices=DecisionOutcome.choices,
        widget=forms.RadioSelect,
        error_messages={"required": gettext_lazy("Choose the decision.")},
    )
    decided_on = date_field(gettext_lazy("Date of the decision"), required=True)
    notice = CaseFileField(label=gettext_lazy("The decision notice"), required=False)
    note = LimitedTextField(
        label=gettext_lazy("Note"), required=False, max_length=5000, widget=forms.Textarea(attrs={"rows": 2})
    )
    parole_from = date_field(gettext_lazy("Parole from"))
    parole_to = date_field(gettext_lazy("Parole until"))
    employment_limits = LimitedTextField(
        label=gettext_lazy("Limits on employment"),
        required=False,
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    other_conditions = LimitedTextField(
        label=gettext_lazy("Other conditions"),
        required=False,
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    fee_amount_usd = forms.IntegerField(
        label=gettext_lazy("Parole fee (USD)"),
        required=False,
        min_value=0,
        error_messages={
            "invalid": gettext_lazy("Enter the amount in whole dollars."),
            "min_value": gettext_lazy("The amount cannot be negative."),
        },
    )
    fee_due_on = date_field(gettext_lazy("Fee due (from the payment notice)"))
    fee_paid_on = date_field(gettext_lazy("Fee paid on"))
    payment_notice = CaseFileField(label=gettext_lazy("The payment notice"), required=False)
    travel_document_on = date_field(gettext_lazy("Travel document received on"))
    arrived_on = date_field(gettext_lazy("Arrival date"))
    arrival_record = CaseFileField(label=gettext_lazy("Arrival record (I-94)"), required=False)
    form_token = CaseFormTokenField()

    def __init__(self, *args: Any, filing: Filing, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.filing = filing

    def clean_decided_on(self) -> date:
        value: date = self.cleaned_data["decided_on"]
        if value > timezone.localdate():
            raise forms.ValidationError(_("The decision cannot be dated in the future."))
        if value < self.filing.filed_on:
            raise forms.ValidationError(
                _("The decision comes after the filing (%(date)s).") % {"date": self.filing.filed_on}
            )
        return value

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        approved = cleaned.get("outcome") == DecisionOutcome.APPROVED
        start, end = cleaned.get("parole_from"), cleaned.get("parole_to")
        if approved and (start is None or end is None):
            self.add_error(
                "parole_to" if start else "parole_from", _("An approval gives a parole period: enter both dates.")
            )
        if start and end and end <= start:
            self.add_error("parole_to", _("The parole period must end after it starts."))
        arrived = cleaned.get("arrived_on")
        if arrived and start and arrived < start:
            self.add_error("arrived_on", _("The arrival cannot be before the parole period starts."))
        if not approved:
            for name in ("parole_from", "parole_to", "fee_due_on", "fee_paid_on", "arrived_on", "travel_document_on"):
                if cleaned.get(name):
                    self.add_error(name, _("Only an approval has this. Leave it empty, or choose “Approved”."))
        return cleaned


class DepartureForm(forms.Form):
    departed_on = date_field(gettext_lazy("Departure date"), required=True)
    departure_proof = CaseFileField(label=gettext_lazy("Proof of departure (boarding pass, stamp)"), required=False)
    closed_on = date_field(gettext_lazy("Case closed on (optional)"))
    form_token = CaseFormTokenField()

    def __init__(self, *args: Any, arrived_on: date | None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.arrived_on = arrived_on

    def clean_departed_on(self) -> date:
        value: date = self.cleaned_data["departed_on"]
        if self.arrived_on and value < self.arrived_on:
            raise forms.ValidationError(
                _("The departure cannot be before the arrival (%(date)s).") % {"date": self.arrived_on}
            )
        if value > timezone.localdate():
            raise forms.ValidationError(_("Record the departure once it has happened."))
        return value


class ConditionForm(forms.Form):
    recipient = LimitedTextField(
        label=gettext_lazy("Report to"),
        max_length=200,
        error_messages={"required": gettext_lazy("Say to whom the reports go.")},
    )
    how = LimitedTextField(label=gettext_lazy("How (form, channel)"), required=False, max_length=300)
    cadence = forms.ChoiceField(label=gettext_lazy("How often"), choices=ReportCadence.choices)
    every_days = forms.IntegerField(
        label=gettext_lazy("Every how many days"), required=False, min_value=1, max_value=366
    )
    first_due_on = date_field(
        gettext_lazy("First report due (optional)"),
        help_text=gettext_lazy("Left empty: one period after the parole starts."),
    )

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        if cleaned.get("cadence") == ReportCadence.EVERY_DAYS and not cleaned.get("every_days"):
            self.add_error("every_days", _("Say every how many days."))
        if cleaned.get("cadence") == ReportCadence.ONCE and not cleaned.get("first_due_on"):
            self.add_error("first_due_on", _("A single report needs its due date."))
        return cleaned
