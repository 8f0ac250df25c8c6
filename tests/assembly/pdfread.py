"""Reading a packet PDF back the way a reader would: page text, outline, links and stamps."""

import io
import re
import shutil
import subprocess
from dataclasses import dataclass
from pathlib import Path

import pikepdf
from PIL import Image

from packets.assembly.exhibits import CONTENT_BOX


def page_texts(pdf: bytes) -> list[str]:
    """The text of every page (poppler's pdftotext; pages are separated by form feeds)."""
    command = [tool("pdftotext"), "-enc", "UTF-8", "-", "-"]
    result = subprocess.run(command, input=pdf, capture_output=True, check=True)  # noqa: S603 - our own bytes
    pages = result.stdout.decode("utf-8").split("\f")
    return pages[:-1] if pages and not pages[-1].strip() else pages


def page_image(pdf: bytes, page: int = 1, dpi: int = 30) -> Image.Image:
    """Page ``page`` as poppler draws it at ``dpi`` (annotations included, as a viewer shows them), in RGB."""
    command = [tool("pdftoppm"), "-r", str(dpi), "-f", str(page), "-l", str(page), "-png", "-"]
    result = subprocess.run(command, input=pdf, capture_output=True, check=True)  # noqa: S603 - our own bytes
    return Image.open(io.BytesIO(result.stdout)).convert("RGB")


def on_exhibit_page(
    rect: tuple[float, float, float, float], size: tuple[float, float] = (612.0, 792.0)
) -> tuple[float, float, float, float]:
    """Where a rectangle of a page of ``size`` lands on its exhibit page (scaled to fit the content box, centred)."""
    box_width, box_height = CONTENT_BOX[2] - CONTENT_BOX[0], CONTENT_BOX[3] - CONTENT_BOX[1]
    scale = min(box_width / size[0], box_height / size[1])
    left = CONTENT_BOX[0] + (box_width - size[0] * scale) / 2
    bottom = CONTENT_BOX[1] + (box_height - size[1] * scale) / 2
    return (left + rect[0] * scale, bottom + rect[1] * scale, left + rect[2] * scale, bottom + rect[3] * scale)


def tool(name: str) -> str:
    """The full path of a command-line tool (poppler-utils, qpdf: installed from Debian)."""
    path = shutil.which(name)
    if path is None:
        raise RuntimeError(f"{name} is not installed (Debian packages poppler-utils and qpdf)")
    return path


def squash(text: str) -> str:
    return re.sub(r"\s+", " ", text).strip()


@dataclass(frozen=True)
class Bookmark:
    title: str
    page: int  # 1-based packet page
    level: int


def outline(pdf: bytes) -> list[Bookmark]:
    with pikepdf.open(io.BytesIO(pdf)) as document:
        index = {page.objgen: number + 1 for number, page in enumerate(document.pages)}
        found: list[Bookmark] = []

        def walk(items: list[pikepdf.OutlineItem], level: int) -> None:
            for item in items:
                destination = item.destination
                if isinstance(destination, (str, pikepdf.String)):
                    destination = pikepdf.NameTree(document.Root.Names.Dests)[str(destination)]
                found.append(Bookmark(item.title, index[destination[0].objgen], level))
                walk(item.children, level + 1)

        with document.open_outline() as tree:
            walk(tree.root, 1)
        return found


@dataclass(frozen=True)
class Link:
    page: int  # 1-based page the link is on
    name: str  # the named destination
    target: int  # 1-based page it jumps to


def links(pdf: bytes) -> list[Link]:
    with pikepdf.open(io.BytesIO(pdf)) as document:
        index = {page.objgen: number + 1 for number, page in enumerate(document.pages)}
        dests = pikepdf.NameTree(document.Root.Names.Dests) if "/Names" in document.Root else {}
        found = []
        for number, page in enumerate(document.pages, start=1):
            for annotation in page.obj.get("/Annots", []):
                if annotation.get("/Subtype") != pikepdf.Name.Link:
                    continue
                destination = annotation.get("/Dest")
                if destination is None and "/A" in annotation:
                    destination = annotation.A.get("/D")
                if isinstance(destination, pikepdf.String):
                    name = str(destination)
                    found.append(Link(number, name, index[dests[name][0].objgen]))
        return found


def info(pdf: bytes) -> dict[str, str]:
    with pikepdf.open(io.BytesIO(pdf)) as document:
        return {str(key): str(value) for key, value in document.docinfo.items()}


def page_count(pdf: bytes) -> int:
    with pikepdf.open(io.BytesIO(pdf)) as document:
        return len(document.pages)


def font_names(pdf: bytes) -> set[str]:
    """Base names of every font used on any page or in any form XObject."""
    names: set[str] = set()
    with pikepdf.open(io.BytesIO(pdf)) as document:
        for obj in document.objects:
            if isinstance(obj, pikepdf.Dictionary) and obj.get("/Type") == pikepdf.Name.Font and "/BaseFont" in obj:
                names.add(str(obj.BaseFont))
    return names


def qpdf_check(pdf: bytes, folder: Path) -> subprocess.CompletedProcess[str]:
    """qpdf --check on ``pdf`` (written to ``folder``: qpdf does not read standard input)."""
    path = folder / "checked.pdf"
    path.write_bytes(pdf)
    return subprocess.run([tool("qpdf"), "--check", str(path)], capture_output=True, text=True)  # noqa: S603


def draft_marked_pages(pdf: bytes) -> list[int]:
    """Pages whose stamp overlay carries the DRAFT picture (an image, possibly inside a nested form)."""

    def has_image(xobject: pikepdf.Object, depth: int = 0) -> bool:
        if xobject.get("/Subtype") == pikepdf.Name.Image:
            return True
        inner = xobject.get("/Resources", {}).get("/XObject", {})
        return depth < 3 and any(has_image(child, depth + 1) for child in inner.values())

    marked = []
    with pikepdf.open(io.BytesIO(pdf)) as document:
        for number, page in enumerate(document.pages, start=1):
            stamp = page.obj.Resources.get("/XObject", {}).get("/PWStamp")
            if stamp is not None and has_image(stamp):
                marked.append(number)
    return marked
