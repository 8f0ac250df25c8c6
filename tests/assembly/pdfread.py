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
    name: str  # the named destination ("" for a link straight to a page)
    target: int  # 1-based page it jumps to
    rect: tuple[float, ...] = ()


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
                rect = tuple(float(value) for value in annotation.Rect)
                if isinstance(destination, pikepdf.String):
                    name = str(destination)
                    found.append(Link(number, name, index[dests[name][0].objgen], rect))
                elif isinstance(destination, pikepdf.Array):
                    found.append(Link(number, "", index[destination[0].objgen], rect))
        return found


def web_links(pdf: bytes) -> list[str]:
    """The address of every link that leaves the document."""
    with pikepdf.open(io.BytesIO(pdf)) as document:
        return [
            str(annotation.A.get("/URI", annotation.A.get("/F", "")))
            for page in document.pages
            for annotation in page.obj.get("/Annots", [])
            if "/A" in annotation and annotation.A.get("/S") != pikepdf.Name.GoTo
        ]


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


@dataclass(frozen=True)
class Placed:
    page: int  # 1-based packet page
    sheet: tuple[float, float]  # the page's width and height
    box: tuple[float, float, float, float]  # where the exhibit page's content lands (llx, lly, urx, ury)
    scale: float  # how much the exhibit page was scaled


def placed_pages(pdf: bytes) -> list[Placed]:
    """Every packet page showing an exhibit page, read from its placement matrix."""
    found = []
    with pikepdf.open(io.BytesIO(pdf)) as document:
        for number, page in enumerate(document.pages, start=1):
            xobjects = page.obj.Resources.get("/XObject", {})
            if "/Fx" not in xobjects:
                continue
            x0, y0, x1, y1 = (float(v) for v in xobjects.Fx.BBox)
            matrix: list[float] = []
            for operands, operator in pikepdf.parse_content_stream(page):
                if str(operator) == "cm":
                    matrix = [float(v) for v in operands]
                if str(operator) == "Do" and str(operands[0]) == "/Fx":
                    break
            a, b, c, d, e, f = matrix
            corners = [(a * x + c * y + e, b * x + d * y + f) for x in (x0, x1) for y in (y0, y1)]
            xs, ys = [p[0] for p in corners], [p[1] for p in corners]
            mx0, my0, mx1, my1 = (float(v) for v in page.mediabox)
            box = (min(xs), min(ys), max(xs), max(ys))
            found.append(Placed(number, (mx1 - mx0, my1 - my0), box, (a * a + b * b) ** 0.5))
    return found


def pdffonts(pdf: bytes, folder: Path) -> dict[str, bool]:
    """Every font poppler's pdffonts lists, and whether it is embedded."""
    path = folder / "fonts.pdf"
    path.write_bytes(pdf)
    result = subprocess.run([tool("pdffonts"), str(path)], capture_output=True, text=True, check=True)  # noqa: S603
    fonts = {}
    for line in result.stdout.splitlines()[2:]:
        # name, type (may hold spaces), encoding, emb, sub, uni, object id, generation
        fields = line.split()
        fonts[fields[0]] = fields[-5] == "yes"
    return fonts


@dataclass(frozen=True)
class Word:
    text: str
    x_min: float
    y_min: float
    x_max: float
    y_max: float


def page_words(pdf: bytes, page: int) -> tuple[tuple[float, float], list[Word]]:
    """The size of ``page`` (1-based) as displayed and its words with their boxes (top-left origin, as displayed)."""
    command = [tool("pdftotext"), "-bbox", "-f", str(page), "-l", str(page), "-", "-"]
    result = subprocess.run(command, input=pdf, capture_output=True, check=True)  # noqa: S603 - our own bytes
    html = result.stdout.decode("utf-8")
    size = re.search(r'<page width="([\d.]+)" height="([\d.]+)"', html)
    assert size is not None
    words = [
        Word(text, float(x0), float(y0), float(x1), float(y1))
        for x0, y0, x1, y1, text in re.findall(
            r'<word xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" yMax="([\d.]+)">([^<]*)</word>', html
        )
    ]
    return (float(size[1]), float(size[2])), words


def reddish_pixels(pdf: bytes, page: int) -> int:
    """How many pixels of ``page`` are clearly red (the draft mark is the only red on a packet page)."""
    pixels = page_image(pdf, page, dpi=20).tobytes()
    return sum(1 for i in range(0, len(pixels), 3) if pixels[i] > pixels[i + 1] + 25 and pixels[i] > pixels[i + 2] + 25)
