"""Exhibits print as they look on screen: a signature drawn in a viewer, highlights and notes, filled-in forms made
by LibreOffice and by pdflatex print with the exhibit; hidden annotations and pop-ups do not."""

import io
from pathlib import Path

import pikepdf
import pytest
from PIL import Image

from packets.assembly.exhibits import normalise
from tests.assembly.conftest import Rendered, add_exhibit
from tests.assembly.markup_pdfs import (
    HIDDEN_RECT,
    HIGHLIGHT_RECT,
    SIGNATURE_RECT,
    filled,
    hyperref_form,
    libreoffice_form,
    signed_letter,
)
from tests.assembly.pdfread import on_exhibit_page, page_image, page_texts, squash
from tests.builders import make_packet, pdf_bytes

LETTER_HEIGHT = 792.0
DPI = 30


def region(image: Image.Image, rect: tuple[float, float, float, float], dpi: int = DPI) -> list[tuple[int, int, int]]:
    factor = dpi / 72.0
    crop = (rect[0] * factor, (LETTER_HEIGHT - rect[3]) * factor, rect[2] * factor, (LETTER_HEIGHT - rect[1]) * factor)
    return list(image.crop(tuple(round(value) for value in crop)).get_flattened_data())  # type: ignore[arg-type]


def dark_share(pixels: list[tuple[int, int, int]]) -> float:
    return sum(1 for red, green, blue in pixels if red + green + blue < 300) / len(pixels)


def yellow_share(pixels: list[tuple[int, int, int]]) -> float:
    return sum(1 for red, green, blue in pixels if red > 200 and green > 150 and blue < 120) / len(pixels)


@pytest.fixture(scope="module")
def letter() -> bytes:
    return signed_letter()


@pytest.fixture(scope="module")
def letter_exhibit(letter: bytes) -> bytes:
    return normalise(letter, "application/pdf")


def test_a_signature_drawn_in_a_viewer_prints_where_it_was_signed(letter: bytes, letter_exhibit: bytes) -> None:
    before = dark_share(region(page_image(letter), SIGNATURE_RECT))
    after = dark_share(region(page_image(letter_exhibit), on_exhibit_page(SIGNATURE_RECT)))
    assert before > 0.05
    assert after > 0.6 * before


def test_a_highlight_prints_over_the_line_it_marks(letter: bytes, letter_exhibit: bytes) -> None:
    assert yellow_share(region(page_image(letter), HIGHLIGHT_RECT)) > 0.3
    assert yellow_share(region(page_image(letter_exhibit), on_exhibit_page(HIGHLIGHT_RECT))) > 0.3
    # Multiplied over the text, not painted over it: the line is still there and still searchable.
    assert "I support this request without reservation." in page_texts(letter_exhibit)[0]


def test_a_hidden_annotation_and_a_notes_pop_up_do_not_print(letter_exhibit: bytes) -> None:
    image = page_image(letter_exhibit)
    assert dark_share(region(image, on_exhibit_page(HIDDEN_RECT))) == 0
    assert dark_share(region(image, on_exhibit_page((300.0, 600.0, 500.0, 700.0)))) == 0


def test_the_exhibit_page_keeps_no_annotations_of_its_own(letter_exhibit: bytes) -> None:
    with pikepdf.open(io.BytesIO(letter_exhibit)) as pdf:
        assert all("/Annots" not in page.obj for page in pdf.pages)
        assert "/AcroForm" not in pdf.Root


def test_a_plain_pdf_is_placed_as_before() -> None:
    plain = pdf_bytes(text="Nothing added on screen")
    assert squash(page_texts(normalise(plain, "application/pdf"))[0]) == "Nothing added on screen page 1 of 1"


def button_ink(exhibit: bytes, form: bytes, page: int, field: str = "Agree", kid: int | None = None) -> float:
    """How dark a checkbox's or radio button's square is on the exhibit page (rendered sharper: the box is small)."""
    with pikepdf.open(io.BytesIO(form)) as pdf:
        found = next(item for item in pdf.Root.AcroForm.Fields if str(item.T) == field)
        widget = found if kid is None else found.Kids[kid]
        rect = tuple(float(value) for value in widget.Rect)
        size = tuple(float(value) for value in pdf.pages[page - 1].mediabox[2:])
    placed = on_exhibit_page(rect, size)  # type: ignore[arg-type]
    return dark_share(region(page_image(exhibit, page, dpi=150), placed, dpi=150))


@pytest.mark.parametrize("make_form", [libreoffice_form, hyperref_form], ids=["libreoffice", "pdflatex"])
def test_a_filled_in_form_prints_its_values_and_its_ticked_box(make_form, tmp_path: Path) -> None:
    form = make_form(tmp_path)
    page = next(number for number, text in enumerate(page_texts(form), start=1) if "Name" in text)
    ticked = normalise(filled(form, name="Amina Haddad", agree=True), "application/pdf")
    unticked = normalise(filled(form, name="Amina Haddad", agree=False), "application/pdf")
    assert "Amina Haddad" in page_texts(ticked)[page - 1]
    assert button_ink(ticked, form, page) > button_ink(unticked, form, page) + 0.05
    with pikepdf.open(io.BytesIO(ticked)) as pdf:
        assert all("/Annots" not in placed.obj for placed in pdf.pages)


def test_the_chosen_radio_button_of_a_libreoffice_form_prints_chosen(tmp_path: Path) -> None:
    form = libreoffice_form(tmp_path)
    page = next(number for number, text in enumerate(page_texts(form), start=1) if "Relation" in text)
    exhibit = normalise(filled(form, name="Amina Haddad", agree=False, relation="Family"), "application/pdf")
    employer, family = (button_ink(exhibit, form, page, "Relation", kid) for kid in (0, 1))
    assert family > employer + 0.05


@pytest.fixture(scope="module")
def packet_with_markup(render_once, tmp_path_factory: pytest.TempPathFactory) -> Rendered:
    form = filled(hyperref_form(tmp_path_factory.mktemp("hyperref")), name="Amina Haddad", agree=True)

    def build(user):
        packet = make_packet(user, project={"title": "Bridge inspection"})
        add_exhibit(packet, user, "signed.pdf", signed_letter(), "Letter of support, signed")
        add_exhibit(packet, user, "form.pdf", form, "Sponsor declaration form")
        return packet

    return render_once(build)


# Marked: pytest-django sets the test database up only when a selected test asks for it, and the module's render
# fixture runs before any test would.
@pytest.mark.django_db
def test_the_packet_prints_the_signature_and_the_forms_value(packet_with_markup: Rendered) -> None:
    texts = page_texts(packet_with_markup.pdf)
    letter_page = next(n for n, text in enumerate(texts, 1) if "I support this request without reservation." in text)
    form_page = next(n for n, text in enumerate(texts, 1) if "Sponsor declaration" in text and "Name:" in text)
    assert "Amina Haddad" in texts[form_page - 1]
    image = page_image(packet_with_markup.pdf, letter_page)
    assert dark_share(region(image, on_exhibit_page(SIGNATURE_RECT))) > 0.05
    assert dark_share(region(image, on_exhibit_page(HIDDEN_RECT))) == 0
