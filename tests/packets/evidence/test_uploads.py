"""Uploaded evidence: judged by content, refused in plain words, stored under our own names, served only to members."""

import io
import os
import struct
import zlib
from pathlib import Path
from typing import Any

import pytest
from django.conf import settings
from django.test import Client
from django.urls import reverse

from packets.assembly.exhibits import cache_dir
from packets.evidence.uploads import UploadRejected, inspect_upload
from packets.models import Exhibit
from tests.builders import encrypted_pdf_bytes, jpeg_bytes, make_packet, make_user, pdf_bytes, png_bytes, upload
from tests.parole_wizard.pages import open_step, step_url, submit_step


def _png_declaring(width: int, height: int) -> bytes:
    """A tiny PNG whose header claims ``width`` × ``height`` pixels: a decompression bomb's calling card."""

    def chunk(kind: bytes, body: bytes) -> bytes:
        return struct.pack(">I", len(body)) + kind + body + struct.pack(">I", zlib.crc32(kind + body))

    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", zlib.compress(b"\0" * 64)) + chunk(b"IEND", b"")
    )


def _noise_png(side: int) -> bytes:
    """A PNG that does not compress (random pixels): about 3 × side² bytes."""
    from PIL import Image

    buffer = io.BytesIO()
    Image.frombytes("RGB", (side, side), os.urandom(3 * side * side)).save(buffer, "PNG")
    return buffer.getvalue()


def _files_in_media() -> list[Path]:
    return [path for path in Path(settings.MEDIA_ROOT).rglob("*") if path.is_file()]


def _inspect(name: str, data: bytes) -> Any:
    return inspect_upload(io.BytesIO(data), size=len(data), name=name)


# ── What a file is, by its content ──────────────────────────────────────────────────────────────────────────────


@pytest.mark.parametrize(
    ("name", "data", "content_type", "pages"),
    [
        ("letter.pdf", pdf_bytes(pages=3), "application/pdf", 3),
        ("passport.jpg", jpeg_bytes(), "image/jpeg", 1),
        ("scan.png", png_bytes(), "image/png", 1),
        ("letter.jpg", pdf_bytes(pages=2), "application/pdf", 2),  # the name lies; the content decides
        ("photo", jpeg_bytes(), "image/jpeg", 1),
    ],
)
def test_pdf_jpeg_and_png_are_recognised_by_their_content(
    name: str, data: bytes, content_type: str, pages: int
) -> None:
    inspected = _inspect(name, data)

    assert inspected.content_type == content_type
    assert inspected.page_count == pages
    assert inspected.size == len(data)


REFUSED = [
    ("notes.pdf", b"These are my notes, not a PDF.\n" * 20, "is not a PDF, JPEG or PNG"),
    ("locked.pdf", encrypted_pdf_bytes(), "is password-protected"),
    ("cut.pdf", pdf_bytes(pages=3)[:600], "is damaged and cannot be read"),
    ("cut-end.pdf", pdf_bytes(pages=3)[:-40], "is damaged and cannot be read"),
    ("garbage.pdf", b"%PDF-1.7\n" + b"\x00garbage" * 100, "is damaged and cannot be read"),
    ("bomb.png", _png_declaring(20_000, 20_000), "has too many pixels"),
    ("wide.png", _png_declaring(100_000, 1_000), "has too many pixels"),
    ("cut.jpg", jpeg_bytes()[:4000], "is damaged and cannot be read"),
    ("cut.png", png_bytes()[:3000], "is damaged and cannot be read"),
    ("page.gif", b"GIF89a" + b"\0" * 100, "is not a PDF, JPEG or PNG"),
    ("page.html", b"<html><script>alert(1)</script></html>", "is not a PDF, JPEG or PNG"),
]


@pytest.mark.parametrize(("name", "data", "message"), REFUSED)
def test_unusable_files_are_refused_with_a_plain_reason(name: str, data: bytes, message: str) -> None:
    with pytest.raises(UploadRejected) as refused:
        _inspect(name, data)

    assert message in str(refused.value)
    assert name in str(refused.value)


def test_an_empty_file_is_refused() -> None:
    with pytest.raises(UploadRejected, match="is empty"):
        _inspect("empty.pdf", b"")


def test_a_file_over_the_size_limit_is_refused_before_it_is_read(settings: Any) -> None:
    settings.EXHIBIT_MAX_BYTES = 1024 * 1024

    with pytest.raises(UploadRejected, match="is larger than 1 MB"):
        _inspect("big.pdf", b"%PDF-1.7\n" + b"0" * (1024 * 1024))


# ── Through the wizard: refused files leave nothing behind ──────────────────────────────────────────────────────


def _add_evidence(client: Client, packet: Any, file: Any, title: str = "Site safety plan") -> Any:
    _response, page = open_step(client, packet, "evidence")
    data = {**page, "evidence-title": title, "evidence-kind": "plan", "evidence-file": file, "wizard_action": "next"}
    return client.post(step_url(packet, "evidence"), data)


@pytest.mark.parametrize(("name", "data", "message"), REFUSED)
def test_a_refused_evidence_file_is_explained_and_nothing_is_stored(
    name: str, data: bytes, message: str, logged_in_client: Client, user: Any
) -> None:
    packet = make_packet(user)

    response = _add_evidence(logged_in_client, packet, upload(name, data))

    assert response.status_code == 400
    assert message in response.content.decode()
    assert not Exhibit.objects.exists()
    assert _files_in_media() == []


def test_an_empty_evidence_file_is_refused_and_nothing_is_stored(logged_in_client: Client, user: Any) -> None:
    packet = make_packet(user)

    response = _add_evidence(logged_in_client, packet, upload("empty.pdf", b""))

    assert response.status_code == 400
    assert "empty" in response.content.decode()
    assert not Exhibit.objects.exists()
    assert _files_in_media() == []


def test_an_evidence_file_over_the_limit_is_refused(settings: Any, logged_in_client: Client, user: Any) -> None:
    settings.EXHIBIT_MAX_BYTES = 1024 * 1024
    packet = make_packet(user)

    response = _add_evidence(logged_in_client, packet, upload("big.png", _noise_png(700)))

    assert response.status_code == 400
    assert "is larger than 1 MB" in response.content.decode()
    assert not Exhibit.objects.exists()
    assert _files_in_media() == []


def test_a_file_that_would_exceed_the_packet_budget_is_refused(
    settings: Any, logged_in_client: Client, user: Any
) -> None:
    settings.PACKET_MAX_BYTES = 2 * 1024 * 1024
    packet = make_packet(user)
    first = _noise_png(500)  # about 750 kB each: two fit, the third does not
    assert _add_evidence(logged_in_client, packet, upload("one.png", first)).status_code == 302
    assert _add_evidence(logged_in_client, packet, upload("two.png", _noise_png(500))).status_code == 302

    response = _add_evidence(logged_in_client, packet, upload("three.png", _noise_png(500)))

    assert response.status_code == 400
    assert "would exceed 2 MB in all" in response.content.decode()
    assert Exhibit.objects.filter(packet=packet).count() == 2
    assert len(_files_in_media()) == 2


def test_a_refused_passport_page_saves_nothing_of_the_step(logged_in_client: Client, user: Any) -> None:
    packet = make_packet(user)
    _response, page = open_step(logged_in_client, packet, "beneficiary")
    data = {**page, "beneficiary-full_name": "Lucía", "wizard_action": "next"}
    data["beneficiary-passport_file"] = upload("passport.pdf", b"not a pdf at all")

    response = logged_in_client.post(step_url(packet, "beneficiary"), data)

    assert response.status_code == 400
    assert "is not a PDF, JPEG or PNG" in response.content.decode()
    packet.refresh_from_db()
    assert packet.data["beneficiary"]["full_name"] == ""
    assert _files_in_media() == []


def test_a_good_file_on_a_step_with_a_malformed_answer_is_not_stored(logged_in_client: Client, user: Any) -> None:
    packet = make_packet(user)
    _response, page = open_step(logged_in_client, packet, "beneficiary")
    data = {**page, "beneficiary-email": "lucia@", "wizard_action": "next"}
    data["beneficiary-passport_file"] = upload("passport.jpg", jpeg_bytes())

    response = logged_in_client.post(step_url(packet, "beneficiary"), data)

    assert response.status_code == 400
    assert "Files you chose must be chosen again." in response.content.decode()
    assert not Exhibit.objects.exists()
    assert _files_in_media() == []


def test_a_file_sent_with_a_stale_edit_is_not_stored(user: Any) -> None:
    packet = make_packet(user)
    first_tab, second_tab = Client(), Client()
    first_tab.force_login(user)
    second_tab.force_login(user)
    _response, first_page = open_step(first_tab, packet, "qualifications")
    _response, second_page = open_step(second_tab, packet, "qualifications")
    submit_step(first_tab, packet, "qualifications", {"skills": "Rapid evaluation."}, page=first_page)

    data = {**second_page, "qualifications-skills": "Retrofits.", "wizard_action": "next"}
    data["qualifications-cv_file"] = upload("cv.pdf", pdf_bytes(pages=2))
    response = second_tab.post(step_url(packet, "qualifications"), data)

    assert response.status_code == 409
    assert "Files you chose were not stored" in response.content.decode()
    assert not Exhibit.objects.exists()
    assert _files_in_media() == []


# ── Stored files ────────────────────────────────────────────────────────────────────────────────────────────────


def test_an_evidence_file_is_stored_under_a_generated_name_with_its_page_count(
    logged_in_client: Client, user: Any
) -> None:
    packet = make_packet(user)

    response = _add_evidence(logged_in_client, packet, upload("Lucía secret plan.pdf", pdf_bytes(pages=3)))

    assert response.status_code == 302
    exhibit = Exhibit.objects.get(packet=packet)
    assert exhibit.page_count == 3
    assert exhibit.content_type == "application/pdf"
    assert exhibit.original_name == "Lucía secret plan.pdf"
    assert "secret" not in exhibit.file.name
    assert exhibit.file.name.startswith(f"exhibits/{packet.pk}/")
    assert [path.name for path in _files_in_media()] == [Path(exhibit.file.name).name]
    page = logged_in_client.get(step_url(packet, "evidence")).content.decode()
    assert "Site safety plan" in page
    assert 'data-label="Pages">3</td>' in page  # the page count column


def test_a_pdf_named_jpg_is_stored_as_a_pdf(logged_in_client: Client, user: Any) -> None:
    packet = make_packet(user)

    _add_evidence(logged_in_client, packet, upload("plan.jpg", pdf_bytes(pages=2), content_type="image/jpeg"))

    exhibit = Exhibit.objects.get(packet=packet)
    assert exhibit.content_type == "application/pdf"
    assert exhibit.page_count == 2


def test_evidence_needs_a_title_and_a_kind(logged_in_client: Client, user: Any) -> None:
    packet = make_packet(user)
    _response, page = open_step(logged_in_client, packet, "evidence")

    response = logged_in_client.post(
        step_url(packet, "evidence"),
        {**page, "evidence-file": upload("plan.pdf", pdf_bytes()), "wizard_action": "next"},
    )

    assert response.status_code == 400
    html = response.content.decode()
    assert "Give the file a title" in html
    assert "Choose what kind of evidence this is." in html
    assert not Exhibit.objects.exists()


def test_the_passport_page_is_stored_and_shown_on_the_step(logged_in_client: Client, user: Any) -> None:
    packet = make_packet(user)
    _response, page = open_step(logged_in_client, packet, "beneficiary")
    data = {**page, "beneficiary-full_name": "Lucía Fernández Ortega", "wizard_action": "next"}
    data["beneficiary-passport_file"] = upload("IMG_2044.JPG", jpeg_bytes())

    assert logged_in_client.post(step_url(packet, "beneficiary"), data).status_code == 302

    packet.refresh_from_db()
    exhibit = Exhibit.objects.get(packet=packet)
    assert packet.data["beneficiary"]["passport_exhibit_id"] == str(exhibit.pk)
    assert exhibit.kind == "passport"
    html = logged_in_client.get(step_url(packet, "beneficiary")).content.decode()
    assert "Uploaded: Exhibit A — Passport biographic page, Lucía Fernández Ortega (1 p.)" in html


# ── Download ────────────────────────────────────────────────────────────────────────────────────────────────────


def _download_url(exhibit: Exhibit) -> str:
    return reverse("exhibit_download", kwargs={"packet_id": exhibit.packet_id, "exhibit_id": exhibit.pk})


def test_a_download_is_an_attachment_that_browsers_may_not_sniff(logged_in_client: Client, user: Any) -> None:
    packet = make_packet(user)
    content = pdf_bytes(pages=2)
    _add_evidence(logged_in_client, packet, upload("plan.pdf", content))
    exhibit = Exhibit.objects.get()

    response = logged_in_client.get(_download_url(exhibit))

    assert response.status_code == 200
    assert response["Content-Disposition"].startswith("attachment;")
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Content-Type"] == "application/pdf"
    assert b"".join(response.streaming_content) == content  # read to the end, the test client closes the file


def test_a_pdf_uploaded_as_jpg_downloads_with_a_pdf_name(logged_in_client: Client, user: Any) -> None:
    packet = make_packet(user)
    _add_evidence(logged_in_client, packet, upload("plan.jpg", pdf_bytes()), title="Site safety plan")

    response = logged_in_client.get(_download_url(Exhibit.objects.get()))
    b"".join(response.streaming_content)  # read to the end, the test client closes the file

    assert 'filename="Site safety plan.pdf"' in response["Content-Disposition"]
    assert response["Content-Type"] == "application/pdf"


def test_a_download_is_not_found_for_someone_outside_the_packet(client: Client, user: Any) -> None:
    packet = make_packet(user)
    owner = Client()
    owner.force_login(user)
    _add_evidence(owner, packet, upload("plan.pdf", pdf_bytes()))
    client.force_login(make_user("mallory"))

    response = client.get(_download_url(Exhibit.objects.get()))

    assert response.status_code == 404


# ── Replacing and removing slot files ───────────────────────────────────────────────────────────────────────────


def _upload_cv(client: Client, packet: Any, name: str, data: bytes) -> Any:
    _response, page = open_step(client, packet, "qualifications")
    return client.post(
        step_url(packet, "qualifications"),
        {**page, "qualifications-cv_file": upload(name, data), "wizard_action": "next"},
    )


def test_replacing_the_cv_removes_the_old_file(
    logged_in_client: Client, user: Any, django_capture_on_commit_callbacks: Any
) -> None:
    packet = make_packet(user, beneficiary={"full_name": "Lucía"})
    with django_capture_on_commit_callbacks(execute=True):
        _upload_cv(logged_in_client, packet, "cv-2025.pdf", pdf_bytes(pages=2))
    old = Exhibit.objects.get(packet=packet)
    old_path = Path(settings.MEDIA_ROOT) / old.file.name
    assert old_path.exists()

    with django_capture_on_commit_callbacks(execute=True):
        response = _upload_cv(logged_in_client, packet, "cv-2026.pdf", pdf_bytes(pages=4))

    assert response.status_code == 302
    new = Exhibit.objects.get(packet=packet)
    assert new.pk != old.pk
    assert new.page_count == 4
    packet.refresh_from_db()
    assert packet.data["qualifications"]["cv_exhibit_id"] == str(new.pk)
    assert not old_path.exists()
    # Left: the new file, and the pages prepared from it for the packet PDF; the old file's are gone with it.
    assert sorted(_files_in_media()) == sorted(
        [Path(settings.MEDIA_ROOT) / new.file.name, cache_dir() / f"{new.sha256}.pdf"]
    )


def test_ticking_remove_deletes_the_passport_page_and_its_file(
    logged_in_client: Client, user: Any, django_capture_on_commit_callbacks: Any
) -> None:
    packet = make_packet(user)
    _response, page = open_step(logged_in_client, packet, "beneficiary")
    logged_in_client.post(
        step_url(packet, "beneficiary"),
        {**page, "beneficiary-passport_file": upload("p.png", png_bytes()), "wizard_action": "next"},
    )
    assert len(_files_in_media()) == 1

    with django_capture_on_commit_callbacks(execute=True):
        submit_step(logged_in_client, packet, "beneficiary", {"passport_remove": "on"})

    packet.refresh_from_db()
    assert packet.data["beneficiary"]["passport_exhibit_id"] is None
    assert not Exhibit.objects.exists()
    assert _files_in_media() == []


def _partner_row(index: int, name: str) -> dict[str, str]:
    return {
        f"partners-items-{index}-name": name,
        f"partners-items-{index}-kind": "ngo",
        f"partners-items-{index}-contact_name": "Hannah Lee",
        f"partners-items-{index}-contact_email": "hlee@example.org",
    }


def test_each_partner_gets_its_own_letter_and_removing_a_partner_removes_its_letter(
    logged_in_client: Client, user: Any, django_capture_on_commit_callbacks: Any
) -> None:
    packet = make_packet(user)
    _response, page = open_step(logged_in_client, packet, "partners")
    data = {
        **page,
        **_partner_row(0, "Cascadia Structural Safety Alliance"),
        "partners-items-0-letter_file": upload("cssa.pdf", pdf_bytes(pages=1, text="CSSA letter")),
        "wizard_action": "next",
    }
    assert logged_in_client.post(step_url(packet, "partners"), data).status_code == 302
    _response, page = open_step(logged_in_client, packet, "partners")
    data = {
        **page,
        **_partner_row(1, "Riverton Fire & Rescue"),
        "partners-items-1-letter_file": upload("fire.pdf", pdf_bytes(pages=2, text="Fire letter")),
        "wizard_action": "next",
    }
    assert logged_in_client.post(step_url(packet, "partners"), data).status_code == 302
    packet.refresh_from_db()
    items = packet.data["partners"]["items"]
    letters = {item["name"]: Exhibit.objects.get(pk=item["letter_exhibit_id"]) for item in items}
    assert letters["Cascadia Structural Safety Alliance"].page_count == 1
    assert letters["Riverton Fire & Rescue"].page_count == 2
    assert letters["Riverton Fire & Rescue"].kind == "support_letter"
    fire_file = Path(settings.MEDIA_ROOT) / letters["Riverton Fire & Rescue"].file.name

    with django_capture_on_commit_callbacks(execute=True):
        submit_step(logged_in_client, packet, "partners", {"items-1-DELETE": "on"})

    packet.refresh_from_db()
    assert [item["name"] for item in packet.data["partners"]["items"]] == ["Cascadia Structural Safety Alliance"]
    assert list(Exhibit.objects.filter(packet=packet)) == [letters["Cascadia Structural Safety Alliance"]]
    assert not fire_file.exists()
    assert len(_files_in_media()) == 1


def test_each_partner_row_shows_its_own_letter(logged_in_client: Client, user: Any) -> None:
    packet = make_packet(user)
    for index, (name, pages) in enumerate((("Cascadia Structural Safety Alliance", 1), ("Riverton Fire & Rescue", 2))):
        _response, page = open_step(logged_in_client, packet, "partners")
        data = {
            **page,
            **_partner_row(index, name),
            f"partners-items-{index}-letter_file": upload("letter.pdf", pdf_bytes(pages=pages)),
            "wizard_action": "next",
        }
        assert logged_in_client.post(step_url(packet, "partners"), data).status_code == 302

    html = logged_in_client.get(step_url(packet, "partners")).content.decode()

    rows = html.split('<fieldset class="row-card" data-row>')[1:]
    assert "Uploaded: Exhibit A — Letter of support, Cascadia Structural Safety Alliance (1 p.)" in rows[0]
    assert "Uploaded: Exhibit B — Letter of support, Riverton Fire &amp; Rescue (2 p.)" in rows[1]
    assert "Uploaded" not in rows[2]  # the empty row for one more partner


def test_a_partner_letter_survives_when_the_partner_above_it_is_deleted(
    logged_in_client: Client, user: Any, django_capture_on_commit_callbacks: Any
) -> None:
    packet = make_packet(user)
    _response, page = open_step(logged_in_client, packet, "partners")
    logged_in_client.post(
        step_url(packet, "partners"), {**page, **_partner_row(0, "Riverton OEM"), "wizard_action": "next"}
    )
    _response, page = open_step(logged_in_client, packet, "partners")
    data = {
        **page,
        **_partner_row(1, "Riverton Fire & Rescue"),
        "partners-items-1-letter_file": upload("fire.pdf", pdf_bytes(pages=2)),
        "wizard_action": "next",
    }
    logged_in_client.post(step_url(packet, "partners"), data)
    letter = Exhibit.objects.get(packet=packet)

    with django_capture_on_commit_callbacks(execute=True):
        submit_step(logged_in_client, packet, "partners", {"items-0-DELETE": "on"})

    packet.refresh_from_db()
    assert packet.data["partners"]["items"][0]["name"] == "Riverton Fire & Rescue"
    assert packet.data["partners"]["items"][0]["letter_exhibit_id"] == str(letter.pk)
    assert Exhibit.objects.filter(pk=letter.pk).exists()
    assert (Path(settings.MEDIA_ROOT) / letter.file.name).exists()


def test_the_page_count_of_a_partner_letter_is_shown_on_the_step(logged_in_client: Client, user: Any) -> None:
    packet = make_packet(user)
    _response, page = open_step(logged_in_client, packet, "partners")
    data = {
        **page,
        **_partner_row(0, "Riverton OEM"),
        "partners-items-0-letter_file": upload("oem.pdf", pdf_bytes(pages=5)),
        "wizard_action": "next",
    }
    logged_in_client.post(step_url(packet, "partners"), data)

    html = logged_in_client.get(step_url(packet, "partners")).content.decode()

    assert "Letter of support, Riverton OEM (5 p.)" in html


def test_a_certificate_added_on_the_qualifications_step_becomes_its_own_exhibit(
    logged_in_client: Client, user: Any
) -> None:
    packet = make_packet(user, beneficiary={"full_name": "Lucía"})
    _response, page = open_step(logged_in_client, packet, "qualifications")
    data = {
        **page,
        "qualifications-certificate_file": upload("pe.png", png_bytes()),
        "qualifications-certificate_title": "PE licence, Chile",
        "qualifications-certificate_issuer": "Colegio de Ingenieros",
        "wizard_action": "next",
    }

    assert logged_in_client.post(step_url(packet, "qualifications"), data).status_code == 302

    certificate = Exhibit.objects.get(packet=packet)
    assert (certificate.kind, certificate.title, certificate.issuer) == (
        "certificate",
        "PE licence, Chile",
        "Colegio de Ingenieros",
    )
    packet.refresh_from_db()
    assert packet.data["qualifications"]["cv_exhibit_id"] is None
    assert "PE licence, Chile" in logged_in_client.get(step_url(packet, "qualifications")).content.decode()


def test_a_certificate_needs_a_title(logged_in_client: Client, user: Any) -> None:
    packet = make_packet(user)
    _response, page = open_step(logged_in_client, packet, "qualifications")
    data = {**page, "qualifications-certificate_file": upload("pe.pdf", pdf_bytes()), "wizard_action": "next"}

    response = logged_in_client.post(step_url(packet, "qualifications"), data)

    assert response.status_code == 400
    assert "Give the certificate a title" in response.content.decode()
    assert not Exhibit.objects.exists()


def test_removing_an_exhibit_from_its_edit_page_deletes_its_file_and_empties_its_place(
    logged_in_client: Client, user: Any, django_capture_on_commit_callbacks: Any
) -> None:
    packet = make_packet(user, beneficiary={"full_name": "Lucía"})
    _upload_cv(logged_in_client, packet, "cv.pdf", pdf_bytes(pages=2))
    cv = Exhibit.objects.get(packet=packet)

    with django_capture_on_commit_callbacks(execute=True):
        response = logged_in_client.post(
            reverse("exhibit_remove", kwargs={"packet_id": packet.pk, "exhibit_id": cv.pk}),
            {"next": step_url(packet, "qualifications")},
        )

    assert response.url == step_url(packet, "qualifications")
    packet.refresh_from_db()
    assert packet.data["qualifications"]["cv_exhibit_id"] is None
    assert not Exhibit.objects.exists()
    assert _files_in_media() == []


def test_after_an_exhibit_is_removed_elsewhere_saving_the_open_step_is_no_conflict(
    logged_in_client: Client, user: Any
) -> None:
    # The CV was removed from the exhibit list while the qualifications step stood open in another tab.
    packet = make_packet(user, beneficiary={"full_name": "Lucía"})
    _upload_cv(logged_in_client, packet, "cv.pdf", pdf_bytes())
    _response, page = open_step(logged_in_client, packet, "qualifications")
    cv = Exhibit.objects.get(packet=packet)
    logged_in_client.post(reverse("exhibit_remove", kwargs={"packet_id": packet.pk, "exhibit_id": cv.pk}))

    response = submit_step(logged_in_client, packet, "qualifications", {"skills": "Rapid evaluation."}, page=page)

    assert response.status_code == 302
    packet.refresh_from_db()
    assert packet.data["qualifications"]["skills"] == "Rapid evaluation."
    assert packet.data["qualifications"]["cv_exhibit_id"] is None


def test_an_exhibit_of_another_packet_cannot_be_removed_through_mine(
    logged_in_client: Client, user: Any, other_user: Any
) -> None:
    mine = make_packet(user)
    theirs = make_packet(other_user)
    owner = Client()
    owner.force_login(other_user)
    _add_evidence(owner, theirs, upload("plan.pdf", pdf_bytes()))
    exhibit = Exhibit.objects.get(packet=theirs)

    response = logged_in_client.post(reverse("exhibit_remove", kwargs={"packet_id": mine.pk, "exhibit_id": exhibit.pk}))

    assert response.status_code == 404
    assert Exhibit.objects.filter(pk=exhibit.pk).exists()
    assert (Path(settings.MEDIA_ROOT) / exhibit.file.name).exists()


# ── The text layer, read once ────────────────────────────────────────────────────────────────────────────────────


def test_an_uploaded_letter_keeps_its_text_encrypted_with_its_status(user: Any) -> None:
    from django.db import connection

    from packets.content.services import ExhibitUpload, exhibit_add

    packet = make_packet(user)
    letter = exhibit_add(
        packet=packet,
        upload=ExhibitUpload(file=upload("l.pdf", pdf_bytes(text="Ana Ruiz")), kind="support_letter", title="L"),
        by=user,
    )
    photo = exhibit_add(
        packet=packet, upload=ExhibitUpload(file=upload("p.jpg", jpeg_bytes()), kind="other", title="P"), by=user
    )

    stored = Exhibit.objects.get(pk=letter.pk)
    assert stored.text_status == "read" and "Ana Ruiz" in (stored.text or "")
    assert (Exhibit.objects.get(pk=photo.pk).text_status, Exhibit.objects.get(pk=photo.pk).text) == ("no_text", None)
    with connection.cursor() as cursor:
        cursor.execute("SELECT text FROM packets_exhibit WHERE text IS NOT NULL")
        raw = [row[0] for row in cursor.fetchall()]
    assert len(raw) == 1 and "Ana" not in raw[0]  # a Fernet token, not the text


def test_the_command_reads_the_text_of_exhibits_stored_before_uploads_read_it(user: Any) -> None:
    from django.core.management import call_command

    from packets.content.services import ExhibitUpload, exhibit_add
    from packets.evidence import sandbox

    packet = make_packet(user)
    for name, content in (("l.pdf", pdf_bytes(text="Ana Ruiz")), ("p.png", png_bytes())):
        exhibit_add(
            packet=packet, upload=ExhibitUpload(file=upload(name, content), kind="support_letter", title=name), by=user
        )
    Exhibit.objects.update(text=None, text_status="not_read")  # as migration 0008 leaves existing rows
    out = io.StringIO()

    with sandbox.recording() as runs:
        call_command("extract_exhibit_text", stdout=out)

    assert [run.command for run in runs] == ["text"]  # the image needs no child: it has no text layer
    statuses = dict(Exhibit.objects.values_list("original_name", "text_status"))
    assert statuses == {"l.pdf": "read", "p.png": "no_text"}
    assert "Ana Ruiz" in (next(e for e in Exhibit.objects.all() if e.original_name == "l.pdf").text or "")
    assert "exhibit text: read=1 no_text=1 unreadable=0 skipped=0" in out.getvalue()
    call_command("extract_exhibit_text", stdout=io.StringIO())  # a second run has nothing left to do
    assert next(e for e in Exhibit.objects.all() if e.original_name == "l.pdf").text_status == "read"
