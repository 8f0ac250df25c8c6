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


def _long_text(label: Any, help_text: Any = "", rows: int = 5) -> LimitedTextField:
    return LimitedTextField(
        label=label, help_text=help_text, required=False, max_length=20000, widget=forms.Textarea(attrs={"rows": rows})
    )


class ClosingForm(IndicatorRowsMixin, forms.Form):
    """The closing report: achieved per indicator, each milestone reached or not with a note, and the free texts."""

    capacity_built = _long_text(
        gettext_lazy("Capacity built"),
        gettext_lazy("Who was trained, what was handed over (manuals, tools, methods), in numbers where you can."),
    )
    continued_by = _long_text(
        gettext_lazy("Who continues the work"), gettext_lazy("The people or partners who carry the work on, and how.")
    )
    compliance = _long_text(
        gettext_lazy("Note on compliance"),
        gettext_lazy("The report dates are listed above from the case; add anything they do not show."),
        rows=3,
    )
    lessons = _long_text(gettext_lazy("Lessons learned"))
    revision = forms.IntegerField(widget=forms.HiddenInput, required=False, min_value=0)

    def __init__(self, *args: Any, rows: list[dict[str, str]], milestones: list[dict[str, Any]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.add_indicator_fields(rows)
        for index, row in enumerate(rows):
            self.fields[f"achieved_{index}"].label = _("Achieved: %(indicator)s") % {
                "indicator": row["indicator"] or _("(unnamed indicator)")
            }
        self.milestone_rows = milestones
        for index, row in enumerate(milestones):
            name = row["description"] or _("(undescribed milestone)")
            self.fields[f"reached_{index}"] = forms.BooleanField(
                label=_("Reached: %(milestone)s") % {"milestone": name}, required=False, initial=row["reached"]
            )
            self.fields[f"milestone_note_{index}"] = LimitedTextField(
                label=_("Note on: %(milestone)s") % {"milestone": name},
                required=False,
                max_length=ACHIEVED_MAX,
                initial=row["note"],
            )
        milestone_fields = [
            f"{kind}_{index}" for index in range(len(milestones)) for kind in ("reached", "milestone_note")
        ]
        self.order_fields(
            [*(f"achieved_{index}" for index in range(len(rows))), *milestone_fields, "capacity_built", "continued_by"]
        )

    def milestones(self) -> list[dict[str, Any]]:
        return [
            row
            | {"reached": self.cleaned_data[f"reached_{index}"], "note": self.cleaned_data[f"milestone_note_{index}"]}
            for index, row in enumerate(self.milestone_rows)
        ]

    def texts(self) -> dict[str, str]:
        return {name: self.cleaned_data[name] for name in ("capacity_built", "continued_by", "compliance", "lessons")}


class PublicSummaryForm(forms.Form):
    text = _long_text(
        gettext_lazy("The summary"),
        gettext_lazy(
            "Markdown: # for the title, ## for a heading, - for a list item. Personal data is left out again on every "
            "export, whatever is typed here. Empty it to go back to the text made from the closing report."
        ),
        rows=18,
    )
    revision = forms.IntegerField(widget=forms.HiddenInput, required=False, min_value=0)
