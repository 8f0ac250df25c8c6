"""Form fields as the site shows them, built in Python.

A wizard step has about thirty fields, and Django renders each control through three or four small templates (the
widget, ``input.html``, ``attrs.html``…): that, and our own field template, was half of a step page's CPU time. Here
the common controls are written by Python with the very markup of Django's widget templates, and each field's label,
hint and error message around them by ``field_html``; so is a form of hidden fields only (each repeated list's
management form: a twentieth of a step page). Any other template still goes through Django's.
"""

import html
from collections.abc import Callable
from typing import Any

from django.forms import BoundField
from django.forms.renderers import DjangoTemplates
from django.utils.functional import Promise
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _

Context = dict[str, Any]


def _escape(value: Any) -> str:
    """Django's ``conditional_escape``, without the lazy-string wrapper around it: a step page escapes ~400 values."""
    if type(value) is str:
        return html.escape(value)
    if isinstance(value, Promise):
        value = str(value)
    if hasattr(value, "__html__"):
        return str(value.__html__())
    return html.escape(str(value))


def _attrs(attrs: dict[str, Any]) -> str:
    """``django/forms/widgets/attrs.html``: False leaves the attribute out, True writes its name alone."""
    return "".join(
        f" {_escape(name)}" if value is True else f' {_escape(name)}="{_escape(value)}"'
        for name, value in attrs.items()
        if value is not False
    )


def _input(widget: Context) -> str:
    """``django/forms/widgets/input.html`` (text, email, date, number, hidden, password, file, checkbox…)."""
    value = "" if widget["value"] is None else f' value="{_escape(widget["value"])}"'
    return f'<input type="{_escape(widget["type"])}" name="{_escape(widget["name"])}"{value}{_attrs(widget["attrs"])}>'


def _input_option(widget: Context) -> str:
    """``django/forms/widgets/input_option.html``: one radio button or tick box of a group."""
    if not widget["wrap_label"]:
        return _input(widget)
    label_for = f' for="{_escape(widget["attrs"]["id"])}"' if widget["attrs"].get("id") else ""
    return f"<label{label_for}>{_input(widget)}\n {_escape(widget['label'])}</label>"


def _textarea(widget: Context) -> str:
    text = _escape(widget["value"]) if widget["value"] else ""
    return f'<textarea name="{_escape(widget["name"])}"{_attrs(widget["attrs"])}>\n{text}</textarea>'


def _select(widget: Context) -> str | None:
    if any(option["template_name"] != _OPTION for _group, options, _index in widget["optgroups"] for option in options):
        return None  # a widget with its own option template
    parts = [f'<select name="{_escape(widget["name"])}"{_attrs(widget["attrs"])}>']
    for group_name, options, _index in widget["optgroups"]:
        if group_name:
            parts.append(f'\n  <optgroup label="{_escape(group_name)}">')
        # Each option ends with a line break, as the end of Django's one-line option template does.
        parts.extend(
            f'\n  <option value="{_escape(option["value"])}"{_attrs(option["attrs"])}>'
            f"{_escape(option['label'])}</option>\n"
            for option in options
        )
        if group_name:
            parts.append("\n  </optgroup>")
    parts.append("\n</select>")
    return "".join(parts)


def _clearable_file_input(widget: Context) -> str | None:
    if widget["is_initial"]:
        return None  # a stored file to show beside the input: Django's template says how
    return _input({**widget, "value": None})  # the template writes no value: a file input has none


_OPTION = "django/forms/widgets/select_option.html"
_INPUT_TEMPLATES = ("checkbox", "date", "email", "file", "hidden", "number", "password", "text", "url")
WIDGETS: dict[str, Callable[[Context], str | None]] = {
    **{f"django/forms/widgets/{name}.html": _input for name in _INPUT_TEMPLATES},
    "django/forms/widgets/radio_option.html": _input_option,
    "django/forms/widgets/checkbox_option.html": _input_option,
    "django/forms/widgets/textarea.html": _textarea,
    "django/forms/widgets/select.html": _select,
    "django/forms/widgets/clearable_file_input.html": _clearable_file_input,
}


def _hidden_form(context: Context) -> str | None:
    """``django/forms/div.html`` of a form of hidden fields only, without errors: a formset's management form."""
    if context["fields"] or context["errors"]:
        return None
    return "".join(str(field) for field in context["hidden_fields"])


FORMS: dict[str, Callable[[Context], str | None]] = {"django/forms/div.html": _hidden_form}


class FormRenderer(DjangoTemplates):
    """Django's form renderer, writing the common widgets in Python (``settings.FORM_RENDERER``)."""

    def render(self, template_name: str, context: Context, request: Any = None) -> str:
        write = WIDGETS.get(template_name)
        if write is not None:
            html = write(context["widget"])
        else:
            write_form = FORMS.get(template_name)
            html = write_form(context) if write_form is not None else None
        if html is None:
            return str(super().render(template_name, context, request))
        return html


# ── A field with its label, hint and errors ──────────────────────────────────────────────────────────────────────────


def field_html(field: BoundField, *, needed: bool = False) -> SafeString:
    """One field as every form on the site shows it: label (marked "needed" if so), hint, errors and control.

    The hint and the error message carry the ids that Django's ``aria-describedby`` on the control points at.
    """
    auto_id, errors = _escape(field.auto_id), field.errors
    help_text = str(field.help_text) if field.help_text is not None else ""  # a lazy translation, worked out once
    hint_id = f"{auto_id}_helptext"
    message = ""
    if errors:
        prefix = f'<span class="visually-hidden">{_escape(_("Error:"))}</span> '
        message = f'<p class="error-message" id="{auto_id}_error">'
        message += "".join(f"{prefix}{_escape(str(error))} " for error in errors) + "</p>"
    needed_mark = f' <span class="needed">{_escape(_("needed"))}</span>' if needed else ""
    label = _escape(field.label)
    widget_type = field.widget_type
    if widget_type == "checkbox":
        hint = f'<p class="hint" id="{hint_id}">{_escape(help_text)}</p>' if help_text else ""
        label_tag = f'<label for="{_escape(field.id_for_label)}">{label}</label>'
        parts = [f'<div class="checkbox">{field}\n{label_tag}</div>', hint, message]
    elif widget_type == "radioselect":
        hint = f'<p class="hint" id="{hint_id}">{_escape(help_text)}</p>' if help_text else ""
        described = f' aria-describedby="{hint_id}"' if help_text else ""
        radios = [
            f'<div class="radio">{radio.tag()}<label for="{_escape(radio.id_for_label)}">'
            f"{_escape(radio.choice_label)}</label></div>"
            for radio in field
        ]
        inner = _lines([f"<legend>{label}{needed_mark}</legend>", hint, message, *radios])
        parts = [f'<fieldset class="radios" id="{auto_id}"{described}>\n{inner}\n</fieldset>']
    else:
        # A div, not a p: Django's password help text is a <ul>, which a p cannot hold.
        hint = f'<div class="hint" id="{hint_id}">{_escape(help_text)}</div>' if help_text else ""
        parts = [f'<label for="{_escape(field.id_for_label)}">{label}{needed_mark}</label>', hint, message]
        parts.append(str(field))
    return mark_safe(f'<div class="field{" field-error" if errors else ""}">\n{_lines(parts)}\n</div>')  # noqa: S308 - every part is escaped above


def _lines(parts: list[str]) -> str:
    return "\n".join(part for part in parts if part)
