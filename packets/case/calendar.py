"""A person's calendar feed: every deadline of every filed case they are on, as iCalendar (RFC 5545) that calendar
apps subscribe to by a secret URL. The token is shown once and stored as a digest; revoking ends the URL.

The feed is read by calendar servers without a login, so it says less than the case page: the packet's name and the
deadline, never passport data or the beneficiary's name.
"""

import hashlib
import secrets
from datetime import timedelta

from django.contrib.auth.models import User
from django.db import transaction
from django.utils import timezone
from icalendar import Calendar, Event

from packets.case.summary import load_cases
from packets.links import absolute_url
from packets.models import CalendarFeed, Filing, Packet

PRODID = "-//Parole Wizard//Case deadlines//EN"


def token_digest(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def calendar_feed_create(*, user: User) -> str:
    """A new secret feed URL token for ``user`` (earlier feeds are revoked: one feed per person)."""
    token = secrets.token_urlsafe(32)
    with transaction.atomic():
        CalendarFeed.objects.filter(user=user, revoked_at__isnull=True).update(revoked_at=timezone.now())
        CalendarFeed.objects.create(user=user, token_digest=token_digest(token))
    return token


def calendar_feed_revoke(*, user: User) -> int:
    return CalendarFeed.objects.filter(user=user, revoked_at__isnull=True).update(revoked_at=timezone.now())


def calendar_feed_for(token: str) -> CalendarFeed | None:
    """The active feed of ``token``, or None (unknown or revoked)."""
    if not token or len(token) > 100:
        return None
    return (
        CalendarFeed.objects.filter(token_digest=token_digest(token), revoked_at__isnull=True)
        .select_related("user")
        .first()
    )


def user_cases(user: User) -> list[Packet]:
    """The filed packets ``user`` is a member of."""
    filed = Filing.objects.values("packet_id")
    return list(Packet.objects.filter(memberships__user=user, pk__in=filed).distinct())


def calendar_ics(user: User) -> bytes:
    """The iCalendar of every deadline of ``user``'s cases: all-day events with stable UIDs."""
    calendar = Calendar()
    calendar.add("prodid", PRODID)
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("x-wr-calname", "Parole Wizard deadlines")
    stamp = timezone.now()
    for case in load_cases(user_cases(user), brief=True).values():
        url = absolute_url(f"/packets/{case.packet.pk}/case/")
        for deadline in case.deadlines:
            event = Event()
            event.add("uid", f"{deadline.key.replace(':', '-')}-{case.packet.pk}@parole-wizard")
            event.add("dtstamp", stamp)
            event.add("dtstart", deadline.due_on)
            event.add("dtend", deadline.due_on + timedelta(days=1))
            event.add("summary", f"{deadline.title} — {case.packet.name}" + (" (done)" if deadline.done else ""))
            event.add("description", f"{deadline.title}.\n{url}")
            event.add("url", url)
            event.add("transp", "TRANSPARENT")
            calendar.add_component(event)
    return bytes(calendar.to_ical())
