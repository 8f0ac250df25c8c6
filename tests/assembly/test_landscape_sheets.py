"""A landscape exhibit in the packet: on a landscape sheet, legible, stamped the right way up in an embedded font,
its own bookmarks under its exhibit's entry and its links to its own pages still working."""

import re

import pytest

from packets.assembly.exhibits import LANDSCAPE_LETTER, content_box
from tests.assembly.conftest import Rendered, add_exhibit
from tests.assembly.pdfread import (
    draft_marked_pages,
    links,
    outline,
    page_texts,
    page_words,
    pdffonts,
    placed_pages,
    reddish_pixels,
    web_links,
)
from tests.builders import make_packet, navigable_pdf_bytes, png_bytes


def _packet(user):
    packet = make_packet(user, project={"title": "Bridge inspection"})
    add_exhibit(packet, user, "survey.pdf", navigable_pdf_bytes(), "Survey drawings")
    add_exhibit(packet, user, "photo.png", png_bytes(600, 800), "Site photo")
    return packet


@pytest.fixture(scope="module")
def packet(render_once) -> Rendered:
    return render_once(_packet)


@pytest.fixture(scope="module")
def exhibit_pages(packet: Rendered) -> dict[int, int]:
    """Page k of Exhibit A (the landscape survey) -> its packet page."""
    found = {}
    for number, text in enumerate(page_texts(packet.pdf), start=1):
        match = re.search(r"Exhibit A, page (\d+) of 4", text)
        if match:
            found[int(match[1])] = number
    assert sorted(found) == [1, 2, 3, 4]
    return found


def test_a_landscape_page_fills_a_landscape_sheet(packet: Rendered, exhibit_pages: dict[int, int]) -> None:
    placed = {page.page: page for page in placed_pages(packet.pdf)}
    left, bottom, right, top = content_box(LANDSCAPE_LETTER)
    allowed = min((right - left) / 792, (top - bottom) / 612)  # the survey's pages are 792 x 612
    for number in exhibit_pages.values():
        assert placed[number].sheet == LANDSCAPE_LETTER
        assert placed[number].scale >= 0.95 * allowed  # not shrunk onto a portrait sheet (that allows 0.68)
        llx, lly, urx, ury = placed[number].box
        assert lly >= bottom - 0.01  # the stamp band stays clear
        assert llx >= left - 0.01 and urx <= right + 0.01 and ury <= top + 0.01


def test_the_stamps_of_a_landscape_sheet_read_across_its_bottom(
    packet: Rendered, exhibit_pages: dict[int, int]
) -> None:
    total = len(page_texts(packet.pdf))
    number = exhibit_pages[2]
    (width, height), words = page_words(packet.pdf, number)
    assert (width, height) == LANDSCAPE_LETTER  # as displayed
    for stamp in (f"Page {number} of {total}", "Exhibit A, page 2 of 4"):
        first = stamp.split()[0]
        start = next(i for i, word in enumerate(words) if word.text == first and word.y_min > height - 54)
        line = words[start : start + len(stamp.split())]
        assert " ".join(word.text for word in line) == stamp
        # One horizontal line in the bottom band, read left to right: upright, not up the side of the sheet.
        assert len({round(word.y_max) for word in line}) == 1
        assert [word.x_min for word in line] == sorted(word.x_min for word in line)


def test_a_landscape_sheet_is_marked_draft(packet: Rendered, exhibit_pages: dict[int, int]) -> None:
    assert set(exhibit_pages.values()) <= set(draft_marked_pages(packet.pdf))
    assert reddish_pixels(packet.pdf, exhibit_pages[1]) > 200


def test_every_font_of_the_packet_is_embedded(packet: Rendered, tmp_path) -> None:
    fonts = pdffonts(packet.pdf, tmp_path)
    assert any("NotoSerif-Bold" in name for name in fonts)  # the exhibit stamp
    assert fonts and all(fonts.values()), fonts


def test_the_exhibits_own_bookmarks_sit_under_its_entry(packet: Rendered, exhibit_pages: dict[int, int]) -> None:
    marks = outline(packet.pdf)
    start = next(i for i, mark in enumerate(marks) if mark.title.startswith("Exhibit A"))
    assert marks[start].level == 2
    assert [(mark.title, mark.level, mark.page) for mark in marks[start + 1 : start + 6]] == [
        ("Part one", 3, exhibit_pages[1]),
        ("Section 1.1", 4, exhibit_pages[2]),
        ("Part two", 3, exhibit_pages[3]),
        ("Section 2.1", 4, exhibit_pages[4]),
        ("Rescued", 3, exhibit_pages[2]),
    ]
    assert marks[start + 6].title.startswith("Exhibit B") and marks[start + 6].level == 2
    assert not [mark for mark in marks if mark.title in ("Gone", "The web")]


def test_a_link_inside_the_exhibit_opens_the_right_packet_page(packet: Rendered, exhibit_pages: dict[int, int]) -> None:
    inside = {(link.page, link.target) for link in links(packet.pdf) if link.page in exhibit_pages.values()}
    assert inside == {(exhibit_pages[1], exhibit_pages[3]), (exhibit_pages[2], exhibit_pages[3])}


def test_a_link_out_of_the_packet_does_not_survive(packet: Rendered) -> None:
    assert web_links(packet.pdf) == []
