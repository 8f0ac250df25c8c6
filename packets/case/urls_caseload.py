"""URLs of the case: see packets.case.urls."""

from django.urls import URLPattern, path

from packets.case import views_caseload

packet_patterns: list[URLPattern] = []  # under /packets/<packet_id>/case/
user_patterns: list[URLPattern] = [  # at the top level
    path("caseload/", views_caseload.caseload, name="caseload"),
]
