from typing import Any

from django import template

register = template.Library()


@register.filter
def lookup(mapping: dict[Any, Any], key: Any) -> Any:
    """``{{ labels|lookup:key }}``: a dictionary entry by a variable key."""
    return mapping.get(key, "")
