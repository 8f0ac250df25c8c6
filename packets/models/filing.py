"""Filing: when, how and with what receipt the packet was sent to the agency (the case after filing builds on it)."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from packets.crypto import EncryptedCharField
from packets.models.packet import Packet
from packets.models.rendering import PacketVersion


class FilingMethod(models.TextChoices):
    LOCKBOX = "lockbox", _("Mailed to the lockbox")
    ONLINE = "online", _("Filed online")
    OTHER = "other", _("Other")


class Filing(models.Model):
    """The record of filing: one per packet, written when it is marked as filed."""

    packet = models.OneToOneField(Packet, on_delete=models.CASCADE, related_name="filing")
    filed_on = models.DateField(_("filing date"))
    method = models.CharField(_("how it was filed"), max_length=16, choices=FilingMethod.choices)
    receipt_number = EncryptedCharField(_("receipt number"), max_length=13, blank=True)  # IOE0123456789
    # The final PDF that was filed; null when it was filed outside the app (or the version was deleted with the packet).
    filed_version = models.ForeignKey(PacketVersion, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    filed_outside_app = models.BooleanField(_("filed with a PDF made outside this app"), default=False)
    # Form G-1145: an e-mail or text message when the filing office accepts the packet (lockbox filings).
    e_notification_requested = models.BooleanField(_("e-notification requested (Form G-1145)"), default=False)
    receipt_on = models.DateField(_("date of the receipt notice"), null=True, blank=True)
    receipt_notice = models.ForeignKey(
        "packets.CaseDocument", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    def __str__(self) -> str:
        return f"{self.packet} filed on {self.filed_on}"
