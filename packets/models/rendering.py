"""Rendering: the frozen PDF versions of a packet, and the jobs that make them."""

import uuid
from typing import Any

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from packets.crypto import EncryptedJSONField, EncryptedTextField
from packets.models.packet import Packet


def _version_upload_to(instance: "PacketVersion", filename: str) -> str:
    return f"versions/{instance.packet_id}/{uuid.uuid4().hex}.pdf"


class PacketVersion(models.Model):
    """One rendered packet, frozen: the content it was made from, the PDF, and who made it when. Never changed."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    packet = models.ForeignKey(Packet, on_delete=models.CASCADE, related_name="versions")
    number = models.PositiveIntegerField()
    data = EncryptedJSONField()
    exhibits = EncryptedJSONField(default=list)  # label, title, sha256 of each exhibit, in packet order
    pdf = models.FileField(upload_to=_version_upload_to, max_length=200)
    sha256 = models.CharField(max_length=64)
    page_count = models.PositiveIntegerField()
    size = models.PositiveBigIntegerField()
    final = models.BooleanField(default=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField()

    class Meta:
        ordering = ["-number"]
        constraints = [models.UniqueConstraint(fields=["packet", "number"], name="one_version_number_per_packet")]

    def __str__(self) -> str:
        return f"{self.packet} v{self.number}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        if not self._state.adding:
            raise ValueError("A packet version is immutable; render a new one instead.")
        super().save(*args, **kwargs)


class RenderState(models.TextChoices):
    QUEUED = "queued", _("Queued")
    LAYING_OUT = "laying_out", _("Laying out")
    PLACING_EXHIBITS = "placing_exhibits", _("Placing exhibits")
    DONE = "done", _("Done")
    FAILED = "failed", _("Failed")


class RenderJob(models.Model):
    """One request to render a packet, and how far it got; the browser polls it."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    packet = models.ForeignKey(Packet, on_delete=models.CASCADE, related_name="render_jobs")
    state = models.CharField(max_length=20, choices=RenderState.choices, default=RenderState.QUEUED)
    message = EncryptedTextField(blank=True)  # a refusal may name an exhibit by its title
    final = models.BooleanField(default=False)
    version = models.ForeignKey(PacketVersion, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"render of {self.packet_id}: {self.state}"

    @property
    def finished(self) -> bool:
        return self.state in (RenderState.DONE, RenderState.FAILED)
