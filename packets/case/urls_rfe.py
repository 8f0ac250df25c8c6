"""URLs of the case: see packets.case.urls."""

from django.urls import URLPattern, path

from packets.case import views_rfe

packet_patterns: list[URLPattern] = [  # under /packets/<packet_id>/case/
    path("rfe/new/", views_rfe.case_rfe_new, name="case_rfe_new"),
    path("rfe/<uuid:rfe_id>/", views_rfe.case_rfe, name="case_rfe"),
    path("rfe/<uuid:rfe_id>/items/new/", views_rfe.case_rfe_item_add, name="case_rfe_item_add"),
    path("rfe/<uuid:rfe_id>/exhibits/new/", views_rfe.case_rfe_exhibit_add, name="case_rfe_exhibit_add"),
    path(
        "rfe/<uuid:rfe_id>/exhibits/<uuid:document_id>/remove/",
        views_rfe.case_rfe_exhibit_remove,
        name="case_rfe_exhibit_remove",
    ),
    path("rfe/<uuid:rfe_id>/review/<slug:step>/", views_rfe.case_rfe_step, name="case_rfe_step"),
    path("rfe/<uuid:rfe_id>/sent/", views_rfe.case_rfe_sent, name="case_rfe_sent"),
    path("rfe/<uuid:rfe_id>/comments/", views_rfe.case_rfe_comment, name="case_rfe_comment"),
]
user_patterns: list[URLPattern] = []
