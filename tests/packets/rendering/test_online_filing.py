"""A rendered version as files for online filing: the split read back, its index, the command, and the packet page's
ZIP download (permission-checked, audit-logged, with a validated limit)."""

import io
import re
import zipfile
from pathlib import Path
from typing import Any

import pytest
from django.core.management import CommandError, call_command
from django.test import Client
from django.urls import reverse

from packets.models import AuditEntry, PacketVersion
from packets.rendering.online import INDEX_NAME, version_online_files
from packets.rendering.versions import packet_render
from tests.assembly.pdfread import page_count, page_texts, qpdf_check, squash
from tests.builders import make_photo_packet

pytestmark = pytest.mark.django_db

LIMIT_MB = 0.19  # each exhibit needs its own file, and Exhibit B (two photo pages) two (see tests/assembly)
NAMES = [
    "01-cover-contents-narrative-exhibit-index.pdf",
    "02-exhibit-A-passport.pdf",
    "03-exhibit-B-site-photos-part-1-of-2.pdf",
    "04-exhibit-B-site-photos-part-2-of-2.pdf",
    "05-exhibit-C-training-certificate-checklist.pdf",
]
LIMIT_MESSAGE = "Enter the largest file size as a number of megabytes, more than 0 and at most 100, like 12."


@pytest.fixture
def version(user: Any) -> PacketVersion:
    return packet_render(packet=make_photo_packet(user), final=False, by=user)


def packet_stamps(pdf: bytes) -> list[str]:
    return [re.findall(r"Page \d+ of \d+", squash(text))[-1] for text in page_texts(pdf)]


def test_a_version_splits_into_files_under_the_limit_holding_every_page_in_order(version, tmp_path: Path) -> None:
    filing = version_online_files(version=version, limit_mb=LIMIT_MB)
    assert [file.name for file in filing.files] == NAMES
    assert all(len(file.pdf) <= LIMIT_MB * 1_000_000 for file in filing.files)
    assert sum(page_count(file.pdf) for file in filing.files) == version.page_count
    total = version.page_count
    assert [s for file in filing.files for s in packet_stamps(file.pdf)] == [
        f"Page {n} of {total}" for n in range(1, total + 1)
    ]
    for file in filing.files:
        assert qpdf_check(file.pdf, tmp_path).returncode == 0, file.name


def test_the_index_says_which_file_holds_what_the_limit_and_where_it_comes_from(version) -> None:
    filing = version_online_files(version=version, limit_mb=LIMIT_MB)
    index = filing.index
    assert filing.named()[0] == (INDEX_NAME, index.encode("utf-8"))
    assert "version 1 (draft), 14 pages" in index
    assert "Split into 5 files of at most 0.19 MB each (190,000 bytes)." in index
    for file in filing.files:
        assert f"{file.name}  packet page" in index
        for piece in file.pieces:
            assert f"    {piece.title} (" in index
    assert "01-cover-contents-narrative-exhibit-index.pdf  packet pages 1–5  0.1" in index
    assert "04-exhibit-B-site-photos-part-2-of-2.pdf  packet page 10  0.1" in index
    assert "    Exhibit B — Site photos (part 1 of 2) (pages 8–9)" in index
    assert "    Exhibit B — Site photos (part 2 of 2) (page 10)" in index
    assert "Source: Secondary sources only" in index and "Unverified" in index
    assert "Facts last verified on 2026-11-27." in index


def test_the_command_writes_the_same_files_and_the_index(version, tmp_path: Path) -> None:
    out = tmp_path / "online"
    call_command("export_for_online_filing", str(version.packet_id), "-o", str(out), "--max-mb", str(LIMIT_MB))
    expected = version_online_files(version=version, limit_mb=LIMIT_MB).named()
    assert sorted(path.name for path in out.iterdir()) == [INDEX_NAME, *NAMES]
    assert [(path.name, path.read_bytes()) for path in sorted(out.iterdir())] == expected


def test_the_command_refuses_a_folder_with_files_in_it_and_a_page_over_the_limit(version, tmp_path: Path) -> None:
    (tmp_path / "old.pdf").write_bytes(b"left from before")
    with pytest.raises(CommandError, match="is not empty"):
        call_command("export_for_online_filing", str(version.packet_id), "-o", str(tmp_path))
    with pytest.raises(CommandError, match=r"Packet page 7 \(Exhibit A — Passport\)"):
        call_command(
            "export_for_online_filing", str(version.packet_id), "-o", str(tmp_path / "new"), "--max-mb", "0.09"
        )
    assert not (tmp_path / "new").exists()


def online_url(of: PacketVersion, **query: Any) -> str:
    url = reverse("packet_online_filing", args=[of.packet_id])
    return url + ("?" + "&".join(f"{key}={value}" for key, value in query.items()) if query else "")


def test_the_packet_page_offers_the_files_with_the_reported_limit(logged_in_client: Client, version) -> None:
    page = logged_in_client.get(reverse("packet_detail", args=[version.packet_id])).content.decode()
    assert f'action="{reverse("packet_online_filing", args=[version.packet_id])}"' in page
    assert re.search(r'<input[^>]*name="max_mb"[^>]*value="12', page)
    assert "Download files for online filing (ZIP)" in page
    assert "Unverified (recorded on 2026-12-02 from secondary sources" in page


def test_the_owner_downloads_a_zip_of_the_files_and_the_download_is_recorded(logged_in_client: Client, version) -> None:
    response = logged_in_client.get(online_url(version, version=1, max_mb=LIMIT_MB))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/zip"
    assert response["Content-Disposition"].startswith("attachment;")
    assert "online-filing.zip" in response["Content-Disposition"]
    with zipfile.ZipFile(io.BytesIO(b"".join(response.streaming_content))) as archive:
        assert archive.namelist() == [INDEX_NAME, *NAMES]
        assert all(archive.getinfo(name).file_size <= LIMIT_MB * 1_000_000 for name in NAMES)
        assert "02-exhibit-A-passport.pdf" in archive.read(INDEX_NAME).decode()
        assert archive.read(NAMES[1]) == version_online_files(version=version, limit_mb=LIMIT_MB).files[1].pdf
    [entry] = AuditEntry.objects.filter(packet=version.packet, action="download")
    assert entry.description == "packet online filing (max_mb=0.19, version=1)"


def test_someone_else_s_packet_is_not_found(client: Client, other_user: Any, version) -> None:
    client.force_login(other_user)
    assert client.get(online_url(version, version=1, max_mb=12)).status_code == 404
    assert client.get(online_url(version)).status_code == 404


@pytest.mark.parametrize("limit", ["", "twelve", "0", "-1", "101", "nan"])
def test_a_bad_limit_gets_a_plain_message(logged_in_client: Client, version, limit: str) -> None:
    response = logged_in_client.get(online_url(version, version=1, max_mb=limit))
    assert response.status_code == 400
    assert response["Content-Type"].startswith("text/html")
    assert LIMIT_MESSAGE in response.content.decode()


def test_a_limit_smaller_than_one_page_names_the_page(logged_in_client: Client, version) -> None:
    response = logged_in_client.get(online_url(version, version=1, max_mb=0.09))
    assert response.status_code == 400
    assert re.search(r"Packet page 7 \(Exhibit A — Passport\) is 0\.1\d* MB on its own", response.content.decode())


def test_a_version_that_is_not_the_packet_s_is_refused(logged_in_client: Client, version) -> None:
    response = logged_in_client.get(online_url(version, version=2, max_mb=12))
    assert response.status_code == 400


def test_with_the_default_limit_the_packet_is_one_file(logged_in_client: Client, version) -> None:
    response = logged_in_client.get(online_url(version, version=1, max_mb=12))
    with zipfile.ZipFile(io.BytesIO(b"".join(response.streaming_content))) as archive:
        assert archive.namelist() == [
            INDEX_NAME,
            "01-cover-contents-narrative-exhibit-index-exhibits-A-C-checklist.pdf",
        ]
