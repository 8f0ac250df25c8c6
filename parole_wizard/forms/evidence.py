"""The evidence step: one more exhibit of any kind, added beside those the other steps ask for."""

from typing import Any

from django import forms
from django.core.files.uploadedfile import UploadedFile
from django.utils.translation import gettext_lazy as _

from packets.content.services import ExhibitUpload
from packets.models import ExhibitKind
from packets.text_fields import LimitedTextField
from parole_wizard.fields import DateInput
from parole_wizard.forms.once import FormTokenField, uploads_of_submission
from parole_wizard.forms.slots import clean_upload, evidence_file_input

_SLOT_ONLY = frozenset({ExhibitKind.PASSPORT, ExhibitKind.CV, ExhibitKind.SUPPORT_LETTER})


class EvidenceForm(forms.Form):
    """Adds one more exhibit of any kind; the step also lists every exhibit with its label."""

    revision = forms.IntegerField(widget=forms.HiddenInput, required=False, min_value=0)
    form_token = FormTokenField()
    file = forms.FileField(
        label=_("File"),
        required=False,
        help_text=_("PDF, JPEG or PNG, up to 25 MB."),
        widget=evidence_file_input(),
    )
    title = LimitedTextField(
        label=_("Title"), required=False, max_length=200, help_text=_("For example: Site safety plan, January 2027.")
    )
    kind = forms.ChoiceField(
        label=_("Kind of evidence"),
        required=False,
        choices=[("", _("Choose…"))] + [(k.value, k.label) for k in ExhibitKind if k not in _SLOT_ONLY],
    )
    issuer = LimitedTextField(label=_("Issued by"), required=False, max_length=200)
    issued_on = forms.DateField(label=_("Date"), required=False, widget=DateInput())

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        for key in ("stored", "content"):
            kwargs.pop(key, None)
        super().__init__(*args, **kwargs)
        self.formsets: dict[str, Any] = {}

    def clean_file(self) -> UploadedFile | None:
        return clean_upload(self.cleaned_data.get("file"))

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        if cleaned.get("file"):
            if not cleaned.get("title"):
                self.add_error("title", _("Give the file a title, so the reviewer knows what it is."))
            if not cleaned.get("kind"):
                self.add_error("kind", _("Choose what kind of evidence this is."))
        return cleaned

    def uploads(self) -> list[ExhibitUpload]:
        if not self.cleaned_data.get("file"):
            return []
        return [
            ExhibitUpload(
                file=self.cleaned_data["file"],
                kind=self.cleaned_data["kind"],
                title=self.cleaned_data["title"],
                issuer=self.cleaned_data.get("issuer") or "",
                issued_on=self.cleaned_data.get("issued_on"),
            )
        ]

    def submitted_uploads(self) -> list[ExhibitUpload]:
        """``uploads``, stored once however often this one form is sent (``parole_wizard.forms.once``)."""
        return uploads_of_submission(self, self.uploads())

    def all_errors(self) -> list[tuple[str, str]]:
        return [
            (self[name].id_for_label if name in self.fields else "", str(message))
            for name, messages in self.errors.items()
            for message in messages
        ]
