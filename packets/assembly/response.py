"""The documents of the case that carry exhibits, by the packet's own engine: a response to a request for evidence
and a supplemental letter. No database access: callers pass plain data (``packets.case.rendering`` builds it).

A response is, in this order: the request notice as uploaded (normalised like an exhibit; its pages carry only the
response's "Page N of M" — it is the agency's document, not an exhibit of ours, so it gets no exhibit stamp), the
response letter answering each numbered item in order, the contents, the index of the new exhibits, then each new
exhibit behind its slip sheet with "Exhibit O, page k of K" stamps. A supplemental letter is the same without the
notice. A filed exhibit is cited by its label and its page in the filed PDF ("Exhibit C of the filed packet, page
14"); a new one is a link to its first page. New exhibits keep the index their label has across the case
(``exhibit_label(index)``), so their destinations (``cite-<index>``, ``exhibit-end-<index>``) read like the filed
packet's, and ``exhibit_pages`` reads either.

Page numbers settle as in ``render.py``: the letter and the slips are laid out once, then the contents and the index
are laid out with numbers counted from the real page counts, again until their own lengths stop changing.
"""

import datetime as dt
import io
import re
import string
from dataclasses import dataclass
from datetime import UTC, datetime

import pikepdf
from django.conf import settings
from django.template.loader import render_to_string
from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from packets.assembly.bundle import DocumentInfo, OutlineEntry, Run, bundle
from packets.assembly.exhibits import ExhibitSource, normalised_exhibit
from packets.assembly.html import (
    INDEX_DESTINATION,
    ContentsEntry,
    IndexRow,
    contents_part,
    index_part,
    index_title,
)
from packets.assembly.layout import LayoutError, lay_out_many
from packets.assembly.narrative import PrintExhibit
from packets.assembly.render import FREE_ROUNDS, RenderedPacket, RenderError

NOTICE_DESTINATION = "rfe-notice"
LETTER_DESTINATION = "response-letter"
CONTENTS_DESTINATION = "contents"
_DESTINATION = re.compile(r"(cite|exhibit-end)-(\d+)")


@dataclass(frozen=True)
class Citation:
    """What an answer cites. A filed exhibit (``is_new`` False) by its label, with its pages in the filed PDF when
    the filing was made here (``filed_exhibit_pages``: first and last packet page; ``page_in_filed_packet``: the
    packet page of the one page cited, if one was); a new exhibit by its label, enclosed in this PDF."""

    label: str
    is_new: bool
    page_in_filed_packet: int | None = None
    filed_exhibit_pages: tuple[int, int] | None = None
    page_in_exhibit: int | None = None  # the page cited within the exhibit (known even without the filed PDF)


@dataclass(frozen=True)
class ResponseItem:
    number: int
    text: str  # what the agency asked
    answer: str
    citations: tuple[Citation, ...] = ()


@dataclass(frozen=True)
class ResponseLetter:
    title: str  # "Response to request for evidence", "Supplemental information"
    receipt_number: str
    beneficiary: str
    requestor: str
    signer: str  # name (and firm) on the signature lines
    date: dt.date
    introduction: str  # the opening (a supplemental letter: its whole text)
    items: tuple[ResponseItem, ...] = ()
    summary: str = ""  # a supplemental letter: what changed, in a line
    request_issued_on: dt.date | None = None  # a response: the date of the request it answers


def render_response_pdf(
    *,
    notice: ExhibitSource | None,
    letter: ResponseLetter,
    exhibits: list[ExhibitSource],
    final: bool,
    created_at: datetime,
) -> RenderedPacket:
    """The PDF of a response (``notice`` on top) or of a supplemental letter (``notice`` None), with ``exhibits`` (the
    new ones, labelled as the case labels them: O, P, …) enclosed; ``final`` False marks every page DRAFT. In English.
    Raises ``RenderError`` (the layout failed, a citation names an exhibit not enclosed) or ``ExhibitError``."""
    with translation.override("en"):
        return _render(notice=notice, letter=letter, exhibits=exhibits, final=final, created_at=created_at)


def exhibit_pages(pdf: bytes) -> dict[int, tuple[int, int]]:
    """Exhibit index → (first page, page count), 1-based, read from a packet's or a response's named destinations
    (``cite-<index>`` on an exhibit's first page, ``exhibit-end-<index>`` on its last). Our own PDFs only."""
    with pikepdf.open(io.BytesIO(pdf)) as document:
        names = document.Root.get("/Names")
        if names is None or "/Dests" not in names:
            return {}
        pages = {page.obj.objgen: number for number, page in enumerate(document.pages, start=1)}
        first: dict[int, int] = {}
        last: dict[int, int] = {}
        for name, target in pikepdf.NameTree(names.Dests).items():
            match = _DESTINATION.fullmatch(str(name))
            if not match or not isinstance(target, pikepdf.Array) or not len(target):
                continue
            page = pages.get(target[0].objgen)
            if page is not None:
                (first if match[1] == "cite" else last)[int(match[2])] = page
    return {index: (page, last[index] - page + 1) for index, page in first.items() if last.get(index, 0) >= page}


def label_index(label: str) -> int:
    """The 0-based index ``exhibit_label`` gives ``label`` (A → 0, O → 14, AA → 26)."""
    number = 0
    for letter in label:
        number = number * 26 + string.ascii_uppercase.index(letter) + 1
    return number - 1


def _render(
    *,
    notice: ExhibitSource | None,
    letter: ResponseLetter,
    exhibits: list[ExhibitSource],
    final: bool,
    created_at: datetime,
) -> RenderedPacket:
    notice_pdf = normalised_exhibit(notice) if notice is not None else None
    normalised = [normalised_exhibit(source) for source in exhibits]
    printed = [
        PrintExhibit(index=label_index(source.label), source=source, pages=_page_count(pdf))
        for source, pdf in zip(exhibits, normalised, strict=True)
    ]
    letter_html = _document(
        "packets/print/case/response_letter.html",
        {
            "letter": letter,
            "items": [_printed_item(item, printed) for item in letter.items],
            "enclosed": printed,
            "names": sorted({name for name in (letter.beneficiary, letter.requestor, letter.signer) if name}),
        },
    )
    documents = [letter_html]
    if printed:
        documents.append(_document("packets/print/slips.html", {"exhibits": printed}))
    laid = _lay_out(documents)
    letter_pdf, letter_pages = laid[0]
    if printed and laid[1][1] != len(printed):
        raise RenderError(gettext_noop("The slip sheets did not come out one page each; the PDF cannot be numbered."))
    notice_pages = _page_count(notice_pdf) if notice_pdf is not None else 0
    contents, index = _numbered(notice_pages, letter_pages, letter.title, printed)

    sources: list[bytes] = []
    runs: list[Run] = []
    outline: list[OutlineEntry] = []

    def add(pdf: bytes, count: int, destination: str, title: str, *, pad_to: int = 0) -> None:
        sources.append(pdf)
        runs.append(Run(source=len(sources) - 1, first=0, count=count, destination=destination, pad_to=pad_to))
        outline.append(OutlineEntry(title, destination, 1))

    if notice_pdf is not None:
        add(notice_pdf, notice_pages, NOTICE_DESTINATION, _("Request for evidence notice"))
    add(letter_pdf, letter_pages, LETTER_DESTINATION, letter.title)
    add(contents[0], _page_count(contents[0]), CONTENTS_DESTINATION, _("Contents"), pad_to=contents[1])
    if printed:
        add(index[0], _page_count(index[0]), INDEX_DESTINATION, index_title(), pad_to=index[1])
        sources.append(laid[1][0])
        slips = len(sources) - 1
        for position, (exhibit, pdf) in enumerate(zip(printed, normalised, strict=True)):
            runs.append(Run(source=slips, first=position, count=1, destination=f"exhibit-{exhibit.index}"))
            outline.append(OutlineEntry(exhibit.bookmark, f"exhibit-{exhibit.index}", 2))
            sources.append(pdf)
            runs.append(
                Run(
                    source=len(sources) - 1,
                    first=0,
                    count=exhibit.pages,
                    destination=f"cite-{exhibit.index}",
                    last_destination=f"exhibit-end-{exhibit.index}",
                    exhibit_label=exhibit.label,
                    bookmarks_under=f"exhibit-{exhibit.index}",
                    exhibit_caption=exhibit.source.caption,
                )
            )
    subject = letter.title
    if letter.receipt_number:
        subject += " — " + _("receipt number %(number)s") % {"number": letter.receipt_number}
    info = DocumentInfo(
        title=f"{letter.title}: {letter.beneficiary}" if letter.beneficiary else letter.title,
        author=letter.signer.split("\n", 1)[0] or letter.requestor,
        subject=subject,
        created_at=created_at.astimezone(UTC),
    )
    pdf, pages = bundle(sources, runs, outline, final=final, info=info)
    return RenderedPacket(pdf=pdf, page_count=pages)


@dataclass(frozen=True)
class _PrintedCitation:
    text: str
    href: str  # "" for a citation of the filed packet (it is not in this PDF)


@dataclass(frozen=True)
class _PrintedItem:
    number: int
    text: str
    answer: str
    citations: list[_PrintedCitation]


def _printed_item(item: ResponseItem, enclosed: list[PrintExhibit]) -> _PrintedItem:
    by_label = {exhibit.label: exhibit for exhibit in enclosed}
    citations = []
    for citation in item.citations:
        if citation.is_new:
            exhibit = by_label.get(citation.label)
            if exhibit is None:
                raise RenderError(
                    _("Item %(number)s cites Exhibit %(label)s, which is not enclosed in this response.")
                    % {"number": item.number, "label": citation.label}
                )
            citations.append(_PrintedCitation(citation_text(citation), f"packet-link:cite-{exhibit.index}"))
        else:
            citations.append(_PrintedCitation(citation_text(citation), ""))
    return _PrintedItem(item.number, item.text, item.answer, citations)


def citation_text(citation: Citation) -> str:
    """ "Exhibit O"; "Exhibit C of the filed packet, page 14" (pages 13–14 for a whole exhibit of two pages); without
    the filed PDF's numbers, "Exhibit C of the filed packet" (", page 2 of the exhibit" when a page was cited)."""
    values = {"label": citation.label}
    if citation.is_new:
        return _("Exhibit %(label)s") % values
    if citation.page_in_filed_packet is not None:
        return _("Exhibit %(label)s of the filed packet, page %(page)s") % {
            **values,
            "page": citation.page_in_filed_packet,
        }
    if citation.filed_exhibit_pages is not None:
        first, last = citation.filed_exhibit_pages
        if first == last:
            return _("Exhibit %(label)s of the filed packet, page %(page)s") % {**values, "page": first}
        return _("Exhibit %(label)s of the filed packet, pages %(first)s–%(last)s") % {
            **values,
            "first": first,
            "last": last,
        }
    if citation.page_in_exhibit is not None:
        return _("Exhibit %(label)s of the filed packet, page %(page)s of the exhibit") % {
            **values,
            "page": citation.page_in_exhibit,
        }
    return _("Exhibit %(label)s of the filed packet") % values


def _numbered(
    notice_pages: int, letter_pages: int, letter_title: str, exhibits: list[PrintExhibit]
) -> tuple[tuple[bytes, int], tuple[bytes, int]]:
    """The contents and the index (each: its PDF and the page count the numbers assume, padded to), laid out with the
    real page numbers; the same rounds as ``render._numbered_parts``."""
    assumed = (1, 1 if exhibits else 0)
    for round_number in range(1, 100):
        entries, rows = _numbers(notice_pages, letter_pages, letter_title, exhibits, *assumed)
        documents = [contents_part(entries).html] + ([index_part(rows).html] if exhibits else [])
        laid = _lay_out(documents)
        actual = (laid[0][1], laid[1][1] if exhibits else 0)
        if actual == assumed:
            break
        if round_number < FREE_ROUNDS:
            assumed = actual
        elif actual[0] <= assumed[0] and actual[1] <= assumed[1]:
            break  # settled by padding, as in render.py
        else:
            assumed = (max(actual[0], assumed[0]), max(actual[1], assumed[1]))
    else:  # pragma: no cover - the lengths only grow after FREE_ROUNDS, and both are bounded by their content
        raise RenderError(gettext_noop("The page numbers of the contents did not settle."))
    index = (laid[1][0], assumed[1]) if exhibits else (b"", 0)
    return (laid[0][0], assumed[0]), index


def _numbers(
    notice_pages: int,
    letter_pages: int,
    letter_title: str,
    exhibits: list[PrintExhibit],
    contents_pages: int,
    index_pages: int,
) -> tuple[list[ContentsEntry], list[IndexRow]]:
    entries = []
    page = 1
    if notice_pages:
        entries.append(ContentsEntry(_("Request for evidence notice"), NOTICE_DESTINATION, page, 1))
        page += notice_pages
    entries.append(ContentsEntry(letter_title, LETTER_DESTINATION, page, 1))
    page += letter_pages + contents_pages
    rows = []
    if exhibits:
        entries.append(ContentsEntry(index_title(), INDEX_DESTINATION, page, 1))
        page += index_pages
    for exhibit in exhibits:
        entries.append(ContentsEntry(exhibit.bookmark, f"exhibit-{exhibit.index}", page, 2))
        rows.append(IndexRow(exhibit=exhibit, first=page, last=page + exhibit.pages))
        page += 1 + exhibit.pages
    return entries, rows


def _lay_out(documents: list[str]) -> list[tuple[bytes, int]]:
    try:
        laid = lay_out_many(documents, workers=settings.RENDER_LAYOUT_WORKERS)
    except LayoutError as error:
        raise RenderError(str(error)) from error
    return [(done.pdf, done.pages) for done in laid]


def _document(template: str, context: dict[str, object]) -> str:
    return render_to_string("packets/print/document.html", {"body": render_to_string(template, context)})


def _page_count(pdf: bytes) -> int:
    with pikepdf.open(io.BytesIO(pdf)) as document:
        return len(document.pages)
