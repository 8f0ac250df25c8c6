"""Packets, who may see them, their exhibits and their history: every model of the ``packets`` app, a module per
capability, all importable from here.

Content lives in ``Packet.data`` (JSON validated by ``packets.content.schema.PacketData``); files live in ``Exhibit``
rows beside it. Business logic lives in ``packets.content.services``, not here.
"""

# isort: off
# In the order the models were defined in one module before: Django registers a model when its module is imported, and
# that order is the app's ``get_models()`` order (backups, key rotation).
from packets.models.packet import Membership, Packet, PacketStatus, Role, _empty_packet_data
from packets.models.evidence import Exhibit, ExhibitKind, ExhibitTextStatus, _exhibit_upload_to
from packets.models.history import PacketChange
from packets.models.rendering import PacketVersion, RenderJob, RenderState, _version_upload_to
from packets.models.review import Comment, FindingOverride, ReviewEvent
from packets.models.sharing import Invitation
from packets.models.audit import AuditAction, AuditEntry, UserSession
from packets.models.people import Profile
from packets.models.filing import Filing, FilingMethod
from packets.models.notifications import Notification, NotificationKind
from packets.models.drafts import DraftKind, StepDraft
from packets.models.case import (
    CHANGE_KINDS,
    Amendment,
    CaseComment,
    CaseDocument,
    CaseDocumentKind,
    CaseLogEntry,
    CaseLogKind,
    CaseRender,
    CaseRenderKind,
    CaseReviewEvent,
    RequestForEvidence,
    ReviewState,
    RfeItem,
    SentMethod,
    _case_document_upload_to,
    _case_render_upload_to,
)
from packets.models.case_outcome import (
    CalendarFeed,
    ClosingReport,
    ConditionReport,
    Decision,
    DecisionOutcome,
    ReminderSent,
    ReportCadence,
    ReportingCondition,
)

# isort: on

__all__ = [
    "CHANGE_KINDS",
    "Amendment",
    "AuditAction",
    "AuditEntry",
    "CalendarFeed",
    "CaseComment",
    "CaseDocument",
    "CaseDocumentKind",
    "CaseLogEntry",
    "CaseLogKind",
    "CaseRender",
    "CaseRenderKind",
    "CaseReviewEvent",
    "ClosingReport",
    "Comment",
    "ConditionReport",
    "Decision",
    "DecisionOutcome",
    "DraftKind",
    "Exhibit",
    "ExhibitKind",
    "ExhibitTextStatus",
    "Filing",
    "FilingMethod",
    "FindingOverride",
    "Invitation",
    "Membership",
    "Notification",
    "NotificationKind",
    "Packet",
    "PacketChange",
    "PacketStatus",
    "PacketVersion",
    "Profile",
    "ReminderSent",
    "RenderJob",
    "RenderState",
    "ReportCadence",
    "ReportingCondition",
    "RequestForEvidence",
    "ReviewEvent",
    "ReviewState",
    "RfeItem",
    "Role",
    "SentMethod",
    "StepDraft",
    "UserSession",
    # Referred to by the migrations (defaults and upload_to of fields), so kept at their old paths.
    "_empty_packet_data",
    "_exhibit_upload_to",
    "_version_upload_to",
    "_case_document_upload_to",
    "_case_render_upload_to",
]
