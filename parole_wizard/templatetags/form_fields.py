"""Fields as every form on the site shows them, written in Python (parole_wizard.rendering): a step page has some 30
fields, and Django's template loop around each one cost more than the field itself."""

from typing import Any

from django import template
from django.forms import BoundField, Form
from django.urls import reverse
from django.utils.html import format_html
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _

from parole_wizard.rendering import field_html as render_field

register = template.Library()


@register.simple_tag
def field_html(field: BoundField, needed: bool = False) -> SafeString:
    """``{% field_html form.email %}``: the field with its label, hint and errors (``needed=True`` marks it)."""
    return render_field(field, needed=bool(needed))


@register.simple_tag
def section_fields(form: Any) -> SafeString:
    """A step's own fields, under their group headings (``form.field_groups``), the needed ones marked."""
    groups = []
    for legend, fields in form.field_groups():
        rendered = [render_field(field, needed=field.name in form.needed) for field in fields]
        html = mark_safe("\n".join(rendered))  # noqa: S308 - each field is escaped by render_field
        if legend:
            html = format_html('<fieldset class="group"><legend><h2>{}</h2></legend>\n{}\n</fieldset>', legend, html)
        groups.append(html)
    return mark_safe("\n".join(groups))  # noqa: S308 - as above


@register.simple_tag
def row_fields(row: Form, letters: dict[str, Any], packet: Any) -> SafeString:
    """One entry of a repeated list: its fields (the needed ones marked once the entry is saved), the remove box only
    on a saved entry, and a partner's support letter with the file already uploaded for it."""
    saved = bool(row.initial)
    parts = []
    for field in row.visible_fields():
        if field.name == "DELETE":
            if saved:
                parts.append(render_field(field))
        elif field.name == "letter_file":
            current = letters.get(str(row.initial.get("id"))) if saved else None
            if current is not None:
                parts.append(_current_letter(current, packet))
            parts.append(render_field(field))
        else:
            parts.append(render_field(field, needed=saved and field.name in getattr(row, "needed", ())))
    return mark_safe("\n".join(parts))  # noqa: S308 - every part is escaped


def _current_letter(exhibit: Any, packet: Any) -> SafeString:
    words = _("Uploaded: Exhibit %(label)s — %(title)s (%(pages)s p.). Choose a file below to replace it.") % {
        "label": exhibit.label,
        "title": exhibit.title,
        "pages": exhibit.page_count,
    }
    url = reverse("exhibit_download", args=[packet.pk, exhibit.pk])
    return format_html('<p class="current-file">\n  {}\n  <a href="{}">{}</a>\n</p>', words, url, _("Download"))
