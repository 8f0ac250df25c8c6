"""Disk full while an upload is being stored: a clean error, no orphan file, no exhibit row, nothing half-saved."""

import errno
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from django.core.files.base import File
from django.test import Client

from packets.crypto import EncryptedFileSystemStorage
from packets.models import Exhibit, Packet, PacketChange
from tests.builders import jpeg_bytes, make_packet, upload
from tests.parole_wizard.pages import form_values, open_step, step_url

WRITTEN_BEFORE_THE_DISK_FILLS = 64 * 1024


class _FillsUp(File):
    """An upload whose bytes run into a full disk after the first 64 KB, as a real ENOSPC does mid-write."""

    def __init__(self, content: File) -> None:
        super().__init__(None, name=content.name)
        self._content = content

    def chunks(self, chunk_size: int | None = None) -> Iterator[bytes]:
        self._content.seek(0)
        yield self._content.read(WRITTEN_BEFORE_THE_DISK_FILLS)
        raise OSError(errno.ENOSPC, "No space left on device")


class FullDiskStorage(EncryptedFileSystemStorage):
    """The real encrypted storage; only the disk under it fills up during the write."""

    def _save(self, name: str, content: File) -> str:
        return super()._save(name, _FillsUp(content))


@pytest.fixture
def full_disk(settings: Any) -> Path:
    media = Path(settings.MEDIA_ROOT)
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {"BACKEND": f"{__name__}.FullDiskStorage", "OPTIONS": {"location": str(media)}},
    }
    return media


@pytest.mark.django_db
def test_an_upload_that_meets_a_full_disk_is_refused_cleanly_and_leaves_nothing_behind(
    logged_in_client: Client, user: Any, full_disk: Path
) -> None:
    packet = make_packet(user, beneficiary={"full_name": "Marisol Quintero-Vidal"})
    revision, changes = packet.revision, PacketChange.objects.filter(packet=packet).count()
    _response, page = open_step(logged_in_client, packet, "beneficiary")
    page["beneficiary-passport_number"] = "X9Q7734521"
    page["beneficiary-passport_file"] = upload("passport.jpg", jpeg_bytes(2000, 2600), "image/jpeg")
    page["wizard_action"] = "next"

    response = logged_in_client.post(step_url(packet, "beneficiary"), page)

    assert response.status_code == 400
    html = response.content.decode()
    assert "could not be stored on the server (No space left on device). Nothing was saved" in html
    assert form_values(response)["beneficiary-passport_number"] == "X9Q7734521"  # what was typed is still there
    assert not [path for path in full_disk.rglob("*") if path.is_file()]  # no orphan, not even a partial one
    assert not Exhibit.objects.exists()
    packet = Packet.objects.get(pk=packet.pk)
    assert packet.revision == revision
    assert packet.data["beneficiary"]["passport_number"] == ""
    assert PacketChange.objects.filter(packet=packet).count() == changes


def test_the_storage_removes_its_partial_file_when_the_disk_fills(settings: Any, tmp_path: Path) -> None:
    storage = FullDiskStorage(location=tmp_path)

    with pytest.raises(OSError, match="No space left") as raised:
        storage.save("exhibits/big.pdf", File(open_bytes(jpeg_bytes(2000, 2600)), name="big.pdf"))

    assert raised.value.errno == errno.ENOSPC
    assert not [path for path in tmp_path.rglob("*") if path.is_file()]


def open_bytes(content: bytes) -> Any:
    import io

    return io.BytesIO(content)
