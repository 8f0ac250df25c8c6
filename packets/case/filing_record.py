"""The filing record after the fact: the receipt number when it arrives, the receipt notice, the e-notification.

``packets.review.filing`` records the filing itself (date, method, the pinned version); this corrects and completes it
as the agency answers. Every change goes to the case log.
"""

from datetime import date

from django import forms
from django.contrib.auth.models import User
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from packets.case.documents import CaseFileField, CaseFormTokenField, CaseUpload, case_document_add
from packets.case.log import case_log_record
from packets.models import CaseDocumentKind, Filing, Packet
from packets.review.filing import RECEIPT_PATTERN, receipt_number_normalized
from packets.text_fields import LimitedTextField


class FilingRecordForm(forms.Form):
    receipt_number = LimitedTextField(
        label=gettext_lazy("Receipt number"),
        required=False,
        max_length=40,
        help_text=gettext_lazy("Three letters and ten digits, as on the receipt notice, for example IOE0123456789."),
    )
    receipt_on = forms.DateField(
        label=gettext_lazy("Date of the receipt notice"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
        error_messages={"invalid": gettext_lazy("Enter the date as year-month-day, for example 2026-03-14.")},
    )
    receipt_notice = CaseFileField(label=gettext_lazy("Receipt notice (Form I-797C)"), required=False)
    e_notification_requested = forms.BooleanField(
        label=gettext_lazy("An e-notification was requested (Form G-1145)"),
        required=False,
        help_text=gettext_lazy("The agency then sends an email or text message when it accepts the packet."),
    )
    form_token = CaseFormTokenField()

    def __init__(self, *args: object, filing: Filing, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        self.filing = filing

    def clean_receipt_number(self) -> str:
        number = receipt_number_normalized(self.cleaned_data["receipt_number"])
        if number and not RECEIPT_PATTERN.fullmatch(number):
            raise forms.ValidationError(
                _("A receipt number is three letters and ten digits, for example IOE0123456789. Check it.")
            )
        return number

    def clean_receipt_on(self) -> date | None:
        value: date | None = self.cleaned_data.get("receipt_on")
        if value is None:
            return None
        if value > timezone.localdate():
            raise forms.ValidationError(_("The receipt notice cannot be dated in the future."))
        if value < self.filing.filed_on:
            raise forms.ValidationError(
                _("The receipt notice cannot be dated before the filing (%(date)s).") % {"date": self.filing.filed_on}
            )
        return value


def filing_record_update(*, packet: Packet, by: User, form: FilingRecordForm) -> Filing:
    """Save what the form changed on the filing record, log each change, and store a new receipt notice."""
    data = form.cleaned_data
    with transaction.atomic():
        filing = Filing.objects.select_for_update().get(packet_id=packet.pk)
        changes = []
        if data["receipt_number"] != filing.receipt_number:
            filing.receipt_number = data["receipt_number"]
            changes.append(_("receipt number %(number)s") % {"number": filing.receipt_number or _("removed")})
        if data["receipt_on"] != filing.receipt_on:
            filing.receipt_on = data["receipt_on"]
            changes.append(_("receipt notice dated %(date)s") % {"date": filing.receipt_on or _("unknown")})
        if data["e_notification_requested"] != filing.e_notification_requested:
            filing.e_notification_requested = data["e_notification_requested"]
            changes.append(_("e-notification requested") if filing.e_notification_requested else _("no e-notification"))
        if data.get("receipt_notice"):
            notice = case_document_add(
                packet=packet,
                upload=CaseUpload(
                    file=data["receipt_notice"],
                    kind=CaseDocumentKind.RECEIPT_NOTICE,
                    title="Receipt notice (Form I-797C)",
                    issued_on=filing.receipt_on,
                    form_token=data.get("form_token", ""),
                ),
                by=by,
            )
            if notice.pk != filing.receipt_notice_id:
                filing.receipt_notice = notice
                changes.append(_("receipt notice uploaded"))
        if changes:
            filing.save()
            case_log_record(
                packet=packet, by=by, summary=_("Filing record: %(changes)s.") % {"changes": "; ".join(changes)}
            )
    return filing
