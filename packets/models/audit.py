"""The audit trail (who did what, when, from where) and the signed-in sessions of each user."""

from typing import Any

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from packets.crypto import EncryptedCharField
from packets.models.packet import Packet


class AuditAction(models.TextChoices):
    VIEW = "view", _("Opened")
    DOWNLOAD = "download", _("Downloaded")
    CHANGE = "change", _("Changed")
    DELETE = "delete", _("Deleted")
    STATUS = "status", _("Status changed")
    INVITE = "invite", _("Invitation")
    MEMBER = "member", _("Membership")
    REFUSED = "refused", _("Refused")
    LOGIN = "login", _("Logged in")
    LOGIN_FAILED = "login_failed", _("Login failed")
    LOGOUT = "logout", _("Logged out")
    TIMEOUT = "timeout", _("Session timed out")
    PASSWORD = "password", _("Password changed")


class AuditEntry(models.Model):
    """One thing someone did: who, when, what and from where. Written once by ``packets.audit.records``; never changed.

    ``packet`` is null for account events (login, logout) and after the packet is deleted; ``packet_ref`` keeps the
    packet's id in both of those cases, so the trail of a deleted packet can still be found.
    """

    packet = models.ForeignKey(Packet, null=True, blank=True, on_delete=models.SET_NULL, related_name="audit_entries")
    packet_ref = models.UUIDField(null=True, blank=True, db_index=True)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    username = models.CharField(max_length=150, blank=True)  # kept when the account is deleted
    action = models.CharField(max_length=32, choices=AuditAction.choices)
    description = EncryptedCharField(max_length=300)
    ip = models.GenericIPAddressField(null=True, blank=True)
    user_agent = models.CharField(max_length=300, blank=True)
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name_plural = "audit entries"

    def __str__(self) -> str:
        return f"{self.username or '?'} {self.action}: {self.description}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        # An audit trail that the app can rewrite proves nothing: rows are only ever inserted.
        if not self._state.adding:
            raise PermissionError("audit entries cannot be changed")
        super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> tuple[int, dict[str, int]]:
        raise PermissionError("audit entries cannot be deleted")


class UserSession(models.Model):
    """A signed-in session of a user, so a password change can end the user's other sessions (or keep them)."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    session_key = models.CharField(max_length=40, unique=True)
    created_at = models.DateTimeField(auto_now_add=True)
    last_seen_at = models.DateTimeField()
    ip = models.GenericIPAddressField(null=True, blank=True)
    user_agent = models.CharField(max_length=300, blank=True)

    class Meta:
        ordering = ["-last_seen_at"]

    def __str__(self) -> str:
        return f"session of {self.user_id} since {self.created_at:%Y-%m-%d %H:%M}"
