"""URLs of the case: see packets.case.urls."""

from django.urls import URLPattern

packet_patterns: list[URLPattern] = []  # under /packets/<packet_id>/case/
user_patterns: list[URLPattern] = []  # at the top level (a person's own pages and feeds)
