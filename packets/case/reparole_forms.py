"""The form that starts a re-parole request: its name, the earlier exhibits to keep and the report PDFs to attach."""

from uuid import UUID

from django import forms
from django.utils.translation import gettext_lazy

from packets.case.reparole import ReparoleChoice, report_exhibit_title
from packets.evidence.labels import exhibit_label
from packets.models import CaseRender, Exhibit
from packets.text_fields import LimitedTextField


class ReparoleForm(forms.Form):
    name = LimitedTextField(
        label=gettext_lazy("Name of the new packet"),
        max_length=120,
        error_messages={"required": gettext_lazy("Give the new packet a name, for example “Riverton — re-parole”.")},
    )
    exhibits = forms.MultipleChoiceField(
        label=gettext_lazy("Exhibits to keep"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=gettext_lazy(
            "Each file is copied into the new packet. Leave out what is out of date (an old ticket, an expired "
            "passport) and upload the new one there."
        ),
    )
    reports = forms.MultipleChoiceField(
        label=gettext_lazy("Reports of the earlier period to attach"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=gettext_lazy("The newest PDF of each report, added as an exhibit after the ones you keep."),
    )
    revision = forms.IntegerField(widget=forms.HiddenInput)
    requests_seen = forms.IntegerField(widget=forms.HiddenInput, required=False, min_value=0)

    def __init__(self, *args: object, exhibits: list[Exhibit], renders: list[CaseRender], **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        exhibit_field = self.fields["exhibits"]
        report_field = self.fields["reports"]
        if isinstance(exhibit_field, forms.MultipleChoiceField) and isinstance(report_field, forms.MultipleChoiceField):
            exhibit_field.choices = [
                (str(exhibit.pk), f"{exhibit_label(index)} — {exhibit.title}") for index, exhibit in enumerate(exhibits)
            ]
            report_field.choices = [(str(render.pk), report_exhibit_title(render)) for render in renders]

    def choice(self) -> ReparoleChoice:
        data = self.cleaned_data
        return ReparoleChoice(
            name=data["name"],
            exhibit_ids=frozenset(UUID(value) for value in data["exhibits"]),
            render_ids=frozenset(UUID(value) for value in data["reports"]),
        )
