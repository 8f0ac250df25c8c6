"""Importing the case of a packet archive (``packets.portability.archive_case``) into the new packet.

Checked before anything is written, like the exhibits (``archive_import``): every case document goes through the
sandbox inspection an upload goes through, every file is matched against its described digest and size, and every
reference between records (a document's RFE, a citation of a new exhibit, the decision's notices) must point at a
record the archive holds. Then the records are created with new ids, references following them.
"""

import hashlib
import uuid
from dataclasses import asdict, dataclass, field
from typing import Any

from django.conf import settings
from django.core.files.base import ContentFile
from django.db import models
from django.db.models.fields.files import FieldFile
from django.utils.translation import gettext as _
from pydantic import ValidationError

from packets.assembly.markup import MarkupFound
from packets.content.schema import PacketData
from packets.evidence.uploads import ExtractedText, UploadRejected, display_file_name, inspect_upload
from packets.models import (
    Amendment,
    CaseComment,
    CaseDocument,
    CaseLogEntry,
    CaseRender,
    CaseReviewEvent,
    ClosingReport,
    ConditionReport,
    Decision,
    Filing,
    Packet,
    PacketStatus,
    PacketVersion,
    ReportingCondition,
    RequestForEvidence,
    RfeItem,
)
from packets.portability.archive_case import (
    ArchivedCase,
    ArchivedCaseDocument,
    ArchivedDecision,
    case_document_archive_path,
    case_render_archive_path,
)

_DECISION_DOCUMENTS = ("notice", "payment_notice", "travel_document", "arrival_record", "departure_proof")


class CaseArchiveError(Exception):
    """A case that cannot be imported; ``archive_import`` turns it into its ``ArchiveError``."""


@dataclass(frozen=True)
class CheckedDocument:
    meta: ArchivedCaseDocument
    content: bytes
    text: ExtractedText
    markup: MarkupFound


@dataclass(frozen=True)
class CheckedCase:
    meta: ArchivedCase
    documents: list[CheckedDocument]
    files: dict[str, bytes]  # renders and the filed version's PDF, by archive path
    version_data: dict[str, Any] | None


def remap_ids(value: Any, new_ids: dict[str, str]) -> Any:
    """``value`` with every string that is an old id replaced by the new one."""
    if isinstance(value, dict):
        return {key: remap_ids(item, new_ids) for key, item in value.items()}
    if isinstance(value, list):
        return [remap_ids(item, new_ids) for item in value]
    if isinstance(value, str):
        return new_ids.get(value, value)
    return value


def case_check(case: ArchivedCase, contents: dict[str, bytes], *, exhibit_bytes: int) -> CheckedCase:
    """The case's files and references checked (``exhibit_bytes``: what the exhibits hold, the same limit covers
    both); raise ``CaseArchiveError`` with a plain message otherwise."""
    documents = _check_documents(case, contents)
    total = exhibit_bytes + sum(document.meta.size for document in documents)
    if total > settings.PACKET_MAX_BYTES:
        raise CaseArchiveError(
            _(
                "The exhibits and case documents in this archive exceed %(limit)s MB in all, "
                "more than a packet may hold."
            )
            % {"limit": settings.PACKET_MAX_BYTES // (1024 * 1024)}
        )
    files = {}
    version = case.filing.filed_version
    rendered = [
        (render.path, render.sha256, render.size, case_render_archive_path(render.id)) for render in case.renders
    ]
    if version is not None:
        rendered.append((version.path, version.sha256, version.size, version.path))
    for path, sha256, size, expected in rendered:
        content = contents.get(path, b"")
        if path != expected or not content:
            raise CaseArchiveError(_("The case's file %(path)s is not in the archive.") % {"path": path[:100]})
        if (hashlib.sha256(content).hexdigest(), len(content)) != (sha256, size) or not content.startswith(b"%PDF-"):
            raise CaseArchiveError(_("The case's file %(path)s does not match its description.") % {"path": path})
        files[path] = content
    _check_references(case)
    version_data = None
    if version is not None:
        try:
            version_data = PacketData.model_validate(version.data).model_dump(mode="json")
        except ValidationError as error:
            raise CaseArchiveError(_("The content of the filed version is not valid.")) from error
    return CheckedCase(meta=case, documents=documents, files=files, version_data=version_data)


def _check_documents(case: ArchivedCase, contents: dict[str, bytes]) -> list[CheckedDocument]:
    ids = [document.id for document in case.documents]
    if len(set(ids)) != len(ids):
        raise CaseArchiveError(_("packet.json describes the same case document twice."))
    checked = []
    for meta in case.documents:
        content = contents.get(meta.path)
        if meta.path != case_document_archive_path(meta.id, meta.content_type) or content is None:
            raise CaseArchiveError(
                _("The file of case document “%(title)s” (%(path)s) is not in the archive.")
                % {"title": meta.title, "path": meta.path[:100]}
            )
        try:
            inspected = inspect_upload(ContentFile(content), size=len(content), name=meta.original_name)
        except UploadRejected as error:
            raise CaseArchiveError(
                _("Case document “%(title)s”: %(problem)s") % {"title": meta.title, "problem": error}
            ) from error
        found = (inspected.sha256, inspected.size, inspected.content_type, inspected.page_count)
        if found != (meta.sha256, meta.size, meta.content_type, meta.page_count):
            raise CaseArchiveError(
                _("The details of case document “%(title)s” in packet.json do not match its file.")
                % {"title": meta.title}
            )
        checked.append(CheckedDocument(meta=meta, content=content, text=inspected.text, markup=inspected.markup))
    return checked


def _check_references(case: ArchivedCase) -> None:
    """Every id a record refers to is one of the archive's records of that kind."""
    known = {
        "document": {document.id for document in case.documents},
        "rfe": {rfe.id for rfe in case.rfes},
        "amendment": {amendment.id for amendment in case.amendments},
        "log entry": {entry.id for entry in case.log},
        "report": {
            report.id
            for condition in (case.decision.conditions if case.decision else [])
            for report in condition.reports
        },
    }
    references: list[tuple[str, uuid.UUID | None]] = [("document", case.filing.receipt_notice)]
    for document in case.documents:
        references += [("rfe", document.rfe), ("amendment", document.amendment), ("log entry", document.log_entry)]
    references += [("amendment", entry.amendment) for entry in case.log]
    for rfe in case.rfes:
        references.append(("document", rfe.notice))
        for item in rfe.items:
            for citation in item.citations:
                if "document" in citation:
                    references.append(("document", _uuid(citation["document"])))
    references += [("rfe", comment.rfe) for comment in case.comments]
    references += [("rfe", event.rfe) for event in case.review_events]
    for render in case.renders:
        references += [("rfe", render.rfe), ("amendment", render.amendment), ("report", render.report)]
    if case.decision is not None:
        references += [("document", getattr(case.decision, name)) for name in _DECISION_DOCUMENTS]
    for kind, reference in references:
        if reference is not None and reference not in known[kind]:
            raise CaseArchiveError(
                _("The case refers to %(kind)s %(id)s, which the archive does not hold.")
                % {"kind": kind, "id": reference}
            )
    items = {rfe.id: {item.number for item in rfe.items} for rfe in case.rfes}
    for comment in case.comments:
        if comment.item_number is not None and comment.item_number not in items.get(comment.rfe, set()):  # type: ignore[arg-type]
            raise CaseArchiveError(_("A comment of the case refers to an item its request does not have."))


def _uuid(value: Any) -> uuid.UUID:
    try:
        return uuid.UUID(str(value))
    except ValueError as error:
        raise CaseArchiveError(_("A citation of the case names no document.")) from error


# ── Creating the records ───────────────────────────────────────────────────────────────────────────────────────────


@dataclass
class _Import:
    """What the creation of one case shares: the new packet and owner, the new ids, the files stored so far."""

    packet: Packet
    owner: Any
    new: dict[uuid.UUID, uuid.UUID]
    ids: dict[str, str]  # old id → new id as strings, exhibits too: for references inside JSON
    stored: list[str]
    times: list[tuple[models.Model, dict[str, Any]]] = field(default_factory=list)

    def ref(self, value: uuid.UUID | None) -> uuid.UUID | None:
        return None if value is None else self.new[value]

    def keep(self, obj: models.Model, *, created_at: Any, updated_at: Any = None) -> None:
        """Restore the archive's own times after the fact: auto_now(_add) stamps today on create."""
        self.times.append((obj, {"created_at": created_at} | ({"updated_at": updated_at} if updated_at else {})))

    def store(self, file: FieldFile, name: str, content: bytes) -> None:
        file.save(name, ContentFile(content), save=False)
        self.stored.append(str(file.name))


def case_create(
    checked: CheckedCase, *, packet: Packet, owner: Any, exhibit_ids: dict[str, str], stored: list[str]
) -> None:
    """Create the case's records and files for ``packet`` (inside the import's transaction; ``stored`` collects the
    names of the files written, for the caller to delete if the transaction fails)."""
    case = checked.meta
    reports = [
        report for condition in (case.decision.conditions if case.decision else []) for report in condition.reports
    ]
    records: list[Any] = [*case.documents, *case.log, *case.rfes, *case.amendments, *case.renders, *reports]
    new = {record.id: uuid.uuid4() for record in records}
    ids = {**exhibit_ids, **{str(old): str(fresh) for old, fresh in new.items()}}
    run = _Import(packet=packet, owner=owner, new=new, ids=ids, stored=stored)
    for amendment in case.amendments:
        written = Amendment.objects.create(
            **_plain(amendment, skip=["changes"]),
            id=new[amendment.id],
            packet=packet,
            changes=remap_ids(amendment.changes, ids),
            created_by=owner,
        )
        run.keep(written, created_at=amendment.created_at)
    for entry in case.log:
        logged = CaseLogEntry.objects.create(
            **_plain(entry, skip=["amendment"]),
            id=new[entry.id],
            packet=packet,
            amendment_id=run.ref(entry.amendment),
            created_by=owner,
        )
        run.keep(logged, created_at=entry.created_at)
    items = _create_rfes(case, run)
    for document in checked.documents:
        run.keep(_create_document(document, run), created_at=document.meta.created_at)
    for rfe in case.rfes:  # the notice is one of the documents, which point at their RFE in turn
        RequestForEvidence.objects.filter(pk=new[rfe.id]).update(notice_id=run.ref(rfe.notice))
    _create_review(case, run, items)
    _create_filing(checked, run, exhibit_ids=exhibit_ids)
    if case.decision is not None:
        _create_decision(case.decision, run)
    for render in case.renders:
        rendered = CaseRender(
            **_plain(render, skip=["rfe", "amendment", "report", "layout"]),
            id=new[render.id],
            packet=packet,
            rfe_id=run.ref(render.rfe),
            amendment_id=run.ref(render.amendment),
            report_id=run.ref(render.report),
            layout=remap_ids(render.layout, ids),
            created_by=owner,
        )
        run.store(rendered.pdf, "render.pdf", checked.files[render.path])
        rendered.save()
        run.keep(rendered, created_at=render.created_at)
    if case.closing_report is not None:
        closing = case.closing_report
        closed = ClosingReport.objects.create(**_plain(closing), packet=packet, updated_by=owner)
        run.keep(closed, created_at=closing.created_at, updated_at=closing.updated_at)
    Packet.objects.filter(pk=packet.pk).update(status=PacketStatus.FILED)
    for obj, values in run.times:
        type(obj)._default_manager.filter(pk=obj.pk).update(**values)


def _plain(meta: Any, *, skip: list[str] | tuple[str, ...] = ()) -> dict[str, Any]:
    """The archived record's own values (no references, no times the caller restores, no archive path)."""
    skipped = {"id", "path", "created_at", "updated_at", *skip}
    return {name: getattr(meta, name) for name in type(meta).model_fields if name not in skipped}


def _create_rfes(case: ArchivedCase, run: _Import) -> dict[tuple[uuid.UUID, int], RfeItem]:
    items: dict[tuple[uuid.UUID, int], RfeItem] = {}
    for rfe in case.rfes:
        written = RequestForEvidence.objects.create(
            **_plain(rfe, skip=["notice", "items"]), id=run.new[rfe.id], packet=run.packet, created_by=run.owner
        )
        run.keep(written, created_at=rfe.created_at)
        for item in rfe.items:
            items[(rfe.id, item.number)] = RfeItem.objects.create(
                **_plain(item, skip=["citations"]), rfe=written, citations=remap_ids(item.citations, run.ids)
            )
    return items


def _create_review(case: ArchivedCase, run: _Import, items: dict[tuple[uuid.UUID, int], RfeItem]) -> None:
    # Who commented, approved or resolved is not carried: the importing user did none of it.
    for comment in case.comments:
        item = items.get((comment.rfe, comment.item_number)) if comment.rfe and comment.item_number else None
        written = CaseComment.objects.create(
            **_plain(comment, skip=["rfe", "item_number"]), packet=run.packet, rfe_id=run.ref(comment.rfe), item=item
        )
        run.keep(written, created_at=comment.created_at)
    for event in case.review_events:
        step = CaseReviewEvent.objects.create(
            **_plain(event, skip=["rfe"]), packet=run.packet, rfe_id=run.ref(event.rfe)
        )
        run.keep(step, created_at=event.created_at)


def _create_document(document: CheckedDocument, run: _Import) -> CaseDocument:
    meta = document.meta
    written = CaseDocument(
        **_plain(meta, skip=["rfe", "amendment", "log_entry", "original_name"]),
        id=run.ref(meta.id),
        packet=run.packet,
        rfe_id=run.ref(meta.rfe),
        amendment_id=run.ref(meta.amendment),
        log_entry_id=run.ref(meta.log_entry),
        original_name=display_file_name(meta.original_name),
        text=document.text.text,
        text_status=document.text.status,
        markup=asdict(document.markup),
        uploaded_by=run.owner,
    )
    run.store(written.file, "upload", document.content)
    written.save()
    return written


def _create_filing(checked: CheckedCase, run: _Import, *, exhibit_ids: dict[str, str]) -> None:
    filing = checked.meta.filing
    version = None
    if filing.filed_version is not None:
        meta = filing.filed_version
        version = PacketVersion(
            packet=run.packet,
            number=meta.number,
            data=remap_ids(checked.version_data, exhibit_ids),
            exhibits=remap_ids(meta.exhibits, exhibit_ids),
            sha256=meta.sha256,
            page_count=meta.page_count,
            size=meta.size,
            final=meta.final,
            created_by=run.owner,
            created_at=meta.created_at,
        )
        run.store(version.pdf, f"packet-v{meta.number}.pdf", checked.files[meta.path])
        version.save()
    written = Filing.objects.create(
        **_plain(filing, skip=["receipt_notice", "filed_version"]),
        packet=run.packet,
        receipt_notice_id=run.ref(filing.receipt_notice),
        filed_version=version,
        recorded_by=run.owner,
    )
    run.keep(written, created_at=filing.created_at)


def _create_decision(meta: ArchivedDecision, run: _Import) -> None:
    references = {f"{name}_id": run.ref(getattr(meta, name)) for name in _DECISION_DOCUMENTS}
    decision = Decision.objects.create(
        **_plain(meta, skip=[*_DECISION_DOCUMENTS, "conditions"]),
        **references,
        packet=run.packet,
        recorded_by=run.owner,
    )
    run.keep(decision, created_at=meta.created_at, updated_at=meta.updated_at)
    for condition in meta.conditions:
        written = ReportingCondition.objects.create(**_plain(condition, skip=["reports"]), decision=decision)
        run.keep(written, created_at=condition.created_at)
        for report in condition.reports:
            made = ConditionReport.objects.create(
                **_plain(report), id=run.new[report.id], condition=written, created_by=run.owner
            )
            run.keep(made, created_at=report.created_at, updated_at=report.updated_at)
