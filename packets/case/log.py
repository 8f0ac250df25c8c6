"""The case log: every interaction (agency notice, call, email, meeting) and every change of scope, people or dates,
and the events the app records itself (filed, RFE recorded, response sent, decision)."""

from datetime import date

from django.contrib.auth.models import User
from django.utils import timezone

from packets.models import CaseLogEntry, CaseLogKind, Packet


def case_log_record(
    *,
    packet: Packet,
    by: User | None,
    summary: str,
    kind: str = CaseLogKind.EVENT,
    happened_on: date | None = None,
    who: str = "",
) -> CaseLogEntry:
    """Add an entry to the case log (services call it for the events they record, in their transaction)."""
    return CaseLogEntry.objects.create(
        packet=packet,
        happened_on=happened_on or timezone.localdate(),
        kind=kind,
        who=who[:200],
        summary=summary,
        created_by=by,
    )
