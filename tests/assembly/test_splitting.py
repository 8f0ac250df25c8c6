"""A rendered packet split for online filing, read back file by file: sizes, pages in order, stamps, names, outline,
links, and what qpdf says."""

import io
import re
from pathlib import Path

import pikepdf
import pytest

from packets.assembly.splitting import OnlineFile, SplitError, split_packet_pdf
from tests.assembly.conftest import Rendered
from tests.assembly.pdfread import outline, page_count, page_texts, qpdf_check, squash
from tests.builders import make_photo_packet

# The module's fixture renders through the database: pytest-django sets the test database up only for a module with a
# test that asks for it (without, the fixture would reach the development database).
pytestmark = pytest.mark.django_db

# The packet's front matter is about 110 kB, a slip sheet and a photo page about 145 kB (each file embeds its fonts):
# so each exhibit needs a file of its own, and Exhibit B (two photo pages) must be cut in two.
LIMIT = 190_000


@pytest.fixture(scope="module")
def packet(render_once) -> Rendered:
    return render_once(make_photo_packet)


@pytest.fixture(scope="module")
def files(packet: Rendered) -> list[OnlineFile]:
    return split_packet_pdf(packet.pdf, limit=LIMIT)


def stamps(pdf: bytes) -> list[str]:
    """The "Page N of M" stamp of every page, in order."""
    return [re.findall(r"Page \d+ of \d+", squash(text))[-1] for text in page_texts(pdf)]


def test_every_file_is_under_the_limit_and_together_they_hold_the_packet_page_by_page(packet, files) -> None:
    total = page_count(packet.pdf)
    assert all(len(file.pdf) <= LIMIT for file in files)
    assert sum(page_count(file.pdf) for file in files) == total
    assert [stamp for file in files for stamp in stamps(file.pdf)] == [
        f"Page {n} of {total}" for n in range(1, total + 1)
    ]
    assert [(file.first_page, file.last_page) for file in files] == [
        (first, first + page_count(file.pdf) - 1)
        for file, first in zip(files, [1, *[f.last_page + 1 for f in files[:-1]]], strict=True)
    ]


def test_files_are_cut_between_parts_and_named_in_packet_order(files) -> None:
    assert [file.name for file in files] == [
        "01-cover-contents-narrative-exhibit-index.pdf",
        "02-exhibit-A-passport.pdf",
        "03-exhibit-B-site-photos-part-1-of-2.pdf",
        "04-exhibit-B-site-photos-part-2-of-2.pdf",
        "05-exhibit-C-training-certificate-checklist.pdf",
    ]
    assert all(file.name.isascii() for file in files)
    assert [[piece.title for piece in file.pieces] for file in files] == [
        ["Cover", "Cover letter", "Contents", "The project and its public benefit", "Exhibit index"],
        ["Exhibit A — Passport"],
        ["Exhibit B — Site photos (part 1 of 2)"],
        ["Exhibit B — Site photos (part 2 of 2)"],
        ["Exhibit C — Training certificate", "Filing checklist"],
    ]


def test_an_exhibit_cut_in_two_keeps_its_slip_sheet_first_and_its_own_page_stamps(files) -> None:
    assert squash(page_texts(files[2].pdf)[0]).startswith("Exhibit B Exhibit B — Site photos")  # the slip sheet
    first, second = (squash(" ".join(page_texts(file.pdf))) for file in files[2:4])
    assert "Exhibit B, page 1 of 2" in first and "Exhibit B, page 2 of 2" not in first
    assert "Exhibit B, page 2 of 2" in second


def test_each_file_has_an_outline_of_what_it_holds(files) -> None:
    front = outline(files[0].pdf)
    assert [(mark.title, mark.level) for mark in front] == [
        ("Cover", 1),
        ("Cover letter", 1),
        ("Contents", 1),
        ("The project and its public benefit", 1),
        ("Exhibit index", 1),
    ]
    assert [mark.page for mark in front] == [piece.first - files[0].pieces[0].first + 1 for piece in files[0].pieces]
    assert [(mark.title, mark.page) for mark in outline(files[3].pdf)] == [("Exhibit B — Site photos (part 2 of 2)", 1)]
    assert [(mark.title, mark.page) for mark in outline(files[4].pdf)] == [
        ("Exhibit C — Training certificate", 1),
        ("Filing checklist", 3),
    ]


def link_targets(pdf: bytes) -> list[tuple[int, int | None]]:
    """(page, page it jumps to) for every link with a destination; None when that page is not in this file."""
    with pikepdf.open(io.BytesIO(pdf)) as document:
        pages = {page.obj.objgen: number for number, page in enumerate(document.pages, start=1)}
        found = []
        for number, page in enumerate(document.pages, start=1):
            for annotation in page.obj.get("/Annots", []):
                destination = annotation.get("/Dest")
                if destination is not None:
                    target = destination[0].objgen if isinstance(destination, pikepdf.Array) else None
                    found.append((number, pages.get(target) if target else None))
        return found


def test_links_within_a_file_still_jump_and_links_to_another_file_are_removed(packet, files) -> None:
    front = link_targets(files[0].pdf)
    # The contents page (page 3) links to the parts in this file; the links to exhibits went with the exhibits.
    assert {target for page, target in front if page == 3} == {2, 4, 5}
    assert all(target is not None for _page, target in front)
    assert all(target is not None for file in files for _page, target in link_targets(file.pdf))


def test_every_file_passes_qpdf_check(files, tmp_path: Path) -> None:
    for file in files:
        result = qpdf_check(file.pdf, tmp_path)
        assert result.returncode == 0, (file.name, result.stdout, result.stderr)
        assert "No syntax or stream encoding errors found" in result.stdout


def test_with_a_large_limit_the_whole_packet_is_one_file(packet) -> None:
    (only,) = split_packet_pdf(packet.pdf, limit=12_000_000)
    assert only.name == "01-cover-contents-narrative-exhibit-index-exhibits-A-C-checklist.pdf"
    assert page_count(only.pdf) == page_count(packet.pdf)
    assert len(outline(only.pdf)) == len(outline(packet.pdf)) + 2  # and the cover and contents


def test_a_page_over_the_limit_is_refused_by_its_packet_page_and_part(packet) -> None:
    with pytest.raises(SplitError, match=r"Packet page 7 \(Exhibit A — Passport\) is 0\.\d+ MB on its own") as error:
        split_packet_pdf(packet.pdf, limit=90_000)  # every page before it fits alone; the passport scan does not
    assert "0.09 MB" in str(error.value)
