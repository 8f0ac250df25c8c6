"""``{{ text|unhyphenated:names }}`` in the print templates: addresses, names, numbers and dates kept whole
(``packets.assembly.tokens``); the text is escaped there."""

from collections.abc import Iterable
from typing import Any

from django import template
from django.utils.safestring import SafeString

from packets.assembly.tokens import unhyphenated as _unhyphenated

register = template.Library()


@register.filter
def unhyphenated(value: Any, names: Iterable[str] = ()) -> SafeString:
    return _unhyphenated(str(value), names or ())
