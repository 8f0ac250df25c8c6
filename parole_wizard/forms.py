"""One small form per wizard step, translating between form fields and a section of ``PacketData``.

Fields, labels, hints and limits come from the schema (``parole_wizard.fields``). A step saves whenever what was typed
is well-formed; what is still *needed* to call the step complete is listed by ``missing_in`` and shown, but never stops
a save — an applicant who must fetch their passport can save half a page and come back.
"""

import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, ClassVar, cast

from django import forms
from django.core.files.uploadedfile import UploadedFile
from django.utils.translation import gettext_lazy as _
from pydantic import BaseModel, ValidationError

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise

from packets.models import ExhibitKind
from packets.schema import (
    Alternative,
    Alternatives,
    Beneficiary,
    ExitPlan,
    Indicator,
    Logistics,
    Milestone,
    Monitoring,
    Organisation,
    PacketData,
    Partner,
    Partners,
    PriorTrip,
    Project,
    Qualifications,
    RequestedBy,
    Requestor,
    RiskManagement,
    Supporter,
    Sustainability,
    Timeline,
)
from packets.services import ExhibitUpload
from packets.uploads import UploadRejected, inspect_upload
from parole_wizard.fields import DateInput, schema_fields


def _is_empty(value: Any) -> bool:
    return value in (None, "", [], {})


def _clean_upload(upload: UploadedFile | None) -> UploadedFile | None:
    if upload is None:
        return None
    try:
        inspect_upload(upload, size=upload.size or 0, name=upload.name or "")
    except UploadRejected as error:
        raise forms.ValidationError(str(error)) from error
    return upload


def _pydantic_message(error: Any) -> str:
    return str(error["msg"]).removeprefix("Value error, ")


@dataclass(frozen=True)
class Missing:
    """Something still needed to complete a step: the field (for the link and the message beside it) and its label."""

    field: str
    label: str
    row: int | None = None


class RowForm(forms.Form):
    """One row of a repeated answer (a milestone, a partner…), its fields taken from the schema."""

    model: ClassVar[type[BaseModel]]
    field_names: ClassVar[tuple[str, ...]]
    needed: ClassVar[frozenset[str]] = frozenset()

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields.update(schema_fields(self.model, self.field_names))
        self.order_fields([*self.field_names])

    def row_value(self) -> dict[str, Any]:
        return {name: self.cleaned_data.get(name) for name in self.field_names}


class BaseRowFormSet(forms.BaseFormSet):  # type: ignore[type-arg]
    def rows(self) -> Iterator[tuple[int, RowForm]]:
        """The rows that hold an answer: not deleted, not left blank."""
        for index, form in enumerate(self.forms):
            if not hasattr(form, "cleaned_data") or (self.can_delete and self._should_delete_form(form)):  # type: ignore[attr-defined]
                continue
            if not form.has_changed() and not form.initial:
                continue
            # A tick box alone (left on time, files a declaration) is not an answer: the row is still blank.
            if all(_is_empty(value) or isinstance(value, bool) for value in form.row_value().values()):
                continue
            yield index, form


def row_formset(form: type[RowForm]) -> type[BaseRowFormSet]:
    formset = forms.formset_factory(form, formset=BaseRowFormSet, extra=1, can_delete=True, max_num=60, absolute_max=60)
    return cast(type[BaseRowFormSet], formset)


@dataclass(frozen=True)
class RowList:
    """A list field of the section edited as a formset."""

    form: type[RowForm]
    title: "StrOrPromise"
    add_label: "StrOrPromise"
    at_least: int = 0


class SectionForm(forms.Form):
    """A step's form: the section's plain fields, its repeated rows (formsets) and its file slots."""

    section: ClassVar[str]
    model: ClassVar[type[BaseModel]]
    field_names: ClassVar[tuple[str, ...]]
    needed: ClassVar[frozenset[str]] = frozenset()
    lists: ClassVar[dict[str, RowList]] = {}
    # Optional headings that split a long step into parts: (legend, field names).
    groups: ClassVar[tuple[tuple[Any, tuple[str, ...]], ...]] = ()

    revision = forms.IntegerField(widget=forms.HiddenInput, required=False, min_value=0)

    def __init__(
        self,
        *args: Any,
        stored: dict[str, Any] | None = None,
        content: PacketData | None = None,
        **kwargs: Any,
    ) -> None:
        initial = dict(kwargs.pop("initial", None) or {})
        super().__init__(*args, initial=initial, **kwargs)  # type: ignore[misc]  # initial is never positional here
        self.stored = stored or {}
        self.content = content or PacketData()
        self.fields.update(schema_fields(self.model, self.field_names))
        self.order_fields(["revision", *self.field_names])
        self.formsets = {
            name: row_formset(spec.form)(
                self.data if self.is_bound else None,
                self.files if self.is_bound else None,
                prefix=f"{self.prefix}-{name}" if self.prefix else name,
                initial=initial.get(name) or [],
            )
            for name, spec in self.lists.items()
        }
        self.section_value: dict[str, Any] = {}

    # ── conversion ───────────────────────────────────────────────────────────────────────────────────────────────

    @classmethod
    def initial_from(cls, value: dict[str, Any], revision: int) -> dict[str, Any]:
        """The form's initial values for a saved section."""
        initial = {name: value.get(name) for name in cls.field_names}
        for name, spec in cls.lists.items():
            initial[name] = [
                {key: row.get(key) for key in (*spec.form.field_names, "id") if key in row}
                for row in value.get(name, [])
            ]
        for name, field_value in list(initial.items()):
            if isinstance(field_value, bool) and name in cls.field_names:
                info = cls.model.model_fields[name]
                if "None" in str(info.annotation):
                    initial[name] = "yes" if field_value else "no"
        initial["revision"] = revision
        return initial

    def to_section(self) -> dict[str, Any]:
        value = dict(self.stored)
        value.update({name: self.cleaned_data.get(name) for name in self.field_names})
        for name in self.lists:
            value[name] = [self.row_to_value(name, form) for _index, form in self.formsets[name].rows()]
        return value

    def row_to_value(self, list_name: str, form: RowForm) -> dict[str, Any]:
        return form.row_value()

    def uploads(self) -> list[ExhibitUpload]:
        """Files chosen in this step, to store as exhibits when the step saves."""
        return []

    # ── validation ───────────────────────────────────────────────────────────────────────────────────────────────

    def is_valid(self) -> bool:
        # The form first: its clean() validates the whole section and may put errors on rows of the formsets.
        form_valid = super().is_valid()
        # Every formset, not just up to the first invalid one: each row shows its own errors.
        results = [formset.is_valid() for formset in self.formsets.values()]
        return form_valid and all(results)

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        if any(not formset.is_valid() for formset in self.formsets.values()):
            return cleaned
        value = self.to_section()
        try:
            section = self.model.model_validate(_json_ready(value))
        except ValidationError as error:
            self._attach_schema_errors(error)
            return cleaned
        merged = self.content.model_copy(update={self.section: section})
        for contradiction in merged.contradictions():
            field = contradiction.touches(self.section)
            if field:
                self.add_error(field if field in self.fields else None, contradiction.message)
        self.section_value = value
        return cleaned

    def _attach_schema_errors(self, error: ValidationError) -> None:
        rows = {name: list(self.formsets[name].rows()) for name in self.lists}
        for item in error.errors():
            loc = item["loc"]
            place = (item.get("ctx") or {}).get("place")
            if place:  # a rule over several fields names the one to show it beside (packets.schema._wrong)
                loc = (*loc, *(int(part) if part.isdigit() else part for part in str(place).split(".")))
            message = _pydantic_message(item)
            if len(loc) >= 3 and loc[0] in rows and isinstance(loc[1], int) and loc[1] < len(rows[loc[0]]):
                form = rows[loc[0]][loc[1]][1]
                form.add_error(str(loc[2]) if str(loc[2]) in form.fields else None, message)
            elif len(loc) == 2 and loc[0] in rows and isinstance(loc[1], int) and loc[1] < len(rows[loc[0]]):
                rows[loc[0]][loc[1]][1].add_error(None, message)
            elif loc and str(loc[0]) in self.fields:
                self.add_error(str(loc[0]), message)
            else:
                self.add_error(None, message)

    # ── completeness ─────────────────────────────────────────────────────────────────────────────────────────────

    @classmethod
    def missing_in(cls, value: dict[str, Any], content: PacketData) -> list[Missing]:
        """What a reviewer would expect here and is still empty (never blocks a save)."""
        missing = [
            Missing(name, str(cls.model.model_fields[name].title))
            for name in cls.field_names
            if name in cls.needed and _is_empty(value.get(name))
        ]
        for name, spec in cls.lists.items():
            rows = value.get(name) or []
            if len(rows) < spec.at_least:
                missing.append(Missing(name, str(spec.title)))
            for index, row in enumerate(rows):
                missing.extend(
                    Missing(field, str(spec.form.model.model_fields[field].title), row=index)
                    for field in spec.form.field_names
                    if field in spec.form.needed and _is_empty(row.get(field))
                )
        return missing

    def field_groups(self) -> list[tuple[Any, list[forms.BoundField]]]:
        """The step's own fields in display order, under their group headings (one unnamed group by default)."""
        if not self.groups:
            return [(None, [self[name] for name in self.field_names])]
        return [(legend, [self[name] for name in names]) for legend, names in self.groups]

    def all_errors(self) -> list[tuple[str, str]]:
        """(field id, message) of every error in the form and its rows, for the summary at the top."""
        found = [
            (self[name].id_for_label if name in self.fields else "", str(message))
            for name, messages in self.errors.items()
            for message in messages
            if name != "__all__"
        ]
        found = [(f"{anchor}" if anchor else "", message) for anchor, message in found]
        found += [("", str(message)) for message in self.non_field_errors()]
        for formset in self.formsets.values():
            found += [("", str(message)) for message in formset.non_form_errors()]
            for form in formset.forms:
                for name, messages in form.errors.items():
                    anchor = form[name].id_for_label if name in form.fields else ""
                    found += [(anchor, str(message)) for message in messages]
        return found


def _json_ready(value: Any) -> Any:
    if isinstance(value, dict):
        return {key: _json_ready(item) for key, item in value.items()}
    if isinstance(value, list):
        return [_json_ready(item) for item in value]
    if isinstance(value, UploadedFile):
        return None
    return value


class ExhibitSlotMixin:
    """A step that holds one file in a named place (passport page, CV): upload, replace, or remove it."""

    slots: ClassVar[dict[str, tuple[str, str]]] = {}  # id field → (exhibit kind, default title)

    def add_slot_fields(self) -> None:
        form: Any = self
        for id_field, (_kind, title) in self.slots.items():
            base = id_field.removesuffix("_exhibit_id")
            form.fields[f"{base}_file"] = forms.FileField(
                label=_(title),
                required=False,
                help_text=_("PDF, JPEG or PNG, up to 25 MB."),
                widget=forms.ClearableFileInput(attrs={"accept": "application/pdf,image/jpeg,image/png"}),
            )
            form.fields[f"{base}_remove"] = forms.BooleanField(label=_("Remove the current file"), required=False)

    def slot_values(self, value: dict[str, Any]) -> dict[str, Any]:
        form: Any = self
        for id_field in self.slots:
            base = id_field.removesuffix("_exhibit_id")
            value[id_field] = None if form.cleaned_data.get(f"{base}_remove") else form.stored.get(id_field)
        return value

    def slot_uploads(self, title_suffix: str = "", issuer: str = "") -> list[ExhibitUpload]:
        form: Any = self
        uploads = []
        for id_field, (kind, title) in self.slots.items():
            upload = form.cleaned_data.get(f"{id_field.removesuffix('_exhibit_id')}_file")
            if upload:
                full_title = f"{title}, {title_suffix}" if title_suffix else title
                uploads.append(
                    ExhibitUpload(file=upload, kind=kind, title=full_title, issuer=issuer, target=(id_field,))
                )
        return uploads


# ── The steps' forms ─────────────────────────────────────────────────────────────────────────────────────────────────


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
    slots = {"passport_exhibit_id": (ExhibitKind.PASSPORT, "Passport biographic page")}
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
        return _clean_upload(self.cleaned_data.get("passport_file"))

    def to_section(self) -> dict[str, Any]:
        return self.slot_values(super().to_section())

    def uploads(self) -> list[ExhibitUpload]:
        name = self.cleaned_data.get("full_name") or ""
        return self.slot_uploads(title_suffix=name, issuer=self.cleaned_data.get("passport_country") or "")

    @classmethod
    def missing_in(cls, value: dict[str, Any], content: PacketData) -> list[Missing]:
        missing = super().missing_in(value, content)
        if not value.get("passport_exhibit_id"):
            missing.append(Missing("passport_file", "Passport biographic page"))
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


class ProjectForm(SectionForm):
    section = "project"
    model = Project
    field_names = ("title", "summary", "public_benefit", "beneficiaries", "urgency", "priorities")
    needed = frozenset(field_names)


class QualificationsForm(ExhibitSlotMixin, SectionForm):
    section = "qualifications"
    model = Qualifications
    field_names = ("skills", "need_connection", "prior_work", "certifications")
    needed = frozenset({"skills", "need_connection"})
    slots = {"cv_exhibit_id": (ExhibitKind.CV, "Curriculum vitae")}

    certificate_file = forms.FileField(
        label=_("Add a certificate or licence"),
        required=False,
        help_text=_("PDF, JPEG or PNG, up to 25 MB. Add one at a time; each becomes its own exhibit."),
        widget=forms.ClearableFileInput(attrs={"accept": "application/pdf,image/jpeg,image/png"}),
    )
    certificate_title = forms.CharField(label=_("Certificate title"), required=False, max_length=200)
    certificate_issuer = forms.CharField(label=_("Issued by"), required=False, max_length=200)
    certificate_date = forms.DateField(label=_("Date issued"), required=False, widget=DateInput())

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.add_slot_fields()

    def clean_cv_file(self) -> UploadedFile | None:
        return _clean_upload(self.cleaned_data.get("cv_file"))

    def clean_certificate_file(self) -> UploadedFile | None:
        return _clean_upload(self.cleaned_data.get("certificate_file"))

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
            missing.append(Missing("cv_file", "Curriculum vitae"))
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
        widget=forms.ClearableFileInput(attrs={"accept": "application/pdf,image/jpeg,image/png"}),
    )

    def clean_letter_file(self) -> UploadedFile | None:
        return _clean_upload(self.cleaned_data.get("letter_file"))


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
                missing.append(Missing("letter_file", "Support letter", row=index))
            if not row.get("contact_phone") and not row.get("contact_email"):
                missing.append(Missing("contact_phone", "Contact's email or phone", row=index))
        return missing


class MilestoneForm(RowForm):
    model = Milestone
    field_names = ("due_on", "description", "outcome")
    needed = frozenset({"due_on", "description"})


class TimelineForm(SectionForm):
    section = "timeline"
    model = Timeline
    field_names = ("filing_date", "arrival_date", "departure_date", "entry_deadline_reason")
    needed = frozenset(field_names)
    lists = {"milestones": RowList(MilestoneForm, _("Milestones"), _("Add another milestone"), at_least=1)}


class AlternativeForm(RowForm):
    model = Alternative
    field_names = ("kind", "option", "why_not")
    needed = frozenset({"option", "why_not"})


class AlternativesForm(SectionForm):
    section = "alternatives"
    model = Alternatives
    field_names = ("summary",)
    needed = frozenset({"summary"})
    lists = {"options": RowList(AlternativeForm, _("Options considered"), _("Add another option"), at_least=1)}


class SupporterForm(RowForm):
    model = Supporter
    field_names = ("name", "kind", "relationship", "covers", "files_declaration")
    needed = frozenset({"name", "kind", "covers"})


class LogisticsForm(SectionForm):
    section = "logistics"
    model = Logistics
    field_names = ("arrival_plan", "housing", "transport", "supervision")
    needed = frozenset(field_names)
    lists = {"supporters": RowList(SupporterForm, _("Financial supporters"), _("Add another supporter"), at_least=1)}


class RiskForm(SectionForm):
    section = "risk"
    model = RiskManagement
    field_names = (
        "scope_change", "security", "public_health", "safety_precautions", "background_checks", "legal_compliance",
        "local_systems",
    )  # fmt: skip
    needed = frozenset(field_names)
    groups = (
        (_("Contingencies"), ("scope_change", "security", "public_health")),
        (_("Safety and compliance"), ("safety_precautions", "background_checks", "legal_compliance", "local_systems")),
    )


class IndicatorForm(RowForm):
    model = Indicator
    field_names = ("name", "target")
    needed = frozenset({"name", "target"})


class MonitoringForm(SectionForm):
    section = "monitoring"
    model = Monitoring
    field_names = ("reporting_channels", "shares_data", "data_sharing")
    needed = frozenset({"reporting_channels", "shares_data"})
    lists = {"indicators": RowList(IndicatorForm, _("Measurable indicators"), _("Add another indicator"), at_least=1)}

    @classmethod
    def missing_in(cls, value: dict[str, Any], content: PacketData) -> list[Missing]:
        missing = super().missing_in(value, content)
        if value.get("shares_data") and not value.get("data_sharing"):
            missing.append(Missing("data_sharing", "Data-sharing and privacy"))
        return missing


class ExitForm(SectionForm):
    section = "exit"
    model = ExitPlan
    field_names = ("exit_strategy", "return_ties", "conditions_compliance", "denial_contingency")
    needed = frozenset(field_names)


class SustainabilityForm(SectionForm):
    section = "sustainability"
    model = Sustainability
    field_names = (
        "capacity_building", "local_leadership", "cultural_sensitivity", "community_consultation", "affiliations",
        "funding_sources", "use_of_time",
    )  # fmt: skip
    needed = frozenset({"capacity_building", "local_leadership", "affiliations", "funding_sources", "use_of_time"})
    groups = (
        (_("Sustainability and ethics"),
         ("capacity_building", "local_leadership", "cultural_sensitivity", "community_consultation")),
        (_("Transparency"), ("affiliations", "funding_sources", "use_of_time")),
    )  # fmt: skip


_SLOT_ONLY = frozenset({ExhibitKind.PASSPORT, ExhibitKind.CV, ExhibitKind.SUPPORT_LETTER})


class EvidenceForm(forms.Form):
    """Adds one more exhibit of any kind; the step also lists every exhibit with its label."""

    revision = forms.IntegerField(widget=forms.HiddenInput, required=False, min_value=0)
    file = forms.FileField(
        label=_("File"),
        required=False,
        help_text=_("PDF, JPEG or PNG, up to 25 MB."),
        widget=forms.ClearableFileInput(attrs={"accept": "application/pdf,image/jpeg,image/png"}),
    )
    title = forms.CharField(
        label=_("Title"), required=False, max_length=200, help_text=_("For example: Site safety plan, January 2027.")
    )
    kind = forms.ChoiceField(
        label=_("Kind of evidence"),
        required=False,
        choices=[("", _("Choose…"))] + [(k.value, k.label) for k in ExhibitKind if k not in _SLOT_ONLY],
    )
    issuer = forms.CharField(label=_("Issued by"), required=False, max_length=200)
    issued_on = forms.DateField(label=_("Date"), required=False, widget=DateInput())

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        for key in ("stored", "content"):
            kwargs.pop(key, None)
        super().__init__(*args, **kwargs)
        self.formsets: dict[str, Any] = {}

    def clean_file(self) -> UploadedFile | None:
        return _clean_upload(self.cleaned_data.get("file"))

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

    def all_errors(self) -> list[tuple[str, str]]:
        return [
            (self[name].id_for_label if name in self.fields else "", str(message))
            for name, messages in self.errors.items()
            for message in messages
        ]


class PacketNameForm(forms.Form):
    name = forms.CharField(
        label=_("Packet name"),
        max_length=120,
        help_text=_("Only you and the people you share it with see this, for example: Riverton schools 2027."),
    )
