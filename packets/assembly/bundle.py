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


@dataclass(frozen=True)
class OutlineEntry:
    title: str
    destination: str
    level: int  # 1 or 2 (an exhibit, under the exhibit index)


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
            stamps: list[tuple[str, int, int]] = []  # (exhibit label, k, K) per packet page
            origins: list[PageOrigin | None] = []  # for the structure tree (tagging.py); None: a blank page
            for run in runs:
                start = len(pdf.pages)
                source = opened[run.source]
                for offset in range(run.count):
                    pdf.pages.append(source.pages[run.first + offset])
                    # Pages of one WeasyPrint document share one /Resources dictionary; stamping them as they are
                    # would add every page's stamp to every page. Each gets its own (shallow) copy.
                    _own_resources(pdf.pages[-1])
                    stamps.append((run.exhibit_label, offset + 1, run.count) if run.exhibit_label else ("", 0, 0))
                    origins.append(_origin(run, offset))
                for _blank in range(run.count, run.pad_to):
                    pdf.add_blank_page(page_size=LETTER).obj.Resources = pikepdf.Dictionary()
                    stamps.append(("", 0, 0))
                    origins.append(None)
                if run.destination:
                    destinations[run.destination] = start
                if run.last_destination:
                    destinations[run.last_destination] = start + run.count - 1
            _set_destinations(pdf, destinations)
            _resolve_links(pdf, destinations)
            _set_outline(pdf, outline, destinations)
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
    for page in pdf.pages:
        for annotation in page.obj.get("/Annots", []):
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


def _set_outline(pdf: pikepdf.Pdf, outline: list[OutlineEntry], destinations: dict[str, int]) -> None:
    with pdf.open_outline() as tree:
        parent: pikepdf.OutlineItem | None = None
        for entry in outline:
            item = pikepdf.OutlineItem(entry.title, destinations[entry.destination])
            if entry.level == 2 and parent is not None:
                parent.children.append(item)
            else:
                tree.root.append(item)
                parent = item


def _stamp(pdf: pikepdf.Pdf, exhibit_stamps: list[tuple[str, int, int]], *, final: bool) -> None:
    total = len(pdf.pages)
    stamps = [PageStamp(number + 1, total, label, k, count) for number, (label, k, count) in enumerate(exhibit_stamps)]
    with pikepdf.open(io.BytesIO(stamps_pdf(stamps, final=final))) as stamp_pdf:
        # Our own overlay instead of Page.add_overlay: that one names the resource randomly, and the same packet
        # must give the same bytes. Stamp pages are Letter, like every packet page, so no placement matrix is needed.
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
