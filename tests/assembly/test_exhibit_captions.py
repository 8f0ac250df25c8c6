"""The exhibit index, the slip sheets and the evidence lists say an exhibit's issuer once, read back from the PDF."""

from datetime import date

from packets.assembly.exhibits import ExhibitSource
from packets.assembly.html import IndexRow, PrintMeta, index_part, print_parts
from packets.assembly.narrative import PrintExhibit
from packets.assembly.render import layout
from packets.demo.scenario import riverton_content
from tests.assembly.pdfread import page_texts, squash

META = PrintMeta(packet_name="Riverton", version_number=1, final=False, rendered_on=date(2026, 11, 27))
FIRE = "Riverton Fire & Rescue"


def _letter() -> PrintExhibit:
    source = ExhibitSource(
        id="6f1d7c1e-2b0a-4a53-9a39-5a8f0d1e7c42", label="A", kind="support_letter", kind_label="Support letter",
        title=f"Letter of support, {FIRE}", issuer=FIRE, issued_on="2026-11-02", sha256="0" * 64,
        content_type="application/pdf", read=lambda: b"", pages=2,
    )  # fmt: skip
    return PrintExhibit(index=0, source=source, pages=2)


def test_a_slip_sheet_names_the_issuer_once() -> None:
    parts = print_parts(riverton_content(), [_letter()], META)
    assert parts.slips is not None
    slip = squash(page_texts(layout(parts.slips.html))[0])
    assert f"Exhibit A — Letter of support, {FIRE}, 2026-11-02" in slip
    assert slip.count(FIRE) == 1


def test_the_exhibit_index_shows_the_title_and_the_issuer_each_in_its_column() -> None:
    index = squash(page_texts(layout(index_part([IndexRow(exhibit=_letter(), first=20, last=22)]).html))[0])
    assert f"A Letter of support {FIRE} 2026-11-02 20–22" in index
    assert index.count(FIRE) == 1
