"""The packet as a tagged PDF, read back: what a screen reader or a PDF/UA checker would walk (the structure tree from
its root, in order), and what a viewer shows (its language, its title in the title bar)."""

import io
import re
import subprocess
from pathlib import Path

import pikepdf
import pytest

from packets.demo.scenario import create_demo_packet
from packets.rendering.versions import packet_render
from tests.assembly.conftest import Rendered
from tests.assembly.pdfread import info, links, outline, qpdf_check, tool
from tests.assembly.structure import Tree, page_content, structure
from tests.assembly.test_incremental import PROSE, a_packet, edit, pdf_of


@pytest.fixture(scope="module")
def demo(render_once) -> Rendered:
    return render_once(lambda user: create_demo_packet(owner=user))


@pytest.fixture(scope="module")
def tree(demo: Rendered) -> Tree:
    return structure(demo.pdf)


def pdfinfo(pdf: bytes, folder: Path) -> dict[str, str]:
    path = folder / "packet.pdf"
    path.write_bytes(pdf)
    output = subprocess.run([tool("pdfinfo"), str(path)], capture_output=True, text=True, check=True).stdout  # noqa: S603
    return {key.strip(): value.strip() for key, value in re.findall(r"^([^:]+):(.*)$", output, re.MULTILINE)}


def figure_alts(tree: Tree) -> list[tuple[int | None, str]]:
    return [(element.page, element.alt) for element in tree.elements if element.tag == "Figure"]


def expected_figures(demo: Rendered) -> list[str]:
    return [
        f"Exhibit {source.label}, page {page} of {pages}: {source.caption}"
        for source, pages in zip(demo.sources, demo.exhibit_pages, strict=True)
        for page in range(1, pages + 1)
    ]


def test_pdfinfo_says_the_packet_is_tagged_and_shows_its_title(demo: Rendered, tmp_path: Path) -> None:
    shown = pdfinfo(demo.pdf, tmp_path)
    assert shown["Tagged"] == "yes"
    assert shown["Title"] == info(demo.pdf)["/Title"]
    assert shown["Title"].startswith("Parole request: Lucía Fernández Ortega")
    assert shown["Metadata Stream"] == "yes"


def test_the_viewer_is_told_the_language_and_to_show_the_title(demo: Rendered) -> None:
    with pikepdf.open(io.BytesIO(demo.pdf)) as document:
        assert str(document.Root.Lang) == "en-US"
        assert document.Root.MarkInfo.Marked is True
        assert document.Root.ViewerPreferences.DisplayDocTitle is True
        assert document.open_metadata()["dc:title"] == str(document.docinfo.Title)


def test_the_tree_holds_the_narrative_s_headings_paragraphs_tables_lists_and_links(tree: Tree) -> None:
    tags = tree.tags()
    assert tags[0] == "Document"
    for tag in ("H1", "H2", "P", "Table", "TR", "TH", "TD", "L", "LI", "Link", "Figure"):
        assert tag in tags, f"no {tag} element"
    assert tree.dangling == []


def test_the_exhibit_index_is_a_table_with_a_row_per_exhibit(demo: Rendered, tree: Tree) -> None:
    index_page = next(mark.page for mark in outline(demo.pdf) if mark.title == "Exhibit index")
    rows = [e for e in tree.elements if e.tag == "TR" and e.page is not None and e.page >= index_page]
    first_figure = next(e.page for e in tree.elements if e.tag == "Figure")
    assert len([row for row in rows if row.page is not None and row.page < first_figure]) == len(demo.sources) + 1


def test_reading_order_is_packet_order(demo: Rendered, tree: Tree) -> None:
    top = [element for element in tree.elements if element.depth == 1]
    pages = [element.page for element in top]
    assert pages == sorted(pages, key=lambda page: page or 0)
    first_heading = next(element for element in tree.elements if element.tag.startswith("H"))
    assert (first_heading.tag, first_heading.page) == ("H1", 1)  # the cover's title
    heading_pages = {element.page for element in tree.elements if element.tag == "H1"}
    assert {mark.page for mark in outline(demo.pdf)} <= heading_pages  # every part and slip sheet opens with one


def test_every_exhibit_page_is_a_figure_described_by_the_exhibit_s_caption(demo: Rendered, tree: Tree) -> None:
    figures = figure_alts(tree)
    assert [alt for _page, alt in figures] == expected_figures(demo)
    assert figures[0][1].startswith("Exhibit A, page 1 of ")
    for page, _alt in figures:
        assert page is not None
        assert b"/Figure <</MCID 0>> BDC" in page_content(demo.pdf, page)


def test_every_link_is_a_link_element_whose_annotation_is_on_its_page(demo: Rendered, tree: Tree) -> None:
    owners = {}
    for element in tree.elements:
        for annot in element.annots:
            owners[annot] = element
    assert [element for element in tree.elements if element.tag == "Link" and element.annots]
    link_pages = {link.page for link in links(demo.pdf)}
    assert link_pages  # the contents, the exhibit index and the citations link inside the packet
    for (page, _index), element in owners.items():
        assert (element.tag, element.page) == ("Link", page)
    # every link annotation is owned by exactly one element, and its /StructParent names that element
    for annot, number in tree.annot_struct_parents.items():
        assert annot in owners, f"the link annotation {annot} is in no structure element"
        assert tree.parent_tree[number] == owners[annot].objgen
    assert set(owners) == set(tree.annot_struct_parents)


def test_a_link_describes_where_it_goes(demo: Rendered) -> None:
    with pikepdf.open(io.BytesIO(demo.pdf)) as document:
        descriptions = [
            str(annot.Contents)
            for page in document.pages
            for annot in page.obj.get("/Annots", [])
            if annot.get("/Subtype") == pikepdf.Name.Link
        ]
    assert descriptions == [f"Go to page {link.target}" for link in links(demo.pdf)]


def test_every_page_with_marked_content_has_its_entry_in_the_parent_tree(tree: Tree) -> None:
    by_objgen = {element.objgen: element for element in tree.elements}
    for number, (struct_parents, mcids) in enumerate(
        zip(tree.page_struct_parents, tree.page_mcids, strict=True), start=1
    ):
        if not mcids:
            continue
        assert struct_parents is not None, f"page {number} has marked content but no /StructParents"
        entry = tree.parent_tree[struct_parents]
        assert isinstance(entry, list)
        for mcid in mcids:
            owner = by_objgen[entry[mcid]]
            assert owner.page == number
            assert mcid in owner.mcids
    numbers = [n for n in tree.page_struct_parents if n is not None] + list(tree.annot_struct_parents.values())
    assert len(numbers) == len(set(numbers)) == len(tree.parent_tree)  # no two parts share a number


def test_the_file_holds_only_packet_pages_and_passes_qpdf(demo: Rendered, tmp_path: Path) -> None:
    assert qpdf_check(demo.pdf, tmp_path).returncode == 0
    with pikepdf.open(io.BytesIO(demo.pdf)) as document:
        page_objects = [
            obj
            for obj in document.objects
            if isinstance(obj, pikepdf.Dictionary) and obj.get("/Type") == pikepdf.Name.Page
        ]
        assert len(page_objects) == len(document.pages) == int(pdfinfo(demo.pdf, tmp_path)["Pages"])


def test_the_page_stamps_are_artifacts(demo: Rendered) -> None:
    assert b"/Artifact BMC q /PWStamp Do Q EMC" in page_content(demo.pdf, 1)
    assert b"/Artifact BMC q /PWStamp Do Q EMC" in page_content(demo.pdf, len(structure(demo.pdf).page_mcids))


@pytest.mark.django_db
def test_a_re_render_after_an_edit_keeps_one_whole_tree(user, tmp_path: Path) -> None:
    packet = a_packet(user)
    first = structure(pdf_of(packet_render(packet=packet, final=False, by=user)))
    packet = edit(packet, "risk", scope_change=PROSE * 40)  # the risk section alone is laid out again, longer
    pdf = pdf_of(packet_render(packet=packet, final=False, by=user))
    second = structure(pdf)
    assert second.dangling == []
    assert len(second.page_mcids) > len(first.page_mcids)
    assert [alt for _page, alt in figure_alts(second)] == [alt for _page, alt in figure_alts(first)]
    assert qpdf_check(pdf, tmp_path).returncode == 0
    for struct_parents, mcids in zip(second.page_struct_parents, second.page_mcids, strict=True):
        assert not mcids or struct_parents in second.parent_tree
