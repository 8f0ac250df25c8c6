"""Rendering from the browser: start, progress (with and without JavaScript), versions, downloads, cover letter."""

import hashlib
from typing import Any

import pytest
from django.core.management import call_command
from django.urls import reverse

from packets.assembly.exhibits import cache_dir
from packets.content.services import ExhibitUpload, exhibit_add, packet_save_section
from packets.models import Membership, PacketVersion, RenderJob, RenderState, Role
from tests.assembly.pdfread import page_texts, squash
from tests.builders import make_packet, make_user, pdf_bytes, upload

pytestmark = pytest.mark.django_db


def small_packet(user: Any) -> Any:
    packet = make_packet(user, project={"title": "Bridge inspection", "summary": "Inspect the bridge."})
    exhibit_add(
        packet=packet,
        upload=ExhibitUpload(file=upload("letter.pdf", pdf_bytes(2), "application/pdf"), kind="other", title="Letter"),
        by=user,
    )
    return packet


def pdf_of(response: Any) -> bytes:
    return b"".join(response.streaming_content)


def test_rendering_from_the_packet_page_stores_a_version_and_shows_its_download(logged_in_client, user) -> None:
    packet = small_packet(user)
    detail = logged_in_client.get(reverse("packet_detail", args=[packet.pk]))
    assert reverse("packet_render", args=[packet.pk]).encode() in detail.content
    response = logged_in_client.post(reverse("packet_render", args=[packet.pk]))
    job = RenderJob.objects.get(packet=packet)
    assert response.url == reverse("packet_render_job", args=[packet.pk, job.pk])
    assert job.state == RenderState.DONE  # the immediate task backend ran it
    version = PacketVersion.objects.get(packet=packet)
    assert version.number == 1 and not version.final and version.created_by == user
    assert version.page_count > 5 and len(version.sha256) == 64
    page = logged_in_client.get(response.url)
    assert b'http-equiv="refresh"' not in page.content
    assert reverse("packet_version_download", args=[packet.pk, 1]).encode() in page.content
    detail = logged_in_client.get(reverse("packet_detail", args=[packet.pk]))
    assert b"Download version 1" in detail.content


def test_a_version_downloads_as_an_attachment_with_its_recorded_checksum(logged_in_client, user) -> None:
    packet = small_packet(user)
    logged_in_client.post(reverse("packet_render", args=[packet.pk]))
    response = logged_in_client.get(reverse("packet_version_download", args=[packet.pk, 1]))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"].startswith("attachment;")
    body = pdf_of(response)
    assert hashlib.sha256(body).hexdigest() == PacketVersion.objects.get(packet=packet).sha256
    assert "Bridge inspection" in squash(" ".join(page_texts(body)))


def test_every_render_keeps_the_earlier_versions(logged_in_client, user) -> None:
    packet = small_packet(user)
    logged_in_client.post(reverse("packet_render", args=[packet.pk]))
    logged_in_client.post(reverse("packet_render", args=[packet.pk]))
    assert list(PacketVersion.objects.filter(packet=packet).values_list("number", flat=True)) == [2, 1]


def test_a_version_cannot_be_changed_once_stored(logged_in_client, user) -> None:
    packet = small_packet(user)
    logged_in_client.post(reverse("packet_render", args=[packet.pk]))
    version = PacketVersion.objects.get(packet=packet)
    version.page_count = 1
    with pytest.raises(ValueError, match="immutable"):
        version.save()


def test_a_queued_render_page_refreshes_itself_and_reports_status_as_json(logged_in_client, user) -> None:
    packet = small_packet(user)
    job = RenderJob.objects.create(packet=packet, requested_by=user)
    page = logged_in_client.get(reverse("packet_render_job", args=[packet.pk, job.pk]))
    assert b'<noscript><meta http-equiv="refresh" content="2"></noscript>' in page.content
    assert b"render-progress.js" in page.content
    status = logged_in_client.get(reverse("packet_render_status", args=[packet.pk, job.pk])).json()
    assert status["state"] == "queued" and status["label"] == "Queued" and status["status_line"] == "Status: Queued"
    assert status["message"] == "" and status["finished"] is False and status["version_url"] == ""


def test_a_failed_render_shows_why_and_keeps_earlier_versions(logged_in_client, user) -> None:
    packet = small_packet(user)
    logged_in_client.post(reverse("packet_render", args=[packet.pk]))
    exhibit = packet.exhibits.get()
    with open(exhibit.file.path, "wb") as handle:
        handle.write(b"damaged")
    for cached in cache_dir().glob("*.pdf"):
        cached.unlink()
    response = logged_in_client.post(reverse("packet_render", args=[packet.pk]), follow=True)
    assert b"The packet could not be rendered." in response.content
    assert b"Exhibit A (Letter)" in response.content
    assert PacketVersion.objects.filter(packet=packet).count() == 1
    detail = logged_in_client.get(reverse("packet_detail", args=[packet.pk]))
    assert b"The last render failed" in detail.content and b"Download version 1" in detail.content


def test_strangers_cannot_render_see_progress_or_download(client, user) -> None:
    packet = small_packet(user)
    client.force_login(user)
    client.post(reverse("packet_render", args=[packet.pk]))
    job = RenderJob.objects.get(packet=packet)
    client.force_login(make_user("mallory"))
    for url in (
        reverse("packet_render_job", args=[packet.pk, job.pk]),
        reverse("packet_render_status", args=[packet.pk, job.pk]),
        reverse("packet_version_download", args=[packet.pk, 1]),
        reverse("packet_cover_letter", args=[packet.pk]),
    ):
        assert client.get(url).status_code == 404
    assert client.post(reverse("packet_render", args=[packet.pk])).status_code == 404


def test_a_viewer_may_download_but_not_render(client, user) -> None:
    packet = small_packet(user)
    client.force_login(user)
    client.post(reverse("packet_render", args=[packet.pk]))
    viewer = make_user("vera")
    Membership.objects.create(packet=packet, user=viewer, role=Role.VIEWER)
    client.force_login(viewer)
    download = client.get(reverse("packet_version_download", args=[packet.pk, 1]))
    assert download.status_code == 200
    # Read to the end rather than close(): close() fires request_finished, which closes the test's DB connection.
    assert b"".join(download.streaming_content).startswith(b"%PDF")
    assert client.post(reverse("packet_render", args=[packet.pk])).status_code == 404
    assert b"Render a draft PDF" not in client.get(reverse("packet_detail", args=[packet.pk])).content


def test_the_cover_letter_page_starts_from_the_generated_letter_and_keeps_the_edit(logged_in_client, user) -> None:
    packet = small_packet(user)
    url = reverse("packet_cover_letter", args=[packet.pk])
    page = logged_in_client.get(url)
    assert b"respectfully request" in page.content
    assert b"Inspect the bridge." in page.content
    text = "Dear officer,\n\nWe ask for <b>parole</b>.\n\nThank you."
    response = logged_in_client.post(url, {"text": text, "revision": packet.revision, "action": "save"})
    assert response.status_code == 302
    packet.refresh_from_db()
    assert packet.content.cover_letter.text == text
    logged_in_client.post(reverse("packet_render", args=[packet.pk]))
    with PacketVersion.objects.get(packet=packet).pdf.open("rb") as handle:
        printed = squash(" ".join(page_texts(handle.read())))
    assert "We ask for <b>parole</b>." in printed
    assert "respectfully request" not in printed


def test_saving_the_generated_letter_unchanged_keeps_it_generated(logged_in_client, user) -> None:
    packet = small_packet(user)
    url = reverse("packet_cover_letter", args=[packet.pk])
    generated = logged_in_client.get(url).context["text"]
    logged_in_client.post(url, {"text": generated, "revision": packet.revision, "action": "save"})
    packet.refresh_from_db()
    assert packet.content.cover_letter.text == ""
    packet = packet_save_section(
        packet=packet, section="project", value={"title": "Tunnel inspection"}, base_revision=packet.revision, by=user
    )
    assert b"Tunnel inspection" in logged_in_client.get(url).content


def test_render_packet_command_writes_the_pdf(user, tmp_path) -> None:
    packet = small_packet(user)
    out = tmp_path / "packet.pdf"
    call_command("render_packet", str(packet.pk), "-o", str(out), "--final")
    texts = page_texts(out.read_bytes())
    assert "Bridge inspection" in squash(" ".join(texts))
    assert f"Page {len(texts)} of {len(texts)}" in texts[-1]
    assert not PacketVersion.objects.filter(packet=packet).exists()
