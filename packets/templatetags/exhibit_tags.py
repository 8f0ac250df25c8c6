"""How pages name an exhibit: ``{{ exhibit|listed_title }}`` in a table whose next column says who issued it."""

from typing import Any

from django import template

from packets.content.captions import title_without_issuer

register = template.Library()


@register.filter
def listed_title(exhibit: Any) -> str:
    """The exhibit's title without the issuer composed into it ("Letter of support, X" issued by X)."""
    return title_without_issuer(exhibit.title, exhibit.issuer)
