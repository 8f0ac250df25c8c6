"""``manage.py send_notifications``: send the comment digests that are due and remind owners of expiring invitations.

Run it from cron or a systemd timer every few minutes; running it twice sends nothing twice.
"""

from typing import Any

from django.core.management.base import BaseCommand

from packets.review.notifications import invitation_reminders_send, notifications_send_due


class Command(BaseCommand):
    help = "Send due comment digests and reminders of invitations about to expire (idempotent; for cron)."

    def handle(self, *args: Any, **options: Any) -> None:
        digests = notifications_send_due()
        reminders = invitation_reminders_send()
        self.stdout.write(f"Sent {digests} comment digest(s) and {reminders} invitation reminder(s).")
