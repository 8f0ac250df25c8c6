"""An exhibit's own bookmarks and links, as normalisation writes them on its packet pages (no database)."""

import io

import pikepdf

from packets.assembly.exhibit_navigation import exhibit_bookmarks
from packets.assembly.exhibits import normalise
from tests.assembly.pdfread import links, placed_pages, web_links
from tests.builders import NAVIGABLE_LINK, navigable_pdf_bytes, pdf_bytes


def bookmark_tree(pdf: bytes) -> list[tuple[int, str, int]]:
    """(depth, title, 0-based page) of every bookmark, depth first."""
    with pikepdf.open(io.BytesIO(pdf)) as document:
        found: list[tuple[int, str, int]] = []

        def walk(bookmarks, depth: int) -> None:
            for bookmark in bookmarks:
                found.append((depth, bookmark.title, bookmark.page))
                walk(bookmark.children, depth + 1)

        walk(exhibit_bookmarks(document), 1)
        return found


def test_the_files_own_bookmarks_are_kept_nested_on_the_same_pages() -> None:
    normalised = normalise(navigable_pdf_bytes(), "application/pdf")
    assert bookmark_tree(normalised) == [
        (1, "Part one", 0),
        (2, "Section 1.1", 1),
        (1, "Part two", 2),  # a named destination, resolved
        (2, "Section 2.1", 3),
        (1, "Rescued", 1),  # "Gone" points nowhere and is dropped; what it held stays
    ]


def test_a_link_to_another_page_of_the_file_is_kept_where_it_was_drawn() -> None:
    normalised = normalise(navigable_pdf_bytes(), "application/pdf")
    found = links(normalised)
    assert [(link.page, link.target) for link in found] == [(1, 3), (2, 3)]
    placed = placed_pages(normalised)[0]
    x0, y0, x1, y1 = NAVIGABLE_LINK
    left, bottom = placed.box[0], placed.box[1]
    expected = (
        left + x0 * placed.scale,
        bottom + y0 * placed.scale,
        left + x1 * placed.scale,
        bottom + y1 * placed.scale,
    )
    assert all(abs(got - want) < 0.01 for got, want in zip(found[0].rect, expected, strict=True))


def test_links_to_the_web_or_to_nowhere_are_dropped() -> None:
    normalised = normalise(navigable_pdf_bytes(), "application/pdf")
    assert web_links(navigable_pdf_bytes()) == ["https://example.org/"]
    assert web_links(normalised) == []
    with pikepdf.open(io.BytesIO(normalised)) as document:
        assert len(document.pages[0].Annots) == 1  # the link to page 3; not the web, not the missing destination


def test_a_rotated_page_keeps_its_link_over_the_same_words() -> None:
    source = navigable_pdf_bytes(size=(612, 792))
    with pikepdf.open(io.BytesIO(source)) as document:
        document.pages[0].obj.Rotate = 90
        buffer = io.BytesIO()
        document.save(buffer)
    normalised = normalise(buffer.getvalue(), "application/pdf")
    placed = placed_pages(normalised)[0]
    assert placed.sheet == (792.0, 612.0)
    link = links(normalised)[0]
    # Turned a quarter clockwise: the link, a wide box on the portrait page, is a tall one on the landscape sheet.
    x0, y0, x1, y1 = link.rect
    assert y1 - y0 > x1 - x0
    assert placed.box[0] <= x0 < x1 <= placed.box[2] and placed.box[1] <= y0 < y1 <= placed.box[3]


def test_a_file_without_bookmarks_or_links_gets_none() -> None:
    normalised = normalise(pdf_bytes(2), "application/pdf")
    assert bookmark_tree(normalised) == []
    with pikepdf.open(io.BytesIO(normalised)) as document:
        assert "/Outlines" not in document.Root
        assert not [page for page in document.pages if "/Annots" in page.obj]


def test_an_outline_that_loops_ends_instead_of_hanging() -> None:
    with pikepdf.open(io.BytesIO(navigable_pdf_bytes())) as document:
        first = document.Root.Outlines.First
        first.Next.Next = first  # "Part two" is followed by "Part one" again, for ever
        buffer = io.BytesIO()
        document.save(buffer)
    titles = [title for _depth, title, _page in bookmark_tree(normalise(buffer.getvalue(), "application/pdf"))]
    assert titles == ["Part one", "Section 1.1", "Part two", "Section 2.1"]
