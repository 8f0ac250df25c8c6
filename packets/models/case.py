"""The case after filing: its documents, its log, requests for evidence and their responses, amendments.

A filed packet becomes a case: the filed version is pinned (``Filing.filed_version``) and these records hang off the
packet. Texts and files are encrypted at rest like the packet's own. Business logic lives in ``packets.case``.
"""

import uuid

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from packets.crypto import EncryptedCharField, EncryptedJSONField, EncryptedTextField
from packets.models.packet import Packet


def _case_document_upload_to(instance: "CaseDocument", filename: str) -> str:
    # Never the user's file name: a generated one, grouped by packet (beside the exhibits, not among them).
    return f"case/{instance.packet_id}/{uuid.uuid4().hex}"


def _case_render_upload_to(instance: "CaseRender", filename: str) -> str:
    return f"case-renders/{instance.packet_id}/{uuid.uuid4().hex}.pdf"


class CaseDocumentKind(models.TextChoices):
    RECEIPT_NOTICE = "receipt_notice", _("Receipt notice (I-797C)")
    RFE_NOTICE = "rfe_notice", _("Request for evidence notice")
    RESPONSE_EVIDENCE = "response_evidence", _("New evidence for a response")
    AMENDMENT_EVIDENCE = "amendment_evidence", _("Evidence for an amendment")
    DECISION_NOTICE = "decision_notice", _("Decision notice")
    PAYMENT_NOTICE = "payment_notice", _("Parole fee payment notice")
    TRAVEL_DOCUMENT = "travel_document", _("Travel document")
    ARRIVAL_RECORD = "arrival_record", _("Arrival record (I-94)")
    DEPARTURE_PROOF = "departure_proof", _("Proof of departure")
    ATTACHMENT = "attachment", _("Attachment to the case log")


class CaseDocument(models.Model):
    """A file of the case: a notice, new evidence, a proof. Checked in the same sandbox, with the same limits and the
    same encryption as an exhibit; its text layer read once at upload."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    packet = models.ForeignKey(Packet, on_delete=models.CASCADE, related_name="case_documents")
    kind = models.CharField(_("kind"), max_length=32, choices=CaseDocumentKind.choices)
    title = EncryptedCharField(_("title"), max_length=200)
    issuer = EncryptedCharField(_("issued by"), max_length=200, blank=True)
    issued_on = models.DateField(_("date"), null=True, blank=True)
    # What the document belongs to (at most one of these): new evidence of a response, of an amendment; an attachment
    # of a log entry. Notices are referred to from their record (``RequestForEvidence.notice``, ...).
    rfe = models.ForeignKey(
        "RequestForEvidence", null=True, blank=True, on_delete=models.CASCADE, related_name="new_exhibits"
    )
    amendment = models.ForeignKey(
        "Amendment", null=True, blank=True, on_delete=models.CASCADE, related_name="new_exhibits"
    )
    log_entry = models.ForeignKey(
        "CaseLogEntry", null=True, blank=True, on_delete=models.CASCADE, related_name="attachments"
    )
    position = models.PositiveIntegerField(default=0)
    file = models.FileField(upload_to=_case_document_upload_to, max_length=200)
    original_name = EncryptedCharField(max_length=255)
    content_type = models.CharField(max_length=64)
    size = models.PositiveBigIntegerField()
    page_count = models.PositiveIntegerField()
    sha256 = models.CharField(max_length=64)
    text = EncryptedJSONField(null=True, blank=True)
    text_status = models.CharField(max_length=16, default="not_read")
    markup = models.JSONField(default=dict, blank=True)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    upload_key = models.CharField(max_length=64, blank=True, default="", editable=False)

    class Meta:
        ordering = ["position", "created_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["packet", "upload_key"], condition=~models.Q(upload_key=""), name="case_document_upload_once"
            )
        ]

    def __str__(self) -> str:
        return self.title


class CaseLogKind(models.TextChoices):
    AGENCY_NOTICE = "agency_notice", _("Notice from the agency")
    CALL = "call", _("Call")
    EMAIL = "email", _("Email")
    MEETING = "meeting", _("Meeting")
    LETTER = "letter", _("Letter")
    CHANGE_SCOPE = "change_scope", _("Change of scope")
    CHANGE_PEOPLE = "change_people", _("Change of people")
    CHANGE_DATES = "change_dates", _("Change of dates")
    NOTE = "note", _("Note")
    EVENT = "event", _("Recorded by the app")  # filing, RFE recorded, response sent, decision: written by services


CHANGE_KINDS = frozenset({CaseLogKind.CHANGE_SCOPE, CaseLogKind.CHANGE_PEOPLE, CaseLogKind.CHANGE_DATES})


class CaseLogEntry(models.Model):
    """One interaction or change in the case: with the agency, a partner, a sponsor; or an event the app recorded."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    packet = models.ForeignKey(Packet, on_delete=models.CASCADE, related_name="case_log")
    happened_on = models.DateField(_("date"))
    kind = models.CharField(_("kind"), max_length=32, choices=CaseLogKind.choices)
    who = EncryptedCharField(_("who"), max_length=200, blank=True)  # "USCIS Contact Center", "Dr. Ortiz (partner)"
    summary = EncryptedTextField(_("summary"))
    # A change of scope, people or dates can become an amendment; this is the one it became.
    amendment = models.ForeignKey(
        "Amendment", null=True, blank=True, on_delete=models.SET_NULL, related_name="log_entries"
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-happened_on", "-created_at"]

    def __str__(self) -> str:
        return f"{self.happened_on} {self.kind}"


class ReviewState(models.TextChoices):
    """A case document's own review, as the packet's: drafted → in review → changes requested / approved → sent."""

    DRAFT = "draft", _("Draft")
    IN_REVIEW = "in_review", _("In review")
    CHANGES_REQUESTED = "changes_requested", _("Changes requested")
    APPROVED = "approved", _("Approved")
    SENT = "sent", _("Sent")


class SentMethod(models.TextChoices):
    MAIL = "mail", _("Mail")
    COURIER = "courier", _("Courier")
    ONLINE = "online", _("Online")
    OTHER = "other", _("Other")


class RequestForEvidence(models.Model):
    """A request for evidence and its one response: the numbered items (``RfeItem``), the new exhibits
    (``CaseDocument.rfe``), the response letter, its review and when it was sent."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    packet = models.ForeignKey(Packet, on_delete=models.CASCADE, related_name="rfes")
    issued_on = models.DateField(_("date issued"))
    received_on = models.DateField(_("date received"), null=True, blank=True)
    mailed = models.BooleanField(_("the notice came by mail"), default=True)  # +3 days to the response deadline
    notice = models.ForeignKey(CaseDocument, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    introduction = EncryptedTextField(_("opening of the response letter"), blank=True)
    # Bumped on every change of the response (items, answers, citations, new exhibits): approval pins it.
    revision = models.PositiveIntegerField(default=0)
    review_state = models.CharField(max_length=32, choices=ReviewState.choices, default=ReviewState.DRAFT)
    approved_revision = models.PositiveIntegerField(null=True, blank=True)
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    approved_at = models.DateTimeField(null=True, blank=True)
    sent_on = models.DateField(_("date sent"), null=True, blank=True)
    sent_method = models.CharField(_("how it was sent"), max_length=16, choices=SentMethod.choices, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["issued_on", "created_at"]

    def __str__(self) -> str:
        return f"RFE of {self.issued_on}"


class RfeItem(models.Model):
    """One numbered item of a request for evidence, and its answer.

    ``citations`` lists what the answer cites, in order: ``{"filed": "C", "page": 2}`` for a filed exhibit by its
    label in the filed packet (page within the exhibit, optional), ``{"document": "<CaseDocument id>"}`` for a new one.
    """

    rfe = models.ForeignKey(RequestForEvidence, on_delete=models.CASCADE, related_name="items")
    number = models.PositiveIntegerField()
    text = EncryptedTextField(_("what the agency asks"))
    answer = EncryptedTextField(_("answer"), blank=True)
    citations = EncryptedJSONField(default=list)

    class Meta:
        ordering = ["number"]
        constraints = [models.UniqueConstraint(fields=["rfe", "number"], name="one_rfe_item_number")]

    def __str__(self) -> str:
        return f"Item {self.number}"


class CaseComment(models.Model):
    """A comment on a case document under review (an RFE response, an amendment letter), like a packet's comments."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    packet = models.ForeignKey(Packet, on_delete=models.CASCADE, related_name="case_comments")
    rfe = models.ForeignKey(
        RequestForEvidence, null=True, blank=True, on_delete=models.CASCADE, related_name="comments"
    )
    item = models.ForeignKey(RfeItem, null=True, blank=True, on_delete=models.SET_NULL, related_name="comments")
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    body = EncryptedTextField()
    revision = models.PositiveIntegerField()
    resolved_at = models.DateTimeField(null=True, blank=True)
    resolved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["created_at"]

    def __str__(self) -> str:
        return f"Comment on {self.rfe_id or self.packet_id}"


class CaseReviewEvent(models.Model):
    """A step of a case document's review: submitted, changes requested, approved, sent (write-once)."""

    packet = models.ForeignKey(Packet, on_delete=models.CASCADE, related_name="case_review_events")
    rfe = models.ForeignKey(
        RequestForEvidence, null=True, blank=True, on_delete=models.CASCADE, related_name="review_events"
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    from_state = models.CharField(max_length=32, choices=ReviewState.choices)
    to_state = models.CharField(max_length=32, choices=ReviewState.choices)
    note = EncryptedTextField(blank=True)
    revision = models.PositiveIntegerField()
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["created_at"]

    def __str__(self) -> str:
        return f"{self.from_state} → {self.to_state}"


class Amendment(models.Model):
    """A change of scope, people or dates after filing, sent to the agency with a supplemental letter."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    packet = models.ForeignKey(Packet, on_delete=models.CASCADE, related_name="amendments")
    summary = EncryptedCharField(_("what changed, in a line"), max_length=300)
    letter = EncryptedTextField(_("supplemental letter"), blank=True)
    # The content revision the letter describes (the diff is filed version → this revision).
    revision = models.PositiveIntegerField()
    changes = EncryptedJSONField(default=list)  # the diff as shown when it was drafted: [{"section", "field", ...}]
    sent_on = models.DateField(_("date sent"), null=True, blank=True)
    sent_method = models.CharField(_("how it was sent"), max_length=16, choices=SentMethod.choices, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["created_at"]

    def __str__(self) -> str:
        return self.summary


class CaseRenderKind(models.TextChoices):
    RFE_RESPONSE = "rfe_response", _("Response to a request for evidence")
    AMENDMENT = "amendment", _("Supplemental letter")
    REPORT = "report", _("Report")
    CLOSING = "closing", _("Closing report")
    PUBLIC_SUMMARY = "public_summary", _("Publishable summary")


class CaseRender(models.Model):
    """A PDF rendered for the case (a response packet, a supplemental letter, a report): frozen like a version."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    packet = models.ForeignKey(Packet, on_delete=models.CASCADE, related_name="case_renders")
    kind = models.CharField(max_length=32, choices=CaseRenderKind.choices)
    # What it renders (one of these, by kind); the revision of that record it was made from.
    rfe = models.ForeignKey(RequestForEvidence, null=True, blank=True, on_delete=models.CASCADE, related_name="renders")
    amendment = models.ForeignKey(Amendment, null=True, blank=True, on_delete=models.CASCADE, related_name="renders")
    report = models.ForeignKey(
        "ConditionReport", null=True, blank=True, on_delete=models.CASCADE, related_name="renders"
    )
    source_revision = models.PositiveIntegerField(default=0)
    final = models.BooleanField(default=False)
    pdf = models.FileField(upload_to=_case_render_upload_to, max_length=200)
    sha256 = models.CharField(max_length=64)
    page_count = models.PositiveIntegerField()
    size = models.PositiveBigIntegerField()
    # Where each cited exhibit landed ({"O": {"first_page": 12, "pages": 3}, ...}), read back from the PDF.
    layout = EncryptedJSONField(default=dict)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.kind} of {self.created_at:%Y-%m-%d}"
