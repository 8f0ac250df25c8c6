"""URLs of the case: see packets.case.urls. The case's PDFs that carry exhibits (packets.case.views_render)."""

from django.urls import URLPattern, path

from packets.case import views_render

packet_patterns: list[URLPattern] = [  # under /packets/<packet_id>/case/
    path("rfe/<uuid:rfe_id>/render/", views_render.case_rfe_render, name="case_rfe_render"),
    path("amendments/<uuid:amendment_id>/render/", views_render.case_amendment_render, name="case_amendment_render"),
    path("renders/<uuid:render_id>/download/", views_render.case_render_download, name="case_render_download"),
]
user_patterns: list[URLPattern] = []  # at the top level (a person's own pages and feeds)
