"""A step's unsaved draft: what one person typed on one step of one packet that is not saved yet, kept on the server."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from packets.crypto import EncryptedJSONField
from packets.models.packet import Packet


class DraftKind(models.TextChoices):
    # The posted input as it was (it may not validate): the step's form is bound to it again.
    INPUT = "input", _("Answers that need fixing")
    # A section value merged with a later save, the person's answers kept where both changed the same question.
    MERGED = "merged", _("Answers merged with a later save")


class StepDraft(models.Model):
    """Kept per packet, step and person until that person saves the step or discards the draft.

    ``base_revision`` is the packet revision the answers were typed against: a draft never replaces a later save,
    its next save is merged three ways against that revision (``packets.content.merge``).
    """

    packet = models.ForeignKey(Packet, on_delete=models.CASCADE, related_name="step_drafts")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    step = models.CharField(max_length=64)
    kind = models.CharField(max_length=16, choices=DraftKind.choices, default=DraftKind.INPUT)
    data = EncryptedJSONField()  # what was typed: names, passport numbers… encrypted at rest like Packet.data
    base_revision = models.PositiveIntegerField(default=0)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["packet", "user", "step"], name="one_draft_per_packet_user_and_step")
        ]

    def __str__(self) -> str:
        return f"draft of {self.step} (r{self.base_revision})"
