"""The case log's form: an interaction or a change, with a file attached if there is one."""

from datetime import date
from typing import Any

from django import forms
from django.contrib.auth.models import User
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from packets.case.documents import CaseFileField, CaseFormTokenField, CaseUpload, case_document_add
from packets.models import CaseDocumentKind, CaseLogEntry, CaseLogKind, Filing, Packet
from packets.text_fields import LimitedTextField

KINDS = [(value, label) for value, label in CaseLogKind.choices if value != CaseLogKind.EVENT]


class CaseLogForm(forms.Form):
    happened_on = forms.DateField(
        label=gettext_lazy("Date"),
        widget=forms.DateInput(attrs={"type": "date"}),
        error_messages={
            "required": gettext_lazy("Enter the day it happened."),
            "invalid": gettext_lazy("Enter the date as year-month-day, for example 2026-03-14."),
        },
    )
    kind = forms.ChoiceField(
        label=gettext_lazy("What was it?"),
        choices=KINDS,
        error_messages={"required": gettext_lazy("Choose what kind of entry this is.")},
    )
    who = LimitedTextField(
        label=gettext_lazy("Who"),
        required=False,
        max_length=200,
        help_text=gettext_lazy("For example: USCIS Contact Center, or Dr. Ortiz (partner)."),
    )
    summary = LimitedTextField(
        label=gettext_lazy("Summary"),
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=gettext_lazy("What was said or decided. A change of scope, people or dates can become an amendment."),
        error_messages={"required": gettext_lazy("Write a short summary, so the case log says what happened.")},
    )
    attachment = CaseFileField(label=gettext_lazy("Attach a file (optional)"), required=False)
    attachment_title = LimitedTextField(label=gettext_lazy("Title of the file"), required=False, max_length=200)
    form_token = CaseFormTokenField()

    def __init__(self, *args: Any, filing: Filing, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.filing = filing

    def clean_happened_on(self) -> date:
        value: date = self.cleaned_data["happened_on"]
        if value > timezone.localdate():
            raise forms.ValidationError(_("The date cannot be in the future."))
        if value < self.filing.filed_on:
            raise forms.ValidationError(
                _("The case log starts on the filing date (%(date)s).") % {"date": self.filing.filed_on}
            )
        return value


def case_log_save(*, packet: Packet, by: User, form: CaseLogForm, entry: CaseLogEntry | None = None) -> CaseLogEntry:
    """Add (or edit) a log entry from the form, storing its attachment as a case document."""
    data = form.cleaned_data
    with transaction.atomic():
        if entry is None:
            entry = CaseLogEntry(packet=packet, created_by=by)
        entry.happened_on = data["happened_on"]
        entry.kind = data["kind"]
        entry.who = data["who"]
        entry.summary = data["summary"]
        entry.save()
        if data.get("attachment"):
            upload = data["attachment"]
            case_document_add(
                packet=packet,
                upload=CaseUpload(
                    file=upload,
                    kind=CaseDocumentKind.ATTACHMENT,
                    title=data["attachment_title"] or upload.name or _("Attachment"),
                    issued_on=entry.happened_on,
                    log_entry=entry,
                    form_token=data.get("form_token", ""),
                ),
                by=by,
            )
    return entry
