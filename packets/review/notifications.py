"""Emails to the people of a packet: the other side hears of a review step at once, of comments and replies in one
digest per packet at most every quarter hour, and the owner of an invitation about to expire once.

Comments wait in ``Notification`` (their summary encrypted) until ``notifications_send_due`` sends them: the task
``packets.review.tasks`` queues when a comment arrives, or ``manage.py send_notifications`` from cron. Every link
is absolute (``packets.links.absolute_url``); nobody is emailed before ``_may_notify`` says so.
"""

from collections import defaultdict
from collections.abc import Iterable
from datetime import datetime, timedelta
from uuid import UUID

from django.conf import settings
from django.contrib.auth.models import User
from django.core.mail import send_mail
from django.db import IntegrityError, transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from packets.content.sections import section_title
from packets.links import absolute_url
from packets.models import (
    Comment,
    Filing,
    Invitation,
    Membership,
    Notification,
    NotificationKind,
    Packet,
    PacketStatus,
    ReviewEvent,
    Role,
)
from packets.people import person_display
from packets.sharing.addresses import email_is_verified

# At most one comment digest per person and packet in this time: the first comment waits this long for others.
DIGEST_WINDOW = timedelta(minutes=15)
# An invitation expiring within this time (and still open) makes the owner a reminder, once.
REMINDER_BEFORE_EXPIRY = timedelta(hours=48)
# Applicant's side and counsel's side: a comment by one side notifies the other.
APPLICANT_SIDE = (Role.OWNER, Role.EDITOR)
COUNSEL_SIDE = (Role.COUNSEL,)
_DIGEST_KINDS = (NotificationKind.COMMENT, NotificationKind.REPLY)
_EXCERPT = 400


def _may_notify(user: User) -> bool:
    """Whether ``user`` may be emailed: only at an address they have confirmed (issue #15: never mail an address its
    owner has not shown to be theirs). Every email of this module asks here first."""
    return email_is_verified(user)


def review_notify(*, packet: Packet, event: ReviewEvent, name: str, roles: Iterable[str], actor: User | None) -> None:
    """Email the other side after the transaction commits (console backend unless configured)."""
    actor_id = actor.pk if actor is not None else None
    members = (
        Membership.objects.filter(packet_id=packet.pk, role__in=list(roles))
        .exclude(user_id=actor_id or 0)
        .select_related("user")
    )
    recipients = sorted({member.user.email for member in members if _may_notify(member.user)})
    if not recipients:
        return
    target = "packet_changes" if name == "changed" else "packet_counsel"
    context = {
        "packet": packet,
        "event": event,
        "actor": person_display(actor),
        "status": PacketStatus(event.to_status).label,
        "url": absolute_url(reverse(target, args=[packet.pk])),
        "filing": Filing.objects.filter(packet_id=packet.pk).first() if name == "mark_filed" else None,
    }
    subject = _("[%(packet)s] %(status)s") % {"packet": packet.name, "status": context["status"]}
    body = render_to_string(f"emails/review_{name}.txt", context)
    transaction.on_commit(
        lambda: send_mail(subject, body, settings.DEFAULT_FROM_EMAIL, recipients, fail_silently=False)
    )


def comment_notify(*, comment: Comment) -> list[Notification]:
    """Queue news of ``comment`` for the other side of its packet (never its author); sent in a digest later."""
    author_role = (
        Membership.objects.filter(packet_id=comment.packet_id, user_id=comment.author_id or 0)
        .values_list("role", flat=True)
        .first()
    )
    sides = APPLICANT_SIDE if author_role in COUNSEL_SIDE else COUNSEL_SIDE
    recipients = Membership.objects.filter(packet_id=comment.packet_id, role__in=sides).exclude(
        user_id=comment.author_id or 0
    )
    payload = {
        "author": person_display(comment.author),
        "step": comment.step,
        "body": comment.body[:_EXCERPT],
        "thread": str(comment.parent_id or comment.pk),
    }
    kind = NotificationKind.REPLY if comment.parent_id else NotificationKind.COMMENT
    now = timezone.now()
    # One create per recipient (a packet has a handful), not bulk_create: its post_save queues the digest task.
    return [
        Notification.objects.create(
            recipient_id=user_id, packet_id=comment.packet_id, kind=kind, payload=payload, created_at=now
        )
        for user_id in recipients.values_list("user_id", flat=True)
    ]


def notifications_send_due(*, now: datetime | None = None) -> int:
    """Send one digest per person and packet whose oldest waiting comment is a quarter hour old; the number sent.

    Idempotent: the rows of a digest are locked, sent and marked in one transaction, so two runs (cron and the task
    queue) never send one twice. Everything waiting for that person and packet goes in the digest, so the next one
    cannot follow within the quarter hour.
    """
    now = now or timezone.now()
    due = (
        Notification.objects.filter(kind__in=_DIGEST_KINDS, sent_at__isnull=True, created_at__lte=now - DIGEST_WINDOW)
        .values_list("recipient_id", "packet_id")
        .distinct()
    )
    return sum(_digest_send(recipient_id=recipient_id, packet_id=packet_id, now=now) for recipient_id, packet_id in due)


def _digest_send(*, recipient_id: int, packet_id: UUID, now: datetime) -> int:
    with transaction.atomic():
        waiting = list(
            Notification.objects.select_for_update()
            .filter(recipient_id=recipient_id, packet_id=packet_id, kind__in=_DIGEST_KINDS, sent_at__isnull=True)
            .select_related("recipient", "packet")
        )
        if not waiting or waiting[0].created_at > now - DIGEST_WINDOW:
            return 0  # another run sent them first
        Notification.objects.filter(pk__in=[item.pk for item in waiting]).update(sent_at=now)
        recipient, packet = waiting[0].recipient, waiting[0].packet
        if not _may_notify(recipient):
            return 0  # marked, not sent: they are shown on the packet page all the same
        by_step: dict[str, list[dict[str, str]]] = defaultdict(list)
        for item in waiting:
            by_step[item.payload.get("step", "")].append(item.payload)
        context = {
            "packet": packet,
            "recipient": person_display(recipient),
            "count": len(waiting),
            "steps": [
                (section_title(step), absolute_url(reverse("wizard_step", args=[packet.pk, step])), items)
                for step, items in by_step.items()
            ],
            "url": absolute_url(reverse("packet_counsel", args=[packet.pk])),
        }
        subject = _("[%(packet)s] New comments") % {"packet": packet.name}
        body = render_to_string("emails/comment_digest.txt", context)
        send_mail(subject, body, settings.DEFAULT_FROM_EMAIL, [recipient.email], fail_silently=False)
    return 1


def invitation_reminders_send(*, now: datetime | None = None) -> int:
    """Remind each owner once of an open invitation that expires within 48 hours; the number of reminders sent."""
    now = now or timezone.now()
    expiring = Invitation.objects.filter(
        accepted_at__isnull=True,
        revoked_at__isnull=True,
        expires_at__gt=now,
        expires_at__lte=now + REMINDER_BEFORE_EXPIRY,
    ).select_related("packet")
    sent = 0
    for invitation in expiring:
        owners = Membership.objects.filter(packet_id=invitation.packet_id, role=Role.OWNER).select_related("user")
        for owner in owners:
            sent += _reminder_send(invitation=invitation, owner=owner.user, now=now)
    return sent


def _reminder_send(*, invitation: Invitation, owner: User, now: datetime) -> int:
    try:
        with transaction.atomic():
            # The row is the record that the reminder went out; the constraint refuses a second.
            Notification.objects.create(
                recipient=owner,
                packet_id=invitation.packet_id,
                kind=NotificationKind.INVITATION_EXPIRING,
                invitation=invitation,
                payload={"email": invitation.email, "role": invitation.role},
                created_at=now,
                sent_at=now,
            )
            if not _may_notify(owner):
                return 0
            context = {
                "invitation": invitation,
                "role": Role(invitation.role).label,
                "url": absolute_url(reverse("packet_members", args=[invitation.packet_id])),
            }
            subject = _("[%(packet)s] An invitation expires soon") % {"packet": invitation.packet.name}
            body = render_to_string("emails/invitation_expiring.txt", context)
            send_mail(subject, body, settings.DEFAULT_FROM_EMAIL, [owner.email], fail_silently=False)
    except IntegrityError:
        return 0  # reminded already
    return 1
