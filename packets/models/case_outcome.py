"""The case's outcome: the decision and its conditions, the reports they call for, the closing report, and the
reminders and calendar feeds that carry the deadlines to people."""

import uuid

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from packets.crypto import EncryptedCharField, EncryptedJSONField, EncryptedTextField
from packets.models.case import CaseDocument
from packets.models.packet import Packet


class DecisionOutcome(models.TextChoices):
    APPROVED = "approved", _("Approved")
    DENIED = "denied", _("Denied")
    CLOSED = "closed", _("Closed otherwise (withdrawn, administratively closed)")


class Decision(models.Model):
    """The agency's decision, and what follows an approval: the parole period, the fee, travel, arrival, departure."""

    packet = models.OneToOneField(Packet, on_delete=models.CASCADE, related_name="decision")
    outcome = models.CharField(_("decision"), max_length=16, choices=DecisionOutcome.choices)
    decided_on = models.DateField(_("date of the decision"))
    notice = models.ForeignKey(CaseDocument, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    note = EncryptedTextField(_("note"), blank=True)
    parole_from = models.DateField(_("parole from"), null=True, blank=True)
    parole_to = models.DateField(_("parole until"), null=True, blank=True)
    employment_limits = EncryptedTextField(_("limits on employment"), blank=True)
    other_conditions = EncryptedTextField(_("other conditions"), blank=True)
    fee_amount_usd = models.PositiveIntegerField(_("parole fee (USD)"), null=True, blank=True)
    fee_due_on = models.DateField(_("fee due"), null=True, blank=True)  # from the payment notice
    fee_paid_on = models.DateField(_("fee paid"), null=True, blank=True)
    payment_notice = models.ForeignKey(CaseDocument, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    travel_document_on = models.DateField(_("travel document received"), null=True, blank=True)
    travel_document = models.ForeignKey(
        CaseDocument, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    arrived_on = models.DateField(_("arrival date"), null=True, blank=True)
    arrival_record = models.ForeignKey(CaseDocument, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    departed_on = models.DateField(_("departure date"), null=True, blank=True)
    departure_proof = models.ForeignKey(
        CaseDocument, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    closed_on = models.DateField(_("case closed"), null=True, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    def __str__(self) -> str:
        return f"{self.outcome} on {self.decided_on}"


class ReportCadence(models.TextChoices):
    ONCE = "once", _("Once")
    MONTHLY = "monthly", _("Monthly")
    QUARTERLY = "quarterly", _("Every three months")
    EVERY_DAYS = "every_days", _("Every so many days")
    MONITORING = "monitoring", _("As the monitoring section says")


class ReportingCondition(models.Model):
    """A reporting requirement of the approval: to whom, how often; it produces the reports' due dates."""

    decision = models.ForeignKey(Decision, on_delete=models.CASCADE, related_name="conditions")
    recipient = EncryptedCharField(_("report to"), max_length=200)
    how = EncryptedCharField(_("how (form, channel)"), max_length=300, blank=True)
    cadence = models.CharField(_("how often"), max_length=16, choices=ReportCadence.choices)
    every_days = models.PositiveIntegerField(_("every how many days"), null=True, blank=True)
    first_due_on = models.DateField(_("first report due"), null=True, blank=True)  # default: one period after parole
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["created_at"]

    def __str__(self) -> str:
        return self.recipient


class ConditionReport(models.Model):
    """A report written for a reporting condition, for one due date: achievements against the packet's indicators.

    ``achievements`` is ``[{"indicator": name, "target": target, "achieved": "..."}]`` in the indicators' order.
    """

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    condition = models.ForeignKey(ReportingCondition, on_delete=models.CASCADE, related_name="reports")
    due_on = models.DateField(_("due"))
    period_from = models.DateField(_("period from"), null=True, blank=True)
    period_to = models.DateField(_("period to"), null=True, blank=True)
    narrative = EncryptedTextField(_("what happened in the period"), blank=True)
    achievements = EncryptedJSONField(default=list)
    sent_on = models.DateField(_("date sent"), null=True, blank=True)
    revision = models.PositiveIntegerField(default=0)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["due_on"]
        constraints = [models.UniqueConstraint(fields=["condition", "due_on"], name="one_report_per_due_date")]

    def __str__(self) -> str:
        return f"Report due {self.due_on}"


class ClosingReport(models.Model):
    """After departure: outcomes against the indicators, milestones, capacity built, compliance, lessons learned.

    ``outcomes`` is ``[{"indicator", "target", "achieved"}]``; ``milestones`` is ``[{"description", "due_on",
    "reached": bool, "note"}]``. The publishable summary is made from it with the personal data left out.
    """

    packet = models.OneToOneField(Packet, on_delete=models.CASCADE, related_name="closing_report")
    outcomes = EncryptedJSONField(default=list)
    milestones = EncryptedJSONField(default=list)
    capacity_built = EncryptedTextField(_("capacity built"), blank=True)
    continued_by = EncryptedTextField(_("who continues the work"), blank=True)
    compliance = EncryptedTextField(_("compliance with the conditions"), blank=True)
    lessons = EncryptedTextField(_("lessons learned"), blank=True)
    public_summary = EncryptedTextField(_("summary for publication"), blank=True)
    revision = models.PositiveIntegerField(default=0)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    def __str__(self) -> str:
        return f"Closing report of {self.packet_id}"


class ReminderSent(models.Model):
    """One reminder email, sent once: per person, deadline and how many days before it (``send_reminders``)."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    packet = models.ForeignKey(Packet, on_delete=models.CASCADE, related_name="+")
    deadline_key = models.CharField(max_length=120)  # packets.case.deadlines.Deadline.key: stable per deadline
    due_on = models.DateField()
    days_before = models.IntegerField()
    sent_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["user", "packet", "deadline_key", "due_on", "days_before"], name="one_reminder_each"
            )
        ]

    def __str__(self) -> str:
        return f"{self.deadline_key} −{self.days_before} d"


class CalendarFeed(models.Model):
    """A person's secret calendar URL (iCalendar of every deadline of their cases): stored hashed, revocable."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="calendar_feeds")
    token_digest = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(auto_now_add=True)
    revoked_at = models.DateTimeField(null=True, blank=True)
    last_used_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"Calendar feed of {self.user_id}"


__all__ = [
    "CalendarFeed",
    "ClosingReport",
    "ConditionReport",
    "Decision",
    "DecisionOutcome",
    "ReminderSent",
    "ReportCadence",
    "ReportingCondition",
]
