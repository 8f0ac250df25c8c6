"""People: how a user is named to the others on a packet (full name, and for counsel their firm and bar number)."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from packets.crypto import EncryptedCharField


class Profile(models.Model):
    """What a person tells the others about themselves; counsel add the firm and bar number or accreditation."""

    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="profile")
    full_name = EncryptedCharField(_("full name"), max_length=120, blank=True)
    firm = EncryptedCharField(_("firm or organisation"), max_length=160, blank=True)
    bar_number = EncryptedCharField(_("bar number or accreditation"), max_length=120, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    def __str__(self) -> str:
        return self.full_name or str(self.user)
