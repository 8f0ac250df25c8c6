"""Review: the workflow's steps, comments on a packet, and counsel's overrides of readiness findings."""

import uuid

from django.conf import settings
from django.db import models

from packets.crypto import EncryptedTextField
from packets.models.evidence import Exhibit
from packets.models.packet import Packet, PacketStatus


class ReviewEvent(models.Model):
    """One step of the review workflow: who moved the packet from which status to which, when, why, at what revision."""

    packet = models.ForeignKey(Packet, on_delete=models.CASCADE, related_name="review_events")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    from_status = models.CharField(max_length=32, choices=PacketStatus.choices)
    to_status = models.CharField(max_length=32, choices=PacketStatus.choices)
    note = EncryptedTextField(blank=True)
    revision = models.PositiveIntegerField()
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"{self.from_status} → {self.to_status} at r{self.revision}"


class Comment(models.Model):
    """A remark on a step, one field of it, or an exhibit; replies point at the first comment of their thread."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    packet = models.ForeignKey(Packet, on_delete=models.CASCADE, related_name="comments")
    parent = models.ForeignKey("self", null=True, blank=True, on_delete=models.CASCADE, related_name="replies")
    author = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    step = models.CharField(max_length=64)
    field = models.CharField(max_length=64, blank=True)
    exhibit = models.ForeignKey(Exhibit, null=True, blank=True, on_delete=models.SET_NULL, related_name="comments")
    body = EncryptedTextField()
    revision = models.PositiveIntegerField()
    resolved_at = models.DateTimeField(null=True, blank=True)
    resolved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["created_at", "id"]

    def __str__(self) -> str:
        return f"comment on {self.step}{'.' + self.field if self.field else ''}"


class FindingOverride(models.Model):
    """Counsel's written decision that one readiness blocker (rule, step, field) need not stop a final render."""

    packet = models.ForeignKey(Packet, on_delete=models.CASCADE, related_name="finding_overrides")
    rule = models.CharField(max_length=64)
    step = models.CharField(max_length=64)
    field = models.CharField(max_length=64, blank=True)
    reason = EncryptedTextField()
    revision = models.PositiveIntegerField()
    by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["packet", "rule", "step", "field"], name="one_override_per_finding")
        ]

    def __str__(self) -> str:
        return f"override of {self.rule} ({self.step}.{self.field})"
