"""URLs of the case: see packets.case.urls. Re-parole (packets.case.views_reparole)."""

from django.urls import URLPattern, path

from packets.case import views_reparole

packet_patterns: list[URLPattern] = [  # under /packets/<packet_id>/case/
    path("reparole/", views_reparole.case_reparole, name="case_reparole"),
]
user_patterns: list[URLPattern] = []  # at the top level (a person's own pages and feeds)
