"""``{{ user|person }}`` names a person the same way on every page; ``{{ moment|when }}`` says when, with the zone."""

from datetime import datetime
from typing import Any

from django import template
from django.template.defaultfilters import date as date_filter
from django.utils import timezone
from django.utils.html import format_html
from django.utils.safestring import SafeString

from packets.people import person_display
from packets.people import person_name as _person_name

register = template.Library()


@register.filter
def person(user: Any) -> str:
    """Full name (user name as a fallback), with the firm and bar number of counsel who gave them."""
    return person_display(user)


@register.filter
def person_name(user: Any) -> str:
    """Full name only (user name as a fallback): where the firm would be too much, as on one's own log-out button."""
    return _person_name(user)


@register.filter
def when(moment: datetime | None) -> SafeString | str:
    """A ``<time>`` with the localized date, time and time zone (``Dec. 2, 2026, 9:15 a.m. UTC``)."""
    if moment is None:
        return ""
    local = timezone.localtime(moment)
    return format_html(
        '<time datetime="{}">{} {}</time>', local.isoformat(), date_filter(local, "DATETIME_FORMAT"), local.tzname()
    )
