"""One render, from content and exhibit files to PDF bytes; no database access, so the command line can use it too.

The packet is laid out as parts (see ``html.py``): each part's PDF comes from the packet's part cache or is laid out
now, several at once (``layout.py``), while the exhibits are normalised (from their cache, filled at upload). Page
numbers for the contents and the exhibit index are then counted from the real page counts of every other part and
exhibit, and those two parts are laid out with them; if either turns out longer or shorter than the count assumed,
the numbers are worked out again. The bundler puts everything in order and adds stamps, links and bookmarks.

Why not one WeasyPrint document with ``target-counter()``, the usual recipe: one document cannot be partly
reused or split across processors, and a text edit then re-lays out the whole narrative. The numbers here are no
guess either: they come from the layout engine's own page counts, and the tests read every one of them back.
"""

import io
import logging
import time
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from datetime import UTC, datetime

import pikepdf
from django.conf import settings
from django.utils import translation
from django.utils.translation import gettext_noop

from packets.assembly.bundle import DocumentInfo, OutlineEntry, Run, bundle
from packets.assembly.exhibits import ExhibitSource, normalised_exhibit
from packets.assembly.html import (
    INDEX_DESTINATION,
    ContentsEntry,
    IndexRow,
    PrintMeta,
    PrintPart,
    PrintParts,
    contents_part,
    document_author,
    document_title,
    index_part,
    index_title,
    print_parts,
)
from packets.assembly.layout import LayoutError, lay_out, lay_out_many
from packets.assembly.narrative import PrintExhibit
from packets.assembly.partcache import PartCache
from packets.content.schema import PacketData

logger = logging.getLogger(__name__)

Progress = Callable[[str], None]
# After this many rounds the contents and index may only grow (padded with blank pages if they then come out
# shorter), so the rounds always end. In practice the first or second round settles.
FREE_ROUNDS = 2


class RenderError(Exception):
    """The packet could not be rendered; the message says why in words a user can act on (in English, marked with
    ``gettext_noop``: a render job stores it, and it is translated where it is shown)."""


@dataclass(frozen=True)
class RenderedPacket:
    pdf: bytes
    page_count: int


@dataclass(frozen=True)
class Part:
    """A laid-out part: its PDF and page count, and where the contents and outline point at it."""

    pdf: bytes
    pages: int
    title: str
    destination: str


def render_packet_pdf(
    *,
    data: PacketData,
    exhibits: list[ExhibitSource],
    meta: PrintMeta,
    created_at: datetime,
    progress: Progress | None = None,
    cache: PartCache | None = None,
) -> RenderedPacket:
    """The packet PDF, in English whatever the active language (English is the filing language, whatever language the
    person uses the app in). ``progress`` is told "laying_out" and then "placing_exhibits"; ``cache`` (the packet's
    part cache) lets a re-render reuse every part whose HTML did not change."""
    with translation.override("en"):
        return _render_packet_pdf(
            data=data, exhibits=exhibits, meta=meta, created_at=created_at, progress=progress, cache=cache
        )


def _render_packet_pdf(
    *,
    data: PacketData,
    exhibits: list[ExhibitSource],
    meta: PrintMeta,
    created_at: datetime,
    progress: Progress | None,
    cache: PartCache | None,
) -> RenderedPacket:
    report = progress or (lambda state: None)
    report("laying_out")
    started = time.perf_counter()
    layout = _Layout(cache)
    # The exhibits are normalised (normally: read from the cache their upload filled) while the parts are laid out:
    # the parts only need page counts, known since upload. If a count turns out different, the parts are redone.
    with ThreadPoolExecutor(max_workers=2) as pool:
        futures = [pool.submit(normalised_exhibit, source) for source in exhibits]
        known = all(source.pages > 0 for source in exhibits)
        guessed = [PrintExhibit(index=i, source=s, pages=s.pages) for i, s in enumerate(exhibits)]
        parts = layout.parts(print_parts(data, guessed, meta)) if known else None
        normalised = [future.result() for future in futures]
    printed = [
        PrintExhibit(index=i, source=source, pages=_page_count(pdf))
        for i, (source, pdf) in enumerate(zip(exhibits, normalised, strict=True))
    ]
    if parts is None or [exhibit.pages for exhibit in printed] != [exhibit.pages for exhibit in guessed]:
        parts = layout.parts(print_parts(data, printed, meta))
    laid_out_at = time.perf_counter()
    contents, index = _numbered_parts(layout, parts, printed)
    numbered_at = time.perf_counter()
    report("placing_exhibits")
    sources, runs, outline = _packet_order(parts, contents, index, printed, normalised)
    info = DocumentInfo(
        title=document_title(data, meta),
        author=document_author(data),
        subject="Request for parole for significant public benefit",
        created_at=created_at.astimezone(UTC),
    )
    pdf, pages = bundle(sources, runs, outline, final=meta.final, info=info)
    if cache is not None:
        cache.keep_only(layout.used)
    logger.info(
        "rendered %s pages: parts %.3fs (%s laid out, %s cached), numbering %.3fs, bundle %.3fs",
        pages,
        laid_out_at - started,
        layout.laid_out,
        len(layout.used) - layout.laid_out,
        numbered_at - laid_out_at,
        time.perf_counter() - numbered_at,
    )
    return RenderedPacket(pdf=pdf, page_count=pages)


@dataclass(frozen=True)
class _Laid:
    pdf: bytes
    pages: int


class _Layout:
    """Lays out parts through the cache, the ones missing in parallel, and remembers which cache entries it used."""

    def __init__(self, cache: PartCache | None) -> None:
        self.cache = cache
        self.used: set[str] = set()
        self.laid_out = 0

    def parts(self, parts: PrintParts) -> "LaidParts":
        documents = [parts.cover, parts.letter, *parts.sections, parts.checklist]
        if parts.slips is not None:
            documents.append(parts.slips)
        laid = self.all(documents)
        after_sections = 2 + len(parts.sections)
        return LaidParts(
            cover=_part(parts.cover, laid[0]),
            letter=_part(parts.letter, laid[1]),
            sections=[_part(part, done) for part, done in zip(parts.sections, laid[2:after_sections], strict=True)],
            checklist=_part(parts.checklist, laid[after_sections]),
            slips=laid[after_sections + 1] if parts.slips is not None else None,
        )

    def all(self, documents: list[PrintPart]) -> list[_Laid]:
        keys = [PartCache.key(document.html) for document in documents]
        found: dict[int, _Laid] = {}
        if self.cache is not None:
            for number, key in enumerate(keys):
                pdf = self.cache.get(key)
                if pdf is not None:
                    found[number] = _Laid(pdf, _page_count(pdf))
        missing = [number for number in range(len(documents)) if number not in found]
        try:
            fresh = lay_out_many([documents[n].html for n in missing], workers=settings.RENDER_LAYOUT_WORKERS)
        except LayoutError as error:
            raise RenderError(str(error)) from error
        for number, done in zip(missing, fresh, strict=True):
            found[number] = _Laid(done.pdf, done.pages)
            if self.cache is not None:
                self.cache.put(keys[number], done.pdf)
        self.laid_out += len(missing)
        self.used.update(keys)
        return [found[number] for number in range(len(documents))]


@dataclass(frozen=True)
class LaidParts:
    cover: Part
    letter: Part
    sections: list[Part]
    checklist: Part
    slips: _Laid | None


def _part(part: PrintPart, laid: _Laid) -> Part:
    return Part(pdf=laid.pdf, pages=laid.pages, title=part.title, destination=part.destination)


def _numbered_parts(layout: _Layout, parts: LaidParts, exhibits: list[PrintExhibit]) -> tuple[Part, Part]:
    """The contents and the exhibit index, laid out with the packet's real page numbers."""
    if parts.slips is not None and parts.slips.pages != len(exhibits):
        raise RenderError(
            gettext_noop("The slip sheets did not come out one page each; the packet cannot be numbered.")
        )
    assumed = (1, 1)
    for round_number in range(1, 100):
        contents_entries, index_rows = _numbers(parts, exhibits, *assumed)
        contents_document, index_document = contents_part(contents_entries), index_part(index_rows)
        contents, index = layout.all([contents_document, index_document])
        actual = (contents.pages, index.pages)
        if actual == assumed:
            break
        if round_number < FREE_ROUNDS:
            assumed = actual
        elif actual[0] <= assumed[0] and actual[1] <= assumed[1]:
            break  # settled by padding: the numbers assume the longer length, blank pages make it so
        else:
            assumed = (max(actual[0], assumed[0]), max(actual[1], assumed[1]))
    else:  # pragma: no cover - the lengths only grow after FREE_ROUNDS, and both are bounded by their content
        raise RenderError(gettext_noop("The page numbers of the contents did not settle."))
    return (
        Part(pdf=contents.pdf, pages=assumed[0], title="", destination="contents"),
        Part(pdf=index.pdf, pages=assumed[1], title=index_document.title, destination=index_document.destination),
    )


def _numbers(
    parts: LaidParts, exhibits: list[PrintExhibit], contents_pages: int, index_pages: int
) -> tuple[list[ContentsEntry], list[IndexRow]]:
    """The contents entries and index rows, if the contents take ``contents_pages`` and the index ``index_pages``."""
    page = 1 + parts.cover.pages
    entries = [ContentsEntry(parts.letter.title, parts.letter.destination, page, 1)]
    page += parts.letter.pages + contents_pages
    for section in parts.sections:
        entries.append(ContentsEntry(section.title, section.destination, page, 1))
        page += section.pages
    entries.append(ContentsEntry(index_title(), INDEX_DESTINATION, page, 1))
    page += index_pages
    rows = []
    for exhibit in exhibits:
        entries.append(ContentsEntry(exhibit.bookmark, f"exhibit-{exhibit.index}", page, 2))
        rows.append(IndexRow(exhibit=exhibit, first=page, last=page + exhibit.pages))
        page += 1 + exhibit.pages
    entries.append(ContentsEntry(parts.checklist.title, parts.checklist.destination, page, 1))
    return entries, rows


def _packet_order(
    parts: LaidParts, contents: Part, index: Part, exhibits: list[PrintExhibit], normalised: list[bytes]
) -> tuple[list[bytes], list[Run], list[OutlineEntry]]:
    """Every source PDF, the runs of pages in packet order, and the outline (the contents' entries)."""
    sources: list[bytes] = []
    runs: list[Run] = []
    outline: list[OutlineEntry] = []

    def add(part: Part, *, pad_to: int = 0, level: int = 1) -> None:
        sources.append(part.pdf)
        count = _page_count(part.pdf) if pad_to else part.pages
        runs.append(Run(source=len(sources) - 1, first=0, count=count, destination=part.destination, pad_to=pad_to))
        if part.title:
            outline.append(OutlineEntry(part.title, part.destination, level))

    add(parts.cover)
    add(parts.letter)
    add(contents, pad_to=contents.pages)
    for section in parts.sections:
        add(section)
    add(index, pad_to=index.pages)
    if parts.slips is not None:
        sources.append(parts.slips.pdf)
        slips = len(sources) - 1
        for exhibit, pdf in zip(exhibits, normalised, strict=True):
            runs.append(Run(source=slips, first=exhibit.index, count=1, destination=f"exhibit-{exhibit.index}"))
            outline.append(OutlineEntry(exhibit.bookmark, f"exhibit-{exhibit.index}", 2))
            sources.append(pdf)
            runs.append(
                Run(
                    source=len(sources) - 1,
                    first=0,
                    count=exhibit.pages,
                    destination=f"cite-{exhibit.index}",  # citations jump to the first page, not the slip sheet
                    last_destination=f"exhibit-end-{exhibit.index}",
                    exhibit_label=exhibit.label,
                    bookmarks_under=f"exhibit-{exhibit.index}",
                    exhibit_caption=exhibit.source.caption,
                )
            )
    add(parts.checklist)
    return sources, runs, outline


def _page_count(pdf: bytes) -> int:
    with pikepdf.open(io.BytesIO(pdf)) as document:
        return len(document.pages)


def layout(html: str) -> bytes:
    """One document laid out here, with the same rules as every part: for tests and the command line."""
    try:
        return lay_out(html).pdf
    except LayoutError as error:
        raise RenderError(str(error)) from error
