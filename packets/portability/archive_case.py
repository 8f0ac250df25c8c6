"""The case in a packet archive (format version 2): every record of the case after filing, and its files.

``packet.json`` gains ``case`` (absent when the packet was never filed), described by ``ArchivedCase``; the files are

    case/documents/<id>.<ext>   each case document (notices, new evidence, proofs), byte for byte
    case/renders/<id>.pdf       each PDF rendered for the case (responses, letters, reports)
    case/filed-version.pdf      the filed version's PDF, so that the import pins the filed version again

and are listed in ``manifest.json`` with their sha256 like the exhibits. Records refer to each other by the ids they
had when exported; the import gives them new ones. People are not carried (an archive holds no accounts): the import
names the importing user where a record says who made it, and nobody where it says who approved or commented.
"""

import uuid
from collections.abc import Iterable
from datetime import date, datetime
from typing import Annotated, Any, Literal

from django.db import models
from django.db.models.fields.files import FieldFile
from pydantic import BaseModel, ConfigDict, Field, StringConstraints

from packets.models import (
    CaseDocument,
    CaseDocumentKind,
    CaseLogKind,
    CaseRender,
    CaseRenderKind,
    ClosingReport,
    Decision,
    DecisionOutcome,
    Filing,
    FilingMethod,
    Packet,
    PacketVersion,
    ReportCadence,
    ReviewState,
    SentMethod,
)

CASE_DIR = "case/"
CASE_DOCUMENTS_DIR = "case/documents/"
CASE_RENDERS_DIR = "case/renders/"
FILED_VERSION_FILE = "case/filed-version.pdf"
MAX_CASE_DOCUMENTS = 300
MAX_CASE_RENDERS = 200
_EXTENSIONS = {"application/pdf": "pdf", "image/jpeg": "jpg", "image/png": "png"}

Sha256 = Annotated[str, StringConstraints(pattern=r"^[0-9a-f]{64}$")]
Line200 = Annotated[str, StringConstraints(max_length=200)]
Text = Annotated[str, StringConstraints(max_length=200_000)]  # far above what a form accepts; a bound, not a rule
ContentType = Literal["application/pdf", "image/jpeg", "image/png"]
SentHow = SentMethod | Literal[""]


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class ArchivedCaseDocument(_Strict):
    id: uuid.UUID
    kind: CaseDocumentKind
    title: Line200
    issuer: Line200 = ""
    issued_on: date | None = None
    rfe: uuid.UUID | None = None
    amendment: uuid.UUID | None = None
    log_entry: uuid.UUID | None = None
    position: int = Field(ge=0)
    original_name: Annotated[str, StringConstraints(max_length=255)]
    content_type: ContentType
    page_count: int = Field(ge=1)
    sha256: Sha256
    size: int = Field(ge=1)
    created_at: datetime
    path: str


class ArchivedVersion(_Strict):
    """The filed ``PacketVersion``: its frozen content and exhibit list, and its PDF (``FILED_VERSION_FILE``)."""

    number: int = Field(ge=1)
    data: dict[str, Any]
    exhibits: list[dict[str, Any]]
    final: bool
    page_count: int = Field(ge=1)
    sha256: Sha256
    size: int = Field(ge=1)
    created_at: datetime
    path: Literal["case/filed-version.pdf"]


class ArchivedFiling(_Strict):
    filed_on: date
    method: FilingMethod
    receipt_number: Annotated[str, StringConstraints(pattern=r"^([A-Z]{3}[0-9]{10})?$")] = ""
    filed_outside_app: bool = False
    e_notification_requested: bool = False
    receipt_on: date | None = None
    receipt_notice: uuid.UUID | None = None
    created_at: datetime
    filed_version: ArchivedVersion | None = None


class ArchivedLogEntry(_Strict):
    id: uuid.UUID
    happened_on: date
    kind: CaseLogKind
    who: Line200 = ""
    summary: Text
    amendment: uuid.UUID | None = None
    created_at: datetime


class ArchivedRfeItem(_Strict):
    number: int = Field(ge=1)
    text: Text
    answer: Text = ""
    citations: list[dict[str, Any]] = Field(default_factory=list, max_length=500)


class ArchivedRfe(_Strict):
    id: uuid.UUID
    issued_on: date
    received_on: date | None = None
    mailed: bool = True
    notice: uuid.UUID | None = None
    introduction: Text = ""
    revision: int = Field(ge=0)
    review_state: ReviewState
    approved_revision: int | None = None
    approved_at: datetime | None = None
    sent_on: date | None = None
    sent_method: SentHow = ""
    created_at: datetime
    items: list[ArchivedRfeItem] = Field(max_length=500)


class ArchivedComment(_Strict):
    rfe: uuid.UUID | None = None
    item_number: int | None = None  # the RfeItem of ``rfe`` with that number
    body: Text
    revision: int = Field(ge=0)
    resolved_at: datetime | None = None
    created_at: datetime


class ArchivedReviewEvent(_Strict):
    rfe: uuid.UUID | None = None
    from_state: ReviewState
    to_state: ReviewState
    note: Text = ""
    revision: int = Field(ge=0)
    created_at: datetime


class ArchivedAmendment(_Strict):
    id: uuid.UUID
    summary: Annotated[str, StringConstraints(max_length=300)]
    letter: Text = ""
    revision: int = Field(ge=0)
    changes: list[Any] = Field(default_factory=list)
    sent_on: date | None = None
    sent_method: SentHow = ""
    created_at: datetime


class ArchivedRender(_Strict):
    id: uuid.UUID
    kind: CaseRenderKind
    rfe: uuid.UUID | None = None
    amendment: uuid.UUID | None = None
    report: uuid.UUID | None = None
    source_revision: int = Field(ge=0)
    final: bool = False
    sha256: Sha256
    page_count: int = Field(ge=1)
    size: int = Field(ge=1)
    layout: dict[str, Any] = Field(default_factory=dict)
    created_at: datetime
    path: str


class ArchivedReport(_Strict):
    id: uuid.UUID
    due_on: date
    period_from: date | None = None
    period_to: date | None = None
    narrative: Text = ""
    achievements: list[Any] = Field(default_factory=list)
    sent_on: date | None = None
    revision: int = Field(ge=0)
    created_at: datetime
    updated_at: datetime


class ArchivedCondition(_Strict):
    recipient: Line200
    how: Annotated[str, StringConstraints(max_length=300)] = ""
    cadence: ReportCadence
    every_days: int | None = Field(default=None, ge=1)
    first_due_on: date | None = None
    created_at: datetime
    reports: list[ArchivedReport] = Field(default_factory=list, max_length=500)


class ArchivedDecision(_Strict):
    outcome: DecisionOutcome
    decided_on: date
    notice: uuid.UUID | None = None
    note: Text = ""
    parole_from: date | None = None
    parole_to: date | None = None
    employment_limits: Text = ""
    other_conditions: Text = ""
    fee_amount_usd: int | None = Field(default=None, ge=0)
    fee_due_on: date | None = None
    fee_paid_on: date | None = None
    payment_notice: uuid.UUID | None = None
    travel_document_on: date | None = None
    travel_document: uuid.UUID | None = None
    arrived_on: date | None = None
    arrival_record: uuid.UUID | None = None
    departed_on: date | None = None
    departure_proof: uuid.UUID | None = None
    closed_on: date | None = None
    created_at: datetime
    updated_at: datetime
    conditions: list[ArchivedCondition] = Field(default_factory=list, max_length=50)


class ArchivedClosingReport(_Strict):
    outcomes: list[Any] = Field(default_factory=list)
    milestones: list[Any] = Field(default_factory=list)
    capacity_built: Text = ""
    continued_by: Text = ""
    compliance: Text = ""
    lessons: Text = ""
    public_summary: Text = ""
    revision: int = Field(ge=0)
    created_at: datetime
    updated_at: datetime


class ArchivedCase(_Strict):
    filing: ArchivedFiling
    documents: list[ArchivedCaseDocument] = Field(default_factory=list, max_length=MAX_CASE_DOCUMENTS)
    log: list[ArchivedLogEntry] = Field(default_factory=list, max_length=2000)
    rfes: list[ArchivedRfe] = Field(default_factory=list, max_length=20)
    comments: list[ArchivedComment] = Field(default_factory=list, max_length=2000)
    review_events: list[ArchivedReviewEvent] = Field(default_factory=list, max_length=2000)
    amendments: list[ArchivedAmendment] = Field(default_factory=list, max_length=100)
    renders: list[ArchivedRender] = Field(default_factory=list, max_length=MAX_CASE_RENDERS)
    decision: ArchivedDecision | None = None
    closing_report: ArchivedClosingReport | None = None

    def file_paths(self) -> list[str]:
        """Every file this case describes, in the order export writes them."""
        paths = [document.path for document in self.documents] + [render.path for render in self.renders]
        if self.filing.filed_version is not None:
            paths.append(self.filing.filed_version.path)
        return paths


def case_document_archive_path(document_id: uuid.UUID | str, content_type: str) -> str:
    return f"{CASE_DOCUMENTS_DIR}{document_id}.{_EXTENSIONS[content_type]}"


def case_render_archive_path(render_id: uuid.UUID | str) -> str:
    return f"{CASE_RENDERS_DIR}{render_id}.pdf"


# ── Export ─────────────────────────────────────────────────────────────────────────────────────────────────────────


def _values(obj: models.Model, schema: type[BaseModel], *, skip: Iterable[str] = ()) -> dict[str, Any]:
    """The fields ``schema`` carries, read from ``obj`` (a foreign key as the id it points at)."""
    skipped = {"path", *skip}
    values = {}
    for name in schema.model_fields:
        if name not in skipped:
            values[name] = getattr(obj, obj._meta.get_field(name).attname)  # type: ignore[union-attr]
    return values


def case_describe(packet: Packet) -> tuple[ArchivedCase | None, list[tuple[str, FieldFile, str]]]:
    """The packet's case as the archive describes it, and its files: (path in the archive, stored file, sha256).
    ``(None, [])`` when the packet was never filed."""
    filing = Filing.objects.filter(packet=packet).select_related("filed_version").first()
    if filing is None:
        return None, []
    files: list[tuple[str, FieldFile, str]] = []
    documents = []
    for document in CaseDocument.objects.filter(packet=packet).order_by("created_at", "pk"):
        path = case_document_archive_path(document.pk, document.content_type)
        documents.append(ArchivedCaseDocument(**_values(document, ArchivedCaseDocument), path=path))
        files.append((path, document.file, document.sha256))
    renders = []
    for render in CaseRender.objects.filter(packet=packet).order_by("created_at", "pk"):
        path = case_render_archive_path(render.pk)
        renders.append(ArchivedRender(**_values(render, ArchivedRender), path=path))
        files.append((path, render.pdf, render.sha256))
    version = _describe_version(filing.filed_version)
    if filing.filed_version is not None:
        files.append((FILED_VERSION_FILE, filing.filed_version.pdf, filing.filed_version.sha256))
    case = ArchivedCase(
        filing=ArchivedFiling(**_values(filing, ArchivedFiling, skip=["filed_version"]), filed_version=version),
        documents=documents,
        log=[
            ArchivedLogEntry(**_values(entry, ArchivedLogEntry))
            for entry in packet.case_log.order_by("created_at", "pk")
        ],
        rfes=[_describe_rfe(rfe) for rfe in packet.rfes.order_by("created_at", "pk").prefetch_related("items")],
        comments=[_describe_comment(comment) for comment in packet.case_comments.select_related("item")],
        review_events=[
            ArchivedReviewEvent(**_values(event, ArchivedReviewEvent)) for event in packet.case_review_events.all()
        ],
        amendments=[
            ArchivedAmendment(**_values(amendment, ArchivedAmendment)) for amendment in packet.amendments.all()
        ],
        renders=renders,
        decision=_describe_decision(Decision.objects.filter(packet=packet).first()),
        closing_report=_describe_closing(ClosingReport.objects.filter(packet=packet).first()),
    )
    return case, files


def _describe_version(version: PacketVersion | None) -> ArchivedVersion | None:
    if version is None:
        return None
    return ArchivedVersion(**_values(version, ArchivedVersion), path=FILED_VERSION_FILE)


def _describe_rfe(rfe: Any) -> ArchivedRfe:
    items = [ArchivedRfeItem(**_values(item, ArchivedRfeItem)) for item in rfe.items.all()]
    return ArchivedRfe(**_values(rfe, ArchivedRfe, skip=["items"]), items=items)


def _describe_comment(comment: Any) -> ArchivedComment:
    number = comment.item.number if comment.item is not None else None
    return ArchivedComment(**_values(comment, ArchivedComment, skip=["item_number"]), item_number=number)


def _describe_decision(decision: Decision | None) -> ArchivedDecision | None:
    if decision is None:
        return None
    conditions = []
    for condition in decision.conditions.order_by("created_at", "pk").prefetch_related("reports"):
        reports = [ArchivedReport(**_values(report, ArchivedReport)) for report in condition.reports.all()]
        conditions.append(ArchivedCondition(**_values(condition, ArchivedCondition, skip=["reports"]), reports=reports))
    return ArchivedDecision(**_values(decision, ArchivedDecision, skip=["conditions"]), conditions=conditions)


def _describe_closing(report: ClosingReport | None) -> ArchivedClosingReport | None:
    return None if report is None else ArchivedClosingReport(**_values(report, ArchivedClosingReport))
