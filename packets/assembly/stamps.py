"""Page stamps drawn with reportlab: one small stamp page per packet page, overlaid later by the bundler.

Drawing stamps here instead of in WeasyPrint costs a fraction of a millisecond a page; they sit in the bottom band that
exhibit normalisation keeps empty and below the narrative's bottom margin. Each stamp page has its packet page's size,
portrait or landscape (a landscape exhibit page is a landscape sheet), so the stamps sit in the bottom band of the
sheet as it is displayed and read the right way up.

The stamps are set in the body's family (print.css: Noto Serif, else DejaVu Serif), embedded like every font of the
packet: a base-14 font such as Helvetica is not embedded, and the viewer or printer would substitute its own.
"""

import io
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from PIL import Image, ImageDraw, ImageFont
from reportlab.lib.utils import ImageReader
from reportlab.pdfgen import canvas

from packets.assembly.exhibits import LETTER
from packets.assembly.fonts import embedded_family

STAMP_BASELINE = 22.0
STAMP_MARGIN = 36.0
STAMP_SIZE = 9


@dataclass(frozen=True)
class PageStamp:
    number: int
    total: int
    exhibit_label: str = ""
    exhibit_page: int = 0
    exhibit_pages: int = 0
    sheet: tuple[float, float] = LETTER  # the packet page's width and height as displayed


def stamps_pdf(stamps: list[PageStamp], *, final: bool) -> bytes:
    """A PDF with one page per entry of ``stamps``, of that packet page's size: the text to overlay on it."""
    regular, bold = embedded_family("serif")
    buffer = io.BytesIO()
    # invariant: no creation date or random id, so the same packet gives the same bytes.
    pdf = canvas.Canvas(
        buffer, pagesize=LETTER, invariant=True, pageCompression=1, initialFontName=regular, initialFontSize=STAMP_SIZE
    )
    if not final:
        # One form XObject for all pages, centred on its origin so it fits either orientation: drawing the picture
        # on each page would re-encode it every time.
        half = max(LETTER) / 2
        pdf.beginForm("draft", lowerx=-half, lowery=-half, upperx=half, uppery=half)
        _draft_mark(pdf)
        pdf.endForm()
    for stamp in stamps:
        width, height = stamp.sheet
        pdf.setPageSize(stamp.sheet)
        if not final:
            pdf.saveState()
            pdf.translate(width / 2, height / 2)
            pdf.doForm("draft")
            pdf.restoreState()
        pdf.setFillColorRGB(0, 0, 0)
        pdf.setFont(regular, STAMP_SIZE)
        pdf.drawRightString(width - STAMP_MARGIN, STAMP_BASELINE, f"Page {stamp.number} of {stamp.total}")
        if stamp.exhibit_label:
            pdf.setFont(bold, STAMP_SIZE)
            pdf.drawString(
                STAMP_MARGIN,
                STAMP_BASELINE,
                f"Exhibit {stamp.exhibit_label}, page {stamp.exhibit_page} of {stamp.exhibit_pages}",
            )
        pdf.showPage()
    pdf.save()
    return buffer.getvalue()


def _draft_mark(pdf: canvas.Canvas) -> None:
    pdf.saveState()
    pdf.rotate(45)
    image_width = 560.0
    image_height = image_width * DRAFT_PIXELS[1] / DRAFT_PIXELS[0]
    # Drawn over the content so no exhibit can hide it; reportlab stores the image once for all pages.
    pdf.drawImage(_draft_image(), -image_width / 2, -image_height / 2, image_width, image_height, mask="auto")
    pdf.restoreState()


DRAFT_PIXELS = (1400, 380)
DRAFT_FONT = Path("/usr/share/fonts/truetype/dejavu/DejaVuSans-Bold.ttf")


@cache
def _draft_image() -> ImageReader:
    """The word DRAFT as a translucent picture, not as text: text would mix into every page's extracted text."""
    image = Image.new("RGBA", DRAFT_PIXELS, (0, 0, 0, 0))
    draw = ImageDraw.Draw(image)
    font = ImageFont.truetype(str(DRAFT_FONT), 330) if DRAFT_FONT.exists() else ImageFont.load_default(330)
    draw.text((DRAFT_PIXELS[0] / 2, DRAFT_PIXELS[1] / 2), "DRAFT", fill=(190, 25, 25, 48), font=font, anchor="mm")
    return ImageReader(image)
