"""A plain document of the case (a report, a closing report, a publishable summary) as a PDF: its HTML laid out with
the packet's print rules, every page numbered "Page N of M", a bookmark per section and the document's title and
author set, by the same bundler as the packet. No database access: callers pass the HTML and the sections.

The HTML is a complete print document (``packets/print/document.html`` wraps a body: use ``document_html``); each
section heading carries an ``id``: the outline finds its page by it, and ``<a href="#id">`` links inside the document
stay clickable.
"""

import io
from dataclasses import dataclass
from datetime import UTC, datetime

import pikepdf
from django.template.loader import render_to_string
from django.utils import translation

from packets.assembly.bundle import DocumentInfo, OutlineEntry, Run, bundle
from packets.assembly.layout import LayoutError, lay_out
from packets.assembly.render import RenderedPacket, RenderError


@dataclass(frozen=True)
class Section:
    title: str
    destination: str  # the id of the section's heading in the HTML


def document_html(template: str, context: dict[str, object]) -> str:
    """``template`` rendered (in English: the documents of the case go to the agency and the partners in English) and
    wrapped in the print document."""
    with translation.override("en"):
        return render_to_string("packets/print/document.html", {"body": render_to_string(template, context)})


def document_pdf(
    *, html: str, sections: list[Section], title: str, author: str, subject: str, created_at: datetime, final: bool
) -> RenderedPacket:
    """The laid-out, numbered and bookmarked PDF of ``html``; ``final`` False marks every page DRAFT."""
    try:
        laid = lay_out(html)
    except LayoutError as error:
        raise RenderError(str(error)) from error
    pdf, pages = _bundled(laid.pdf, laid.pages, sections, title, author, subject, created_at, final)
    return RenderedPacket(pdf=pdf, page_count=pages)


def _bundled(
    pdf: bytes,
    pages: int,
    sections: list[Section],
    title: str,
    author: str,
    subject: str,
    created_at: datetime,
    final: bool,
) -> tuple[bytes, int]:
    # A run per page, each named after its page, so an outline entry can open the page its heading is on (two
    # headings may share a page); WeasyPrint's own link annotations come along with their pages.
    anchors = _anchor_pages(pdf)
    runs = [Run(source=0, first=page, count=1, destination=f"page-{page + 1}") for page in range(pages)]
    outline = [
        OutlineEntry(section.title, f"page-{anchors[section.destination] + 1}", 1)
        for section in sections
        if section.destination in anchors
    ]
    info = DocumentInfo(title=title, author=author, subject=subject, created_at=created_at.astimezone(UTC))
    return bundle([pdf], runs, outline, final=final, info=info)


def _anchor_pages(pdf: bytes) -> dict[str, int]:
    """The page (0-based) of each ``id`` WeasyPrint wrote as a named destination."""
    with pikepdf.open(io.BytesIO(pdf)) as document:
        names = document.Root.get("/Names")
        if names is None or "/Dests" not in names:
            return {}
        pages = {page.obj.objgen: index for index, page in enumerate(document.pages)}
        found = {}
        for name, target in pikepdf.NameTree(names.Dests).items():
            if isinstance(target, pikepdf.Array) and len(target) and target[0].objgen in pages:
                found[str(name)] = pages[target[0].objgen]
        return found
