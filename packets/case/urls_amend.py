"""URLs of the case: see packets.case.urls. Amendments (packets.case.views_amend)."""

from django.urls import URLPattern, path

from packets.case import views_amend

packet_patterns: list[URLPattern] = [  # under /packets/<packet_id>/case/
    path("amendments/new/", views_amend.case_amendment_new, name="case_amendment_new"),
    path("amendments/<uuid:amendment_id>/", views_amend.case_amendment, name="case_amendment"),
    path(
        "amendments/<uuid:amendment_id>/exhibits/new/",
        views_amend.case_amendment_exhibit_add,
        name="case_amendment_exhibit_add",
    ),
    path(
        "amendments/<uuid:amendment_id>/exhibits/<uuid:new_exhibit_id>/remove/",
        views_amend.case_amendment_exhibit_remove,
        name="case_amendment_exhibit_remove",
    ),
    path("amendments/<uuid:amendment_id>/sent/", views_amend.case_amendment_sent, name="case_amendment_sent"),
]
user_patterns: list[URLPattern] = []  # at the top level (a person's own pages and feeds)
