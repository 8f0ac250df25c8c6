"""A step's file slots (passport page, CV): one file in a named place, uploaded, replaced or removed."""

from typing import Any, ClassVar

from django import forms
from django.core.files.uploadedfile import UploadedFile
from django.utils.translation import gettext_lazy as _

from packets.content.services import ExhibitUpload
from packets.evidence.uploads import UploadRejected, inspect_upload


def evidence_file_input() -> forms.ClearableFileInput:
    """The control for choosing an evidence file, with the words its busy button shows (static/js/forms.js)."""
    return forms.ClearableFileInput(
        attrs={"accept": "application/pdf,image/jpeg,image/png", "data-busy-words": _("Uploading…")}
    )


def clean_upload(upload: UploadedFile | None) -> UploadedFile | None:
    if upload is None:
        return None
    try:
        inspect_upload(upload, size=upload.size or 0, name=upload.name or "")
    except UploadRejected as error:
        raise forms.ValidationError(str(error)) from error
    return upload


class ExhibitSlotMixin:
    """A step that holds one file in a named place (passport page, CV): upload, replace, or remove it."""

    # id field → (exhibit kind, title): the title in English, as the exhibit is filed; the field's label translates it.
    slots: ClassVar[dict[str, tuple[str, str]]] = {}

    def add_slot_fields(self) -> None:
        form: Any = self
        for id_field, (_kind, title) in self.slots.items():
            base = id_field.removesuffix("_exhibit_id")
            form.fields[f"{base}_file"] = forms.FileField(
                label=_(title),
                required=False,
                help_text=_("PDF, JPEG or PNG, up to 25 MB."),
                widget=evidence_file_input(),
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
