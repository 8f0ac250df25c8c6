"""Splitting a packet PDF into numbered files under an upload limit, for online filing; no database access.

The packet is cut only between its parts — the cover, the cover letter, the contents, each narrative section, the
exhibit index, each exhibit behind its slip sheet, the filing checklist — which are read back from the PDF itself:
the outline ``bundle.py`` writes (level 1: the parts, level 2: the exhibits under the index) gives their titles and
first pages, and its named destinations say which part is which (the contents, which has no outline entry, included).
Consecutive parts share a file while it stays under the limit; an exhibit (or any part) larger than the limit is cut
between pages into "(part 1 of 2)", "(part 2 of 2)", each alone in its file. Pages are copied as they are, so each
keeps its packet stamps ("Page N of M", "Exhibit X, page k of K"). A link to a page in another file is removed (the
stamps and citations still name the page); a link inside the file is kept. Each file gets its own outline.

Sizes are those of the bytes written: a group is written to know whether it fits. A single page over the limit cannot
be split and is refused, by name.
"""

import io
import re
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass, replace
from typing import Any

import pikepdf
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from packets.assembly.html import INDEX_DESTINATION

# The named destinations bundle.py writes for the parts that are not narrative sections (see render._packet_order).
_KIND_BY_DESTINATION = {
    "cover-letter": "letter",
    "contents": "contents",
    INDEX_DESTINATION: "index",
    "filing-checklist": "checklist",
}
_EXHIBIT_BOOKMARK = re.compile(r"^Exhibit (?P<label>[A-Z]+) — (?P<title>.*)$")
# Retries with a smaller budget when a file written with its final titles came out over the limit (the packing wrote
# it with provisional ones): each retry splits more.
_BUDGETS = (1.0, 0.98, 0.9, 0.75)
_NAME_MAX = 90


class SplitError(Exception):
    """The packet cannot be split under the limit; the message says which page and why, translated when it is read
    (the split itself runs in English, the packet's language; the person reading the message may not)."""

    def __init__(self, message: str, **values: object) -> None:
        super().__init__(message, values)
        self.message, self.values = message, values

    def __str__(self) -> str:
        return _(self.message) % self.values if self.values else _(self.message)


@dataclass(frozen=True)
class PacketPart:
    """One part of the packet: ``count`` pages from packet page ``first`` (0-based)."""

    kind: str  # cover, letter, contents, section, index, exhibit, checklist
    title: str
    first: int
    count: int
    label: str = ""  # an exhibit's letter
    short_title: str = ""  # an exhibit's own title, without "Exhibit X — "


@dataclass(frozen=True)
class Piece:
    """A part, or when it had to be cut, ``count`` of its pages from packet page ``first``: piece ``number`` of
    ``total``."""

    part: PacketPart
    first: int
    count: int
    number: int = 0
    total: int = 0

    @property
    def title(self) -> str:
        if self.total > 1:
            return _("%(title)s (part %(number)s of %(total)s)") % {
                "title": self.part.title,
                "number": self.number,
                "total": self.total,
            }
        return self.part.title

    @property
    def cut(self) -> bool:
        return self.count != self.part.count


@dataclass(frozen=True)
class OnlineFile:
    name: str
    pdf: bytes
    pieces: list[Piece]

    @property
    def first_page(self) -> int:  # 1-based packet page
        return self.pieces[0].first + 1

    @property
    def last_page(self) -> int:
        return self.pieces[-1].first + self.pieces[-1].count


def split_packet_pdf(pdf: bytes, *, limit: int) -> list[OnlineFile]:
    """The packet as numbered files of at most ``limit`` bytes each, in packet order."""
    with pikepdf.open(io.BytesIO(pdf)) as source:
        parts = packet_parts(source)
        writer = _Writer(source)
        for share in _BUDGETS:
            groups = _numbered(_pack(parts, writer, budget=int(limit * share), limit=limit))
            width = max(2, len(str(len(groups))))
            files = [
                OnlineFile(name=_file_name(number, width, group), pdf=writer.write(group), pieces=group)
                for number, group in enumerate(groups, start=1)
            ]
            if all(len(file.pdf) <= limit for file in files):
                return files
    raise SplitError(gettext_noop("The packet could not be split under the limit; try a larger limit."))


def packet_parts(source: pikepdf.Pdf) -> list[PacketPart]:
    """The packet's parts in page order, from its outline and named destinations."""
    pages = _page_numbers(source)
    kinds_at = {
        page: _KIND_BY_DESTINATION[name] for name, page in _named_pages(source).items() if name in _KIND_BY_DESTINATION
    }
    starts: list[tuple[int, str, str]] = [(0, "cover", _("Cover"))]  # (page, kind, title)
    with source.open_outline() as outline:
        for item in outline.root:
            page = _page_of(item, pages)
            starts.append((page, kinds_at.get(page, "section"), item.title))
            starts.extend((_page_of(child, pages), "exhibit", child.title) for child in item.children)
    starts.extend((page, kind, _("Contents")) for page, kind in kinds_at.items() if kind == "contents")
    starts.sort(key=lambda start: start[0])
    parts = []
    for (page, kind, title), following in zip(starts, [*starts[1:], (len(source.pages), "", "")], strict=True):
        if following[0] <= page:
            continue  # two entries on one page (a packet with no cover page): the later one names it
        match = _EXHIBIT_BOOKMARK.match(title) if kind == "exhibit" else None
        parts.append(
            PacketPart(
                kind=kind,
                title=title,
                first=page,
                count=following[0] - page,
                label=match["label"] if match else "",
                short_title=match["title"] if match else "",
            )
        )
    return parts


def _page_numbers(pdf: pikepdf.Pdf) -> dict[tuple[int, int], int]:
    return {page.obj.objgen: number for number, page in enumerate(pdf.pages)}


def _named_pages(pdf: pikepdf.Pdf) -> dict[str, int]:
    """Each named destination's 0-based page."""
    if "/Names" not in pdf.Root or "/Dests" not in pdf.Root.Names:
        return {}
    pages = _page_numbers(pdf)
    return {name: pages[target[0].objgen] for name, target in pikepdf.NameTree(pdf.Root.Names.Dests).items()}


def _page_of(item: pikepdf.OutlineItem, pages: dict[tuple[int, int], int]) -> int:
    destination: Any = item.destination
    if destination is None and item.action is not None:
        destination = item.action.get("/D")  # a GoTo action instead of a destination
    return pages[destination[0].objgen]


class _Writer:
    """Writes groups of pieces as PDF files (remembering each size, since packing asks again)."""

    def __init__(self, source: pikepdf.Pdf) -> None:
        self.source = source
        self.sizes: dict[tuple[tuple[int, int, str], ...], int] = {}
        self.pages = _page_numbers(source)
        self.named = _named_pages(source)

    def size(self, pieces: list[Piece]) -> int:
        key = tuple((piece.first, piece.count, piece.title) for piece in pieces)
        if key not in self.sizes:
            self.sizes[key] = len(self.write(pieces))
        return self.sizes[key]

    def write(self, pieces: list[Piece]) -> bytes:
        numbers = [number for piece in pieces for number in range(piece.first, piece.first + piece.count)]
        with pikepdf.new() as pdf:
            for number in numbers:
                pdf.pages.append(self.source.pages[number])
            here = {packet_page: position for position, packet_page in enumerate(numbers)}
            for page in pdf.pages:
                self._relink(pdf, page, here)
            self._outline(pdf, pieces, here)
            self._info(pdf, numbers)
            pdf.Root.PageMode = pikepdf.Name.UseOutlines
            buffer = io.BytesIO()
            pdf.save(buffer, deterministic_id=True, compress_streams=True)
            return buffer.getvalue()

    def _relink(self, pdf: pikepdf.Pdf, page: pikepdf.Page, here: dict[int, int]) -> None:
        """Links to a page of this file point at it; links to a page in another file are removed."""
        if "/Annots" not in page.obj:
            return
        kept = []
        for annotation in page.obj.Annots:
            destination = annotation.get("/Dest")
            if destination is None:
                kept.append(annotation)  # a web link, or no link at all
                continue
            target = self._target(destination)
            if target in here:
                annotation.Dest = pikepdf.Array([pdf.pages[here[target]].obj, pikepdf.Name.Fit])
                kept.append(annotation)
        page.obj.Annots = pikepdf.Array(kept)

    def _target(self, destination: pikepdf.Object) -> int | None:
        if isinstance(destination, pikepdf.String):
            return self.named.get(str(destination))
        if isinstance(destination, pikepdf.Array) and len(destination) > 0:
            return self.pages.get(destination[0].objgen)
        return None

    def _outline(self, pdf: pikepdf.Pdf, pieces: list[Piece], here: dict[int, int]) -> None:
        with pdf.open_outline() as tree:
            index: pikepdf.OutlineItem | None = None
            for piece in pieces:
                item = pikepdf.OutlineItem(piece.title, here[piece.first])
                if piece.part.kind == "exhibit" and index is not None:
                    index.children.append(item)
                else:
                    tree.root.append(item)
                index = item if piece.part.kind == "index" else index

    def _info(self, pdf: pikepdf.Pdf, numbers: list[int]) -> None:
        info = {str(key): value for key, value in self.source.docinfo.items()}
        title = str(info.get("/Title", ""))
        info["/Title"] = pikepdf.String(
            _("%(title)s, packet pages %(first)s–%(last)s")
            % {"title": title, "first": numbers[0] + 1, "last": numbers[-1] + 1}
        )
        pdf.docinfo = pdf.make_indirect(pikepdf.Dictionary(info))


def _pack(parts: list[PacketPart], writer: _Writer, *, budget: int, limit: int) -> list[list[Piece]]:
    """Consecutive pieces grouped greedily, each group written under ``budget`` bytes; cut parts alone."""
    queue = [Piece(part=part, first=part.first, count=part.count) for part in parts]
    groups: list[list[Piece]] = []
    start = 0
    while start < len(queue):
        head = queue[start]
        if writer.size([head]) > budget:
            queue[start : start + 1] = _cut(head, writer, budget=budget, limit=limit)
            end = start + 1
        elif head.cut:
            end = start + 1  # the rest of a cut part: alone, like its other pieces
        else:
            end = start + _fitting(queue[start:], writer, budget=budget)
        groups.append(queue[start:end])
        start = end
    return groups


def _fitting(pieces: list[Piece], writer: _Writer, *, budget: int) -> int:
    """How many of ``pieces``, from the first, fit in one file (the first always does), up to a cut part."""
    whole = next((number for number, piece in enumerate(pieces) if piece.cut), len(pieces))
    return _largest(1, whole, lambda count: writer.size(pieces[:count]) <= budget)


def _cut(piece: Piece, writer: _Writer, *, budget: int, limit: int) -> list[Piece]:
    """``piece`` as its largest first pages that fit in a file, and the rest."""
    fitting = _largest(1, piece.count - 1, lambda count: writer.size([_head(piece, count)]) <= budget)
    if fitting == 0:
        raise SplitError(
            gettext_noop(
                "Packet page %(page)s (%(part)s) is %(size)s on its own, more than the limit of %(limit)s. "
                "A page cannot be split: choose a larger limit, or replace that exhibit with a smaller scan."
            ),
            page=piece.first + 1,
            part=piece.part.title,
            size=megabytes(writer.size([_head(piece, 1)])),
            limit=megabytes(limit),
        )
    return [_head(piece, fitting), replace(piece, first=piece.first + fitting, count=piece.count - fitting)]


def _head(piece: Piece, count: int) -> Piece:
    return replace(piece, count=count)


def _largest(low: int, high: int, fits: Callable[[int], bool]) -> int:
    """The largest n in [low, high] that fits (sizes grow with n), or low - 1 if none does."""
    best = low - 1
    while low <= high:
        middle = (low + high) // 2
        if fits(middle):
            best, low = middle, middle + 1
        else:
            high = middle - 1
    return best


def _numbered(groups: list[list[Piece]]) -> list[list[Piece]]:
    """Pieces of a cut part numbered "part k of K"."""
    totals: dict[int, int] = {}
    for group in groups:
        for piece in group:
            totals[piece.part.first] = totals.get(piece.part.first, 0) + 1
    seen: dict[int, int] = {}
    numbered = []
    for group in groups:
        pieces = []
        for piece in group:
            seen[piece.part.first] = seen.get(piece.part.first, 0) + 1
            total = totals[piece.part.first]
            pieces.append(replace(piece, number=seen[piece.part.first], total=total) if total > 1 else piece)
        numbered.append(pieces)
    return numbered


def _file_name(number: int, width: int, pieces: list[Piece]) -> str:
    """``01-cover-contents-narrative.pdf``, ``02-exhibit-A-passport.pdf``: ASCII, in packet order."""
    words: list[str] = []
    exhibits = [piece for piece in pieces if piece.part.kind == "exhibit"]
    for piece in pieces:
        kind = piece.part.kind
        if kind == "exhibit":
            word = _exhibits_word(exhibits)
        else:
            word = {"letter": "cover", "section": "narrative", "index": "exhibit-index"}.get(kind, kind)
        if word not in words:
            words.append(word)
    stem = "-".join(words)
    if len(stem) > _NAME_MAX:
        stem = stem[:_NAME_MAX].rsplit("-", 1)[0]
    return f"{number:0{width}d}-{stem}.pdf"


def _exhibits_word(exhibits: list[Piece]) -> str:
    first, last = exhibits[0], exhibits[-1]
    if first.part is not last.part:
        return f"exhibits-{first.part.label}-{last.part.label}"
    word = "-".join(filter(None, ["exhibit", first.part.label, _slug(first.part.short_title)]))
    return f"{word}-part-{first.number}-of-{first.total}" if first.total > 1 else word


def _slug(text: str, limit: int = 40) -> str:
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii")
    slug = re.sub(r"[^a-z0-9]+", "-", ascii_text.lower()).strip("-")
    return slug[:limit].rsplit("-", 1)[0] if len(slug) > limit else slug


def megabytes(size: float) -> str:
    """A size in megabytes (10**6 bytes, as upload limits count them), e.g. "1.3 MB"."""
    return _("%(size)s MB") % {"size": f"{size / 1_000_000:.3g}"}
