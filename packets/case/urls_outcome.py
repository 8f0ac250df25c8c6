"""URLs of the case: see packets.case.urls."""

from django.urls import URLPattern, path

from packets.case import views_outcome, views_reports

packet_patterns: list[URLPattern] = [  # under /packets/<packet_id>/case/
    path("decision/", views_outcome.case_decision, name="case_decision"),
    path("departure/", views_outcome.case_departure, name="case_departure"),
    path("conditions/new/", views_outcome.case_condition_new, name="case_condition_new"),
    path("conditions/<int:condition_id>/edit/", views_outcome.case_condition_edit, name="case_condition_edit"),
    path("conditions/<int:condition_id>/remove/", views_outcome.case_condition_remove, name="case_condition_remove"),
    path("reports/<int:condition_id>/<str:due>/", views_reports.case_report, name="case_report"),
    path("reports/<uuid:report_id>/pdf/", views_reports.case_report_pdf, name="case_report_pdf"),
]
user_patterns: list[URLPattern] = []
