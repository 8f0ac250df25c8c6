"""The steps about who is involved: the person who would travel, who files, the organisation, why this person, and
the partners with their support letters."""

import uuid
from typing import Any

from django import forms
from django.core.files.uploadedfile import UploadedFile
from django.utils.translation import gettext_lazy as _
from django.utils.translation import gettext_noop

from packets.content.schema import (
    Beneficiary,
    Organisation,
    PacketData,
    Partner,
    Partners,
    PriorTrip,
    Qualifications,
    RequestedBy,
    Requestor,
)
from packets.content.services import ExhibitUpload
from packets.models import ExhibitKind
from packets.text_fields import LimitedTextField
from parole_wizard.fields import DateInput
from parole_wizard.forms.base import Missing, RowForm, RowList, SectionForm
from parole_wizard.forms.slots import ExhibitSlotMixin, clean_upload, evidence_file_input


class PriorTripForm(RowForm):
    model = PriorTrip
    field_names = ("arrived_on", "departed_on", "status", "purpose", "left_on_time")
    needed = frozenset({"arrived_on", "departed_on", "status"})


class BeneficiaryForm(ExhibitSlotMixin, SectionForm):
    section = "beneficiary"
    model = Beneficiary
    field_names = (
        "full_name", "other_names", "date_of_birth", "place_of_birth", "citizenship", "passport_number",
        "passport_country", "passport_issued_on", "passport_expires_on", "residence_address", "email", "phone",
        "immigration_history",
    )  # fmt: skip
    needed = frozenset({
        "full_name", "date_of_birth", "citizenship", "passport_number", "passport_country", "passport_expires_on",
        "residence_address", "email", "immigration_history",
    })  # fmt: skip
    lists = {"prior_trips": RowList(PriorTripForm, _("Earlier trips to the United States"), _("Add another trip"))}
    slots = {"passport_exhibit_id": (ExhibitKind.PASSPORT, gettext_noop("Passport biographic page"))}
    groups = (
        (_("Identity"), ("full_name", "other_names", "date_of_birth", "place_of_birth", "citizenship")),
        (_("Passport"), ("passport_number", "passport_country", "passport_issued_on", "passport_expires_on")),
        (_("Where to reach them"), ("residence_address", "email", "phone")),
        (_("Immigration history"), ("immigration_history",)),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.add_slot_fields()

    def clean_passport_file(self) -> UploadedFile | None:
        return clean_upload(self.cleaned_data.get("passport_file"))

    def to_section(self) -> dict[str, Any]:
        return self.slot_values(super().to_section())

    def uploads(self) -> list[ExhibitUpload]:
        name = self.cleaned_data.get("full_name") or ""
        return self.slot_uploads(title_suffix=name, issuer=self.cleaned_data.get("passport_country") or "")

    @classmethod
    def missing_in(cls, value: dict[str, Any], content: PacketData) -> list[Missing]:
        missing = super().missing_in(value, content)
        if not value.get("passport_exhibit_id"):
            missing.append(Missing("passport_file", _("Passport biographic page")))
        return missing


class RequestorForm(SectionForm):
    section = "requestor"
    model = Requestor
    field_names = ("requested_by", "counsel_name", "counsel_firm", "counsel_email", "counsel_phone")
    needed = frozenset({"requested_by"})
    groups = (
        (None, ("requested_by",)),
        (_("Counsel (if a lawyer or accredited representative helps)"),
         ("counsel_name", "counsel_firm", "counsel_email", "counsel_phone")),
    )  # fmt: skip

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["requested_by"] = forms.ChoiceField(
            label=_("Who files the request?"),
            required=False,
            choices=[
                (RequestedBy.SELF.value, _("The person who would travel files for themselves")),
                (RequestedBy.ORGANISATION.value, _("An organisation or government body files on their behalf")),
            ],
            widget=forms.RadioSelect,
        )
        self.order_fields(["revision", *self.field_names])

    def clean_requested_by(self) -> str | None:
        return self.cleaned_data.get("requested_by") or None


class OrganisationForm(SectionForm):
    section = "organisation"
    model = Organisation
    field_names = (
        "name", "kind", "address", "contact_name", "contact_title", "contact_email", "contact_phone",
    )  # fmt: skip
    needed = frozenset({"name", "kind", "address", "contact_name", "contact_title", "contact_email"})


class QualificationsForm(ExhibitSlotMixin, SectionForm):
    section = "qualifications"
    model = Qualifications
    field_names = ("skills", "need_connection", "prior_work", "certifications")
    needed = frozenset({"skills", "need_connection"})
    slots = {"cv_exhibit_id": (ExhibitKind.CV, gettext_noop("Curriculum vitae"))}

    certificate_file = forms.FileField(
        label=_("Add a certificate or licence"),
        required=False,
        help_text=_("PDF, JPEG or PNG, up to 25 MB. Add one at a time; each becomes its own exhibit."),
        widget=evidence_file_input(),
    )
    certificate_title = LimitedTextField(label=_("Certificate title"), required=False, max_length=200)
    certificate_issuer = LimitedTextField(label=_("Issued by"), required=False, max_length=200)
    certificate_date = forms.DateField(label=_("Date issued"), required=False, widget=DateInput())

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.add_slot_fields()

    def clean_cv_file(self) -> UploadedFile | None:
        return clean_upload(self.cleaned_data.get("cv_file"))

    def clean_certificate_file(self) -> UploadedFile | None:
        return clean_upload(self.cleaned_data.get("certificate_file"))

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean()
        if cleaned.get("certificate_file") and not cleaned.get("certificate_title"):
            self.add_error("certificate_title", _("Give the certificate a title, for example: PE licence, Chile."))
        return cleaned

    def to_section(self) -> dict[str, Any]:
        return self.slot_values(super().to_section())

    def uploads(self) -> list[ExhibitUpload]:
        name = self.content.beneficiary.full_name
        uploads = self.slot_uploads(title_suffix=name, issuer=name)
        if self.cleaned_data.get("certificate_file"):
            uploads.append(
                ExhibitUpload(
                    file=self.cleaned_data["certificate_file"],
                    kind=ExhibitKind.CERTIFICATE,
                    title=self.cleaned_data["certificate_title"],
                    issuer=self.cleaned_data.get("certificate_issuer") or "",
                    issued_on=self.cleaned_data.get("certificate_date"),
                )
            )
        return uploads

    @classmethod
    def missing_in(cls, value: dict[str, Any], content: PacketData) -> list[Missing]:
        missing = super().missing_in(value, content)
        if not value.get("cv_exhibit_id"):
            missing.append(Missing("cv_file", _("Curriculum vitae")))
        return missing


class PartnerForm(RowForm):
    model = Partner
    field_names = (
        "name", "kind", "role", "contact_name", "contact_title", "contact_email", "contact_phone", "letter_date",
    )  # fmt: skip
    needed = frozenset({"name", "kind", "role", "contact_name", "contact_email"})

    id = forms.UUIDField(widget=forms.HiddenInput, required=False)
    letter_file = forms.FileField(
        label=_("Support letter"),
        required=False,
        help_text=_(
            "PDF, JPEG or PNG, up to 25 MB. A strong letter confirms support for the project, names the person's "
            "role, and gives a contact."
        ),
        widget=evidence_file_input(),
    )

    def clean_letter_file(self) -> UploadedFile | None:
        return clean_upload(self.cleaned_data.get("letter_file"))


class PartnersForm(SectionForm):
    section = "partners"
    model = Partners
    field_names = ()
    lists = {"items": RowList(PartnerForm, _("Partner organisations"), _("Add another partner"), at_least=1)}

    def row_to_value(self, list_name: str, form: RowForm) -> dict[str, Any]:
        row = form.row_value()
        stored = {str(item.get("id")): item for item in self.stored.get("items", [])}
        posted_id = form.cleaned_data.get("id")
        previous = stored.get(str(posted_id)) if posted_id else None
        row["id"] = str(posted_id) if previous else str(uuid.uuid4())
        form.cleaned_data["id"] = row["id"]
        row["letter_exhibit_id"] = previous.get("letter_exhibit_id") if previous else None
        return row

    def uploads(self) -> list[ExhibitUpload]:
        uploads = []
        for position, (_index, form) in enumerate(self.formsets["items"].rows()):
            upload = form.cleaned_data.get("letter_file")
            if upload:
                name = form.cleaned_data.get("name") or ""
                uploads.append(
                    ExhibitUpload(
                        file=upload,
                        kind=ExhibitKind.SUPPORT_LETTER,
                        title=f"Letter of support, {name}" if name else "Letter of support",
                        issuer=name,
                        issued_on=form.cleaned_data.get("letter_date"),
                        target=("items", position, "letter_exhibit_id"),
                    )
                )
        return uploads

    @classmethod
    def missing_in(cls, value: dict[str, Any], content: PacketData) -> list[Missing]:
        missing = super().missing_in(value, content)
        for index, row in enumerate(value.get("items") or []):
            if not row.get("letter_exhibit_id"):
                missing.append(Missing("letter_file", _("Support letter"), row=index))
            if not row.get("contact_phone") and not row.get("contact_email"):
                missing.append(Missing("contact_phone", _("Contact's email or phone"), row=index))
        return missing
