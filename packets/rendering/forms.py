"""The small form that chooses a rendered version and the file-size limit for online filing."""

from typing import Any

from django import forms
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from packets.models import PacketVersion
from packets.rendering.online import MAX_LIMIT_MB, default_limit_mb, limit_fact


def _limit_message() -> str:
    return _("Enter the largest file size as a number of megabytes, more than 0 and at most %(max)s, like 12.") % {
        "max": MAX_LIMIT_MB
    }


def _version_label(version: PacketVersion) -> str:
    if version.final:
        return _("Version %(number)s (final)") % {"number": version.number}
    return _("Version %(number)s (draft)") % {"number": version.number}


class OnlineFilingForm(forms.Form):
    version = forms.TypedChoiceField(label=gettext_lazy("Version"), coerce=int)
    max_mb = forms.FloatField(
        label=gettext_lazy("Largest file, in MB"),
        widget=forms.NumberInput(attrs={"step": "any", "max": str(MAX_LIMIT_MB)}),
    )

    def __init__(self, *args: Any, versions: list[PacketVersion], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        version = self.fields["version"]
        limit = self.fields["max_mb"]
        assert isinstance(version, forms.TypedChoiceField)  # noqa: S101 - narrows the field's type for mypy
        version.choices = [(v.number, _version_label(v)) for v in versions]  # the latest first
        version.initial = versions[0].number if versions else None
        default = default_limit_mb()
        limit.initial = int(default) if default.is_integer() else default  # shown as "12", not "12.0"
        limit.error_messages = {**limit.error_messages, "required": _limit_message(), "invalid": _limit_message()}
        fact = limit_fact()
        limit.help_text = _("%(detail)s %(confidence)s") % {"detail": fact.detail, "confidence": fact.confidence}

    def clean_max_mb(self) -> float:
        limit: float = self.cleaned_data["max_mb"]
        if not 0 < limit <= MAX_LIMIT_MB:
            raise forms.ValidationError(_limit_message())
        return limit
