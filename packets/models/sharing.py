"""Sharing: invitations to join a packet with a role."""

import uuid

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from packets.crypto import EncryptedCharField
from packets.models.packet import Packet, Role


class Invitation(models.Model):
    """An offer to join a packet with a role, sent by email as a link holding a single-use token.

    Only a hash of the token is stored, so a copy of the database cannot be used to join packets. Pending means neither
    accepted nor revoked (an expired invitation is still pending here; ``packets.sharing.services`` checks
    ``expires_at``). The address is encrypted like everything typed; ``email_digest`` finds it.
    """

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    packet = models.ForeignKey(Packet, on_delete=models.CASCADE, related_name="invitations")
    email = EncryptedCharField(_("email address"), max_length=254)  # as the owner typed it
    # The address found and kept unique without being readable: packets.crypto.lookup_digest(email, purpose="email").
    email_digest = models.CharField(max_length=64, editable=False)
    role = models.CharField(_("role"), max_length=16, choices=Role.choices)
    token_hash = models.CharField(max_length=64)
    invited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    expires_at = models.DateTimeField()
    accepted_at = models.DateTimeField(null=True, blank=True)
    accepted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    revoked_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        constraints = [
            # Re-inviting replaces the pending invitation; this keeps two racing requests from both creating one.
            models.UniqueConstraint(
                "email_digest",
                "packet",
                condition=models.Q(accepted_at__isnull=True, revoked_at__isnull=True),
                name="one_pending_invitation_per_packet_and_address",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.email} as {self.role} of {self.packet_id}"
