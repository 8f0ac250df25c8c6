"""Exhibit normalisation: every exhibit becomes a PDF of Letter pages with a clear band at the bottom for the stamps.

Uploaded PDF pages are placed as form XObjects, so their text and vectors stay as they are (selectable, searchable),
with what a person added on screen (form fields, signatures, comments) drawn into them first (``markup``); images
are wrapped losslessly with img2pdf. Any page size or rotation is scaled to fit the content box without cropping, on
a portrait sheet, or on a landscape one for a page displayed wider than tall. The file's own bookmarks and links
between its own pages come along (``exhibit_navigation``). The result depends only on the file's bytes, so it is
cached by content hash in the default storage (``cache/exhibits/…``, encrypted like every stored file): re-rendering
after a text edit does not touch the exhibits again, and the cache never holds a readable copy of a passport scan.
The upload fills the cache (the sandboxed child that inspects a file also normalises it); a render normalises only
what it does not find there (an imported packet, a cache emptied by hand).
"""

import hashlib
import io
import logging
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import img2pdf
import pikepdf
from django.conf import settings
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from PIL import Image, ImageOps

from packets.assembly.exhibit_failures import exhibit_failure_message
from packets.assembly.exhibit_navigation import exhibit_navigation_copy
from packets.assembly.images import downsample_images
from packets.assembly.markup import flatten_markup
from packets.content.captions import exhibit_caption
from packets.crypto import DecryptionError
from packets.evidence.sandbox import SandboxFailed, sandbox_run

logger = logging.getLogger(__name__)

LETTER = (612.0, 792.0)
LANDSCAPE_LETTER = (LETTER[1], LETTER[0])
SIDE_MARGIN = 36.0  # 0.5 in
TOP_MARGIN = 36.0
STAMP_BAND = 54.0  # 0.75 in at the bottom stays empty: the stamps sit there


def content_box(sheet: tuple[float, float]) -> tuple[float, float, float, float]:
    """Where an exhibit page may show on a sheet of ``sheet`` (width, height): inside the margins, above the band."""
    return (SIDE_MARGIN, STAMP_BAND, sheet[0] - SIDE_MARGIN, sheet[1] - TOP_MARGIN)


CONTENT_BOX = content_box(LETTER)
# Bump when the normalised output changes, so stale cache entries are never reused.
NORMALISER_VERSION = 4

IMAGE_TYPES = frozenset({"image/jpeg", "image/png"})
EXIF_ORIENTATION = 0x0112


class ExhibitError(Exception):
    """An exhibit that cannot be turned into packet pages; the message names it, ``problem`` says what is wrong in a
    word an upload's refusal has plain words for ("damaged", "no_pages", "no_area")."""

    def __init__(self, message: str, *, problem: str = "damaged", reason: str = "") -> None:
        super().__init__(message)
        self.problem = problem
        self.reason = reason  # plain words from the sandbox when ``problem`` is "limits"


@dataclass(frozen=True)
class ExhibitSource:
    """What the renderer needs to know about one exhibit, independent of the database."""

    id: str
    label: str
    kind: str
    kind_label: str
    title: str
    issuer: str
    issued_on: str  # ISO date or ""
    sha256: str
    content_type: str
    read: Callable[[], bytes]
    pages: int = 0  # as counted at upload; 0 when unknown

    @property
    def caption(self) -> str:
        return exhibit_caption(self.title, self.issuer, self.issued_on)


def cache_dir() -> Path:
    """Where the cache lies on disk with the default file-system storage (tests look there)."""
    return Path(settings.MEDIA_ROOT) / "cache" / "exhibits" / f"v{NORMALISER_VERSION}"


def cache_name(sha256: str) -> str:
    return f"cache/exhibits/v{NORMALISER_VERSION}/{sha256}.pdf"


def normalised_exhibit(source: ExhibitSource) -> bytes:
    """The normalised PDF of ``source``, from the cache or made now (and cached)."""
    name = cache_name(source.sha256)
    cached = _read_cache(name)
    if cached is not None:
        return cached
    try:
        data = source.read()
        if hashlib.sha256(data).hexdigest() != source.sha256:
            raise ExhibitError("the stored file does not match its checksum", problem="changed")
        pdf_bytes = _normalise_in_sandbox(data, source.content_type)
    except (ExhibitError, pikepdf.PdfError, img2pdf.ImageOpenError, OSError, ValueError) as error:
        # The library's text (object numbers, streams) is for whoever runs the site; the person gets plain words.
        logger.warning("exhibit %s (%s) could not be normalised", source.id, source.label, exc_info=True)
        problem = error.problem if isinstance(error, ExhibitError) else "changed"
        reason = error.reason if isinstance(error, ExhibitError) else ""
        message = exhibit_failure_message(
            label=source.label,
            title=source.title,
            content_type=source.content_type,
            problem=problem,
            reason=reason,
        )
        raise ExhibitError(message, problem=problem) from error
    _write_cache(name, pdf_bytes)
    return pdf_bytes


def exhibit_cache_normalised(sha256: str, pdf: bytes) -> None:
    """Keep ``pdf``, the normalised form of the file with ``sha256`` made when it was uploaded, for every render."""
    _write_cache(cache_name(sha256), pdf)


def exhibit_cache_forget(sha256: str) -> None:
    """Delete the normalised form of the file with ``sha256`` (no exhibit holds that file any more)."""
    try:
        default_storage.delete(cache_name(sha256))
    except OSError:
        logger.warning("could not remove the normalised exhibit %s", sha256, exc_info=True)


def _read_cache(name: str) -> bytes | None:
    """A cached entry, or None when there is none or it cannot be read (half-written by a concurrent render, written
    with a retired key): the exhibit is then simply normalised again."""
    try:
        if not default_storage.exists(name):
            return None
        with default_storage.open(name, "rb") as handle:
            data = handle.read()
    except (OSError, ValueError, DecryptionError):
        return None
    return data if data.startswith(b"%PDF-") else None


def _write_cache(name: str, data: bytes) -> None:
    if default_storage.exists(name):
        return  # a concurrent render cached the same content
    try:
        default_storage.save(name, ContentFile(data))
    except OSError:
        logger.warning("could not cache the normalised exhibit %s", name, exc_info=True)


def _normalise_in_sandbox(data: bytes, content_type: str) -> bytes:
    """``normalise`` in a separate process with CPU, memory and time limits: a hostile file fails this exhibit's
    render with a reason, instead of hanging or killing the render worker."""
    try:
        done = sandbox_run("normalise", data=data, args={"content_type": content_type})
    except SandboxFailed as failure:
        raise ExhibitError(str(failure), problem="limits", reason=failure.explanation()) from failure
    if done.output is None:
        problem = done.result.get("problem")
        raise ExhibitError(
            str(done.result.get("error") or "the converter gave no result"),
            problem=problem if isinstance(problem, str) else "damaged",
        )
    return done.output


def normalise(data: bytes, content_type: str) -> bytes:
    """``data`` (a PDF, JPEG or PNG) as a PDF of Letter pages whose content sits inside ``CONTENT_BOX``."""
    if content_type in IMAGE_TYPES:
        data = _image_as_pdf(data)
    elif content_type != "application/pdf":
        raise ExhibitError(f"unsupported file type {content_type}", problem="unsupported")
    with pikepdf.open(io.BytesIO(data)) as source, pikepdf.new() as out:
        if not source.pages:
            raise ExhibitError("the file has no pages", problem="no_pages")
        flatten_markup(source)  # signatures, filled-in fields and comments print as they look on screen
        downsample_images(source)  # a 600-dpi scan is printed at 300 dpi at most
        placements = [_place(out, page) for page in source.pages]
        exhibit_navigation_copy(source, out, placements)
        buffer = io.BytesIO()
        out.save(buffer, deterministic_id=True, compress_streams=True)
    return buffer.getvalue()


def _place(out: pikepdf.Pdf, page: pikepdf.Page) -> list[float]:
    """Append a Letter sheet to ``out`` showing ``page`` as it is displayed, scaled to fit the sheet's content box;
    the placement matrix (from ``page``'s user space to the sheet's) is returned.

    A page displayed wider than tall gets a landscape sheet (792 x 612), not a portrait one with /Rotate: both
    look the same in a viewer, and a print dialog's automatic orientation turns either onto Letter paper at full
    size, but a landscape sheet has no hidden state. Every tool that ignores /Rotate, or handles it on its own
    (a receiving office's Bates or "received" stamp, a print shop's imposition, text extraction and OCR), sees the
    page the way the reviewer does, and puts its own stamp in the bottom band, not up the side of the page."""
    # Our own matrix instead of qpdf's handle_transformations: that one keeps an unrotated /BBox and clips the page.
    form = out.copy_foreign(page.as_form_xobject(handle_transformations=False))
    x0, y0, x1, y1 = (float(value) for value in form.BBox)
    width, height = x1 - x0, y1 - y0
    if width <= 0 or height <= 0:
        raise ExhibitError("a page has no area", problem="no_area")
    rotate = int(page.obj.get("/Rotate", 0)) % 360
    shown_width, shown_height = (height, width) if rotate in (90, 270) else (width, height)
    # The page as displayed: (x, y) -> (a x + c y + e, b x + d y + f), origin at the box's lower-left corner.
    a, b, c, d, e, f = {
        0: (1, 0, 0, 1, 0, 0),
        90: (0, -1, 1, 0, 0, width),
        180: (-1, 0, 0, -1, width, height),
        270: (0, 1, -1, 0, height, 0),
    }[rotate]
    e, f = e - a * x0 - c * y0, f - b * x0 - d * y0
    sheet = LANDSCAPE_LETTER if shown_width > shown_height else LETTER
    box = content_box(sheet)
    box_width, box_height = box[2] - box[0], box[3] - box[1]
    scale = min(box_width / shown_width, box_height / shown_height)
    left = box[0] + (box_width - shown_width * scale) / 2
    bottom = box[1] + (box_height - shown_height * scale) / 2
    matrix = [a * scale, b * scale, c * scale, d * scale, e * scale + left, f * scale + bottom]
    placed = out.add_blank_page(page_size=sheet)
    placed.obj.Resources = pikepdf.Dictionary(XObject=pikepdf.Dictionary(Fx=form))
    numbers = " ".join(f"{value:.5f}" for value in matrix)
    placed.obj.Contents = out.make_stream(f"q {numbers} cm /Fx Do Q".encode())
    return matrix


def _image_as_pdf(data: bytes) -> bytes:
    data, turned = _upright(data)
    with Image.open(io.BytesIO(data)) as image:
        stored_width, stored_height = image.size
    shown_wide = (stored_height > stored_width) if turned else (stored_width > stored_height)
    # A picture wider than tall as displayed is fitted into a landscape sheet's box: ``_place`` then gives it one.
    box = content_box(LANDSCAPE_LETTER if shown_wide else LETTER)
    width, height = box[2] - box[0], box[3] - box[1]
    # The image is fitted into a page the size of the content box, so even a one-pixel-tall scan makes a valid page.
    # img2pdf fits the image as stored and then turns the page by its EXIF orientation (/Rotate): a phone's photo
    # stored on its side is fitted into the box turned on its side too, so that upright it fills the box.
    pagesize = (height, width) if turned else (width, height)
    layout = img2pdf.get_layout_fun(pagesize=pagesize, fit=img2pdf.FitMode.into)
    try:
        return bytes(img2pdf.convert(data, layout_fun=layout, rotation=img2pdf.Rotation.ifvalid))
    except img2pdf.AlphaChannelError:
        # img2pdf keeps images lossless and refuses transparency; flatten onto white, still lossless (PNG).
        with Image.open(io.BytesIO(data)) as image:
            flat = Image.new("RGB", image.size, "white")
            flat.paste(image, mask=image.convert("RGBA").getchannel("A"))
            buffer = io.BytesIO()
            flat.save(buffer, format="PNG", exif=image.getexif())
        return bytes(img2pdf.convert(buffer.getvalue(), layout_fun=layout, rotation=img2pdf.Rotation.ifvalid))


def _upright(data: bytes) -> tuple[bytes, bool]:
    """``data`` as img2pdf can show it upright, and whether it is stored on its side (EXIF orientation 6 or 8).

    Turned by a quarter or half turn, an image stays as it is (lossless: img2pdf turns the page). Mirrored (2, 4, 5,
    7: rare, a front camera's selfie), it is turned and flipped here and stored again, JPEG as JPEG.
    """
    with Image.open(io.BytesIO(data)) as image:
        orientation = image.getexif().get(EXIF_ORIENTATION, 1)
        if orientation in (1, 3, 6, 8) or not isinstance(orientation, int) or not 1 <= orientation <= 8:
            return data, orientation in (6, 8)
        upright = ImageOps.exif_transpose(image)
        buffer = io.BytesIO()
        if image.format == "JPEG":
            upright.save(buffer, format="JPEG", quality=95)
        else:
            upright.save(buffer, format="PNG")
    return buffer.getvalue(), False
