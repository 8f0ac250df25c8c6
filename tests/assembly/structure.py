"""Reading a packet's structure tree back the way assistive technology walks it: from the root, in order."""

import io
from dataclasses import dataclass, field

import pikepdf


@dataclass
class Element:
    tag: str  # "H1", "P", "Figure", …
    page: int | None  # 1-based packet page of its /Pg, None without one
    alt: str
    depth: int
    mcids: list[int] = field(default_factory=list)
    annots: list[tuple[int, int]] = field(default_factory=list)  # (page, index in that page's /Annots) of its OBJRs
    objgen: tuple[int, int] = (0, 0)


@dataclass
class Tree:
    elements: list[Element]  # every element in document order (depth first), the /Document element first
    dangling: list[str]  # every /Pg or /OBJR that is not a packet page or one of its annotations
    parent_tree: dict[int, object]  # /StructParents and /StructParent number → element objgen(s)
    page_struct_parents: list[int | None]  # each page's /StructParents
    page_mcids: list[set[int]]  # each page's marked-content ids in its content stream
    annot_struct_parents: dict[tuple[int, int], int]  # (page, annot index) → its /StructParent

    def tags(self) -> list[str]:
        return [element.tag for element in self.elements]


def structure(pdf: bytes) -> Tree:
    with pikepdf.open(io.BytesIO(pdf)) as document:
        pages = {page.obj.objgen: number for number, page in enumerate(document.pages, start=1)}
        annots = {
            annot.objgen: (number, index)
            for number, page in enumerate(document.pages, start=1)
            for index, annot in enumerate(page.obj.get("/Annots", []))
        }
        elements: list[Element] = []
        dangling: list[str] = []

        def walk(node: pikepdf.Object, depth: int) -> None:
            page = node.get("/Pg")
            if page is not None and page.objgen not in pages:
                dangling.append(f"/Pg of {node.get('/S')}")
            element = Element(
                tag=str(node.S).lstrip("/"),
                page=pages.get(page.objgen) if page is not None else None,
                alt=str(node.get("/Alt", "")),
                depth=depth,
                objgen=node.objgen,
            )
            elements.append(element)
            kids = node.get("/K", pikepdf.Array())
            for kid in kids if isinstance(kids, pikepdf.Array) else [kids]:
                if isinstance(kid, int):
                    element.mcids.append(kid)
                elif kid.get("/Type") == pikepdf.Name.OBJR:
                    if kid.Obj.objgen in annots and kid.Pg.objgen in pages:
                        element.annots.append(annots[kid.Obj.objgen])
                    else:
                        dangling.append(f"/OBJR under {node.get('/S')}")
                elif kid.get("/Type") == pikepdf.Name.MCR:
                    element.mcids.append(int(kid.MCID))
                else:
                    walk(kid, depth + 1)

        root = document.Root.StructTreeRoot
        for top in root.K:
            walk(top, 0)
        parent_tree = {
            number: ([item.objgen if item is not None else None for item in value])
            if isinstance(value, pikepdf.Array)
            else value.objgen
            for number, value in pikepdf.NumberTree(root.ParentTree).items()
        }
        return Tree(
            elements=elements,
            dangling=dangling,
            parent_tree=parent_tree,
            page_struct_parents=[page.obj.get("/StructParents") for page in document.pages],
            page_mcids=[_mcids(page) for page in document.pages],
            annot_struct_parents={
                (number, index): int(annot.StructParent)
                for number, page in enumerate(document.pages, start=1)
                for index, annot in enumerate(page.obj.get("/Annots", []))
                if "/StructParent" in annot
            },
        )


def _mcids(page: pikepdf.Page) -> set[int]:
    found = set()
    for operands, operator in pikepdf.parse_content_stream(page):
        if str(operator) == "BDC" and isinstance(operands[1], pikepdf.Dictionary) and "/MCID" in operands[1]:
            found.add(int(operands[1].MCID))
    return found


def page_content(pdf: bytes, number: int) -> bytes:
    """The content of page ``number`` (1-based), its streams joined."""
    with pikepdf.open(io.BytesIO(pdf)) as document:
        contents = document.pages[number - 1].obj.Contents
        streams = list(contents) if isinstance(contents, pikepdf.Array) else [contents]
        return b"\n".join(stream.read_bytes() for stream in streams)
