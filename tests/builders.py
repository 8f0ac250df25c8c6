"""Plain builders for tests: users, real files (PDF, JPEG, PNG) and packets made through the real services."""

import io
import random
from typing import Any

import img2pdf
import pikepdf
from django.contrib.auth import get_user_model
from django.contrib.auth.models import User
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image, ImageDraw
from reportlab.pdfgen import canvas

from packets.content.services import ExhibitUpload, exhibit_add, packet_create, packet_save_section
from packets.models import Packet
from packets.sharing.addresses import email_address_mark_verified

LETTER = (612, 792)
A4 = (595.28, 841.89)

DEFAULT_TEXT = "Safe Schools Seismic Assessment — test page"


def make_user(
    username: str = "ana",
    password: str = "correct horse battery",  # noqa: S107 - a test password
    email: str | None = None,
    *,
    email_verified: bool = True,
) -> Any:
    """A saved user who can log in with ``password``; their address confirmed unless ``email_verified=False``."""
    user = get_user_model().objects.create_user(
        username=username, password=password, email=email if email is not None else f"{username}@example.org"
    )
    if email_verified and user.email:
        email_address_mark_verified(user=user)
    return user


def pdf_bytes(pages: int = 1, text: str = DEFAULT_TEXT, size: tuple[float, float] = LETTER, rotate: int = 0) -> bytes:
    """A real PDF of ``pages`` pages, each with extractable ``text`` and its page number ("page 2 of 3")."""
    buffer = io.BytesIO()
    # invariant: no creation date or random document id, so the same arguments give the same bytes.
    pdf = canvas.Canvas(buffer, pagesize=size, invariant=True)
    for number in range(1, pages + 1):
        if rotate:
            pdf.setPageRotation(rotate)
        pdf.setFont("Helvetica", 12)
        pdf.drawString(72, size[1] - 72, text)
        pdf.drawString(72, size[1] - 90, f"page {number} of {pages}")
        pdf.showPage()
    pdf.save()
    return buffer.getvalue()


def _image_bytes(width: int, height: int, image_format: str) -> bytes:
    image = Image.new("RGB", (width, height), "white")
    draw = ImageDraw.Draw(image)
    # A frame and a diagonal make rotation or cropping visible when the image is read back.
    margin = min(width, height) // 20
    draw.rectangle(
        (margin, margin, width - 1 - margin, height - 1 - margin), outline="black", width=max(1, margin // 3)
    )
    draw.line((margin, margin, width - 1 - margin, height - 1 - margin), fill="navy", width=max(1, margin // 4))
    if min(width, height) >= 100:
        draw.text((2 * margin, 2 * margin), f"{width} x {height}", fill="black")
    buffer = io.BytesIO()
    image.save(buffer, format=image_format)
    return buffer.getvalue()


def jpeg_bytes(width: int = 800, height: int = 1000) -> bytes:
    return _image_bytes(width, height, "JPEG")


def png_bytes(width: int = 800, height: int = 1000) -> bytes:
    return _image_bytes(width, height, "PNG")


def photo_pdf_bytes(pages: int = 1, seed: int = 0, side: int = 300) -> bytes:
    """A PDF of ``pages`` pages, each a JPEG of noise: about 95 kB a page, since noise does not compress."""
    generator = random.Random(seed)  # noqa: S311 - test pixels, not secrets
    photos = []
    for _page in range(pages):
        buffer = io.BytesIO()
        Image.frombytes("RGB", (side, side), generator.randbytes(side * side * 3)).save(buffer, "JPEG", quality=90)
        photos.append(buffer.getvalue())
    return img2pdf.convert(photos)


def encrypted_pdf_bytes(password: str = "secret") -> bytes:  # noqa: S107 - a test password
    """A PDF that cannot be opened without ``password``."""
    buffer = io.BytesIO()
    with pikepdf.open(io.BytesIO(pdf_bytes())) as pdf:
        pdf.save(buffer, encryption=pikepdf.Encryption(user=password, owner=password + "-owner"))
    return buffer.getvalue()


def upload(name: str, content: bytes, content_type: str = "application/octet-stream") -> SimpleUploadedFile:
    """A file as a view or form receives it from a browser."""
    return SimpleUploadedFile(name, content, content_type=content_type)


def make_packet(owner: User, name: str = "Test packet", **sections: dict[str, Any]) -> Packet:
    """A packet owned by ``owner``, with each keyword saved as that section (``beneficiary={"full_name": …}``)."""
    packet = packet_create(owner=owner, name=name)
    for section, value in sections.items():
        packet = packet_save_section(
            packet=packet, section=section, value=value, base_revision=packet.revision, by=owner
        )
    return packet


def make_photo_packet(owner: User) -> Packet:
    """A packet whose exhibits weigh: A (1 photo page), B (2 photo pages) and C (1 photo page), about 95 kB a page."""
    packet = make_packet(owner, project={"title": "Bridge inspection", "summary": "Inspect the bridge."})
    for seed, (title, pages) in enumerate([("Passport", 1), ("Site photos", 2), ("Training certificate", 1)]):
        content = photo_pdf_bytes(pages, seed=seed)
        exhibit_add(
            packet=packet,
            upload=ExhibitUpload(file=upload(f"{seed}.pdf", content, "application/pdf"), kind="other", title=title),
            by=owner,
        )
    return packet


def make_complete_packet(owner: User) -> Packet:
    """The Riverton demo packet: every step complete, with all its exhibits."""
    from packets.demo.scenario import create_demo_packet

    return create_demo_packet(owner=owner)


def _one_page_pdf(content: bytes) -> bytes:
    """A one-page PDF with a font and ``content`` as its page's content stream, which qpdf opens without parsing."""
    pdf = pikepdf.new()
    page = pdf.add_blank_page(page_size=LETTER)
    font = pdf.make_indirect(
        pikepdf.Dictionary(Type=pikepdf.Name.Font, Subtype=pikepdf.Name.Type1, BaseFont=pikepdf.Name.Helvetica)
    )
    page.obj.Resources = pikepdf.Dictionary(Font=pikepdf.Dictionary(F1=font))
    page.obj.Contents = pdf.make_stream(content)
    buffer = io.BytesIO()
    pdf.save(buffer, compress_streams=True)
    return buffer.getvalue()


def nested_arrays_letter_pdf() -> bytes:
    """A valid PDF whose content stream nests 100,000 arrays: a recursive parser runs out of stack on it."""
    return _one_page_pdf(b"BT /F1 12 Tf 72 700 Td " + b"[" * 100_000 + b"]" * 100_000 + b" TJ ET")


def many_tokens_letter_pdf() -> bytes:
    """A valid PDF of a few kB whose content stream holds three million tokens: a minute of pure-Python parsing."""
    return _one_page_pdf(b"BT /F1 12 Tf 72 700 Td " + b"(a) Tj " * 1_500_000 + b"ET")


NAVIGABLE_LINK = (72, 400, 300, 420)  # where page 1's link to page 3 is drawn


def navigable_pdf_bytes(size: tuple[float, float] = (792, 612)) -> bytes:
    """Four pages ("navigable page N") in an embedded font, with their own bookmarks and links, as a word processor
    writes them: "Part one" (page 1) > "Section 1.1" (2); "Part two" (3, a named destination) > "Section 2.1" (4);
    "Gone" (a destination the file does not have) > "Rescued" (2); "The web" (a web address). Links: page 1 to page
    3 at ``NAVIGABLE_LINK``, page 2 to the named destination (page 3), page 1 to https://example.org/, page 1 to a
    destination the file does not have."""
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.ttfonts import TTFont

    pdfmetrics.registerFont(TTFont("TestSans", "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf"))
    buffer = io.BytesIO()
    drawing = canvas.Canvas(buffer, pagesize=size, invariant=True, initialFontName="TestSans")
    for number in range(1, 5):
        drawing.bookmarkPage(f"p{number}")
        drawing.setFont("TestSans", 14)
        drawing.drawString(72, size[1] - 72, f"navigable page {number}")
        if number == 1:
            drawing.linkRect("", "p3", NAVIGABLE_LINK)
            drawing.linkURL("https://example.org/", (72, 300, 300, 320))
        drawing.showPage()
    drawing.save()
    with pikepdf.open(io.BytesIO(buffer.getvalue())) as pdf:
        pages = pdf.pages
        pdf.Root.Names = pikepdf.Dictionary()
        tree = pikepdf.NameTree.new(pdf)
        tree["chapter-2"] = pikepdf.Array([pages[2].obj, pikepdf.Name.Fit])
        pdf.Root.Names.Dests = tree.obj
        go_to = pikepdf.Dictionary(S=pikepdf.Name.GoTo, D=pikepdf.String("chapter-2"))
        pages[1].obj.Annots = pdf.make_indirect(pikepdf.Array([_link(pdf, A=go_to)]))
        pages[0].obj.Annots.append(_link(pdf, Dest=pikepdf.String("missing")))
        with pdf.open_outline() as outline:
            part_one = pikepdf.OutlineItem("Part one", 0)
            part_one.children.append(pikepdf.OutlineItem("Section 1.1", 1))
            part_two = pikepdf.OutlineItem("Part two", "chapter-2")
            part_two.children.append(pikepdf.OutlineItem("Section 2.1", 3))
            gone = pikepdf.OutlineItem("Gone", "missing")
            gone.children.append(pikepdf.OutlineItem("Rescued", 1))
            web = pikepdf.OutlineItem(
                "The web", action=pikepdf.Dictionary(S=pikepdf.Name.URI, URI="https://example.org/")
            )
            outline.root[:] = [part_one, part_two, gone, web]
        out = io.BytesIO()
        pdf.save(out, deterministic_id=True)
    return out.getvalue()


def _link(pdf: pikepdf.Pdf, **target: pikepdf.Object) -> pikepdf.Object:
    link = pikepdf.Dictionary(Type=pikepdf.Name.Annot, Subtype=pikepdf.Name.Link, Rect=[72, 200, 300, 220], **target)
    return pdf.make_indirect(link)
