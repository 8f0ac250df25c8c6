"""The content's history: one row per saved change, with a snapshot so any two revisions can be compared."""

from django.conf import settings
from django.db import models

from packets.crypto import EncryptedJSONField
from packets.models.packet import Packet


class PacketChange(models.Model):
    """One saved change: who changed which section, when, and the revision it produced."""

    packet = models.ForeignKey(Packet, on_delete=models.CASCADE, related_name="changes")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    section = models.CharField(max_length=64)
    summary = models.CharField(max_length=200, blank=True)
    revision = models.PositiveIntegerField()
    created_at = models.DateTimeField(auto_now_add=True)
    # The whole content and exhibit list (id, label, title, sha256) after this change, so any two revisions can be
    # compared (packets.content.diffs); null on changes recorded before snapshots existed.
    snapshot = EncryptedJSONField(null=True, blank=True)
    exhibits = EncryptedJSONField(null=True, blank=True)  # titles: as private as the content

    class Meta:
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"{self.section} → r{self.revision}"
