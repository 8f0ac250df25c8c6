"""The PDFs of the case that carry exhibits, rendered by the packet's engine (``packets.assembly.response``) and kept
as ``CaseRender`` rows: a response to a request for evidence, a supplemental letter for an amendment.

Filed exhibits are cited by their label and their pages in the filed PDF, read from that PDF's named destinations
each time (nothing is cached, so no readable copy of the filed packet lies anywhere); a packet filed outside the app
has no such PDF, and its exhibits are cited by label alone. New exhibits are labelled across the case
(``packets.case.labels``) and enclosed behind slip sheets.
"""

import hashlib
import logging
from collections.abc import Callable
from datetime import date, datetime
from typing import Any
from uuid import UUID

import pikepdf
from django.contrib.auth.models import User
from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from packets.assembly.exhibits import ExhibitSource
from packets.assembly.render import RenderedPacket, RenderError
from packets.assembly.response import (
    Citation,
    ResponseItem,
    ResponseLetter,
    exhibit_pages,
    label_index,
    render_response_pdf,
)
from packets.case.labels import NEW_EVIDENCE_KINDS, new_exhibit_labels
from packets.evidence.labels import exhibit_label
from packets.models import (
    Amendment,
    CaseDocument,
    CaseDocumentKind,
    CaseRender,
    CaseRenderKind,
    Filing,
    Packet,
    RequestForEvidence,
    ReviewState,
)
from packets.people import person_credentials, person_name
from packets.review.workflow import ReviewRefused

logger = logging.getLogger(__name__)


def filed_exhibit_pages(filing: Filing) -> dict[str, tuple[int, int]]:
    """Each filed exhibit's label → (first page, page count) in the filed PDF, 1-based; {} when the packet was
    filed with a PDF made outside the app (or its file cannot be read: the exhibits are then cited by label)."""
    version = filing.filed_version
    if version is None or filing.filed_outside_app or not version.pdf:
        return {}
    try:
        # The storage, not the field file: a field file opened and closed before cannot be opened again.
        with version.pdf.storage.open(str(version.pdf.name), "rb") as handle:
            pdf = handle.read()
        pages = exhibit_pages(pdf)
    except (OSError, ValueError, pikepdf.PdfError) as error:
        logger.warning("the filed PDF of %s could not be read: %s", filing.packet_id, error)
        return {}
    return {exhibit_label(index): found for index, found in sorted(pages.items())}


def rfe_response_render(*, rfe: RequestForEvidence, by: User | None, final: bool) -> CaseRender:
    """Render the response to ``rfe`` as it is now and keep it. A final one only from the revision counsel
    approved; a draft is marked DRAFT on every page. Raises ``ReviewRefused`` (not approved), ``RenderError`` or
    ``ExhibitError`` (plain words)."""
    _final_check(rfe, final)
    with translation.override("en"):  # the response goes to the agency in English
        return _rfe_response_render(rfe=rfe, by=by, final=final)


def _final_check(rfe: RequestForEvidence, final: bool) -> None:
    if final and not (rfe.review_state == ReviewState.APPROVED and rfe.approved_revision == rfe.revision):
        if rfe.review_state == ReviewState.SENT:
            raise ReviewRefused(_("This response was already sent; its final PDF is the one rendered before."))
        raise ReviewRefused(
            _(
                "The final response can only be built once counsel has approved it as it is now. "
                "Ask counsel to review it, or build a draft."
            )
        )


def _rfe_response_render(*, rfe: RequestForEvidence, by: User | None, final: bool) -> CaseRender:
    packet = rfe.packet
    filing = _filing(packet)
    labels = new_exhibit_labels(filing)
    filed_pages = filed_exhibit_pages(filing)
    documents = {document.pk: document for document in CaseDocument.objects.filter(packet=packet)}
    enclosed = {document.pk for document in rfe.new_exhibits.all()}
    items = []
    for item in rfe.items.order_by("number"):
        citations = []
        for cited in item.citations or []:
            citation = _citation(cited, labels, filed_pages, documents, number=item.number)
            if citation is not None:
                citations.append(citation)
                document_id = _document_id(cited)
                if citation.is_new and document_id is not None:
                    enclosed.add(document_id)
        items.append(ResponseItem(item.number, item.text, item.answer, tuple(citations)))
    created_at = timezone.now()
    letter = ResponseLetter(
        title=_("Response to request for evidence"),
        receipt_number=filing.receipt_number,
        beneficiary=packet.content.beneficiary.full_name,
        requestor=requestor_name(packet),
        signer=_signer(packet, rfe.approved_by if final else None),
        date=timezone.localdate(rfe.approved_at) if final and rfe.approved_at else timezone.localdate(created_at),
        introduction=rfe.introduction or _default_introduction(rfe, filing),
        items=tuple(items),
        request_issued_on=rfe.issued_on,
    )
    exhibits = _sources([documents[pk] for pk in enclosed if pk in documents], labels)
    notice = _source(rfe.notice, "", _("Request for evidence notice")) if rfe.notice else None
    rendered = render_response_pdf(notice=notice, letter=letter, exhibits=exhibits, final=final, created_at=created_at)
    return case_render_store(
        packet=packet,
        kind=CaseRenderKind.RFE_RESPONSE,
        rendered=rendered,
        final=final,
        by=by,
        source_revision=rfe.revision,
        target={"rfe": rfe},
    )


def amendment_render(*, amendment: Amendment, by: User | None, final: bool = False) -> CaseRender:
    """Render the supplemental letter of ``amendment`` with the new exhibits it adds, and keep it. Amendments have
    no counsel review of their own: ``final`` (no DRAFT mark) is for the roles that may build a filing PDF."""
    with translation.override("en"):
        return _amendment_render(amendment=amendment, by=by, final=final)


def _amendment_render(*, amendment: Amendment, by: User | None, final: bool) -> CaseRender:
    packet = amendment.packet
    filing = _filing(packet)
    labels = new_exhibit_labels(filing)
    created_at = timezone.now()
    letter = ResponseLetter(
        title=_("Supplemental information"),
        receipt_number=filing.receipt_number,
        beneficiary=packet.content.beneficiary.full_name,
        requestor=requestor_name(packet),
        signer=_signer(packet, None),
        date=timezone.localdate(created_at),
        introduction=amendment.letter or amendment.summary,
        summary=amendment.summary,
    )
    exhibits = _sources(list(amendment.new_exhibits.all()), labels)
    rendered = render_response_pdf(notice=None, letter=letter, exhibits=exhibits, final=final, created_at=created_at)
    return case_render_store(
        packet=packet,
        kind=CaseRenderKind.AMENDMENT,
        rendered=rendered,
        final=final,
        by=by,
        source_revision=amendment.revision,
        target={"amendment": amendment},
    )


def render_layout(pdf: bytes) -> dict[str, dict[str, int]]:
    """Where each exhibit landed in a rendered PDF: ``{"O": {"first_page": 12, "pages": 3}}``."""
    return {
        exhibit_label(index): {"first_page": first, "pages": count}
        for index, (first, count) in sorted(exhibit_pages(pdf).items())
    }


def case_render_store(
    *,
    packet: Packet,
    kind: str,
    rendered: RenderedPacket,
    final: bool,
    by: User | None,
    source_revision: int,
    target: dict[str, Any],
) -> CaseRender:
    """Keep a rendered PDF of the case as a ``CaseRender`` (its file encrypted at rest like every case file)."""
    render = CaseRender(
        packet=packet,
        kind=kind,
        source_revision=source_revision,
        final=final,
        sha256=hashlib.sha256(rendered.pdf).hexdigest(),
        page_count=rendered.page_count,
        size=len(rendered.pdf),
        layout=render_layout(rendered.pdf),
        created_by=by,
        **target,
    )
    with transaction.atomic():
        render.pdf.save(f"{kind}.pdf", ContentFile(rendered.pdf), save=False)
        render.save()
    return render


def _filing(packet: Packet) -> Filing:
    filing = Filing.objects.select_related("filed_version").filter(packet=packet).first()
    if filing is None:
        raise RenderError(_("The packet is not marked as filed, so there is no case to render for."))
    return filing


def _citation(
    cited: dict[str, Any],
    labels: dict[UUID, str],
    filed_pages: dict[str, tuple[int, int]],
    documents: dict[UUID, CaseDocument],
    *,
    number: int,
) -> Citation | None:
    if "filed" in cited:
        label = str(cited["filed"])
        page = cited.get("page")
        page = int(page) if isinstance(page, int) or (isinstance(page, str) and page.isdigit()) else None
        found = filed_pages.get(label)
        if found is None:
            return Citation(label=label, is_new=False, page_in_exhibit=page)
        first, count = found
        in_packet = first + page - 1 if page is not None and 1 <= page <= count else None
        return Citation(
            label=label,
            is_new=False,
            page_in_filed_packet=in_packet,
            filed_exhibit_pages=(first, first + count - 1),
            page_in_exhibit=page,
        )
    document_id = _document_id(cited)
    document = documents.get(document_id) if document_id is not None else None
    if document is None or document.pk not in labels:
        raise RenderError(
            _("Item %(number)s cites a document that is no longer in the case. Choose its evidence again.")
            % {"number": number}
        )
    return Citation(label=labels[document.pk], is_new=True)


def _document_id(cited: dict[str, Any]) -> UUID | None:
    try:
        return UUID(str(cited.get("document", "")))
    except ValueError:
        return None


def _sources(documents: list[CaseDocument], labels: dict[UUID, str]) -> list[ExhibitSource]:
    """New exhibits as the engine reads them, in label order (O before P)."""
    labelled = [(labels[document.pk], document) for document in documents if document.kind in NEW_EVIDENCE_KINDS]
    labelled.sort(key=lambda pair: label_index(pair[0]))
    return [_source(document, label, "") for label, document in labelled]


def _source(document: CaseDocument, label: str, kind_label: str) -> ExhibitSource:
    kind = kind_label or (
        str(CaseDocumentKind(document.kind).label) if document.kind in CaseDocumentKind.values else ""
    )
    return ExhibitSource(
        id=str(document.pk),
        label=label,
        kind=document.kind,
        kind_label=kind,
        title=document.title,
        issuer=document.issuer,
        issued_on=document.issued_on.isoformat() if document.issued_on else "",
        sha256=document.sha256,
        content_type=document.content_type,
        read=_reader(document),
        pages=document.page_count,
    )


def _reader(document: CaseDocument) -> Callable[[], bytes]:
    def read() -> bytes:
        with document.file.storage.open(str(document.file.name), "rb") as handle:
            return bytes(handle.read())

    return read


def requestor_name(packet: Packet) -> str:
    """Who the case's letters and reports come from: the requesting organisation, else the beneficiary."""
    data = packet.content
    return data.organisation.name or data.beneficiary.full_name


def _signer(packet: Packet, approver: User | None) -> str:
    """Counsel who approved a final response signs it (name, then firm); a draft names who the packet names."""
    if approver is not None:
        return "\n".join(part for part in (person_name(approver), person_credentials(approver)) if part)
    data = packet.content
    named = data.requestor.counsel_name or data.organisation.contact_name or data.beneficiary.full_name
    firm = data.requestor.counsel_firm if data.requestor.counsel_name else ""
    return "\n".join(part for part in (named, firm) if part)


def _default_introduction(rfe: RequestForEvidence, filing: Filing) -> str:
    return _(
        "To the reviewing officer:\n\nThis letter responds to the request for evidence issued on %(issued)s in "
        "the case with receipt number %(receipt)s.%(notice)s Each numbered item is answered below in order, "
        "citing the exhibits already filed by their labels and pages in the filed packet, and the new exhibits "
        "enclosed after this letter by their labels."
    ) % {
        "issued": _iso(rfe.issued_on),
        "receipt": filing.receipt_number or _("(not yet received)"),
        "notice": " " + _("The request notice is enclosed on top, as asked.") if rfe.notice_id else "",
    }


def _iso(day: date | datetime | None) -> str:
    return day.isoformat() if day else ""
