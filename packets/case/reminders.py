"""Reminder emails of the case's deadlines, each sent once (``manage.py send_reminders``, safe every hour).

For every open deadline of every filed case, each member who works on it (owner, editor, counsel) with a confirmed
address hears ``CASE_REMINDER_DAYS`` days before (14, 7, 1 and on the day, by default). A run that missed days
(the timer was off) sends only the closest lead time not yet sent — never a burst of old ones. The ``ReminderSent``
row is written first, under its unique constraint, and the email sent after the commit: two runs at once send once.
"""

from dataclasses import dataclass
from datetime import date

from django.conf import settings
from django.contrib.auth.models import User
from django.core.mail import send_mail
from django.db import IntegrityError, transaction
from django.template.loader import render_to_string
from django.utils import timezone, translation

from packets.case.deadlines import Deadline, open_deadlines
from packets.case.summary import load_cases
from packets.links import absolute_url
from packets.models import Filing, Membership, Packet, ReminderSent, Role
from packets.sharing.addresses import email_is_verified

NOTIFIED_ROLES = (Role.OWNER, Role.EDITOR, Role.COUNSEL)


@dataclass(frozen=True)
class ReminderRun:
    sent: int
    considered: int


def lead_time_due(deadline: Deadline, today: date, sent_before: set[int]) -> int | None:
    """The lead time (days before) to remind of ``deadline`` today, or None: the smallest configured lead time that
    has been reached and is not yet sent — as long as a smaller one has not been sent either."""
    days_left = (deadline.due_on - today).days
    if days_left < 0:
        return None
    reached = [days for days in settings.CASE_REMINDER_DAYS if days >= days_left]
    if not reached:
        return None
    closest = min(reached)
    if closest in sent_before or any(days < closest for days in sent_before):
        return None
    return closest


def send_reminders(*, today: date | None = None) -> ReminderRun:
    today = today or timezone.localdate()
    packets = list(Packet.objects.filter(pk__in=Filing.objects.values("packet_id")))
    members: dict[object, list[Membership]] = {}
    for membership in Membership.objects.filter(packet__in=packets, role__in=NOTIFIED_ROLES).select_related("user"):
        members.setdefault(membership.packet_id, []).append(membership)
    sent_rows = set(
        ReminderSent.objects.filter(packet__in=packets).values_list(
            "user_id", "packet_id", "deadline_key", "due_on", "days_before"
        )
    )
    sent = considered = 0
    for case in load_cases(packets, brief=True).values():
        for deadline in open_deadlines(case.deadlines):
            for membership in members.get(case.packet.pk, []):
                user = membership.user
                if not user.email or not email_is_verified(user):
                    continue
                considered += 1
                before = {
                    row[4] for row in sent_rows if row[:4] == (user.pk, case.packet.pk, deadline.key, deadline.due_on)
                }
                days = lead_time_due(deadline, today, before)
                if days is not None and _record_and_send(case.packet, user, deadline, days):
                    sent += 1
    return ReminderRun(sent=sent, considered=considered)


def _record_and_send(packet: Packet, user: User, deadline: Deadline, days: int) -> bool:
    try:
        with transaction.atomic():
            ReminderSent.objects.create(
                user=user, packet=packet, deadline_key=deadline.key, due_on=deadline.due_on, days_before=days
            )
            transaction.on_commit(lambda: _send(packet, user, deadline, days))
    except IntegrityError:  # another run recorded it first: it sends it
        return False
    return True


def _send(packet: Packet, user: User, deadline: Deadline, days: int) -> None:
    context = {
        "packet": packet,
        "deadline": deadline,
        "days": days,
        "url": absolute_url(f"/packets/{packet.pk}/case/"),
    }
    with translation.override(settings.LANGUAGE_CODE):
        subject = render_to_string("emails/case_reminder_subject.txt", context).strip()
        body = render_to_string("emails/case_reminder.txt", context)
    send_mail(subject, body, None, [user.email])
