"""Requests for evidence: recording one with its numbered items, answering each item with the evidence it cites
(filed exhibits by their filed label and page, new exhibits labelled after them), its review by counsel and sending.

Every change of the response bumps ``rfe.revision``; counsel's approval is pinned to a revision, so an edit after
approval sends it back to draft (recorded as a review step) and the final PDF renders only from what was approved.
"""

import re
import uuid
from dataclasses import dataclass
from datetime import date
from typing import Any

from django.contrib.auth.models import User
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils.translation import gettext as _

from packets.case.documents import CaseUpload, case_document_add, case_document_remove
from packets.case.labels import filed_exhibits, new_exhibit_labels
from packets.case.log import case_log_record
from packets.models import (
    CaseDocument,
    CaseDocumentKind,
    CaseReviewEvent,
    Exhibit,
    Filing,
    Packet,
    RequestForEvidence,
    ReviewState,
    RfeItem,
)
from packets.review.workflow import ReviewRefused

_NUMBERED = re.compile(r"^\s*(?:item\s*)?(\d{1,3})\s*[.):-]\s+", re.IGNORECASE | re.MULTILINE)
_CITE = re.compile(r"^([A-Za-z]{1,3})(?:\s*(?:p\.?|page)\s*(\d{1,5}))?$", re.IGNORECASE)


def split_items(text: str) -> list[str]:
    """The numbered items of a pasted notice: split where a line starts with "1." / "2)" / "Item 3 -"; without
    numbers, at blank lines."""
    text = text.replace("\r\n", "\n").strip()
    if not text:
        return []
    starts = list(_NUMBERED.finditer(text))
    if starts:
        pieces = [
            text[match.end() : (starts[i + 1].start() if i + 1 < len(starts) else len(text))]
            for i, match in enumerate(starts)
        ]
        lead = text[: starts[0].start()].strip()
        items = [piece.strip() for piece in pieces if piece.strip()]
        return [lead, *items] if lead else items
    return [piece.strip() for piece in re.split(r"\n\s*\n", text) if piece.strip()]


def rfe_record(
    *,
    packet: Packet,
    by: User,
    issued_on: date,
    received_on: date | None,
    mailed: bool,
    items: list[str],
    notice: UploadedFile | None = None,
    form_token: str = "",
) -> RequestForEvidence:
    """Record a request for evidence with its items numbered 1…n in order, its notice stored as a case document."""
    if not items:
        raise ReviewRefused(_("Enter at least one item the agency asks for."))
    with transaction.atomic():
        rfe = RequestForEvidence.objects.create(
            packet=packet, issued_on=issued_on, received_on=received_on, mailed=mailed, created_by=by
        )
        RfeItem.objects.bulk_create(
            [RfeItem(rfe=rfe, number=number, text=text) for number, text in enumerate(items, start=1)]
        )
        if notice is not None:
            rfe.notice = case_document_add(
                packet=packet,
                upload=CaseUpload(
                    file=notice,
                    kind=CaseDocumentKind.RFE_NOTICE,
                    title="Request for evidence notice",
                    issued_on=issued_on,
                    form_token=form_token,
                ),
                by=by,
            )
            rfe.save(update_fields=["notice"])
        case_log_record(
            packet=packet,
            by=by,
            happened_on=received_on or issued_on,
            summary=_("Request for evidence of %(date)s recorded, with %(count)s items.")
            % {"date": issued_on.isoformat(), "count": len(items)},
        )
    return rfe


@dataclass(frozen=True)
class CitableExhibit:
    label: str
    title: str
    pages: int | None  # known for filed exhibits whose row still exists, and for new ones
    new: bool
    document_id: str = ""


def citable_exhibits(rfe: RequestForEvidence, filing: Filing) -> list[CitableExhibit]:
    """What an answer may cite: the filed exhibits (as filed) and this request's new exhibits."""
    filed = filed_exhibits(filing)
    ids = [found for found in (_uuid(row.get("id")) for row in filed) if found is not None]
    counts = {str(pk): pages for pk, pages in Exhibit.objects.filter(pk__in=ids).values_list("id", "page_count")}
    rows = [CitableExhibit(row["label"], row.get("title", ""), counts.get(str(row.get("id"))), False) for row in filed]
    labels = new_exhibit_labels(filing)
    rows += [
        CitableExhibit(labels[document.pk], document.title, document.page_count, True, str(document.pk))
        for document in rfe.new_exhibits.order_by("created_at", "pk")
        if document.pk in labels
    ]
    return rows


def _uuid(value: Any) -> uuid.UUID | None:
    try:
        return uuid.UUID(str(value))
    except ValueError:
        return None


def parse_citations(text: str, available: list[CitableExhibit]) -> list[dict[str, Any]]:
    """ "C p.2, D" → the citations JSON; raises ReviewRefused naming what is wrong."""
    by_label = {row.label: row for row in available}
    citations: list[dict[str, Any]] = []
    for piece in [part.strip() for part in re.split(r"[,;\n]+", text) if part.strip()]:
        match = _CITE.match(piece.removeprefix("Exhibit ").removeprefix("exhibit ").strip())
        if not match:
            raise ReviewRefused(
                _("“%(piece)s” is not an exhibit label. Write labels like “C” or “C p. 2”, separated by commas.")
                % {"piece": piece}
            )
        label, page = match.group(1).upper(), match.group(2)
        row = by_label.get(label)
        if row is None:
            raise ReviewRefused(
                _("There is no exhibit %(label)s in the filed packet or among this response's new exhibits.")
                % {"label": label}
            )
        number = int(page) if page else None
        if number is not None and (number < 1 or (row.pages is not None and number > row.pages)):
            raise ReviewRefused(
                _("Exhibit %(label)s has %(pages)s pages; page %(page)s does not exist.")
                % {"label": label, "pages": row.pages, "page": number}
            )
        if row.new:
            citations.append({"document": row.document_id, "label": label})
        else:
            citations.append({"filed": label, **({"page": number} if number else {})})
    return citations


def citations_text(citations: list[dict[str, Any]], labels: dict[str, str]) -> str:
    """The citations JSON back as the text the answer form shows."""
    words = []
    for cited in citations:
        if "filed" in cited:
            words.append(f"{cited['filed']} p. {cited['page']}" if cited.get("page") else str(cited["filed"]))
        elif cited.get("document") in labels:
            words.append(labels[cited["document"]])
    return ", ".join(words)


def _changed(rfe: RequestForEvidence, by: User, note: str) -> None:
    """A change of the response: a new revision; an approval of an earlier one no longer holds."""
    if rfe.review_state == ReviewState.SENT:
        raise ReviewRefused(_("This response was sent; it cannot be changed. Only one response is possible."))
    rfe.revision += 1
    if rfe.review_state in (ReviewState.APPROVED, ReviewState.IN_REVIEW):
        CaseReviewEvent.objects.create(
            packet_id=rfe.packet_id,
            rfe=rfe,
            user=by,
            from_state=rfe.review_state,
            to_state=ReviewState.DRAFT,
            note=note,
            revision=rfe.revision,
        )
        rfe.review_state = ReviewState.DRAFT
    rfe.save(update_fields=["revision", "review_state"])


def rfe_item_answer(*, item: RfeItem, by: User, answer: str, citations: list[dict[str, Any]]) -> RfeItem:
    with transaction.atomic():
        rfe = RequestForEvidence.objects.select_for_update().get(pk=item.rfe_id)
        item.answer, item.citations = answer, citations
        item.save(update_fields=["answer", "citations"])
        _changed(rfe, by, _("Item %(number)s was changed after approval.") % {"number": item.number})
    return item


def rfe_introduction_save(*, rfe: RequestForEvidence, by: User, introduction: str) -> None:
    with transaction.atomic():
        locked = RequestForEvidence.objects.select_for_update().get(pk=rfe.pk)
        locked.introduction = introduction
        locked.save(update_fields=["introduction"])
        _changed(locked, by, _("The opening of the letter was changed after approval."))


def rfe_exhibit_add(
    *, rfe: RequestForEvidence, by: User, file: UploadedFile, title: str, form_token: str = ""
) -> CaseDocument:
    """A new exhibit for the response; its label continues after the filed ones."""
    with transaction.atomic():
        locked = RequestForEvidence.objects.select_for_update().get(pk=rfe.pk)
        document = case_document_add(
            packet=locked.packet,
            upload=CaseUpload(
                file=file, kind=CaseDocumentKind.RESPONSE_EVIDENCE, title=title, rfe=locked, form_token=form_token
            ),
            by=by,
        )
        _changed(locked, by, _("A new exhibit was added after approval."))
    return document


def rfe_exhibit_remove(*, rfe: RequestForEvidence, by: User, document: CaseDocument) -> None:
    with transaction.atomic():
        locked = RequestForEvidence.objects.select_for_update().get(pk=rfe.pk)
        _changed(locked, by, _("A new exhibit was removed after approval."))
        for item in locked.items.all():
            kept = [cited for cited in item.citations if cited.get("document") != str(document.pk)]
            if kept != item.citations:
                item.citations = kept
                item.save(update_fields=["citations"])
        case_document_remove(document=document)


def rfe_item_add(*, rfe: RequestForEvidence, by: User, text: str) -> RfeItem:
    with transaction.atomic():
        locked = RequestForEvidence.objects.select_for_update().get(pk=rfe.pk)
        number = (locked.items.order_by("-number").values_list("number", flat=True).first() or 0) + 1
        item = RfeItem.objects.create(rfe=locked, number=number, text=text)
        _changed(locked, by, _("An item was added after approval."))
    return item


def rfe_item_edit(*, item: RfeItem, by: User, text: str) -> None:
    with transaction.atomic():
        locked = RequestForEvidence.objects.select_for_update().get(pk=item.rfe_id)
        item.text = text
        item.save(update_fields=["text"])
        _changed(locked, by, _("Item %(number)s's text was changed after approval.") % {"number": item.number})
