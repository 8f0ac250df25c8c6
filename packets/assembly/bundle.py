"""Bundling: the WeasyPrint skeleton plus the normalised exhibits, stamped, linked and bookmarked, as one PDF.

The skeleton has, per exhibit, a slip sheet and an end placeholder page whose CSS page number is already the
exhibit's last packet page. Here the exhibit's pages are inserted before that placeholder and the placeholder takes
the exhibit's last page's content — the page object stays, so every link and bookmark WeasyPrint pointed at it stays
right. Citation destinations are then pointed at each exhibit's first page, and every page gets its stamps.
"""

import io
from dataclasses import dataclass
from datetime import datetime
from typing import Any

import pikepdf

from packets.assembly.stamps import PageStamp, stamps_pdf


class BundleError(Exception):
    """The skeleton does not have the anchors the bundler needs: a bug in the print templates."""


@dataclass(frozen=True)
class PlacedExhibit:
    index: int
    label: str
    pdf: bytes  # the normalised exhibit


@dataclass(frozen=True)
class DocumentInfo:
    title: str
    author: str
    subject: str
    created_at: datetime


def bundle(skeleton: bytes, exhibits: list[PlacedExhibit], *, final: bool, info: DocumentInfo) -> tuple[bytes, int]:
    """The finished packet PDF and its page count."""
    with pikepdf.open(io.BytesIO(skeleton)) as pdf:
        dests = pikepdf.NameTree(pdf.Root.Names.Dests) if exhibits else None
        # WeasyPrint pages share one /Resources dictionary; stamping them as they are would add every page's stamp
        # to every page. Each gets its own (shallow) copy first.
        for page in pdf.pages:
            _own_resources(pdf, page)
        sources = [pikepdf.open(io.BytesIO(exhibit.pdf)) for exhibit in exhibits]
        try:
            ranges = _insert_exhibits(pdf, dests, exhibits, sources) if dests is not None else []
            _stamp(pdf, ranges, final=final)
        finally:
            for source in sources:
                source.close()
        _set_info(pdf, info)
        pdf.Root.PageMode = pikepdf.Name.UseOutlines
        buffer = io.BytesIO()
        pdf.save(buffer, deterministic_id=True, compress_streams=True)
        return buffer.getvalue(), len(pdf.pages)


def _own_resources(pdf: pikepdf.Pdf, page: pikepdf.Page) -> None:
    resources = page.obj.get("/Resources")
    copy = pikepdf.Dictionary(dict(resources.items())) if resources is not None else None
    if copy is None:
        copy = pikepdf.Dictionary()
    xobjects = copy.get("/XObject")
    if xobjects is not None:
        copy.XObject = pikepdf.Dictionary(dict(xobjects.items()))
    page.obj.Resources = copy


def _page_of(dests: pikepdf.NameTree, name: str) -> pikepdf.Object:
    try:
        return dests[name][0]
    except KeyError as error:
        raise BundleError(f"the skeleton has no anchor {name!r}") from error


def _insert_exhibits(
    pdf: pikepdf.Pdf, dests: pikepdf.NameTree, exhibits: list[PlacedExhibit], sources: list[pikepdf.Pdf]
) -> list[tuple[int, int, str]]:
    """Insert every exhibit; return (first packet page index, page count, label) for each."""
    # Work backwards, so inserting an exhibit never moves the pages of the exhibits still to place.
    index_of: dict[Any, int] = {page.objgen: number for number, page in enumerate(pdf.pages)}
    firsts: list[tuple[PlacedExhibit, pikepdf.Object, int]] = []
    for exhibit, source in reversed(list(zip(exhibits, sources, strict=True))):
        end_object = _page_of(dests, f"exhibit-end-{exhibit.index}")
        end = index_of[end_object.objgen]
        placeholder = pdf.pages[end]
        last = source.pages[-1].obj
        placeholder.obj.Contents = pdf.copy_foreign(_indirect(source, last.Contents))
        placeholder.obj.Resources = pdf.copy_foreign(_indirect(source, last.Resources))
        placeholder.obj.MediaBox = pikepdf.Array(last.MediaBox)
        for offset, page in enumerate(source.pages[:-1]):
            pdf.pages.insert(end + offset, page)
        first: pikepdf.Object = pdf.pages[end].obj
        firsts.append((exhibit, first, len(source.pages)))
    index_of = {page.objgen: number for number, page in enumerate(pdf.pages)}
    ranges = []
    for exhibit, first, count in reversed(firsts):
        # Citations jump to the exhibit's first page, not to its slip sheet.
        dests[f"cite-{exhibit.index}"] = pikepdf.Array([first, pikepdf.Name.Fit])
        ranges.append((index_of[first.objgen], count, exhibit.label))
    return ranges


def _indirect(owner: pikepdf.Pdf, value: pikepdf.Object) -> pikepdf.Object:
    return value if value.is_indirect else owner.make_indirect(value)


def _stamp(pdf: pikepdf.Pdf, ranges: list[tuple[int, int, str]], *, final: bool) -> None:
    total = len(pdf.pages)
    exhibit_pages: dict[int, tuple[str, int, int]] = {}
    for first, count, label in ranges:
        for k in range(count):
            exhibit_pages[first + k] = (label, k + 1, count)
    stamps = []
    for number in range(total):
        label, k, count = exhibit_pages.get(number, ("", 0, 0))
        stamps.append(PageStamp(number + 1, total, label, k, count))
    with pikepdf.open(io.BytesIO(stamps_pdf(stamps, final=final))) as stamp_pdf:
        # Our own overlay instead of Page.add_overlay: that one names the resource randomly, and the same packet
        # must give the same bytes. Stamp pages are Letter, like every packet page, so no placement matrix is needed.
        before, after = pdf.make_stream(b"q\n"), pdf.make_stream(b"\nQ q /PWStamp Do Q\n")
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
