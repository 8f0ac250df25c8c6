"""The packet as a tagged PDF: one structure tree, in packet order, for the parts WeasyPrint tagged and the exhibits.

WeasyPrint (``pdf_tags=True``) gives every part its own structure tree; pikepdf copies pages from one PDF to another
but not the structure elements that point at them. Here the bundle gets one tree under a /Document element: for
each packet page, in packet order, the elements its part built on that page (WeasyPrint builds the tree page by page,
so every top-level element belongs to one page), copied with their page and link annotation references pointing at
the packet's own pages and annotations; each exhibit page becomes a /Figure whose alternative text is the exhibit's
caption, its placed content wrapped as that figure's marked content. The numbers that tie a page's marked content and
its link annotations to the tree (/StructParents, /StructParent) are given again in packet order, so two parts never
share one, and the parent tree is written anew. Blank padding pages have no content; the page stamps are marked as
artifacts where they are drawn (``bundle._stamp``). Elements are rebuilt rather than copied with ``copy_foreign``:
that one does point /Pg at the page appended from the same source, but follows /P up to the part's own root and
copies its whole tree and parent tree along with any one element.

WeasyPrint gives each inline box inside a link an annotation of its own and tags the inner ones as owned by a /Span;
here every annotation of a link is owned by its /Link element, and is described by where it goes ("Go to page 12")
rather than by WeasyPrint's /Contents, its URI (the bundler has replaced that by a named destination).

Element identifiers (WeasyPrint names table header cells after the object number of their table, which two parts can
share) get their part's number in front, and the tree lists them (/IDTree), so a cell's /Headers find their header.
"""

from collections.abc import Iterator
from dataclasses import dataclass

import pikepdf
from pikepdf import Array, Dictionary, Name, String

LANGUAGE = "en-US"  # the filing language, as the print templates declare it (<html lang>)
PDF_VERSION = "1.7"  # the parts' version: tagged PDF with attributes and /IDTree needs 1.4 or later

ObjGen = tuple[int, int]


@dataclass(frozen=True)
class PageOrigin:
    """Where a packet page comes from: page ``page`` (0-based) of ``sources[source]``."""

    source: int
    page: int
    figure_alt: str = ""  # an exhibit page: it is one figure, described by this text


def exhibit_page_alt(label: str, page: int, pages: int, caption: str) -> str:
    """'Exhibit C, page 2 of 3: Letter of support, Riverton Fire & Rescue, 2026-11-02'."""
    where = f"Exhibit {label}, page {page} of {pages}"
    return f"{where}: {caption}" if caption else where


def tag_packet(pdf: pikepdf.Pdf, sources: list[pikepdf.Pdf], origins: list[PageOrigin | None], *, title: str) -> None:
    """Give ``pdf`` (its pages appended from ``sources`` as ``origins`` say; None: a blank page) one structure tree,
    its language, and its title in the viewer's title bar."""
    tree = _Tree(pdf)
    for page, origin in zip(pdf.pages, origins, strict=True):
        _drop(page.obj, "/StructParents")  # each source's own numbers; given again below
        if origin is None:
            continue
        if origin.figure_alt:
            tree.add_figure(page, origin.figure_alt)
        else:
            tree.add_part_page(page, sources[origin.source], origin)
    tree.finish()
    pdf.Root.MarkInfo = Dictionary(Marked=True)
    pdf.Root.Lang = String(LANGUAGE)
    pdf.Root.ViewerPreferences = Dictionary(DisplayDocTitle=True)
    with pdf.open_metadata(set_pikepdf_as_editor=False, update_docinfo=False) as metadata:
        metadata["dc:title"] = title  # no dates or tool versions here: the same packet gives the same bytes


class _Tree:
    """The packet's structure tree as it is built, page by page."""

    def __init__(self, pdf: pikepdf.Pdf) -> None:
        self.pdf = pdf
        self.root = pdf.make_indirect(Dictionary(Type=Name.StructTreeRoot))
        self.document = pdf.make_indirect(
            Dictionary(Type=Name.StructElem, S=Name.Document, P=self.root, K=Array(), Lang=String(LANGUAGE))
        )
        self.root.K = Array([self.document])
        self.parents: list[pikepdf.Object] = []  # the parent tree: the value of each /StructParents number, in order
        self.ids: dict[str, pikepdf.Object] = {}
        self.role_map: dict[str, pikepdf.Object] = {}
        self.class_map: dict[str, pikepdf.Object] = {}
        self.destinations = _destination_pages(pdf)
        self.read_sources: dict[int, tuple[dict[ObjGen, list[pikepdf.Object]], dict[int, pikepdf.Object]]] = {}

    def add_figure(self, page: pikepdf.Page, alt: str) -> None:
        figure = self.pdf.make_indirect(
            Dictionary(Type=Name.StructElem, S=Name.Figure, P=self.document, Pg=page.obj, K=Array([0]), Alt=String(alt))
        )
        self.document.K.append(figure)
        page.obj.StructParents = self._number(Array([figure]))
        begin = self.pdf.make_stream(b"/Figure <</MCID 0>> BDC\n")
        end = self.pdf.make_stream(b"\nEMC\n")
        page.obj.Contents = Array([begin, *_contents(page), end])

    def add_part_page(self, page: pikepdf.Page, source: pikepdf.Pdf, origin: PageOrigin) -> None:
        source_page = source.pages[origin.page]
        root = source.Root.get("/StructTreeRoot")
        if root is None:  # a part laid out untagged: its page stays without structure
            return
        source_annots = list(source_page.obj.get("/Annots", Array()))
        annots = list(page.obj.get("/Annots", Array()))
        copier = _Copier(
            self.pdf,
            page=(source_page.obj.objgen, page.obj),
            annots={old.objgen: new for old, new in zip(source_annots, annots, strict=True)},
            prefix=f"part{origin.source}-",
            ids=self.ids,
        )
        by_page, parents = self._read_source(origin.source, root)
        for element in by_page.get(source_page.obj.objgen, []):
            self.document.K.append(copier.element(element, parent=self.document))
        mapped = parents.get(int(source_page.obj.get("/StructParents", -1)))
        if mapped is not None:
            page.obj.StructParents = self._number(Array([copier.copied(element) for element in mapped]))
        for annot in annots:
            self._link_annotation(annot, copier.owners.get(annot.objgen))

    def _read_source(
        self, index: int, root: pikepdf.Object
    ) -> tuple[dict[ObjGen, list[pikepdf.Object]], dict[int, pikepdf.Object]]:
        """A part's top elements by the page they are on, and its parent tree: read once per part, not per page
        (a 30-page part would otherwise walk its whole tree 30 times)."""
        if index not in self.read_sources:
            by_page: dict[ObjGen, list[pikepdf.Object]] = {}
            for element in _top_elements(root):
                page = element.get("/Pg")
                if page is not None:
                    by_page.setdefault(page.objgen, []).append(element)
            self.read_sources[index] = (by_page, _numbers(root.get("/ParentTree")))
            self.role_map.update(dict(root.get("/RoleMap", Dictionary()).items()))
            self.class_map.update(dict(root.get("/ClassMap", Dictionary()).items()))
        return self.read_sources[index]

    def finish(self) -> None:
        nums: list[int | pikepdf.Object] = []
        for number, value in enumerate(self.parents):
            nums.extend([number, value])
        self.root.ParentTree = self.pdf.make_indirect(Dictionary(Nums=Array(nums)))
        self.root.ParentTreeNextKey = len(self.parents)
        if self.ids:
            ids = pikepdf.NameTree.new(self.pdf)
            for key, element in sorted(self.ids.items()):
                ids[key] = element
            self.root.IDTree = ids.obj
        if self.role_map:
            self.root.RoleMap = Dictionary({key: _plain(self.pdf, value) for key, value in self.role_map.items()})
        if self.class_map:
            self.root.ClassMap = Dictionary({key: _plain(self.pdf, value) for key, value in self.class_map.items()})
        self.pdf.Root.StructTreeRoot = self.root

    def _link_annotation(self, annot: pikepdf.Object, owner: pikepdf.Object | None) -> None:
        """Point ``annot`` (copied with its page) at ``owner``, the element whose /OBJR names it."""
        _drop(annot, "/StructParent")
        if owner is not None:
            annot.StructParent = self._number(owner)
        if isinstance(annot.get("/Dest"), String) and str(annot.Dest) in self.destinations:
            # WeasyPrint describes a link by its URI (/Contents), which the bundler replaced by a named destination.
            annot.Contents = String(f"Go to page {self.destinations[str(annot.Dest)]}")

    def _number(self, value: pikepdf.Object) -> int:
        self.parents.append(value)
        return len(self.parents) - 1


class _Copier:
    """Copies the structure elements of one source page, their page and annotation references made the packet's."""

    def __init__(
        self,
        pdf: pikepdf.Pdf,
        *,
        page: tuple[ObjGen, pikepdf.Object],
        annots: dict[ObjGen, pikepdf.Object],
        prefix: str,
        ids: dict[str, pikepdf.Object],
    ) -> None:
        self.pdf = pdf
        self.source_page, self.page = page
        self.annots = annots
        self.prefix = prefix
        self.ids = ids
        self.done: dict[ObjGen, pikepdf.Object] = {}
        self.owners: dict[ObjGen, pikepdf.Object] = {}  # packet annotation → the element whose /OBJR names it

    def copied(self, element: pikepdf.Object) -> pikepdf.Object | None:
        """The copy of ``element``, or None if it was not under the page's elements (then nothing points at it)."""
        return self.done.get(element.objgen) if isinstance(element, Dictionary) else None

    def element(
        self, element: pikepdf.Object, *, parent: pikepdf.Object, link: pikepdf.Object | None = None
    ) -> pikepdf.Object:
        """A copy of ``element`` under ``parent``; ``link``: the /Link element it is inside, if any."""
        copy = self.pdf.make_indirect(Dictionary())
        self.done[element.objgen] = copy
        for key, value in element.items():
            if key in ("/P", "/K", "/Pg", "/NS"):  # /NS: WeasyPrint's PDF 2.0 namespace, which a 1.7 file has not
                continue
            copy[key] = _plain(self.pdf, value)
        copy.P = parent
        if "/Pg" in element:
            copy.Pg = self._page(element.Pg)
        if "/ID" in element:
            copy.ID = String(self.prefix + str(element.ID))
            self.ids[str(copy.ID)] = copy
        for attributes in _attribute_dicts(copy.get("/A")):
            if "/Headers" in attributes:
                attributes.Headers = Array([String(self.prefix + str(header)) for header in attributes.Headers])
        if element.get("/S") == Name.Link:
            link = copy
        kids = element.get("/K", Array())
        copy.K = Array()
        for kid in kids if isinstance(kids, Array) else [kids]:
            if not isinstance(kid, Dictionary):
                copy.K.append(kid)  # a marked-content id on the element's page
            elif kid.get("/Type") == Name.OBJR:
                self._annotation(kid, owner=link if link is not None else copy)
            elif kid.get("/Type") == Name.MCR:
                copy.K.append(Dictionary(Type=Name.MCR, MCID=kid.MCID, Pg=self._page(kid.get("/Pg"))))
            else:
                copy.K.append(self.element(kid, parent=copy, link=link))
        return copy

    def _annotation(self, reference: pikepdf.Object, *, owner: pikepdf.Object) -> None:
        # WeasyPrint gives each inline box inside a link its own annotation, and tags the inner ones as owned by
        # a /Span: here every annotation of a link belongs to its /Link element, as PDF/UA asks.
        annot = self.annots[reference.Obj.objgen]
        owner.K.append(Dictionary(Type=Name.OBJR, Obj=annot, Pg=self._page(reference.get("/Pg"))))
        self.owners[annot.objgen] = owner

    def _page(self, page: pikepdf.Object | None) -> pikepdf.Object:
        if page is not None and page.objgen != self.source_page:
            raise ValueError("a structure element of one page points at another page")
        return self.page


def _top_elements(root: pikepdf.Object) -> Iterator[pikepdf.Object]:
    """The elements under the source's /Document element (WeasyPrint's root has one), or under its root."""
    kids = list(root.get("/K", Array()))
    if len(kids) == 1 and isinstance(kids[0], Dictionary) and kids[0].get("/S") == Name.Document:
        kids = list(kids[0].get("/K", Array()))
    yield from (kid for kid in kids if isinstance(kid, Dictionary))


def _destination_pages(pdf: pikepdf.Pdf) -> dict[str, int]:
    """Each named destination's page number (1-based)."""
    names = pdf.Root.get("/Names")
    if names is None or "/Dests" not in names:
        return {}
    numbers = {page.obj.objgen: number for number, page in enumerate(pdf.pages, start=1)}
    return {name: numbers[target[0].objgen] for name, target in pikepdf.NameTree(names.Dests).items()}


def _numbers(tree: pikepdf.Object | None) -> dict[int, pikepdf.Object]:
    return {} if tree is None else dict(pikepdf.NumberTree(tree).items())


def _attribute_dicts(attributes: pikepdf.Object | None) -> list[pikepdf.Object]:
    if isinstance(attributes, Dictionary):
        return [attributes]
    if isinstance(attributes, Array):
        return [item for item in attributes if isinstance(item, Dictionary)]
    return []


def _plain(pdf: pikepdf.Pdf, value: pikepdf.Object) -> pikepdf.Object:
    """``value`` from another PDF as a value of ``pdf``: direct dictionaries and arrays rebuilt, anything indirect
    copied (attributes, alternative text and names are small direct values)."""
    if isinstance(value, pikepdf.Object) and value.is_indirect:
        return pdf.copy_foreign(value)
    if isinstance(value, Dictionary):
        return Dictionary({key: _plain(pdf, item) for key, item in value.items()})
    if isinstance(value, Array):
        return Array([_plain(pdf, item) for item in value])
    return value


def _drop(dictionary: pikepdf.Object, key: str) -> None:
    if key in dictionary:
        del dictionary[key]


def _contents(page: pikepdf.Page) -> list[pikepdf.Object]:
    contents = page.obj.get("/Contents")
    if isinstance(contents, Array):
        return list(contents)
    return [contents] if contents is not None else []
