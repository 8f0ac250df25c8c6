"""The demo packet's PDF, read back: page numbers, stamps, links, outline, metadata, determinism."""

import re

import pytest

from packets.demo.scenario import create_demo_packet
from packets.rendering.versions import packet_pdf
from tests.assembly.conftest import RENDERED_AT, Rendered
from tests.assembly.pdfread import (
    draft_marked_pages,
    font_names,
    info,
    links,
    outline,
    page_texts,
    qpdf_check,
    reddish_pixels,
    squash,
)


@pytest.fixture(scope="module")
def demo(render_once) -> Rendered:
    return render_once(lambda user: create_demo_packet(owner=user))


@pytest.fixture(scope="module")
def texts(demo: Rendered) -> list[str]:
    return page_texts(demo.pdf)


def toc_entries(texts: list[str]) -> list[tuple[str, int]]:
    """(title, page) of every contents line, as a reader copies them: a title (maybe wrapped) and then its number."""
    contents = next(text for text in texts if text.lstrip().startswith("Contents"))
    entries, title = [], []
    for line in contents.splitlines()[1:]:
        line = line.strip()
        if re.fullmatch(r"\d+", line) and title:
            entries.append((" ".join(title), int(line)))
            title = []
        elif line and not line.startswith("Page "):
            title.append(line)
    return entries


def exhibit_ranges(demo: Rendered, texts: list[str]) -> dict[str, tuple[int, int]]:
    """Label → (first, last) packet page, as printed in the exhibit index."""
    index_text = squash(" ".join(text for text in texts if text.lstrip().startswith("Exhibit index")))
    found = {}
    for source in demo.sources:
        match = re.search(rf"(?<![A-Z]){source.label} .*?(\d+)–(\d+)", index_text)
        assert match, f"no row for exhibit {source.label} in the index"
        found[source.label] = (int(match[1]), int(match[2]))
        index_text = index_text[match.end() :]
    return found


def test_every_contents_entry_gives_the_page_where_that_heading_stands(demo: Rendered, texts: list[str]) -> None:
    entries = toc_entries(texts)
    titles = [title for title, _page in entries]
    assert "Cover letter" in titles
    assert "Exhibit index" in titles
    assert len([t for t in titles if t.startswith("Exhibit ") and t != "Exhibit index"]) == len(demo.sources)
    for title, page in entries:
        heading = title.split(" — ")[0]
        assert squash(texts[page - 1]).startswith(heading), f"{title!r} is not on page {page}"


def test_every_index_range_runs_from_the_slip_sheet_to_the_exhibit_s_last_page(
    demo: Rendered, texts: list[str]
) -> None:
    ranges = exhibit_ranges(demo, texts)
    for source, pages in zip(demo.sources, demo.exhibit_pages, strict=True):
        first, last = ranges[source.label]
        assert squash(texts[first - 1]).startswith(f"Exhibit {source.label} ")
        assert last - first == pages
        assert f"Exhibit {source.label}, page {pages} of {pages}" in texts[last - 1]
        assert f"Exhibit {source.label}, page 1 of {pages}" in texts[first]


def test_every_page_carries_its_packet_stamp_and_exhibit_pages_their_exhibit_stamp(
    demo: Rendered, texts: list[str]
) -> None:
    total = len(texts)
    for number, text in enumerate(texts, start=1):
        assert f"Page {number} of {total}" in text
    stamped = sum(1 for text in texts if re.search(r"Exhibit [A-Z]+, page \d+ of \d+", text))
    assert stamped == sum(demo.exhibit_pages)


def test_every_citation_links_to_the_first_page_of_its_exhibit(demo: Rendered, texts: list[str]) -> None:
    citations = [link for link in links(demo.pdf) if link.name.startswith("cite-")]
    assert citations, "the narrative cites no exhibit"
    labels = {f"cite-{index}": source.label for index, source in enumerate(demo.sources)}
    for link in citations:
        label = labels[link.name]
        assert f"Exhibit {label}, page 1 of" in texts[link.target - 1]
        assert f"(Exhibit {label}, p" in squash(texts[link.page - 1])


def test_the_partners_section_cites_each_partner_s_letter(demo: Rendered, texts: list[str]) -> None:
    partners_page = next(text for text in texts if text.lstrip().startswith("Partners"))
    for partner in demo.data.partners.items:
        if partner.letter_exhibit_id:
            label = next(s.label for s in demo.sources if s.id == str(partner.letter_exhibit_id))
            assert f"(Exhibit {label}, p" in squash(partners_page)


def test_every_contents_line_is_a_link_to_its_page(demo: Rendered, texts: list[str]) -> None:
    entries = dict(toc_entries(texts))
    contents_page = next(n for n, text in enumerate(texts, start=1) if text.lstrip().startswith("Contents"))
    targets = sorted({link.target for link in links(demo.pdf) if link.page == contents_page})
    assert targets == sorted(set(entries.values()))


def test_the_outline_has_one_entry_per_section_and_per_exhibit(demo: Rendered, texts: list[str]) -> None:
    bookmarks = outline(demo.pdf)
    entries = toc_entries(texts)
    assert [(b.title, b.page) for b in bookmarks] == entries
    assert [b.level for b in bookmarks if b.title.startswith("Exhibit ") and b.title != "Exhibit index"] == [2] * len(
        demo.sources
    )


def test_uploaded_pdf_text_is_still_text_in_the_packet(demo: Rendered, texts: list[str]) -> None:
    packet_text = squash(" ".join(texts))
    # The support letters are real PDFs with text; their words must survive as text, not pictures.
    assert "Riverton Fire" in packet_text
    assert sum(1 for text in texts if "Exhibit" in text and len(squash(text)) > 200) > 3


def test_a_draft_is_marked_draft_on_every_page_but_not_in_its_text(demo: Rendered, texts: list[str]) -> None:
    assert draft_marked_pages(demo.pdf) == list(range(1, len(texts) + 1))
    # A picture, so the word does not mix into the searchable text of every page.
    assert not any("DRAFT" in text for text in texts)


def test_the_draft_mark_is_visible(demo: Rendered) -> None:
    assert reddish_pixels(demo.pdf, 1) > 200


def test_the_document_says_what_it_is(demo: Rendered) -> None:
    metadata = info(demo.pdf)
    assert metadata["/Title"].startswith("Parole request: ")
    assert metadata["/Author"]
    assert metadata["/Subject"] == "Request for parole for significant public benefit"


def test_qpdf_finds_no_error(demo: Rendered, tmp_path) -> None:
    result = qpdf_check(demo.pdf, tmp_path)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "No syntax or stream encoding errors" in result.stdout


def test_every_font_of_the_demo_packet_is_embedded(demo: Rendered) -> None:
    fonts = font_names(demo.pdf)
    # Every font we set (the narrative's, the stamps') and every font of the demo's evidence files is an embedded
    # subset: a reviewer's preflight finds nothing left to the viewer.
    assert {name for name in fonts if "+" not in name} == set()
    assert {name.split("+")[1] for name in fonts if "+" in name} >= {
        "NotoSerif-Regular",
        "NotoSerif-Bold",
        "NotoSans-Regular",
    }


@pytest.mark.django_db
def test_the_same_packet_renders_to_the_same_bytes(user) -> None:
    packet = create_demo_packet(owner=user)
    first, _ = packet_pdf(packet=packet, final=False, version_number=3, created_at=RENDERED_AT)
    second, _ = packet_pdf(packet=packet, final=False, version_number=3, created_at=RENDERED_AT)
    assert first.pdf == second.pdf


def test_the_filing_checklist_follows_the_exhibits_with_the_facts_verification_date(
    demo: Rendered, texts: list[str]
) -> None:
    start = next(n for n, text in enumerate(texts) if squash(text).startswith("Filing checklist"))
    assert "Exhibit" in texts[start - 1] and ", page " in texts[start - 1]  # right after the last exhibit page
    last = squash(" ".join(texts[start:]))
    assert "Form I-131" in last and "USD 630" in last and "last verified on 2026-11-27" in last
    assert "Cascadia Structural Safety Alliance" in last  # a declaration of financial support from each supporter
