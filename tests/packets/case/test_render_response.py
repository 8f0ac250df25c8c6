"""The response to a request for evidence and the supplemental letter, read back from their PDFs: the notice first,
the items answered in order, filed exhibits cited by their filed label and real page, new labels continuing, the
contents' numbers, stamps, outline and links, DRAFT and final."""

import io
import re
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import pikepdf
import pytest
from django.conf import settings
from django.db import transaction
from django.test import override_settings

from packets.assembly.response import exhibit_pages
from packets.case.rendering import amendment_render, filed_exhibit_pages, rfe_response_render
from packets.models import CaseRender, CaseRenderKind, Filing
from packets.review.workflow import ReviewRefused
from tests.assembly.pdfread import draft_marked_pages, links, outline, page_texts, squash
from tests.builders import make_user
from tests.case_builders import make_filed_case
from tests.conftest import TEST_ENCRYPTION_KEY
from tests.packets.case.render_builders import ANSWERS, ITEMS, approve, make_amendment, make_rfe

pytestmark = pytest.mark.django_db


@dataclass(frozen=True)
class Case:
    filed_pdf: bytes
    filed_pages: dict[str, tuple[int, int]]
    draft: bytes
    final: bytes
    final_render: dict[str, Any]
    amendment: bytes
    refused: str


def _read(render: CaseRender) -> bytes:
    with render.pdf.storage.open(render.pdf.name, "rb") as handle:
        return bytes(handle.read())


@pytest.fixture(scope="module")
def case(django_db_setup: None, django_db_blocker: Any, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Case]:
    media = tmp_path_factory.mktemp("media")
    storages = {name: dict(config) for name, config in settings.STORAGES.items()}
    storages["default"]["OPTIONS"] = {"location": str(media)}
    with (
        django_db_blocker.unblock(),
        override_settings(MEDIA_ROOT=media, STORAGES=storages, ENCRYPTION_KEYS=[TEST_ENCRYPTION_KEY]),
        transaction.atomic(),
    ):
        owner, counsel = make_user("render-owner"), make_user("render-counsel")
        packet = make_filed_case(owner, counsel, real_pdf=True)
        filing = Filing.objects.select_related("filed_version").get(packet=packet)
        with filing.filed_version.pdf.open("rb") as handle:  # type: ignore[union-attr]
            filed_pdf = bytes(handle.read())
        rfe = make_rfe(packet, owner)
        draft = rfe_response_render(rfe=rfe, by=owner, final=False)
        try:
            rfe_response_render(rfe=rfe, by=owner, final=True)
            refused = ""
        except ReviewRefused as error:
            refused = str(error)
        approve(rfe, counsel)
        final = rfe_response_render(rfe=rfe, by=owner, final=True)
        amendment = amendment_render(amendment=make_amendment(packet, owner), by=owner, final=True)
        yield Case(
            filed_pdf=filed_pdf,
            filed_pages=filed_exhibit_pages(filing),
            draft=_read(draft),
            final=_read(final),
            final_render={
                "kind": final.kind,
                "final": final.final,
                "layout": final.layout,
                "pages": final.page_count,
                "source_revision": final.source_revision,
                "draft_final": draft.final,
            },
            amendment=_read(amendment),
            refused=refused,
        )
        transaction.set_rollback(True)


@pytest.fixture(scope="module")
def texts(case: Case) -> list[str]:
    return page_texts(case.final)


def _dests(pdf: bytes) -> dict[str, int]:
    with pikepdf.open(io.BytesIO(pdf)) as document:
        index = {page.objgen: number for number, page in enumerate(document.pages, start=1)}
        return {
            str(name): index[target[0].objgen] for name, target in pikepdf.NameTree(document.Root.Names.Dests).items()
        }


def test_the_request_notice_is_page_one(texts: list[str]) -> None:
    assert "RFE notice from the agency" in texts[0]
    assert "page 1 of 2" in texts[0]
    assert "RFE notice from the agency" in texts[1]
    assert texts[2].lstrip().startswith("Response to request for evidence")


def test_every_item_is_answered_in_order(texts: list[str]) -> None:
    letter = squash(texts[2])
    positions = []
    for number, (text, answer) in enumerate(zip(ITEMS, ANSWERS, strict=True), start=1):
        positions += [letter.index(f"Item {number} {text}"), letter.index(answer)]
    assert positions == sorted(positions)


def test_a_filed_exhibit_is_cited_by_its_filed_label_and_its_real_page_in_the_filed_packet(
    case: Case, texts: list[str]
) -> None:
    filed = _dests(case.filed_pdf)
    assert case.filed_pages["A"] == (filed["cite-0"], 1)
    assert case.filed_pages["B"] == (filed["cite-1"], 2)
    letter = squash(texts[2])
    assert f"Exhibit A of the filed packet, page {filed['cite-0']}" in letter
    # Item 3 cites page 2 of Exhibit B: the packet page of B's last page.
    assert f"Exhibit B of the filed packet, page {filed['exhibit-end-1']}" in letter
    assert f"Exhibit C of the filed packet, page {filed['cite-2']}" in letter
    assert "Exhibit B, page 2 of 2" in page_texts(case.filed_pdf)[filed["exhibit-end-1"] - 1]


def test_new_exhibits_continue_after_the_filed_labels(texts: list[str]) -> None:
    joined = squash(" ".join(texts))
    assert "Exhibit D — Revised training plan" in joined
    assert "Exhibit E — District letter of support" in joined
    assert not re.search(r"Exhibit [ABC], page \d+ of", joined)  # the filed ones are cited, not enclosed again


def test_the_contents_give_the_real_pages(case: Case, texts: list[str]) -> None:
    contents = squash(next(text for text in texts if text.lstrip().startswith("Contents")))
    expected = {
        "Request for evidence notice": 1,
        "Response to request for evidence": 3,
        "Exhibit index": next(n for n, t in enumerate(texts, 1) if t.lstrip().startswith("Exhibit index")),
        "Exhibit D — Revised training plan": next(
            n for n, t in enumerate(texts, 1) if "Exhibit D — Revised" in t and "follow" in t
        ),
        "Exhibit E — District letter of support": next(
            n for n, t in enumerate(texts, 1) if "Exhibit E — District" in t and "follow" in t
        ),
    }
    for title, page in expected.items():
        assert f"{title} {page}" in contents


def test_every_page_is_numbered_and_every_exhibit_page_stamped(texts: list[str]) -> None:
    total = len(texts)
    for number, text in enumerate(texts, start=1):
        assert f"Page {number} of {total}" in text
    stamps = [match for text in texts for match in re.findall(r"Exhibit [A-Z]+, page \d+ of \d+", text)]
    assert stamps == ["Exhibit D, page 1 of 2", "Exhibit D, page 2 of 2", "Exhibit E, page 1 of 1"]


def test_the_outline_has_the_notice_the_letter_the_contents_the_index_and_each_exhibit(case: Case) -> None:
    titles = [(bookmark.title, bookmark.level) for bookmark in outline(case.final)]
    assert titles == [
        ("Request for evidence notice", 1),
        ("Response to request for evidence", 1),
        ("Contents", 1),
        ("Exhibit index", 1),
        ("Exhibit D — Revised training plan", 2),
        ("Exhibit E — District letter of support", 2),
    ]


def test_citations_of_new_exhibits_link_to_their_first_page(case: Case, texts: list[str]) -> None:
    cited = [link for link in links(case.final) if link.name.startswith("cite-") and link.page == 3]
    assert {link.name for link in cited} == {"cite-3", "cite-4"}  # D and E keep their index across the case
    for link in cited:
        label = "D" if link.name == "cite-3" else "E"
        assert f"Exhibit {label}, page 1 of" in texts[link.target - 1]


def test_the_render_records_where_each_new_exhibit_landed(case: Case, texts: list[str]) -> None:
    layout = case.final_render["layout"]
    assert set(layout) == {"D", "E"}
    assert "Exhibit D, page 1 of 2" in texts[layout["D"]["first_page"] - 1]
    assert layout["D"]["pages"] == 2 and layout["E"]["pages"] == 1
    assert exhibit_pages(case.final)[3] == (layout["D"]["first_page"], 2)
    assert case.final_render["kind"] == CaseRenderKind.RFE_RESPONSE
    assert case.final_render["pages"] == len(texts)


def test_a_draft_is_marked_on_every_page_and_a_final_on_none(case: Case) -> None:
    assert draft_marked_pages(case.draft) == list(range(1, len(page_texts(case.draft)) + 1))
    assert draft_marked_pages(case.final) == []
    assert case.final_render["final"] is True and case.final_render["draft_final"] is False


def test_the_final_is_refused_until_counsel_approved_the_response_as_it_is(case: Case) -> None:
    assert "counsel has approved it" in case.refused


def test_the_amendment_pdf_is_the_supplemental_letter_and_its_new_exhibit(case: Case) -> None:
    texts = page_texts(case.amendment)
    assert texts[0].lstrip().startswith("Supplemental information")
    assert "Departure moved to 2027-09-30" in squash(texts[0])
    assert "IOE0123456789" in texts[0]
    stamps = [match for text in texts for match in re.findall(r"Exhibit [A-Z]+, page \d+ of \d+", text)]
    assert stamps == ["Exhibit F, page 1 of 1"]  # after D and E of the response
    assert [bookmark.title for bookmark in outline(case.amendment)][-1] == "Exhibit F — New project schedule"
    assert any(link.name == "cite-5" and link.page == 1 for link in links(case.amendment))


def test_a_packet_filed_outside_the_app_cites_without_page_numbers(user: Any) -> None:
    packet = make_filed_case(user)
    filing = Filing.objects.get(packet=packet)
    filing.filed_version, filing.filed_outside_app = None, True
    filing.save()
    assert filed_exhibit_pages(filing) == {}
    rendered = rfe_response_render(rfe=make_rfe(packet, user, with_notice=False), by=user, final=False)
    letter = squash(page_texts(_read(rendered))[0])
    assert letter.startswith("Response to request for evidence")
    assert "Exhibit A of the filed packet, page 1 of the exhibit" in letter
    assert "Exhibit C of the filed packet;" in letter
