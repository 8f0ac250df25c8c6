"""Marking a packet as filed: a confirmation form that records when, how and with which receipt number it was filed.

The record (``Filing``) is what the case after filing builds on. A packet is filed with the final PDF rendered from
the approved revision, unless the person says they filed a PDF made outside this app.
"""

import re
from datetime import date

from django import forms
from django.contrib.auth.models import User
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from packets.models import Filing, FilingMethod, Membership, Packet, PacketVersion, Role
from packets.review.workflow import ReviewRefused, review_transition
from packets.text_fields import LimitedTextField

RECEIPT_PATTERN = re.compile(r"[A-Z]{3}[0-9]{10}")


def receipt_number_normalized(value: str) -> str:
    """``ioe-0123 456 789`` → ``IOE0123456789``: upper case, without spaces or dashes."""
    return re.sub(r"[\s\-–]+", "", value).upper()


def final_version(packet: Packet) -> PacketVersion | None:
    """The newest final PDF of the approved revision (a final PDF renders only from it, so: made since approval)."""
    if packet.approved_at is None:
        return None
    return PacketVersion.objects.filter(packet=packet, final=True, created_at__gte=packet.approved_at).first()


def packet_filing(packet: Packet) -> Filing | None:
    """The packet's filing record, if it was marked as filed."""
    return Filing.objects.filter(packet_id=packet.pk).select_related("filed_version", "recorded_by__profile").first()


def packet_counsel_members(packet: Packet) -> list[Membership]:
    """The packet's counsel, with their profiles (named with firm and bar number on the packet pages)."""
    return list(
        Membership.objects.filter(packet_id=packet.pk, role=Role.COUNSEL).select_related("user__profile").order_by("id")
    )


class MarkFiledForm(forms.Form):
    filed_on = forms.DateField(
        label=gettext_lazy("Filing date"),
        widget=forms.DateInput(attrs={"type": "date"}),
        help_text=gettext_lazy("The day you mailed the packet or submitted it online."),
        error_messages={
            "required": gettext_lazy("Enter the day it was filed."),
            "invalid": gettext_lazy("Enter the date as year-month-day, for example 2026-03-14."),
        },
    )
    method = forms.ChoiceField(
        label=gettext_lazy("How was it filed?"),
        choices=FilingMethod.choices,
        widget=forms.RadioSelect,
        error_messages={"required": gettext_lazy("Choose how it was filed.")},
    )
    receipt_number = LimitedTextField(
        label=gettext_lazy("Receipt number (if you have it)"),
        required=False,
        max_length=40,
        help_text=gettext_lazy("Three letters and ten digits, as on the receipt notice, for example IOE0123456789."),
    )
    filed_outside_app = forms.BooleanField(
        label=gettext_lazy("I filed a PDF made outside this app"),
        required=False,
        help_text=gettext_lazy("Tick this only if the packet you sent was not the final PDF rendered here."),
    )
    note = LimitedTextField(
        label=gettext_lazy("Note (optional)"), required=False, max_length=2000, widget=forms.Textarea(attrs={"rows": 2})
    )

    def __init__(self, *args: object, packet: Packet, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        self.packet = packet

    def clean_filed_on(self) -> date:
        filed_on: date = self.cleaned_data["filed_on"]
        if filed_on > timezone.localdate():
            raise forms.ValidationError(_("The filing date cannot be in the future."))
        created = timezone.localdate(self.packet.created_at)
        if filed_on < created:
            raise forms.ValidationError(
                _("The filing date cannot be before the packet was started (%(date)s).") % {"date": created}
            )
        return filed_on

    def clean_receipt_number(self) -> str:
        number = receipt_number_normalized(self.cleaned_data["receipt_number"])
        if number and not RECEIPT_PATTERN.fullmatch(number):
            raise forms.ValidationError(
                _(
                    "A receipt number is three letters and ten digits, for example IOE0123456789. "
                    "Check it, or leave it empty."
                )
            )
        return number

    def clean(self) -> dict[str, object]:
        cleaned = super().clean() or {}
        if not cleaned.get("filed_outside_app") and final_version(self.packet) is None:
            self.add_error(
                "filed_outside_app",
                _(
                    "There is no final PDF of the approved revision yet. Render it first, or tick this box if you "
                    "filed a PDF made outside this app."
                ),
            )
        return cleaned


def packet_mark_filed(
    *,
    packet: Packet,
    by: User,
    filed_on: date,
    method: str,
    receipt_number: str = "",
    filed_outside_app: bool = False,
    note: str = "",
) -> Packet:
    """Record that the approved packet was filed, and how; refused without a final PDF unless filed outside the app."""
    receipt_number = receipt_number_normalized(receipt_number)
    if receipt_number and not RECEIPT_PATTERN.fullmatch(receipt_number):
        raise ReviewRefused(_("A receipt number is three letters and ten digits, for example IOE0123456789."))
    if method not in FilingMethod.values:
        raise ReviewRefused(_("Choose how it was filed."))
    if filed_on > timezone.localdate() or filed_on < timezone.localdate(packet.created_at):
        raise ReviewRefused(_("The filing date must be between the day the packet was started and today."))

    def record(locked: Packet) -> None:
        # Under the packet's lock, after the role and status were checked: a refusal here undoes the transition.
        version = final_version(locked)
        if version is None and not filed_outside_app:
            raise ReviewRefused(_("Render the final PDF first, or record that you filed a PDF made outside this app."))
        Filing.objects.create(
            packet=locked,
            filed_on=filed_on,
            method=method,
            receipt_number=receipt_number,
            filed_version=None if filed_outside_app else version,
            filed_outside_app=filed_outside_app,
            recorded_by=by,
        )

    return review_transition(packet=packet, by=by, name="mark_filed", note=note, before_notify=record)
