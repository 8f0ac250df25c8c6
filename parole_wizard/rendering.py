"""Form fields as the site shows them, built in Python.

A wizard step has about thirty fields, and Django renders each control through three or four small templates (the
widget, ``input.html``, ``attrs.html``…): that, and our own field template, was half of a step page's CPU time. Here
the common controls are written by Python with the very markup of Django's widget templates, and each field's label,
hint and error message around them by ``field_html``. Any other template still goes through Django's.
"""

from collections.abc import Callable
from typing import Any

from django.forms import BoundField
from django.forms.renderers import DjangoTemplates
from django.utils.html import conditional_escape, format_html, format_html_join
from django.utils.safestring import SafeString
from django.utils.translation import gettext as _

Context = dict[str, Any]


def _attrs(attrs: dict[str, Any]) -> str:
    """``django/forms/widgets/attrs.html``: False leaves the attribute out, True writes its name alone."""
    return "".join(
        f" {conditional_escape(name)}"
        if value is True
        else f' {conditional_escape(name)}="{conditional_escape(value)}"'
        for name, value in attrs.items()
        if value is not False
    )


def _input(widget: Context) -> str:
    """``django/forms/widgets/input.html`` (text, email, date, number, hidden, password, file, checkbox…)."""
    value = "" if widget["value"] is None else f' value="{conditional_escape(widget["value"])}"'
    return (
        f'<input type="{conditional_escape(widget["type"])}" name="{conditional_escape(widget["name"])}"'
        f"{value}{_attrs(widget['attrs'])}>"
    )


def _input_option(widget: Context) -> str:
    """``django/forms/widgets/input_option.html``: one radio button or tick box of a group."""
    if not widget["wrap_label"]:
        return _input(widget)
    label_for = f' for="{conditional_escape(widget["attrs"]["id"])}"' if widget["attrs"].get("id") else ""
    return f"<label{label_for}>{_input(widget)}\n {conditional_escape(widget['label'])}</label>"


def _textarea(widget: Context) -> str:
    text = conditional_escape(widget["value"]) if widget["value"] else ""
    return f'<textarea name="{conditional_escape(widget["name"])}"{_attrs(widget["attrs"])}>\n{text}</textarea>'


def _select(widget: Context) -> str | None:
    if any(option["template_name"] != _OPTION for _group, options, _index in widget["optgroups"] for option in options):
        return None  # a widget with its own option template
    parts = [f'<select name="{conditional_escape(widget["name"])}"{_attrs(widget["attrs"])}>']
    for group_name, options, _index in widget["optgroups"]:
        if group_name:
            parts.append(f'\n  <optgroup label="{conditional_escape(group_name)}">')
        # Each option ends with a line break, as the end of Django's one-line option template does.
        parts.extend(
            f'\n  <option value="{conditional_escape(option["value"])}"{_attrs(option["attrs"])}>'
            f"{conditional_escape(option['label'])}</option>\n"
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


class FormRenderer(DjangoTemplates):
    """Django's form renderer, writing the common widgets in Python (``settings.FORM_RENDERER``)."""

    def render(self, template_name: str, context: Context, request: Any = None) -> str:
        write = WIDGETS.get(template_name)
        html = write(context["widget"]) if write is not None else None
        if html is None:
            return str(super().render(template_name, context, request))
        return html


# ── A field with its label, hint and errors ──────────────────────────────────────────────────────────────────────────


def field_html(field: BoundField, *, needed: bool = False) -> SafeString:
    """One field as every form on the site shows it: label (marked "needed" if so), hint, errors and control.

    The hint and the error message carry the ids that Django's ``aria-describedby`` on the control points at.
    """
    hint_id = f"{field.auto_id}_helptext"
    errors = ""
    if field.errors:
        errors = format_html(
            '<p class="error-message" id="{}_error">{}</p>',
            field.auto_id,
            format_html_join(
                "", '<span class="visually-hidden">{}</span> {} ', ((_("Error:"), e) for e in field.errors)
            ),
        )
    needed_mark = format_html(' <span class="needed">{}</span>', _("needed")) if needed else ""
    if field.widget_type == "checkbox":
        hint = format_html('<p class="hint" id="{}">{}</p>', hint_id, field.help_text) if field.help_text else ""
        label = format_html('<label for="{}">{}</label>', field.id_for_label, field.label)
        parts: list[Any] = [format_html('<div class="checkbox">{}\n{}</div>', field, label), hint, errors]
    elif field.widget_type == "radioselect":
        hint = format_html('<p class="hint" id="{}">{}</p>', hint_id, field.help_text) if field.help_text else ""
        described = format_html(' aria-describedby="{}"', hint_id) if field.help_text else ""
        radios = [
            format_html(
                '<div class="radio">{}<label for="{}">{}</label></div>',
                radio.tag(),
                radio.id_for_label,
                radio.choice_label,
            )
            for radio in field
        ]
        legend = format_html("<legend>{}{}</legend>", field.label, needed_mark)
        inner = _lines([legend, hint, errors, *radios])
        parts = [format_html('<fieldset class="radios" id="{}"{}>\n{}\n</fieldset>', field.auto_id, described, inner)]
    else:
        # A div, not a p: Django's password help text is a <ul>, which a p cannot hold.
        hint = format_html('<div class="hint" id="{}">{}</div>', hint_id, field.help_text) if field.help_text else ""
        label = format_html('<label for="{}">{}{}</label>', field.id_for_label, field.label, needed_mark)
        parts = [label, hint, errors, field]
    return format_html('<div class="field{}">\n{}\n</div>', " field-error" if field.errors else "", _lines(parts))


def _lines(parts: list[Any]) -> SafeString:
    return format_html_join("\n", "{}", ((part,) for part in parts if part))
