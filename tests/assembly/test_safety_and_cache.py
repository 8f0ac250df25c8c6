"""Hostile text stays text, the URL fetcher serves only our assets, a broken exhibit fails the render by name, and
normalised exhibits are reused from the cache."""

import io
import shutil
import typing

import pikepdf
import pytest
import weasyprint

from packets.assembly.exhibits import cache_dir
from packets.assembly.fetcher import BASE_URL, Asset, PacketURLFetcher, RefusedURL
from packets.assembly.layout import weasyprint_problems
from packets.assembly.render import layout
from packets.content.schema import PacketData
from packets.content.services import packet_save_section
from packets.models import Exhibit, RenderJob, RenderState
from packets.rendering.versions import packet_pdf, packet_render, render_job_run
from tests.assembly.conftest import RENDERED_AT, Rendered, add_exhibit
from tests.assembly.pdfread import draft_marked_pages, page_texts, squash
from tests.builders import make_packet, pdf_bytes

HOSTILE = (
    '<img src="file:///etc/passwd"><link rel="attachment" href="file:///etc/passwd">'
    "<style>p{background:url(http://127.0.0.1:1/)}</style><b>bold?</b>"
)


def hostile_content() -> dict[str, dict[str, typing.Any]]:
    """Every free-text field of every section (not e-mails or phones, which are validated) set to ``HOSTILE``."""
    sections: dict[str, dict[str, typing.Any]] = {}
    for name, info in PacketData.model_fields.items():
        if name == "schema_version":
            continue
        model = info.annotation
        values = {}
        for field_name, field in model.model_fields.items():
            if field.annotation is str and "email" not in field_name and "phone" not in field_name:
                values[field_name] = HOSTILE
        sections[name] = values
    sections["partners"] = {"items": [{"name": HOSTILE, "role": HOSTILE}]}
    sections["timeline"]["milestones"] = [{"description": HOSTILE, "outcome": HOSTILE}]
    sections["logistics"]["supporters"] = [{"name": HOSTILE, "covers": HOSTILE}]
    return sections


def _hostile(user):
    packet = make_packet(user, **hostile_content())
    add_exhibit(packet, user, "letter.pdf", pdf_bytes(1), HOSTILE[:200])
    return packet


@pytest.fixture(scope="module")
def hostile(render_once) -> Rendered:
    return render_once(_hostile)


def test_markup_and_css_typed_into_every_field_is_printed_as_text(hostile: Rendered) -> None:
    text = squash(" ".join(page_texts(hostile.pdf)))
    assert text.count('<img src="file:///etc/passwd">') > 30
    assert "url(http://127.0.0.1:1/)" in text
    assert '<link rel="attachment"' in text


def test_nothing_is_attached_or_fetched_into_the_pdf(hostile: Rendered) -> None:
    with pikepdf.open(io.BytesIO(hostile.pdf)) as document:
        assert "/EmbeddedFiles" not in document.Root.get("/Names", {})
        for page in document.pages:
            for annotation in page.obj.get("/Annots", []):
                assert annotation.Subtype == pikepdf.Name.Link
    assert b"root:" not in hostile.pdf


@pytest.mark.parametrize(
    "url",
    ["file:///etc/passwd", "http://127.0.0.1:1/", "https://example.org/x.css", "data:text/css,p{}", BASE_URL + "x.css"],
)
def test_the_fetcher_refuses_anything_but_our_own_assets(url: str) -> None:
    fetcher = PacketURLFetcher({BASE_URL + "print.css": Asset(b"p{}", "text/css")})
    with pytest.raises(RefusedURL):
        fetcher.fetch(url)
    assert fetcher.fetch(BASE_URL + "print.css").read() == b"p{}"


def test_markup_that_asks_for_a_foreign_url_stops_the_layout() -> None:
    # Our templates escape user text, so only a bug could get here; the fetcher is the second wall.
    with pytest.raises(RefusedURL):
        layout('<link rel="stylesheet" href="print.css"><img src="file:///etc/passwd">')
    with pytest.raises(RefusedURL):
        layout('<link rel="stylesheet" href="print.css"><p style="background: url(http://127.0.0.1:1/)">x</p>')


def test_an_image_the_layout_engine_cannot_load_is_an_error_not_a_gap() -> None:
    fetcher = PacketURLFetcher({BASE_URL + "broken.png": Asset(b"not an image", "image/png")})
    html = weasyprint.HTML(string='<img src="broken.png">', base_url=BASE_URL, url_fetcher=fetcher)
    with weasyprint_problems() as problems:
        html.write_pdf()
    assert problems


@pytest.mark.django_db
def test_a_broken_exhibit_fails_the_render_with_a_message_naming_it(user) -> None:
    packet = make_packet(user, project={"title": "Broken"})
    add_exhibit(packet, user, "good.pdf", pdf_bytes(1), "Good letter")
    add_exhibit(packet, user, "bad.pdf", pdf_bytes(2), "Damaged scan")
    bad = next(e for e in Exhibit.objects.filter(packet=packet) if e.title == "Damaged scan")
    with open(bad.file.path, "wb") as handle:
        handle.write(b"%PDF-1.4 garbage")
    # A committed upload keeps its prepared pages in the cache; a packet imported from an archive, or a cache emptied
    # by hand, has them prepared at render time from the stored files, where the damaged one is found.
    shutil.rmtree(cache_dir(), ignore_errors=True)
    job = RenderJob.objects.create(packet=packet, requested_by=user)
    job = render_job_run(job_id=str(job.pk))
    assert job.state == RenderState.FAILED
    assert "Exhibit B (Damaged scan)" in job.message
    assert not packet.versions.exists()


@pytest.mark.django_db
def test_re_rendering_after_a_text_edit_reuses_the_normalised_exhibits(user) -> None:
    packet = make_packet(user, project={"title": "Cached"})
    add_exhibit(packet, user, "letter.pdf", pdf_bytes(3, text="cached letter text"), "Letter")
    packet_render(packet=packet, final=False, by=user)
    cached = list(cache_dir().glob("*.pdf"))
    assert len(cached) == 1
    # The cache is encrypted like every stored file: a copied media folder shows no PDF and none of its text.
    raw = cached[0].read_bytes()
    assert not raw.startswith(b"%PDF") and b"cached letter text" not in raw
    # Without its upload the exhibit can only come from the cache.
    exhibit = Exhibit.objects.get(packet=packet)
    exhibit.file.storage.delete(exhibit.file.name)
    packet = packet_save_section(
        packet=packet, section="project", value={"title": "Cached, edited"}, base_revision=packet.revision, by=user
    )
    version = packet_render(packet=packet, final=False, by=user)
    with version.pdf.open("rb") as handle:
        text = squash(" ".join(page_texts(handle.read())))
    assert "Cached, edited" in text
    assert "cached letter text" in text


@pytest.mark.django_db
def test_a_final_render_has_no_draft_mark(user) -> None:
    packet = make_packet(user, project={"title": "Final"})
    rendered, _ = packet_pdf(packet=packet, final=True, version_number=1, created_at=RENDERED_AT)
    assert draft_marked_pages(rendered.pdf) == []
    assert "(draft)" not in " ".join(page_texts(rendered.pdf))
