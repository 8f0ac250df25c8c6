"""Bundling: laid-out parts and normalised exhibits, in packet order, stamped, linked and bookmarked, as one PDF.

The renderer hands over runs of pages (``Run``: some pages of one source PDF), the named destinations that start or end
them, and the outline. Links between parts arrive as ``packet-link:<destination>`` URI actions (WeasyPrint writes any
link to another document that way); here each becomes a link to the named destination, so it jumps to its page inside
the packet. A link to a destination the packet does not have is a bug in the print templates and stops the render.
"""

import io
from dataclasses import dataclass
from datetime import datetime

import pikepdf

from packets.assembly.exhibit_navigation import exhibit_bookmarks, outline_items
from packets.assembly.exhibits import LETTER
from packets.assembly.stamps import PageStamp, stamps_pdf
from packets.assembly.tagging import PDF_VERSION, PageOrigin, exhibit_page_alt, tag_packet

LINK_PREFIX = "packet-link:"  # the print templates write links between parts with this prefix


class BundleError(Exception):
    """The parts do not fit together (a link to a destination no part has): a bug in the print templates."""


@dataclass(frozen=True)
class Run:
    """``count`` pages of ``sources[source]`` from page ``first`` (0-based), and what the packet says about them."""

    source: int
    first: int
    count: int
    destination: str = ""  # a name for the run's first page
    last_destination: str = ""  # a name for the run's last page
    exhibit_label: str = ""  # exhibit pages carry "Exhibit X, page k of K"
    exhibit_caption: str = ""  # and are figures described by "Exhibit X, page k of K: <caption>"
    pad_to: int = 0  # blank pages follow until the run has this many (see render.py: contents that settled short)
    bookmarks_under: str = ""  # the source's own bookmarks go under the outline entry with this destination


_Stamp = tuple[str, int, int, tuple[float, float]]  # what a page's stamp says beyond its number, and its sheet size


@dataclass(frozen=True)
class OutlineEntry:
    title: str
    destination: str
    level: int  # 1, or 2 (an exhibit, under the exhibit index): an entry goes under the latest one a level up


@dataclass(frozen=True)
class DocumentInfo:
    title: str
    author: str
    subject: str
    created_at: datetime


def bundle(
    sources: list[bytes], runs: list[Run], outline: list[OutlineEntry], *, final: bool, info: DocumentInfo
) -> tuple[bytes, int]:
    """The finished packet PDF and its page count."""
    opened = [pikepdf.open(io.BytesIO(source)) for source in sources]
    try:
        with pikepdf.new() as pdf:
            destinations: dict[str, int] = {}
            stamps: list[_Stamp] = []  # (exhibit label, k, K, sheet) per packet page
            own_bookmarks: dict[str, list[pikepdf.OutlineItem]] = {}  # an exhibit's, by its entry's destination
            origins: list[PageOrigin | None] = []  # for the structure tree (tagging.py); None: a blank page
            for run in runs:
                start = len(pdf.pages)
                source = opened[run.source]
                for offset in range(run.count):
                    pdf.pages.append(source.pages[run.first + offset])
                    # Pages of one WeasyPrint document share one /Resources dictionary; stamping them as they are
                    # would add every page's stamp to every page. Each gets its own (shallow) copy.
                    _own_resources(pdf.pages[-1])
                    if run.exhibit_label:  # only an exhibit page may be a landscape sheet
                        stamps.append((run.exhibit_label, offset + 1, run.count, _sheet(pdf.pages[-1])))
                    else:  # the parts are laid out on portrait Letter
                        stamps.append(("", 0, 0, LETTER))
                    origins.append(_origin(run, offset))
                for _blank in range(run.count, run.pad_to):
                    pdf.add_blank_page(page_size=LETTER).obj.Resources = pikepdf.Dictionary()
                    stamps.append(("", 0, 0, LETTER))
                    origins.append(None)
                if run.destination:
                    destinations[run.destination] = start
                if run.last_destination:
                    destinations[run.last_destination] = start + run.count - 1
                if run.bookmarks_under:
                    own_bookmarks[run.bookmarks_under] = _run_bookmarks(source, run, start)
            _set_destinations(pdf, destinations)
            _resolve_links(pdf, destinations)
            _set_outline(pdf, outline, destinations, own_bookmarks)
            tag_packet(pdf, opened, origins, title=info.title)  # before the stamps: they are no part of the tree
            _stamp(pdf, stamps, final=final)
            _set_info(pdf, info)
            pdf.Root.PageMode = pikepdf.Name.UseOutlines
            buffer = io.BytesIO()
            # Object streams: the structure tree is thousands of small objects (the demo packet: 854 KB without, 524 KB
            # with; 581 KB before it was tagged).
            pdf.save(
                buffer,
                deterministic_id=True,
                compress_streams=True,
                min_version=PDF_VERSION,
                object_stream_mode=pikepdf.ObjectStreamMode.generate,
            )
            return buffer.getvalue(), len(pdf.pages)
    finally:
        for source in opened:
            source.close()


def _origin(run: Run, offset: int) -> PageOrigin:
    if not run.exhibit_label:
        return PageOrigin(run.source, run.first + offset)
    alt = exhibit_page_alt(run.exhibit_label, offset + 1, run.count, run.exhibit_caption)
    return PageOrigin(run.source, run.first + offset, figure_alt=alt)


def _own_resources(page: pikepdf.Page) -> None:
    resources = page.obj.get("/Resources")
    copy = pikepdf.Dictionary(dict(resources.items())) if resources is not None else pikepdf.Dictionary()
    xobjects = copy.get("/XObject")
    if xobjects is not None:
        copy.XObject = pikepdf.Dictionary(dict(xobjects.items()))
    page.obj.Resources = copy


def _set_destinations(pdf: pikepdf.Pdf, destinations: dict[str, int]) -> None:
    if not destinations:
        return
    pdf.Root.Names = pikepdf.Dictionary()
    tree = pikepdf.NameTree.new(pdf)
    for name, page in sorted(destinations.items()):
        tree[name] = pikepdf.Array([pdf.pages[page].obj, pikepdf.Name.Fit])
    pdf.Root.Names.Dests = tree.obj


def _resolve_links(pdf: pikepdf.Pdf, destinations: dict[str, int]) -> None:
    in_packet = {page.obj.objgen for page in pdf.pages}
    for page in pdf.pages:
        annotations = page.obj.get("/Annots")
        if annotations is None:
            continue
        # A link to a page of its own document came along with that page (qpdf maps the reference); one whose page
        # did not come along would open nothing in the packet, so it goes.
        kept = [annotation for annotation in annotations if _lands_in(annotation, in_packet)]
        if len(kept) < len(annotations):
            page.obj.Annots = pikepdf.Array(kept)
        for annotation in kept:
            action = annotation.get("/A")
            if action is None or action.get("/S") != pikepdf.Name.URI:
                continue
            uri = str(action.URI)
            if not uri.startswith(LINK_PREFIX):
                continue
            name = uri.removeprefix(LINK_PREFIX)
            if name not in destinations:
                raise BundleError(f"a link points to {name!r}, which no part of the packet has")
            del annotation["/A"]
            annotation.Dest = pikepdf.String(name)


def _lands_in(annotation: pikepdf.Object, in_packet: set[tuple[int, int]]) -> bool:
    destination = annotation.get("/Dest")
    if not isinstance(destination, pikepdf.Array) or not len(destination):
        return True  # a named destination or an action: checked (or rewritten) by its own rule
    return isinstance(destination[0], pikepdf.Dictionary) and destination[0].objgen in in_packet


def _run_bookmarks(source: pikepdf.Pdf, run: Run, start: int) -> list[pikepdf.OutlineItem]:
    """The bookmarks of ``run``'s source that open one of its pages, pointing at that page in the packet."""

    def page_of(page: int) -> int | None:
        return start + page - run.first if run.first <= page < run.first + run.count else None

    return outline_items(exhibit_bookmarks(source), page_of)


def _set_outline(
    pdf: pikepdf.Pdf,
    outline: list[OutlineEntry],
    destinations: dict[str, int],
    own_bookmarks: dict[str, list[pikepdf.OutlineItem]],
) -> None:
    with pdf.open_outline() as tree:
        parents: list[pikepdf.OutlineItem] = []  # the latest entry of each level above
        for entry in outline:
            item = pikepdf.OutlineItem(entry.title, destinations[entry.destination])
            children = own_bookmarks.get(entry.destination)
            if children:
                item.children.extend(children)
                item.is_closed = True  # a packet of many exhibits keeps a short outline until one is opened
            del parents[entry.level - 1 :]
            (parents[-1].children if parents else tree.root).append(item)
            parents.append(item)


def _stamp(pdf: pikepdf.Pdf, exhibit_stamps: list[_Stamp], *, final: bool) -> None:
    total = len(pdf.pages)
    stamps = [PageStamp(number + 1, total, *stamp) for number, stamp in enumerate(exhibit_stamps)]
    with pikepdf.open(io.BytesIO(stamps_pdf(stamps, final=final))) as stamp_pdf:
        # Our own overlay instead of Page.add_overlay: that one names the resource randomly, and the same packet
        # must give the same bytes. Each stamp page has its packet page's size (portrait or landscape Letter, never
        # /Rotate: see exhibits._place), so no placement matrix is needed. The stamps are no part of the structure tree.
        before, after = pdf.make_stream(b"q\n"), pdf.make_stream(b"\nQ /Artifact BMC q /PWStamp Do Q EMC\n")
        for page, stamp in zip(pdf.pages, stamp_pdf.pages, strict=True):
            form = pdf.copy_foreign(stamp.as_form_xobject())
            resources = page.obj.Resources
            if "/XObject" not in resources:
                resources.XObject = pikepdf.Dictionary()
            resources.XObject.PWStamp = form
            contents = page.obj.get("/Contents")
            if isinstance(contents, pikepdf.Array):
                parts = list(contents)
            else:
                parts = [contents] if contents is not None else []
            page.obj.Contents = pikepdf.Array([before, *parts, after])


def _sheet(page: pikepdf.Page) -> tuple[float, float]:
    x0, y0, x1, y1 = page.obj.MediaBox  # normalised exhibit pages carry their own, uninherited
    return (float(x1) - float(x0), float(y1) - float(y0))


def _set_info(pdf: pikepdf.Pdf, info: DocumentInfo) -> None:
    stamp = info.created_at.strftime("D:%Y%m%d%H%M%S+00'00'")
    pdf.docinfo = pdf.make_indirect(
        pikepdf.Dictionary(
            Title=info.title,
            Author=info.author,
            Subject=info.subject,
            Creator="Parole Wizard",
            Producer="Parole Wizard (WeasyPrint, pikepdf, reportlab)",
            CreationDate=stamp,
            ModDate=stamp,
        )
    )
