"""Packets at the edges: no exhibits, odd page sizes and rotations, tiny images, 60 exhibits, a 300-page exhibit,
names in non-Latin scripts."""

import io
import re

import pikepdf
import pytest

from packets.assembly.exhibits import LANDSCAPE_LETTER, LETTER, content_box
from tests.assembly.conftest import Rendered, add_exhibit, rotated_pdf_bytes
from tests.assembly.pdfread import font_names, links, outline, page_texts, placed_pages, qpdf_check, squash
from tests.builders import A4, jpeg_bytes, make_packet, pdf_bytes, png_bytes


@pytest.fixture(scope="module")
def empty(render_once) -> Rendered:
    return render_once(lambda user: make_packet(user, project={"title": "Bridge inspection"}))


def test_a_packet_without_exhibits_renders_with_an_empty_index(empty: Rendered, tmp_path) -> None:
    texts = page_texts(empty.pdf)
    assert "No exhibits are enclosed." in squash(" ".join(texts))
    assert not [link for link in links(empty.pdf) if link.name.startswith("cite-")]
    assert [b.title for b in outline(empty.pdf)] == [
        "Cover letter",
        "The project and its public benefit",
        "Exhibit index",
        "Filing checklist",
    ]
    for number, text in enumerate(texts, start=1):
        assert f"Page {number} of {len(texts)}" in text
    assert qpdf_check(empty.pdf, tmp_path).returncode == 0


NAMES = {
    "beneficiary": {"full_name": "Nguyễn Thị Ольга محمد", "place_of_birth": "Łódź, Poland"},
    "organisation": {"name": "Ольга Łódź Relief", "contact_name": "محمد الأحمد"},
}


def _odd_pages(user):
    packet = make_packet(user, **NAMES)
    add_exhibit(packet, user, "landscape.pdf", pdf_bytes(1, text="landscape page text", size=(792, 612)), "Landscape")
    add_exhibit(packet, user, "a4.pdf", pdf_bytes(2, text="an A4 page of text", size=A4), "A4 report")
    add_exhibit(packet, user, "rotated.pdf", rotated_pdf_bytes(pdf_bytes(1, text="a rotated page"), 90), "Rotated")
    add_exhibit(packet, user, "line.png", png_bytes(800, 1), "One pixel tall")
    add_exhibit(packet, user, "photo.jpg", jpeg_bytes(1200, 900), "Photo")
    return packet


@pytest.fixture(scope="module")
def odd(render_once) -> Rendered:
    return render_once(_odd_pages)


def test_every_page_of_any_size_or_rotation_is_a_letter_sheet_landscape_when_shown_wider_than_tall(
    odd: Rendered,
) -> None:
    with pikepdf.open(io.BytesIO(odd.pdf)) as document:
        assert not [page for page in document.pages if "/Rotate" in page.obj]
        sheets = [tuple(float(v) for v in page.mediabox) for page in document.pages]
    assert set(sheets) == {(0.0, 0.0, *LETTER), (0.0, 0.0, *LANDSCAPE_LETTER)}
    landscape = [number for number, sheet in enumerate(sheets, start=1) if sheet[2] > sheet[3]]
    texts = page_texts(odd.pdf)
    # The landscape page, the portrait page its /Rotate shows on its side, and the two pictures wider than tall (the
    # one-pixel line and the 1200 x 900 photo); nothing else.
    shown = [squash(texts[number - 1]) for number in landscape]
    assert [re.search(r"Exhibit ([A-Z]), page 1 of 1", text).group(1) for text in shown] == ["A", "C", "D", "E"]
    assert shown[0].startswith("landscape page text") and shown[1].startswith("a rotated page")


def test_exhibit_pages_are_fitted_inside_the_content_box_without_cropping(odd: Rendered) -> None:
    placed = placed_pages(odd.pdf)
    assert len(placed) == sum(odd.exhibit_pages)
    for page in placed:
        left, bottom, right, top = content_box(page.sheet)
        llx, lly, urx, ury = page.box
        assert llx >= left - 0.01 and lly >= bottom - 0.01 and urx <= right + 0.01 and ury <= top + 0.01
        # As large as the box allows: it touches two opposite sides.
        assert abs((urx - llx) - (right - left)) < 0.1 or abs((ury - lly) - (top - bottom)) < 0.1


def test_text_of_odd_sized_and_rotated_pages_stays_searchable(odd: Rendered) -> None:
    text = squash(" ".join(page_texts(odd.pdf)))
    for words in ("landscape page text", "an A4 page of text", "a rotated page"):
        assert words in text


def test_non_latin_names_are_printed_with_fonts_that_have_them(odd: Rendered) -> None:
    text = " ".join(page_texts(odd.pdf))
    for name in ("Nguyễn", "Ольга", "Łódź"):
        assert name in text
    assert "محمد" in text or "محمد"[::-1] in text
    fonts = " ".join(font_names(odd.pdf))
    assert "Arabic" in fonts


def _many(user):
    packet = make_packet(user, project={"title": "Many exhibits"})
    small = pdf_bytes(1, text="small exhibit", size=(200, 200))
    for number in range(59):
        add_exhibit(packet, user, f"e{number}.pdf", small, f"Exhibit number {number + 1}")
    add_exhibit(packet, user, "long.pdf", pdf_bytes(300, text="long exhibit", size=(200, 200)), "Long report")
    return packet


@pytest.fixture(scope="module")
def many(render_once) -> Rendered:
    return render_once(_many)


def test_sixty_exhibits_are_labelled_past_z_and_every_page_is_stamped(many: Rendered, tmp_path) -> None:
    labels = [source.label for source in many.sources]
    assert labels[25:28] == ["Z", "AA", "AB"]
    assert labels[-1] == "BH"
    texts = page_texts(many.pdf)
    total = len(texts)
    first_slip = next(n for n, text in enumerate(texts) if squash(text).startswith("Exhibit A "))
    checklist = next(n for n, text in enumerate(texts) if squash(text).startswith("Filing checklist"))
    assert checklist == first_slip + 60 + 59 + 300  # narrative; slip sheets; exhibit pages; then the checklist
    for number, text in enumerate(texts, start=1):
        assert f"Page {number} of {total}" in text
    long_pages = [text for text in texts if "Exhibit BH, page" in text]
    assert len(long_pages) == 300
    last_exhibit_page = texts[checklist - 1]
    assert "Exhibit BH, page 300 of 300" in last_exhibit_page
    assert "page 300 of 300" in last_exhibit_page  # the exhibit's own text, on the same page
    assert qpdf_check(many.pdf, tmp_path).returncode == 0


def test_the_index_ranges_of_sixty_exhibits_are_right(many: Rendered) -> None:
    texts = page_texts(many.pdf)
    index_text = squash(" ".join(text for text in texts if "Exhibit index" in text[:40] or "Issued by" in text))
    rows = re.findall(r"\b([A-Z]{1,2}) (?:Exhibit number \d+|Long report) Issuer (\d+)–(\d+)", index_text)
    assert [row[0] for row in rows] == [source.label for source in many.sources]
    for (label, first, last), pages in zip(rows, many.exhibit_pages, strict=True):
        assert squash(texts[int(first) - 1]).startswith(f"Exhibit {label} ")
        assert int(last) - int(first) == pages
        assert f"Exhibit {label}, page {pages} of {pages}" in texts[int(last) - 1]


def test_the_outline_has_an_entry_for_each_of_sixty_exhibits(many: Rendered) -> None:
    exhibit_marks = [b for b in outline(many.pdf) if b.level == 2]
    assert [b.title.split(" — ")[0] for b in exhibit_marks] == [f"Exhibit {s.label}" for s in many.sources]
