"""URLs of the case: see packets.case.urls."""

from django.urls import URLPattern, path

from packets.case import views_closing

packet_patterns: list[URLPattern] = [  # under /packets/<packet_id>/case/
    path("closing/", views_closing.case_closing, name="case_closing"),
    path("closing/pdf/", views_closing.case_closing_pdf, name="case_closing_pdf"),
    path("closing/summary/", views_closing.case_public_summary, name="case_public_summary"),
    path("closing/summary/pdf/", views_closing.case_public_summary_pdf, name="case_public_summary_pdf"),
    path("closing/summary.md", views_closing.case_public_summary_markdown, name="case_public_summary_markdown"),
]
user_patterns: list[URLPattern] = []  # at the top level (a person's own pages and feeds)
