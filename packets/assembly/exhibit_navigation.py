"""An exhibit's own navigation, its bookmarks and its links between its own pages, carried into the packet.

``normalise`` (in the sandboxed child) writes both again on the normalised pages: it places page i of the file on
sheet i, so a bookmark or a link that resolves to one of the file's own pages points at the sheet of the same index.
What points nowhere, to another file, or to the web is dropped: inside a filing, a link may only take the reader to
another page of the filing (and an officer's click should never open a site the applicant chose). The bundler reads
the normalised exhibit's bookmarks back and hangs them under the exhibit's entry in the packet outline; its links
come along with its pages.

The source is untrusted: the walk is bounded (entries, depth), cycles end it, and an outline or a link that cannot be
read is left out rather than failing the exhibit.
"""

from collections.abc import Callable
from dataclasses import dataclass

import pikepdf

MAX_BOOKMARKS = 2000
MAX_DEPTH = 8
MAX_TITLE = 300
# Reading a malformed outline or annotation can fail in any of these ways; the entry is then left out.
UNREADABLE = (pikepdf.PdfError, KeyError, IndexError, TypeError, ValueError, AttributeError, RecursionError)


@dataclass(frozen=True)
class Bookmark:
    title: str
    page: int  # 0-based page of the document it was read from
    children: tuple["Bookmark", ...] = ()


PageOf = Callable[[int], int | None]  # a page of the document read -> the page it is in the one written, or None


def exhibit_navigation_copy(source: pikepdf.Pdf, out: pikepdf.Pdf, placements: list[list[float]]) -> None:
    """Give ``out`` (``source``'s pages placed one to one, page i with the matrix ``placements[i]``) the bookmarks
    and the links between its own pages that ``source`` has."""
    resolve = _Resolver(source)
    bookmarks = _bookmarks(source, resolve)
    if bookmarks:
        with out.open_outline() as tree:
            tree.root.extend(outline_items(bookmarks, lambda page: page))
    for page, sheet, matrix in zip(source.pages, out.pages, placements, strict=True):
        annotations = page.obj.get("/Annots")
        if not isinstance(annotations, pikepdf.Array):
            continue  # the fast path: most pages have no annotations
        links = [link for link in (_placed_link(out, item, matrix, resolve) for item in annotations) if link]
        if links:
            sheet.obj.Annots = pikepdf.Array(links)


def exhibit_bookmarks(pdf: pikepdf.Pdf) -> list[Bookmark]:
    """The bookmarks of ``pdf`` (a normalised exhibit), with the pages they open."""
    return _bookmarks(pdf, _Resolver(pdf))


def outline_items(bookmarks: list[Bookmark] | tuple[Bookmark, ...], page_of: PageOf) -> list[pikepdf.OutlineItem]:
    """``bookmarks`` as outline items of the document ``page_of`` maps into; one whose page is not there is left out
    and its children take its place."""
    items = []
    for bookmark in bookmarks:
        children = outline_items(bookmark.children, page_of)
        page = page_of(bookmark.page)
        if page is None:
            items.extend(children)
            continue
        item = pikepdf.OutlineItem(bookmark.title, page)
        item.children.extend(children)
        items.append(item)
    return items


class _Resolver:
    """The 0-based page a destination (explicit, named, or a GoTo action's) opens in its document, or None."""

    def __init__(self, pdf: pikepdf.Pdf) -> None:
        self.pdf = pdf
        self._pages: dict[tuple[int, int], int] | None = None

    def __call__(self, target: object, depth: int = 0) -> int | None:
        try:
            return self._page(target, depth)
        except UNREADABLE:
            return None

    def _page(self, target: object, depth: int) -> int | None:
        if depth > 3:
            return None
        if isinstance(target, pikepdf.Dictionary):
            if target.get("/S") not in (None, pikepdf.Name.GoTo):
                return None  # a web address, another file, a script: nowhere inside the packet
            return self(target.get("/D"), depth + 1)
        if isinstance(target, (pikepdf.String, pikepdf.Name)):
            return self(self._named(target), depth + 1)
        if isinstance(target, pikepdf.Array) and len(target) and isinstance(target[0], pikepdf.Dictionary):
            if self._pages is None:
                self._pages = {page.obj.objgen: number for number, page in enumerate(self.pdf.pages)}
            return self._pages.get(target[0].objgen)
        return None

    def _named(self, name: pikepdf.String | pikepdf.Name) -> object:
        root = self.pdf.Root
        if isinstance(name, pikepdf.Name):
            return root.get("/Dests", pikepdf.Dictionary()).get(str(name))
        tree = root.get("/Names", pikepdf.Dictionary()).get("/Dests")
        return pikepdf.NameTree(tree).get(str(name)) if tree is not None else None


def _bookmarks(pdf: pikepdf.Pdf, resolve: _Resolver) -> list[Bookmark]:
    try:
        outlines = pdf.Root.get("/Outlines")
        if not isinstance(outlines, pikepdf.Dictionary):
            return []
        return _walk(outlines.get("/First"), resolve, depth=1, seen=set(), budget=[MAX_BOOKMARKS])
    except UNREADABLE:
        return []


def _walk(
    item: object, resolve: _Resolver, *, depth: int, seen: set[tuple[int, int]], budget: list[int]
) -> list[Bookmark]:
    """The entries from ``item`` along its /Next chain; one that points nowhere is left out, its children kept."""
    found: list[Bookmark] = []
    while isinstance(item, pikepdf.Dictionary) and item.is_indirect and item.objgen not in seen and budget[0] > 0:
        seen.add(item.objgen)
        budget[0] -= 1
        deeper = depth < MAX_DEPTH
        children = _walk(item.get("/First"), resolve, depth=depth + 1, seen=seen, budget=budget) if deeper else []
        target = item.get("/Dest", item.get("/A"))
        page = resolve(target)
        title = " ".join(str(item.get("/Title", "")).split())[:MAX_TITLE]
        if page is None or not title:
            found.extend(children)
        else:
            found.append(Bookmark(title, page, tuple(children)))
        item = item.get("/Next")
    return found


def _placed_link(
    out: pikepdf.Pdf, annotation: object, matrix: list[float], resolve: _Resolver
) -> pikepdf.Dictionary | None:
    """A new link on the placed sheet for a link annotation that opens a page of the same file, else None."""
    try:
        if not isinstance(annotation, pikepdf.Dictionary) or annotation.get("/Subtype") != pikepdf.Name.Link:
            return None
        page = resolve(annotation.get("/Dest", annotation.get("/A")))
        if page is None:
            return None
        x0, y0, x1, y1 = (float(value) for value in annotation.Rect)
    except UNREADABLE:
        return None
    a, b, c, d, e, f = matrix
    corners = [(a * x + c * y + e, b * x + d * y + f) for x in (x0, x1) for y in (y0, y1)]
    xs, ys = [corner[0] for corner in corners], [corner[1] for corner in corners]
    # A fresh dictionary, not a copy: nothing else of the source's annotation (an action, a script) comes along.
    return out.make_indirect(
        pikepdf.Dictionary(
            Type=pikepdf.Name.Annot,
            Subtype=pikepdf.Name.Link,
            Rect=[round(value, 3) for value in (min(xs), min(ys), max(xs), max(ys))],
            Border=[0, 0, 0],
            Dest=pikepdf.Array([out.pages[page].obj, pikepdf.Name.Fit]),
        )
    )
