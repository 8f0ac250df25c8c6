"""URLs of the case: see packets.case.urls."""

from django.urls import URLPattern, path

from packets.case import views_deadlines

packet_patterns: list[URLPattern] = []  # under /packets/<packet_id>/case/
user_patterns: list[URLPattern] = [  # at the top level (a person's own pages and feeds)
    path("calendar/", views_deadlines.case_calendar, name="case_calendar"),
    path("calendar/<str:token>.ics", views_deadlines.case_calendar_feed, name="case_calendar_feed"),
]
