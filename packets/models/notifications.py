"""Notifications waiting to be emailed: comments batched into one digest per person and packet, and reminders."""

from django.conf import settings
from django.db import models

from packets.crypto import EncryptedJSONField
from packets.models.packet import Packet
from packets.models.sharing import Invitation


class NotificationKind(models.TextChoices):
    COMMENT = "comment", "comment"
    REPLY = "reply", "reply"
    INVITATION_EXPIRING = "invitation_expiring", "invitation expiring"


class Notification(models.Model):
    """One thing a person should hear about; ``sent_at`` is set when the email that carried it went out.

    ``payload`` (who wrote what, where) is encrypted: comment text never rests in plaintext, here as in ``Comment``.
    """

    recipient = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    packet = models.ForeignKey(Packet, on_delete=models.CASCADE, related_name="notifications")
    kind = models.CharField(max_length=32, choices=NotificationKind.choices)
    payload = EncryptedJSONField(default=dict)
    # The invitation a reminder is about: at most one reminder per invitation (the constraint keeps it so).
    invitation = models.ForeignKey(Invitation, null=True, blank=True, on_delete=models.CASCADE, related_name="+")
    created_at = models.DateTimeField()
    sent_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["created_at", "id"]
        indexes = [models.Index(fields=["sent_at", "created_at"], name="notification_due")]
        constraints = [
            models.UniqueConstraint(
                fields=["invitation", "kind"],
                condition=models.Q(invitation__isnull=False),
                name="one_reminder_per_invitation",
            )
        ]

    def __str__(self) -> str:
        return f"{self.kind} for {self.recipient_id} on {self.packet_id}"
