"""The navigation's "Caseload" link: shown to people who are counsel on at least one packet."""

from typing import Any

from django import template

from packets.case.caseload import is_counsel_anywhere

register = template.Library()


@register.simple_tag
def counsel_anywhere(user: Any) -> bool:
    """One indexed EXISTS query, remembered on the request's user object so a page asks it at most once."""
    if not getattr(user, "is_authenticated", False):
        return False
    cached = getattr(user, "_counsel_anywhere", None)
    if cached is None:
        cached = is_counsel_anywhere(user)
        user._counsel_anywhere = cached
    return bool(cached)
