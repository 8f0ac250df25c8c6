"""The caseload's search, filters and sort: a GET form whose bad values are dropped, never shown as errors."""

from typing import Any

from django import forms
from django.http import QueryDict
from django.utils.translation import gettext_lazy

from packets.case.caseload import SORTS, STATUSES, TURNS

QUERY_MAX = 100


class CaseloadForm(forms.Form):
    q = forms.CharField(
        label=gettext_lazy("Search"),
        required=False,
        max_length=QUERY_MAX,
        help_text=gettext_lazy("A beneficiary's name, a packet's name or a receipt number."),
        widget=forms.TextInput(attrs={"type": "search"}),
    )
    turn = forms.ChoiceField(
        label=gettext_lazy("Whose turn"),
        required=False,
        choices=[("", gettext_lazy("Anyone's")), *TURNS.items()],
    )
    status = forms.ChoiceField(
        label=gettext_lazy("Status"),
        required=False,
        choices=[("", gettext_lazy("Any status")), *STATUSES.items()],
    )
    sort = forms.ChoiceField(label=gettext_lazy("Sort by"), required=False, choices=list(SORTS.items()))


def caseload_filters(params: QueryDict) -> tuple[dict[str, Any], CaseloadForm]:
    """The valid search, filter and sort values of ``params`` (a bad one is left out, as if absent), and the form
    showing them."""
    asked = CaseloadForm(data=params)
    asked.is_valid()
    values = {"q": "", "turn": "", "status": "", "sort": "deadline"}
    values.update({name: value for name, value in asked.cleaned_data.items() if value})
    return values, CaseloadForm(data=values)
