"""What a person added to a PDF on screen — form fields filled in, a signature drawn or stamped, comments and
highlights — drawn into the page content, so that an exhibit prints as it looks in a viewer.

Placing a page as a form XObject keeps only its content stream: annotations, and the form fields among them, would
be dropped, and a signed letter would print unsigned. ``flatten_markup`` draws every printable annotation into its
page first (qpdf's flattening), after giving filled-in fields the appearances their producers left out: pdflatex's
hyperref writes text fields with a value and no appearance at all, and a checkbox whose "on" appearance is an empty
dictionary; LibreOffice writes empty text appearances and asks the viewer to draw them (/NeedAppearances).
``markup_found`` counts the same things for the upload's plain-words notice.
"""

import logging
from collections.abc import Iterator
from dataclasses import dataclass

import pikepdf

logger = logging.getLogger(__name__)

HIDDEN, PRINT, NO_VIEW = 1 << 1, 1 << 2, 1 << 5  # annotation flags (/F), PDF 32000-1 table 165
COMMENT_TYPES = frozenset(
    {
        "/Text",
        "/Highlight",
        "/Underline",
        "/StrikeOut",
        "/Squiggly",
        "/FreeText",
        "/Square",
        "/Circle",
        "/Line",
        "/Polygon",
        "/PolyLine",
        "/Caret",
    }
)
SIGNATURE_TYPES = frozenset({"/Ink", "/Stamp"})
MAX_FIELD_DEPTH = 32  # a /Kids tree deeper than this is hostile, not a form
TEXT_SHOWING = (b"Tj", b"TJ", b"'", b'"')


@dataclass(frozen=True)
class MarkupFound:
    """What a person added to a PDF on screen, counted at upload."""

    filled_fields: int = 0
    signatures: int = 0
    comments: int = 0

    def __bool__(self) -> bool:
        return bool(self.filled_fields or self.signatures or self.comments)


def markup_found(pdf: pikepdf.Pdf) -> MarkupFound:
    """Filled-in form fields, signatures (Ink and Stamp annotations, signed signature fields) and comments or
    highlights in ``pdf``, counting only what would be printed."""
    filled = signatures = 0
    for field in _terminal_fields(pdf):
        value = _inherited(field, "/V")
        if value is None or (isinstance(value, pikepdf.Name) and value == "/Off") or str(value) == "":
            continue
        if _inherited(field, "/FT") == "/Sig":
            signatures += 1
        else:
            filled += 1
    comments = 0
    for page in pdf.pages:
        for annot in _printed_annotations(page):
            subtype = str(annot.get("/Subtype", ""))
            signatures += subtype in SIGNATURE_TYPES
            comments += subtype in COMMENT_TYPES
    return MarkupFound(filled_fields=filled, signatures=signatures, comments=comments)


def flatten_markup(pdf: pikepdf.Pdf) -> None:
    """Draw every printable annotation and form field of ``pdf`` into its page's content, in place.

    Hidden, no-view, non-printing and pop-up annotations stay out; link annotations are left as they are. A PDF
    without annotations is not touched (most exhibits: flattening costs nothing for them).
    """
    if not any("/Annots" in page.obj for page in pdf.pages):
        return
    links: list[tuple[pikepdf.Page, list[pikepdf.Object]]] = []
    for page in pdf.pages:
        annots = page.obj.get("/Annots")
        if not isinstance(annots, pikepdf.Array):
            continue
        kept = [annot for annot in annots if isinstance(annot, pikepdf.Dictionary) and not _left_out(annot)]
        links.append((page, [annot for annot in kept if annot.get("/Subtype") == "/Link"]))
        page.obj.Annots = pikepdf.Array([annot for annot in kept if annot.get("/Subtype") != "/Link"])
    if _appearances_needed(pdf):
        pdf.Root.AcroForm.NeedAppearances = True
        try:
            pdf.generate_appearance_streams()
        except (pikepdf.PdfError, RuntimeError):  # an odd font or field tree: print what has appearances, as viewers do
            logger.warning("could not draw the appearances of a form", exc_info=True)
    pdf.flatten_annotations(mode="print")
    for page, page_links in links:
        if page_links:
            page.obj.Annots = pikepdf.Array([*page.obj.get("/Annots", pikepdf.Array()), *page_links])


def _left_out(annot: pikepdf.Dictionary) -> bool:
    """A pop-up (the note's open window) or an annotation meant never to be seen on screen: not printed."""
    flags = int(annot.get("/F", 0)) if isinstance(annot.get("/F"), int) else 0
    return annot.get("/Subtype") == "/Popup" or bool(flags & (HIDDEN | NO_VIEW))


def _printed_annotations(page: pikepdf.Page) -> Iterator[pikepdf.Dictionary]:
    annots = page.obj.get("/Annots")
    if not isinstance(annots, pikepdf.Array):
        return
    for annot in annots:
        if isinstance(annot, pikepdf.Dictionary) and not _left_out(annot):
            flags = annot.get("/F", 0)
            if isinstance(flags, int) and int(flags) & PRINT:
                yield annot


def _appearances_needed(pdf: pikepdf.Pdf) -> bool:
    """Whether qpdf must draw the fields' appearances: the producer asked the viewer to (/NeedAppearances), or a
    filled-in field has none to show. Checkbox and radio states are set here, from the fields' values."""
    form = pdf.Root.get("/AcroForm")
    if not isinstance(form, pikepdf.Dictionary):
        return False
    needed = bool(form.get("/NeedAppearances", False))
    for field in _terminal_fields(pdf):
        kind, value = _inherited(field, "/FT"), _inherited(field, "/V")
        if kind == "/Btn":
            for widget in _widgets(field):
                _show_button_state(pdf, widget, value)
        elif kind in ("/Tx", "/Ch") and value is not None and str(value) != "":
            needed = needed or any(not _shows_text(widget) for widget in _widgets(field))
    return needed


def _show_button_state(pdf: pikepdf.Pdf, widget: pikepdf.Dictionary, value: object) -> None:
    """Set a checkbox or radio button's /AS from its field's value; draw the check mark if the "on" state has no
    appearance (hyperref's checkboxes leave it to the viewer, with the ZapfDingbats glyph in /MK /CA)."""
    appearance = widget.get("/AP")
    states = appearance.get("/N") if isinstance(appearance, pikepdf.Dictionary) else None
    if not isinstance(states, pikepdf.Dictionary) or isinstance(states, pikepdf.Stream):
        return
    on = str(value) if isinstance(value, pikepdf.Name) and str(value) in states else "/Off"
    widget.AS = pikepdf.Name(on)
    rect = _rectangle(widget.get("/Rect"))
    if on != "/Off" and not isinstance(states[on], pikepdf.Stream) and rect is not None:
        states[on] = _check_mark(pdf, widget, rect)


def _rectangle(value: object) -> tuple[float, float, float, float] | None:
    """An annotation's /Rect as four numbers, or None for anything else (a hostile file's string, a short array)."""
    if not isinstance(value, pikepdf.Array) or len(value) != 4:
        return None
    try:
        x0, y0, x1, y1 = (float(number) for number in value)
    except (TypeError, ValueError):
        return None
    return (x0, y0, x1, y1)


def _check_mark(
    pdf: pikepdf.Pdf, widget: pikepdf.Dictionary, rect: tuple[float, float, float, float]
) -> pikepdf.Stream:
    """The "on" appearance a viewer would draw from /MK /CA (a ZapfDingbats character: "4" a check, "8" a cross,
    "l" a dot), drawn as lines: ZapfDingbats is not embedded, and a printer or renderer without it would show
    nothing."""
    x0, y0, x1, y1 = rect
    width, height = abs(x1 - x0), abs(y1 - y0)
    characteristics = widget.get("/MK")
    glyph = str(characteristics.get("/CA", "4")) if isinstance(characteristics, pikepdf.Dictionary) else "4"
    side = min(width, height)
    left, bottom = (width - side) / 2, (height - side) / 2

    def at(u: float, v: float) -> str:
        return f"{left + u * side:.2f} {bottom + v * side:.2f}"

    if glyph == "l":
        radius = 0.3 * side  # a disc, as four Bézier quarters (0.552 is the circle constant)
        cx, cy, k = left + side / 2, bottom + side / 2, 0.552 * radius
        drawing = (
            f"{cx + radius:.2f} {cy:.2f} m {cx + radius:.2f} {cy + k:.2f} {cx + k:.2f} {cy + radius:.2f} {cx:.2f} "
            f"{cy + radius:.2f} c {cx - k:.2f} {cy + radius:.2f} {cx - radius:.2f} {cy + k:.2f} {cx - radius:.2f} "
            f"{cy:.2f} c {cx - radius:.2f} {cy - k:.2f} {cx - k:.2f} {cy - radius:.2f} {cx:.2f} {cy - radius:.2f} c "
            f"{cx + k:.2f} {cy - radius:.2f} {cx + radius:.2f} {cy - k:.2f} {cx + radius:.2f} {cy:.2f} c f"
        )
    elif glyph == "8":
        drawing = f"{at(0.2, 0.2)} m {at(0.8, 0.8)} l {at(0.2, 0.8)} m {at(0.8, 0.2)} l S"
    else:
        drawing = f"{at(0.15, 0.5)} m {at(0.4, 0.2)} l {at(0.85, 0.85)} l S"
    content = f"q 0 g 0 G {0.12 * side:.2f} w 1 J 1 j {drawing} Q"
    stream = pdf.make_stream(content.encode("ascii"))
    stream.Type, stream.Subtype = pikepdf.Name.XObject, pikepdf.Name.Form
    stream.BBox = [0, 0, width, height]
    return stream


def _shows_text(widget: pikepdf.Dictionary) -> bool:
    """Whether a text field's appearance draws any text (LibreOffice's and a script's filled fields draw none)."""
    appearance = widget.get("/AP")
    normal = appearance.get("/N") if isinstance(appearance, pikepdf.Dictionary) else None
    if not isinstance(normal, pikepdf.Stream):
        return False
    try:
        instructions = pikepdf.parse_content_stream(normal)
        return any(str(instruction.operator).encode() in TEXT_SHOWING for instruction in instructions)
    except (pikepdf.PdfError, RuntimeError):
        return False


def _terminal_fields(pdf: pikepdf.Pdf) -> Iterator[pikepdf.Dictionary]:
    """The fields that hold values: AcroForm /Fields, walking /Kids down to the fields whose kids are widgets."""
    form = pdf.Root.get("/AcroForm")
    fields = form.get("/Fields") if isinstance(form, pikepdf.Dictionary) else None
    if not isinstance(fields, pikepdf.Array):
        return
    seen: set[tuple[int, int]] = set()
    pending = [(field, 0) for field in fields]
    while pending:
        field, depth = pending.pop()
        if not isinstance(field, pikepdf.Dictionary) or depth > MAX_FIELD_DEPTH:
            continue
        if field.is_indirect:
            if field.objgen in seen:
                continue
            seen.add(field.objgen)
        kids = field.get("/Kids")
        named_kids = [kid for kid in kids if "/T" in kid] if isinstance(kids, pikepdf.Array) else []
        if named_kids:
            pending.extend((kid, depth + 1) for kid in named_kids)
        else:
            yield field


def _widgets(field: pikepdf.Dictionary) -> list[pikepdf.Dictionary]:
    kids = field.get("/Kids")
    if isinstance(kids, pikepdf.Array):
        return [kid for kid in kids if isinstance(kid, pikepdf.Dictionary)]
    return [field]  # a field and its one widget merged into one dictionary


def _inherited(field: pikepdf.Dictionary, key: str) -> object:
    """A field's ``key``, or its nearest parent's (/FT and /V are inheritable)."""
    node: object = field
    for _ in range(MAX_FIELD_DEPTH):
        if not isinstance(node, pikepdf.Dictionary):
            return None
        if key in node:
            return node[key]
        node = node.get("/Parent")
    return None
