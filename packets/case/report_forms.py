"""The forms of the reports: a report for one due date of a reporting condition, and the closing report."""

from datetime import date
from typing import Any

from django import forms
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from packets.case.decision_forms import date_field
from packets.text_fields import LimitedTextField

ACHIEVED_MAX = 500


def _achieved_field(row: dict[str, str]) -> LimitedTextField:
    return LimitedTextField(
        label=_("Achieved so far: %(indicator)s") % {"indicator": row["indicator"] or _("(unnamed indicator)")},
        help_text=_("Target: %(target)s") % {"target": row["target"] or _("none given")},
        required=False,
        max_length=ACHIEVED_MAX,
        initial=row["achieved"],
    )


class IndicatorRowsMixin:
    """Adds one "achieved so far" field per indicator row (``achieved_0``, ``achieved_1``, …)."""

    fields: dict[str, forms.Field]
    cleaned_data: dict[str, Any]

    def add_indicator_fields(self, rows: list[dict[str, str]]) -> None:
        self.rows = rows
        for index, row in enumerate(rows):
            self.fields[f"achieved_{index}"] = _achieved_field(row)

    def achieved_rows(self) -> list[dict[str, str]]:
        return [
            {"indicator": row["indicator"], "target": row["target"], "achieved": self.cleaned_data[f"achieved_{index}"]}
            for index, row in enumerate(self.rows)
        ]


class ReportForm(IndicatorRowsMixin, forms.Form):
    narrative = LimitedTextField(
        label=gettext_lazy("What happened in the period"),
        help_text=gettext_lazy("The work done, the milestones reached, anything the recipient should know."),
        required=False,
        max_length=20000,
        widget=forms.Textarea(attrs={"rows": 8}),
    )
    sent_on = date_field(
        gettext_lazy("Sent on"), help_text=gettext_lazy("Fill this in once the report has gone to the recipient.")
    )
    revision = forms.IntegerField(widget=forms.HiddenInput, required=False, min_value=0)

    def __init__(self, *args: Any, rows: list[dict[str, str]], period_from: date | None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.period_from = period_from
        self.add_indicator_fields(rows)
        self.order_fields([*(f"achieved_{index}" for index in range(len(rows))), "narrative", "sent_on"])

    def clean_sent_on(self) -> date | None:
        value: date | None = self.cleaned_data.get("sent_on")
        if value and value > timezone.localdate():
            raise forms.ValidationError(_("A report cannot be sent in the future: fill this in once it has gone."))
        if value and self.period_from and value < self.period_from:
            raise forms.ValidationError(
                _("The report is sent after its period starts (%(date)s).") % {"date": self.period_from}
            )
        return value
