"""URLs of the case: see packets.case.urls."""

from django.urls import URLPattern, path

from packets.case import views_core

packet_patterns: list[URLPattern] = [  # under /packets/<packet_id>/case/
    path("", views_core.case_page, name="case_page"),
    path("filing/", views_core.case_filing_edit, name="case_filing_edit"),
    path("log/new/", views_core.case_log_add, name="case_log_add"),
    path("log/<uuid:entry_id>/edit/", views_core.case_log_edit, name="case_log_edit"),
    path("log/<uuid:entry_id>/delete/", views_core.case_log_delete, name="case_log_delete"),
    path("documents/<uuid:document_id>/download/", views_core.case_document_download, name="case_document_download"),
]
user_patterns: list[URLPattern] = []
