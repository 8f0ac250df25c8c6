"""Packets and who may see them: the packet (its content lives in ``Packet.data``), its members and their roles."""

import uuid
from typing import Any

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from packets.content.schema import PacketData
from packets.crypto import EncryptedCharField, EncryptedJSONField


def _empty_packet_data() -> dict[str, Any]:
    return PacketData().model_dump(mode="json")


class Role(models.TextChoices):
    OWNER = "owner", _("Owner")
    EDITOR = "editor", _("Editor")
    COUNSEL = "counsel", _("Counsel")
    VIEWER = "viewer", _("Viewer")


class PacketStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    IN_REVIEW = "in_review", _("In review")
    CHANGES_REQUESTED = "changes_requested", _("Changes requested")
    APPROVED = "approved", _("Approved")
    CHANGED_SINCE_APPROVAL = "changed_since_approval", _("Changed since approval")
    FILED = "filed", _("Filed")


class Packet(models.Model):
    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    name = EncryptedCharField(_("name"), max_length=120)
    data = EncryptedJSONField(default=_empty_packet_data)  # passport numbers, birth dates: encrypted at rest
    # Increments on every save of the content; section_revisions maps a section name to the revision that last
    # changed it, so a save based on an old revision is refused only if *that* section changed since.
    revision = models.PositiveIntegerField(default=0)
    section_revisions = models.JSONField(default=dict)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    members = models.ManyToManyField(settings.AUTH_USER_MODEL, through="Membership", related_name="packets")
    # Review workflow (packets.review.workflow): a final PDF may only be made from ``approved_revision`` — the
    # revision counsel approved, or the one the owner chose to file without counsel review (then
    # filed_without_counsel_at is set).
    status = models.CharField(max_length=32, choices=PacketStatus.choices, default=PacketStatus.DRAFT)
    approved_revision = models.PositiveIntegerField(null=True, blank=True)
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    approved_at = models.DateTimeField(null=True, blank=True)
    filed_without_counsel_at = models.DateTimeField(null=True, blank=True)
    filed_without_counsel_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    # A re-parole request is a new packet made from an approved case: this is that earlier packet.
    reparole_of = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.SET_NULL, related_name="reparole_requests"
    )

    class Meta:
        ordering = ["-updated_at"]

    def __str__(self) -> str:
        return self.name

    @property
    def content(self) -> PacketData:
        """``data`` as the schema reads it, validated once per ``data`` object (a step save reads it three times).

        ``data`` is only ever replaced, never changed in place (packets.content.services), so a new object means new
        content.
        """
        cached = self.__dict__.get("_content")
        if cached is None or cached[0] is not self.data:
            cached = (self.data, PacketData.model_validate(self.data))
            self.__dict__["_content"] = cached
        return cached[1]

    def set_content(self, content: PacketData, data: dict[str, Any] | None = None) -> None:
        """Replace ``data`` with ``content`` (already validated; ``data`` is its JSON dump if the caller has it): the
        next ``content`` is this very object."""
        self.data = content.model_dump(mode="json") if data is None else data
        self.__dict__["_content"] = (self.data, content)


class Membership(models.Model):
    packet = models.ForeignKey(Packet, on_delete=models.CASCADE, related_name="memberships")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="memberships")
    role = models.CharField(max_length=16, choices=Role.choices)
    created_at = models.DateTimeField(auto_now_add=True)
    # The revision this member last reviewed (requested changes on or approved): "what changed since" starts there.
    last_reviewed_revision = models.PositiveIntegerField(null=True, blank=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["packet", "user"], name="one_membership_per_user_and_packet")]

    def __str__(self) -> str:
        return f"{self.user} is {self.role} of {self.packet}"
