"""Packets, who may see them, their exhibits and their history.

Content lives in ``Packet.data`` (JSON validated by ``packets.content.schema.PacketData``); files live in ``Exhibit``
rows beside it. Business logic lives in ``packets.content.services``, not here.
"""

import uuid
from typing import Any

from django.conf import settings
from django.db import models
from django.db.models.functions import Lower
from django.utils.translation import gettext_lazy as _

from packets.content.schema import PacketData
from packets.crypto import EncryptedJSONField


def _empty_packet_data() -> dict[str, Any]:
    return PacketData().model_dump(mode="json")


def _exhibit_upload_to(instance: "Exhibit", filename: str) -> str:
    # Never the user's file name: a generated one, grouped by packet.
    return f"exhibits/{instance.packet_id}/{uuid.uuid4().hex}"


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
    name = models.CharField(_("name"), max_length=120)
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
    title = models.CharField(_("title"), max_length=200)
    issuer = models.CharField(_("issued by"), max_length=200, blank=True)
    issued_on = models.DateField(_("date"), null=True, blank=True)
    position = models.PositiveIntegerField(default=0)
    file = models.FileField(upload_to=_exhibit_upload_to, max_length=200)
    original_name = models.CharField(max_length=255)
    content_type = models.CharField(max_length=64)
    size = models.PositiveBigIntegerField()
    page_count = models.PositiveIntegerField()
    sha256 = models.CharField(max_length=64)
    # The text layer of a PDF (a letter's names and contacts): read once in the sandbox, encrypted like the content,
    # for every kind, so an exhibit that becomes a support letter later has it. None unless text_status is "read".
    text = EncryptedJSONField(null=True, blank=True)
    text_status = models.CharField(max_length=16, choices=ExhibitTextStatus.choices, default=ExhibitTextStatus.NOT_READ)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["position", "created_at"]

    def __str__(self) -> str:
        return self.title


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
    exhibits = models.JSONField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"{self.section} → r{self.revision}"


def _version_upload_to(instance: "PacketVersion", filename: str) -> str:
    return f"versions/{instance.packet_id}/{uuid.uuid4().hex}.pdf"


class PacketVersion(models.Model):
    """One rendered packet, frozen: the content it was made from, the PDF, and who made it when. Never changed."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    packet = models.ForeignKey(Packet, on_delete=models.CASCADE, related_name="versions")
    number = models.PositiveIntegerField()
    data = EncryptedJSONField()
    exhibits = models.JSONField(default=list)  # label, title, sha256 of each exhibit, in packet order
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
    message = models.TextField(blank=True)
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


class ReviewEvent(models.Model):
    """One step of the review workflow: who moved the packet from which status to which, when, why, at what revision."""

    packet = models.ForeignKey(Packet, on_delete=models.CASCADE, related_name="review_events")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    from_status = models.CharField(max_length=32, choices=PacketStatus.choices)
    to_status = models.CharField(max_length=32, choices=PacketStatus.choices)
    note = models.TextField(blank=True)
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
    body = models.TextField()
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
    reason = models.TextField()
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


class Invitation(models.Model):
    """An offer to join a packet with a role, sent by email as a link holding a single-use token.

    Only a hash of the token is stored, so a copy of the database cannot be used to join packets. Pending means neither
    accepted nor revoked (an expired invitation is still pending here; ``packets.sharing.services`` checks
    ``expires_at``).
    """

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    packet = models.ForeignKey(Packet, on_delete=models.CASCADE, related_name="invitations")
    email = models.EmailField(_("email address"))  # as the owner typed it; compared without regard to case
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
                Lower("email"),
                "packet",
                condition=models.Q(accepted_at__isnull=True, revoked_at__isnull=True),
                name="one_pending_invitation_per_packet_and_address",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.email} as {self.role} of {self.packet_id}"


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
    description = models.CharField(max_length=300)
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
