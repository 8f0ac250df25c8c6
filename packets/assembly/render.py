"""One render, from content and exhibit files to PDF bytes; no database access, so the command line can use it too."""

import io
import logging
import time
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

import pikepdf
import weasyprint

from packets.assembly.bundle import DocumentInfo, PlacedExhibit, bundle
from packets.assembly.exhibits import ExhibitSource, normalised_exhibit
from packets.assembly.fetcher import BASE_URL, Asset, PacketURLFetcher
from packets.assembly.html import PrintExhibit, PrintMeta, document_author, document_title, packet_html
from packets.schema import PacketData

logger = logging.getLogger(__name__)

PRINT_CSS = Path(__file__).with_name("print.css")

Progress = Callable[[str], None]


class RenderError(Exception):
    """The packet could not be rendered; the message says why in words a user can act on."""


@dataclass(frozen=True)
class RenderedPacket:
    pdf: bytes
    page_count: int


def render_packet_pdf(
    *,
    data: PacketData,
    exhibits: list[ExhibitSource],
    meta: PrintMeta,
    created_at: datetime,
    progress: Progress | None = None,
) -> RenderedPacket:
    """The packet PDF. ``progress`` is told "laying_out" and then "placing_exhibits"."""
    report = progress or (lambda state: None)
    report("laying_out")
    started = time.perf_counter()
    # Exhibits are normalised in sandboxed child processes while WeasyPrint lays out the narrative here: the layout
    # only needs page counts, known since upload. If a count turns out different, the layout is simply redone.
    with ThreadPoolExecutor(max_workers=2) as pool:
        futures = [pool.submit(normalised_exhibit, source) for source in exhibits]
        known = all(source.pages > 0 for source in exhibits)
        guessed = [PrintExhibit(index=i, source=s, pages=s.pages) for i, s in enumerate(exhibits)]
        normalised_at = time.perf_counter()
        html = packet_html(data, guessed, meta) if known else ""
        html_at = time.perf_counter()
        skeleton = layout(html) if known else b""
        normalised_pdfs = [future.result() for future in futures]
    printed = []
    for index, (source, pdf) in enumerate(zip(exhibits, normalised_pdfs, strict=True)):
        with pikepdf.open(io.BytesIO(pdf)) as normalised:
            printed.append((PrintExhibit(index=index, source=source, pages=len(normalised.pages)), pdf))
    if not known or [exhibit.pages for exhibit, _path in printed] != [exhibit.pages for exhibit in guessed]:
        skeleton = layout(packet_html(data, [exhibit for exhibit, _path in printed], meta))
    laid_out_at = time.perf_counter()
    report("placing_exhibits")
    info = DocumentInfo(
        title=document_title(data, meta),
        author=document_author(data),
        subject="Request for parole for significant public benefit",
        created_at=created_at.astimezone(UTC),
    )
    placed = [PlacedExhibit(index=exhibit.index, label=exhibit.label, pdf=pdf) for exhibit, pdf in printed]
    pdf, pages = bundle(skeleton, placed, final=meta.final, info=info)
    logger.info(
        "rendered %s pages: start %.3fs, html %.3fs, layout (exhibits normalised meanwhile) %.3fs, bundle %.3fs",
        pages,
        normalised_at - started,
        html_at - normalised_at,
        laid_out_at - html_at,
        time.perf_counter() - laid_out_at,
    )
    return RenderedPacket(pdf=pdf, page_count=pages)


def layout(html: str) -> bytes:
    """The WeasyPrint skeleton. Anything WeasyPrint could not load is an error here, not a missing piece."""
    fetcher = PacketURLFetcher({BASE_URL + "print.css": Asset(PRINT_CSS.read_bytes(), "text/css")})
    with _weasyprint_problems() as problems:
        pdf = weasyprint.HTML(string=html, base_url=BASE_URL, url_fetcher=fetcher).write_pdf()
    if problems:
        raise RenderError("The layout engine could not load part of the packet: " + "; ".join(problems[:3]))
    if pdf is None:  # write_pdf() without a target always returns the bytes
        raise RenderError("The layout engine produced no PDF.")
    return pdf


class _Collector(logging.Handler):
    def __init__(self) -> None:
        super().__init__(level=logging.WARNING)
        self.problems: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        message = record.getMessage()
        # WeasyPrint only logs a resource it failed to load and carries on without it.
        if message.startswith(("Failed to load", "Error loading")) or record.levelno >= logging.ERROR:
            self.problems.append(message[:300])


@contextmanager
def _weasyprint_problems() -> Iterator[list[str]]:
    logger = logging.getLogger("weasyprint")
    collector = _Collector()
    logger.addHandler(collector)
    try:
        yield collector.problems
    finally:
        logger.removeHandler(collector)
