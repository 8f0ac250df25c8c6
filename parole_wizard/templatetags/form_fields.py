from django import template
from django.forms import BoundField
from django.utils.safestring import SafeString

from parole_wizard.rendering import field_html as render_field

register = template.Library()


@register.simple_tag
def field_html(field: BoundField, needed: bool = False) -> SafeString:
    """``{% field_html form.email %}``: the field with its label, hint and errors (``needed=True`` marks it)."""
    return render_field(field, needed=bool(needed))
