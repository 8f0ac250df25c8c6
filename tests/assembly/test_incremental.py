"""Re-rendering after an edit: only the parts the edit touched are laid out again, the page numbers still follow every
change, nothing readable is left in the cache, and exhibits are prepared once, when they are uploaded."""

from pathlib import Path

import pytest
from django.conf import settings

from packets.content.services import packet_delete, packet_save_section
from packets.evidence.sandbox import recording
from packets.models import Packet, PacketVersion
from packets.rendering.versions import packet_render
from tests.assembly.conftest import add_exhibit
from tests.assembly.pdfread import links, outline, page_texts, squash
from tests.assembly.test_packet_pdf import toc_entries
from tests.builders import make_packet, pdf_bytes

PROSE = "The assessment team inspects one school building a day and reports to the district the same evening. "


def parts_folder(packet: Packet) -> Path:
    return Path(settings.MEDIA_ROOT) / "cache" / "layout" / str(packet.pk)


def cached_parts(packet: Packet) -> set[str]:
    return {path.name for path in parts_folder(packet).glob("*.pdf")}


def edit(packet: Packet, section: str, **values: object) -> Packet:
    value = {**packet.data.get(section, {}), **values}
    return packet_save_section(packet=packet, section=section, value=value, base_revision=packet.revision, by=None)


def pdf_of(version: PacketVersion) -> bytes:
    with version.pdf.open("rb") as handle:
        return handle.read()


def a_packet(user) -> Packet:
    packet = make_packet(
        user,
        project={"title": "Seismic screening", "summary": PROSE * 12},
        risk={"scope_change": PROSE * 10},
        exit={"exit_strategy": PROSE * 6},
        monitoring={"reporting_channels": PROSE * 6},
    )
    add_exhibit(packet, user, "letter.pdf", pdf_bytes(2, text="letter from the district"), "District letter")
    add_exhibit(packet, user, "plan.pdf", pdf_bytes(3, text="training plan pages"), "Safety plan", kind="plan")
    return packet


@pytest.mark.django_db
def test_a_text_edit_lays_out_again_only_the_parts_it_touched(user) -> None:
    packet = a_packet(user)
    packet_render(packet=packet, final=False, by=user)
    before = cached_parts(packet)
    packet = edit(packet, "risk", scope_change=PROSE * 10 + "Aftershocks stop the work for the day.")
    version = packet_render(packet=packet, final=False, by=user)
    after = cached_parts(packet)
    # New: the risk section, and the cover (it prints the version number). Every other part came from the cache,
    # and the two replaced entries are gone, so the cache holds exactly what the last render used.
    assert len(after - before) == 2
    assert len(before - after) == 2
    assert "Aftershocks stop the work for the day." in squash(" ".join(page_texts(pdf_of(version))))


@pytest.mark.django_db
def test_page_numbers_follow_a_section_that_grows_between_renders(user) -> None:
    packet = a_packet(user)
    first = pdf_of(packet_render(packet=packet, final=False, by=user))
    packet = edit(packet, "project", summary=PROSE * 90)  # several pages longer
    second = pdf_of(packet_render(packet=packet, final=False, by=user))
    texts = page_texts(second)
    assert len(texts) > len(page_texts(first)) + 2
    entries = toc_entries(texts)
    assert "The project and its public benefit" in [title for title, _page in entries]
    for title, page in entries:
        assert squash(texts[page - 1]).startswith(title.split(" — ")[0]), f"{title!r} is not on page {page}"
    assert [(mark.title, mark.page) for mark in outline(second)] == entries
    citations = [link for link in links(second) if link.name.startswith("cite-")]
    assert citations
    for link in citations:
        assert "Exhibit B, page 1 of 3" in texts[link.target - 1]  # the safety plan, cited by "Risk management"


@pytest.mark.django_db
def test_cached_parts_are_encrypted_like_every_stored_file(user) -> None:
    packet = make_packet(user, beneficiary={"full_name": "Oksana Lysenko"}, project={"title": "Flood gauges"})
    packet_render(packet=packet, final=False, by=user)
    entries = list(parts_folder(packet).glob("*.pdf"))
    assert entries
    for entry in entries:
        raw = entry.read_bytes()
        assert not raw.startswith(b"%PDF")
        assert b"Lysenko" not in raw and b"Flood gauges" not in raw


@pytest.mark.django_db
def test_deleting_a_packet_deletes_its_cached_parts(user, django_capture_on_commit_callbacks) -> None:
    packet = make_packet(user, project={"title": "Flood gauges"})
    packet_render(packet=packet, final=False, by=user)
    folder = parts_folder(packet)
    assert any(folder.glob("*.pdf"))
    with django_capture_on_commit_callbacks(execute=True):
        packet_delete(packet=packet)
    assert not any(folder.glob("*.pdf"))


@pytest.mark.django_db
def test_an_exhibit_is_prepared_when_it_is_uploaded_not_at_every_render(
    user, django_capture_on_commit_callbacks
) -> None:
    packet = make_packet(user, project={"title": "Flood gauges"})
    with recording() as uploads, django_capture_on_commit_callbacks(execute=True):
        add_exhibit(packet, user, "letter.pdf", pdf_bytes(2, text="letter from the district"), "District letter")
    assert [run.command for run in uploads] == ["inspect"]  # one child checks the file and prepares its pages
    with recording() as renders:
        version = packet_render(packet=packet, final=False, by=user)
    assert renders == []  # no file is parsed again
    assert "letter from the district" in squash(" ".join(page_texts(pdf_of(version))))


@pytest.mark.django_db
def test_a_slip_sheet_stays_one_page_whatever_the_caption(user) -> None:
    packet = make_packet(user, project={"title": "Flood gauges"})
    long_words = " ".join(["Interdepartmental-coordination-memorandum"] * 5)
    add_exhibit(packet, user, "a.pdf", pdf_bytes(1), (long_words * 2)[:200])
    add_exhibit(packet, user, "b.pdf", pdf_bytes(2), "Second letter")
    texts = page_texts(pdf_of(packet_render(packet=packet, final=False, by=user)))
    slip_a = next(n for n, text in enumerate(texts) if squash(text).startswith("Exhibit A "))
    assert "Exhibit A, page 1 of 1" in texts[slip_a + 1]
    assert squash(texts[slip_a + 2]).startswith("Exhibit B ")
