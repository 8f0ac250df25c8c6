"""Emails of the review workflow: the other side of a packet hears of a submission, a request for changes, an approval,
a filing, or an edit after approval."""

from collections.abc import Iterable
from typing import Any

from django.conf import settings
from django.contrib.auth.models import User
from django.core.mail import send_mail
from django.db import transaction
from django.template.loader import render_to_string
from django.utils.translation import gettext as _

from packets.models import (
    Membership,
    Packet,
    PacketStatus,
    ReviewEvent,
)


def _username(user: Any) -> str:
    return user.get_username() if user is not None else _("someone")


def review_notify(*, packet: Packet, event: ReviewEvent, name: str, roles: Iterable[str], actor: User | None) -> None:
    """Email the other side after the transaction commits (console backend unless configured)."""
    actor_id = actor.pk if actor is not None else None
    recipients = sorted(
        {
            address
            for address in Membership.objects.filter(packet_id=packet.pk, role__in=list(roles))
            .exclude(user_id=actor_id or 0)
            .values_list("user__email", flat=True)
            if address
        }
    )
    if not recipients:
        return
    context = {
        "packet": packet,
        "event": event,
        "actor": _username(actor),
        "status": PacketStatus(event.to_status).label,
        "site": getattr(settings, "SITE_URL", ""),
    }
    subject = _("[%(packet)s] %(status)s") % {"packet": packet.name, "status": context["status"]}
    body = render_to_string(f"emails/review_{name}.txt", context)
    transaction.on_commit(
        lambda: send_mail(subject, body, settings.DEFAULT_FROM_EMAIL, recipients, fail_silently=False)
    )
