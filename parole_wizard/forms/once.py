"""One submission of a step's form, one save of its files: a token made when the form is shown, sent back with it.

A second click on Save while a file uploads, or a browser that sends the request again, posts the same form twice.
The token travels with each file to the service that stores it (``ExhibitUpload.form_token``), which finds the
exhibit the first send stored instead of adding another; the database keeps what was used, so every web process
knows it.
"""

import re
import secrets
from dataclasses import replace
from typing import Any

from django import forms

from packets.content.services import ExhibitUpload

_TOKEN = re.compile(r"[0-9a-f]{32}")


def new_form_token() -> str:
    return secrets.token_hex(16)


class FormTokenField(forms.CharField):
    """A hidden field holding the form's one-time token; a new one each time the form is shown afresh."""

    widget = forms.HiddenInput

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(required=False, initial=new_form_token, **kwargs)

    def clean(self, value: Any) -> str:
        # Anything but a token we could have made (an old page, a hand-made request) is no token: the files are
        # stored as they come.
        value = super().clean(value)
        return value if _TOKEN.fullmatch(value or "") else ""

    def has_changed(self, initial: Any, data: Any) -> bool:
        return False  # a new token for every page shown is not something the user changed


def uploads_of_submission(form: forms.Form, uploads: list[ExhibitUpload]) -> list[ExhibitUpload]:
    """``uploads`` marked with the form's token, so that sending this form again stores none of them twice."""
    token = str(form.cleaned_data.get("form_token") or "")
    return [replace(upload, form_token=token) for upload in uploads]
