"""A render that fails on an exhibit says which exhibit and what to do, in plain words, never the PDF library's."""

import hashlib
import logging
from typing import Any

import pytest
from django.core.files.base import ContentFile
from django.urls import reverse

from packets.assembly.exhibits import cache_dir
from packets.models import Exhibit, RenderJob, RenderState
from tests.builders import pdf_bytes
from tests.packets.rendering.test_render_views import small_packet

pytestmark = pytest.mark.django_db

INTERNALS = ("pikepdf", "qpdf", "object", "stream", "xref", "trailer", "Kids", "Traceback", "BytesIO")


def damage_the_stored_file(exhibit: Exhibit, data: bytes) -> None:
    """Replace the stored file through the storage, with a checksum to match (as if an older check had let it
    through), and forget the normalised copy made at upload, so the render must read the file again."""
    storage, name = exhibit.file.storage, exhibit.file.name
    storage.delete(name)
    saved = storage.save(name, ContentFile(data))
    Exhibit.objects.filter(pk=exhibit.pk).update(file=saved, sha256=hashlib.sha256(data).hexdigest())
    for cached in cache_dir().glob("*.pdf"):
        cached.unlink()


@pytest.mark.parametrize(
    "damaged",
    [
        pytest.param(lambda data: data[: len(data) // 2], id="cut-in-half"),
        pytest.param(lambda data: b"%PDF-1.7\n1 0 obj\n<< /Type /Catalog >>\nstream\nxx", id="no-trailer"),
    ],
)
def test_a_render_failing_on_a_damaged_exhibit_names_it_and_says_what_to_do_without_internals(
    logged_in_client: Any, user: Any, caplog: pytest.LogCaptureFixture, damaged: Any
) -> None:
    packet = small_packet(user)
    damage_the_stored_file(packet.exhibits.get(), damaged(pdf_bytes(2)))
    with caplog.at_level(logging.WARNING):
        response = logged_in_client.post(reverse("packet_render", args=[packet.pk]), follow=True)
    job = RenderJob.objects.get(packet=packet)
    assert job.state == RenderState.FAILED
    page = response.content.decode()
    status = logged_in_client.get(reverse("packet_render_status", args=[packet.pk, job.pk])).json()
    detail = logged_in_client.get(reverse("packet_detail", args=[packet.pk])).content.decode()
    for shown in (page, status["message"], detail, job.message):
        assert "Exhibit A (Letter)" in shown
        assert "damaged" in shown and "upload" in shown.lower()
        for word in INTERNALS:
            assert word not in shown, (word, shown)
    # The technical reason is kept for whoever runs the site.
    assert "could not be normalised" in caplog.text
    assert "trailer" in caplog.text or "Kids" in caplog.text
