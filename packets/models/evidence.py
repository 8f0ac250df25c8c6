"""Exhibits: the files that back a packet's content, in packet order, each with its kind and its text layer."""

import uuid

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from packets.crypto import EncryptedCharField, EncryptedJSONField
from packets.evidence.markup_words import markup_found_from, markup_words
from packets.models.packet import Packet


def _exhibit_upload_to(instance: "Exhibit", filename: str) -> str:
    # Never the user's file name: a generated one, grouped by packet.
    return f"exhibits/{instance.packet_id}/{uuid.uuid4().hex}"


class ExhibitKind(models.TextChoices):
    PASSPORT = "passport", _("Passport biographic page")
    CV = "cv", _("Curriculum vitae")
    CERTIFICATE = "certificate", _("Certificate or licence")
    SUPPORT_LETTER = "support_letter", _("Letter of support")
    FINANCIAL = "financial", _("Financial evidence")
    PLAN = "plan", _("Training plan or safety protocol")
    COLLABORATION = "collaboration", _("Proof of community collaboration")
    NEED = "need", _("Evidence of the need (no local expert available, damage reports)")
    RETURN_TIES = "return_ties", _("Proof of ties at home (job, family, studies)")
    OTHER = "other", _("Other evidence")


class ExhibitTextStatus(models.TextChoices):
    """What the sandbox found when it read an exhibit's text layer (at upload, import or restore)."""

    NOT_READ = "not_read", _("Not read yet")  # stored before uploads read the text: manage.py extract_exhibit_text
    READ = "read", _("Text read")
    NO_TEXT = "no_text", _("No text layer")  # an image, or a scan saved as PDF
    UNREADABLE = "unreadable", _("Could not be read")


class Exhibit(models.Model):
    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    packet = models.ForeignKey(Packet, on_delete=models.CASCADE, related_name="exhibits")
    kind = models.CharField(_("kind"), max_length=32, choices=ExhibitKind.choices)
    title = EncryptedCharField(_("title"), max_length=200)
    issuer = EncryptedCharField(_("issued by"), max_length=200, blank=True)
    issued_on = models.DateField(_("date"), null=True, blank=True)
    position = models.PositiveIntegerField(default=0)
    file = models.FileField(upload_to=_exhibit_upload_to, max_length=200)
    original_name = EncryptedCharField(max_length=255)
    content_type = models.CharField(max_length=64)
    size = models.PositiveBigIntegerField()
    page_count = models.PositiveIntegerField()
    sha256 = models.CharField(max_length=64)
    # The text layer of a PDF (a letter's names and contacts): read once in the sandbox, encrypted like the content,
    # for every kind, so an exhibit that becomes a support letter later has it. None unless text_status is "read".
    text = EncryptedJSONField(null=True, blank=True)
    text_status = models.CharField(max_length=16, choices=ExhibitTextStatus.choices, default=ExhibitTextStatus.NOT_READ)
    # What a person added on screen, as the sandbox counted it at upload: {"filled_fields": 1, "signatures": 1,
    # "comments": 0}; printed with the exhibit, and said beside it. {} for an exhibit stored before it was counted.
    markup = models.JSONField(default=dict, blank=True)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    # One submission of a form, one exhibit: a digest of the form's one-time token, the file's place in the form and
    # its bytes (packets.content.services.upload_key). A second POST of the same form (a double click on Save, a
    # resent request) finds this row instead of adding another. "" for an exhibit stored without a form.
    upload_key = models.CharField(max_length=64, blank=True, default="", editable=False)

    class Meta:
        ordering = ["position", "created_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["packet", "upload_key"], condition=~models.Q(upload_key=""), name="exhibit_upload_once"
            )
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def printed_markup(self) -> str:
        """ "Printed with a filled-in form and a signature", or "" when the file holds nothing added on screen."""
        words = markup_words(markup_found_from(self.markup))
        return _("Printed with %(found)s.") % {"found": words} if words else ""
