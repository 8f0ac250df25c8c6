"""A person's calendar feed: the page that makes and revokes its secret URL, and the feed itself."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.cache import cache
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from packets.audit.records import request_origin
from packets.case.calendar import calendar_feed_create, calendar_feed_for, calendar_feed_revoke, calendar_ics
from packets.links import absolute_url
from packets.models import CalendarFeed
from packets.permissions import signed_in_user

# Guessing a feed's token: at most this many unknown tokens per address per hour, then every answer is 404.
FEED_MISSES_PER_HOUR = 30


@login_required
@require_http_methods(["GET", "POST"])
def case_calendar(request: HttpRequest) -> HttpResponse:
    user = signed_in_user(request)
    new_url = ""
    if request.method == "POST":
        if request.POST.get("action") == "revoke":
            if calendar_feed_revoke(user=user):
                messages.success(request, _("The calendar link is revoked: calendars using it get nothing more."))
        else:
            token = calendar_feed_create(user=user)
            new_url = absolute_url(f"/calendar/{token}.ics")
            messages.success(request, _("A new calendar link is ready. Copy it now: it is shown only once."))
    active = CalendarFeed.objects.filter(user=user, revoked_at__isnull=True).first()
    return render(request, "case/calendar.html", {"active": active, "new_url": new_url})


@require_GET
def case_calendar_feed(request: HttpRequest, token: str) -> HttpResponse:
    key = f"calendar-misses:{request_origin(request).ip}"
    if (cache.get(key) or 0) >= FEED_MISSES_PER_HOUR:
        raise Http404
    feed = calendar_feed_for(token)
    if feed is None:
        cache.set(key, (cache.get(key) or 0) + 1, 3600)
        raise Http404
    CalendarFeed.objects.filter(pk=feed.pk).update(last_used_at=timezone.now())
    response = HttpResponse(calendar_ics(feed.user), content_type="text/calendar; charset=utf-8")
    response["Cache-Control"] = "private, no-store"
    response["Content-Disposition"] = 'inline; filename="parole-wizard-deadlines.ics"'
    return response
