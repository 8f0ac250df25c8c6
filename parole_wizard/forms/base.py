"""What every step's form shares: a section's plain fields from the schema, its repeated entries as formsets, the
schema's own validation shown beside the field it concerns, and what is still needed to call the step complete.

A step saves whenever what was typed is well-formed; what is still *needed* is listed by ``missing_in`` and shown, but
never stops a save — an applicant who must fetch their passport can save half a page and come back.
"""

from collections.abc import Iterator
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, ClassVar, cast

from django import forms
from django.core.files.uploadedfile import UploadedFile
from django.utils.translation import gettext
from pydantic import BaseModel, ValidationError

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise

from packets.content.schema import PacketData
from packets.content.schema_messages import schema_error_message
from packets.content.services import ExhibitUpload
from parole_wizard.fields import schema_fields
from parole_wizard.forms.once import FormTokenField, uploads_of_submission


def _is_empty(value: Any) -> bool:
    return value in (None, "", [], {})


def _title(model: type[BaseModel], name: str) -> str:
    """A schema field's title in the active language, as its form field's label says it (``parole_wizard.fields``)."""
    return gettext(model.model_fields[name].title or name)


@dataclass(frozen=True)
class Missing:
    """Something still needed to complete a step: the field (for the link and the message beside it) and its label."""

    field: str
    label: "StrOrPromise"
    row: int | None = None


class StepBoundField(forms.BoundField):
    """A field of a step, which knows whether its label is marked "needed" (templates/forms/field.html) and where the
    error summary links to for it."""

    @property
    def needed(self) -> bool:
        return bool(self.form.shows_needed(self.name))  # type: ignore[attr-defined]  # SectionForm and RowForm

    @property
    def anchor(self) -> str:
        """The control, or the group of a choice of buttons: Django labels no single control of a radio group."""
        return str(self.id_for_label or self.auto_id or "")


class RowForm(forms.Form):
    """One row of a repeated answer (a milestone, a partner…), its fields taken from the schema."""

    model: ClassVar[type[BaseModel]]
    field_names: ClassVar[tuple[str, ...]]
    needed: ClassVar[frozenset[str]] = frozenset()
    bound_field_class = StepBoundField

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields.update(schema_fields(self.model, self.field_names))
        self.order_fields([*self.field_names])

    def shows_needed(self, name: str) -> bool:
        """An entry's needed fields are marked once it is saved: the blank entry for adding one needs nothing."""
        return bool(self.initial) and name in self.needed

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
    bound_field_class = StepBoundField

    revision = forms.IntegerField(widget=forms.HiddenInput, required=False, min_value=0)
    form_token = FormTokenField()

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
        self.order_fields(["revision", "form_token", *self.field_names])
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

    def submitted_uploads(self) -> list[ExhibitUpload]:
        """``uploads``, each stored once however often this one form is sent (``parole_wizard.forms.once``)."""
        return uploads_of_submission(self, self.uploads())

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
            if place:  # a rule over several fields names the one to show it beside (schema_types._wrong)
                loc = (*loc, *(int(part) if part.isdigit() else part for part in str(place).split(".")))
            message = schema_error_message(item)
            if len(loc) >= 3 and loc[0] in rows and isinstance(loc[1], int) and loc[1] < len(rows[loc[0]]):
                form = rows[loc[0]][loc[1]][1]
                form.add_error(str(loc[2]) if str(loc[2]) in form.fields else None, message)
            elif len(loc) == 2 and loc[0] in rows and isinstance(loc[1], int) and loc[1] < len(rows[loc[0]]):
                rows[loc[0]][loc[1]][1].add_error(None, message)
            elif loc and str(loc[0]) in self.fields:
                if not self.has_error(str(loc[0])):  # a field the form refused is empty here: its own error says why
                    self.add_error(str(loc[0]), message)
            else:
                self.add_error(None, message)

    # ── completeness ─────────────────────────────────────────────────────────────────────────────────────────────

    @classmethod
    def missing_in(cls, value: dict[str, Any], content: PacketData) -> list[Missing]:
        """What a reviewer would expect here and is still empty (never blocks a save)."""
        missing = [
            Missing(name, _title(cls.model, name))
            for name in cls.field_names
            if name in cls.needed and _is_empty(value.get(name))
        ]
        for name, spec in cls.lists.items():
            rows = value.get(name) or []
            if len(rows) < spec.at_least:
                missing.append(Missing(name, spec.title))
            for index, row in enumerate(rows):
                missing.extend(
                    Missing(field, _title(spec.form.model, field), row=index)
                    for field in spec.form.field_names
                    if field in spec.form.needed and _is_empty(row.get(field))
                )
        return missing

    def shows_needed(self, name: str) -> bool:
        return name in self.needed

    def field_groups(self) -> list[tuple[Any, list[forms.BoundField]]]:
        """The step's own fields in display order, under their group headings (one unnamed group by default)."""
        if not self.groups:
            return [(None, [self[name] for name in self.field_names])]
        return [(legend, [self[name] for name in names]) for legend, names in self.groups]

    def all_errors(self) -> list[tuple[str, str]]:
        """(field id, message) of every error in the form and its rows, for the summary at the top."""
        found = [
            (cast(StepBoundField, self[name]).anchor if name in self.fields else "", str(message))
            for name, messages in self.errors.items()
            for message in messages
            if name != "__all__"
        ]
        found += [("", str(message)) for message in self.non_field_errors()]
        for formset in self.formsets.values():
            found += [("", str(message)) for message in formset.non_form_errors()]
            for form in formset.forms:
                for name, messages in form.errors.items():
                    anchor = cast(StepBoundField, form[name]).anchor if name in form.fields else ""
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
