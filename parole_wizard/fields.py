"""Django form fields built from the packet schema, so a label, hint and limit are written once (the schema)."""

import types
import typing
from datetime import date
from enum import StrEnum
from functools import cache
from typing import Any
from uuid import UUID

from django import forms
from django.utils.translation import get_language, gettext
from pydantic import BaseModel
from pydantic.fields import FieldInfo

from packets.content.schema_types import (
    ALTERNATIVE_KIND_LABELS,
    ORGANISATION_KIND_LABELS,
    SUPPORTER_KIND_LABELS,
    AlternativeKind,
    OrganisationKind,
    SupporterKind,
)
from packets.text_fields import LimitedTextField

# The schema's words (its titles, descriptions and choice labels) are plain English strings, marked with gettext_noop
# there and looked up in the catalogue when a field is built.
CHOICE_LABELS: dict[type[StrEnum], dict[Any, str]] = {
    OrganisationKind: ORGANISATION_KIND_LABELS,
    SupporterKind: SUPPORTER_KIND_LABELS,
    AlternativeKind: ALTERNATIVE_KIND_LABELS,
}


def _words(text: Any) -> str:
    """``text`` in the active language: a marked (lazy) translation, or a schema's plain string from the catalogue."""
    return gettext(text) if isinstance(text, str) else str(text)


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, attrs: dict[str, Any] | None = None) -> None:
        super().__init__(attrs=attrs, format="%Y-%m-%d")


def _unwrap(annotation: Any) -> Any:
    """``X | None`` → ``X``; ``Annotated[X, …]`` → ``X``."""
    if typing.get_origin(annotation) is typing.Annotated:
        annotation = typing.get_args(annotation)[0]
    if isinstance(annotation, types.UnionType) or typing.get_origin(annotation) is typing.Union:
        args = [arg for arg in typing.get_args(annotation) if arg is not type(None)]
        annotation = args[0]
    return annotation


def _max_length(info: FieldInfo) -> int | None:
    for item in info.metadata:
        if getattr(item, "max_length", None):
            return int(item.max_length)
    return None


def form_field(info: FieldInfo, *, name: str, required: bool) -> forms.Field:
    """One Django field for one schema field; the schema's title is the label, its description the hint. Its words
    are in the active language (the field belongs to that language: see ``schema_fields``)."""
    _ = gettext
    label = _(info.title or name.replace("_", " ").capitalize())
    help_text = _(info.description) if info.description else ""
    annotation = _unwrap(info.annotation)
    extra = info.json_schema_extra if isinstance(info.json_schema_extra, dict) else {}
    common: dict[str, Any] = {"label": label, "help_text": help_text, "required": required}
    if annotation is date:
        return forms.DateField(widget=DateInput(), **common)
    if annotation is bool:
        if typing.get_origin(info.annotation) in (types.UnionType, typing.Union):
            return forms.TypedChoiceField(
                choices=[("", _("Not answered")), ("yes", _("Yes")), ("no", _("No"))],
                coerce=lambda value: {"yes": True, "no": False}.get(value),
                empty_value=None,
                widget=forms.RadioSelect,
                **common,
            )
        # A new row starts from the schema's default (a prior trip "left on time"), so a blank row records no overstay.
        default = info.default if isinstance(info.default, bool) else False
        return forms.BooleanField(**{**common, "required": False}, initial=default)
    if isinstance(annotation, type) and issubclass(annotation, StrEnum):
        labels = CHOICE_LABELS.get(annotation, {})
        # In the order the labels are written (related kinds together), then any member without a label.
        members = [*labels, *(member for member in annotation if member not in labels)]
        choices = [("", _("Choose…"))] + [
            (member.value, _words(labels.get(member, member.value))) for member in members
        ]
        # Not chosen is None in the schema, not "" (which no enum member matches).
        return forms.TypedChoiceField(choices=choices, coerce=str, empty_value=None, **common)
    if annotation is UUID:
        raise TypeError(f"{name}: exhibit ids are not form fields")
    max_length = _max_length(info)
    if extra.get("widget") == "textarea":
        rows = 8 if (max_length or 0) > 1000 else 3
        return LimitedTextField(max_length=max_length, widget=forms.Textarea(attrs={"rows": rows}), **common)
    field = LimitedTextField(max_length=max_length, **common)
    if name.endswith("email"):
        field.widget.input_type = "email"
        field.widget.attrs["autocomplete"] = "email"
    elif name.endswith("phone"):
        field.widget.input_type = "tel"
        field.widget.attrs["autocomplete"] = "tel"
    return field


def schema_fields(model: type[BaseModel], names: tuple[str, ...]) -> dict[str, forms.Field]:
    """The form fields of ``names`` of ``model`` in the active language, built once per language and shared by every
    form that shows them.

    Django copies a form's declared fields for each form, so that one form may change its own. These are never changed
    once built (a form that needed to would copy the field first), and building ~25 of them for every step request
    cost more than validating them. Their labels, hints and choices are translated when they are built, not each time
    a page shows them: a step page looked up some 150 translations, a tenth of its time. Measured again with the fields
    laid out by Django's templates (2026-12, CPU per step GET, the benchmark packet's 14 steps): 386 ms with these
    shared fields, 416 ms building them per request — 7% of a page, 14% on the partners step.
    """
    return _schema_fields(model, names, get_language())


@cache
def _schema_fields(model: type[BaseModel], names: tuple[str, ...], language: str | None) -> dict[str, forms.Field]:
    return {name: form_field(model.model_fields[name], name=name, required=False) for name in names}
