"""The comment digest as a background task: queued, to run when its quarter hour is up, whenever a comment waits.

A task imports the service it runs (``packets.review.notifications``), never the reverse; the receiver below is the
seam. A backend that cannot defer a task (the immediate one) leaves the digests to ``manage.py send_notifications``.
"""

from typing import Any

from django.db import transaction
from django.db.models.signals import post_save
from django.dispatch import receiver
from django_tasks import task, task_backends

from packets.models import Notification, NotificationKind
from packets.review.notifications import DIGEST_WINDOW, notifications_send_due


@task()
def send_due_notifications_task() -> int:
    """Send every digest that is due (idempotent: a digest already sent by cron is not sent again)."""
    return notifications_send_due()


@receiver(post_save, sender=Notification, dispatch_uid="notification_digest_schedule")
def _digest_schedule(sender: type[Notification], instance: Notification, created: bool, **kwargs: Any) -> None:
    if kwargs.get("raw") or not created or instance.sent_at is not None:
        return  # a restore (raw), or a row that is already sent
    if instance.kind == NotificationKind.INVITATION_EXPIRING:
        return
    if not task_backends[send_due_notifications_task.backend].supports_defer:
        return
    deferred = send_due_notifications_task.using(run_after=instance.created_at + DIGEST_WINDOW)
    transaction.on_commit(deferred.enqueue)
