"""Recording the decision, its conditions, the fee, travel, arrival and departure — each logged in the case."""

from typing import Any

from django.contrib.auth.models import User
from django.db import transaction
from django.utils.translation import gettext as _

from packets.case.documents import CaseUpload, case_document_add
from packets.case.log import case_log_record
from packets.content.facts import filing_facts
from packets.models import CaseDocumentKind, Decision, Packet, ReportingCondition

_FIELDS = (
    "outcome",
    "decided_on",
    "note",
    "parole_from",
    "parole_to",
    "employment_limits",
    "other_conditions",
    "fee_amount_usd",
    "fee_due_on",
    "fee_paid_on",
    "travel_document_on",
    "arrived_on",
)
_FILES = {
    "notice": (CaseDocumentKind.DECISION_NOTICE, "Decision notice"),
    "payment_notice": (CaseDocumentKind.PAYMENT_NOTICE, "Parole fee payment notice"),
    "arrival_record": (CaseDocumentKind.ARRIVAL_RECORD, "Arrival record (I-94)"),
    "departure_proof": (CaseDocumentKind.DEPARTURE_PROOF, "Proof of departure"),
}


def parole_fee_default() -> int | None:
    """The parole fee from the facts file (charged on grant, per parole period, after a payment notice)."""
    return filing_facts().get("fee_parole").amount_usd


def decision_save(*, packet: Packet, by: User, data: dict[str, Any]) -> Decision:
    """Record or correct the decision from a form's cleaned data; uploaded notices become case documents."""
    with transaction.atomic():
        decision = Decision.objects.select_for_update().filter(packet=packet).first()
        created = decision is None
        decision = decision or Decision(packet=packet, recorded_by=by)
        for name in _FIELDS:
            if name in data:
                setattr(decision, name, data[name] if data[name] is not None else _empty(name))
        if decision.outcome == "approved" and decision.fee_amount_usd is None:
            decision.fee_amount_usd = parole_fee_default()
        _store_files(packet, by, decision, data)
        decision.save()
        case_log_record(
            packet=packet,
            by=by,
            happened_on=decision.decided_on,
            summary=(_("Decision recorded: %(outcome)s.") if created else _("Decision record updated: %(outcome)s."))
            % {"outcome": decision.get_outcome_display()},
        )
    return decision


def _empty(name: str) -> Any:
    return "" if name in ("note", "employment_limits", "other_conditions") else None


def _store_files(packet: Packet, by: User, decision: Decision, data: dict[str, Any]) -> None:
    for field, (kind, title) in _FILES.items():
        upload = data.get(field)
        if upload:
            document = case_document_add(
                packet=packet,
                upload=CaseUpload(file=upload, kind=kind, title=title, form_token=data.get("form_token", "")),
                by=by,
            )
            setattr(decision, field, document)


def departure_save(*, packet: Packet, by: User, decision: Decision, data: dict[str, Any]) -> Decision:
    with transaction.atomic():
        decision = Decision.objects.select_for_update().get(pk=decision.pk)
        decision.departed_on = data["departed_on"]
        decision.closed_on = data.get("closed_on")
        _store_files(packet, by, decision, data)
        decision.save()
        case_log_record(
            packet=packet,
            by=by,
            happened_on=decision.departed_on,
            summary=_("Departure recorded on %(date)s.") % {"date": decision.departed_on.isoformat()},
        )
    return decision


def condition_save(
    *, packet: Packet, by: User, decision: Decision, data: dict[str, Any], condition: ReportingCondition | None = None
) -> ReportingCondition:
    with transaction.atomic():
        condition = condition or ReportingCondition(decision=decision)
        for name in ("recipient", "how", "cadence", "every_days", "first_due_on"):
            setattr(condition, name, data.get(name) if data.get(name) not in ("",) else None)
        condition.how = data.get("how") or ""
        condition.save()
        case_log_record(
            packet=packet,
            by=by,
            summary=_("Reporting condition: reports to %(recipient)s, %(cadence)s.")
            % {"recipient": condition.recipient, "cadence": condition.get_cadence_display().lower()},
        )
    return condition
