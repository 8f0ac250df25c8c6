"""Encryption at rest: what a database dump or a copy of the media folder shows, keys, rotation and old data."""

import io
import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from cryptography.fernet import Fernet
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.core.management import call_command
from django.db import connection
from django.test import Client
from django.urls import reverse
from pypdf import PdfReader

from packets.content.services import ExhibitUpload, exhibit_add
from packets.crypto import MAGIC, RECORD_SIZE, DecryptionError, EncryptedFileSystemStorage
from packets.models import Exhibit, Packet, PacketChange, PacketVersion
from packets.rendering.versions import packet_render
from tests.builders import make_packet, pdf_bytes, upload

PASSPORT = "X9Q7734521"
BIRTH_DATE = "1987-03-14"
EXHIBIT_TEXT = "Biographic page of Marisol Quintero-Vidal"


def _sensitive_packet(owner: Any) -> Packet:
    return make_packet(
        owner,
        beneficiary={"full_name": "Marisol Quintero-Vidal", "passport_number": PASSPORT, "date_of_birth": BIRTH_DATE},
    )


def _add_exhibit(packet: Packet, owner: Any, content: bytes | None = None) -> Exhibit:
    file = upload("passport.pdf", content or pdf_bytes(text=EXHIBIT_TEXT), "application/pdf")
    return exhibit_add(packet=packet, upload=ExhibitUpload(file=file, kind="other", title="Passport"), by=owner)


def _every_value_in_the_database() -> str:
    """All rows of all tables, as text: what a dump of the database would show."""
    dumped = []
    with connection.cursor() as cursor:
        for table in connection.introspection.table_names():
            cursor.execute(f"SELECT * FROM {connection.ops.quote_name(table)}")  # noqa: S608 - table names from the db
            dumped.extend(repr(row) for row in cursor.fetchall())
    return "\n".join(dumped)


def _stored_files(media: Path, *folders: str) -> list[Path]:
    return [path for folder in folders for path in (media / folder).rglob("*") if path.is_file()]


@pytest.mark.django_db(transaction=True)
def test_it_keeps_passport_numbers_and_birth_dates_out_of_a_database_dump(user: Any) -> None:
    packet = _sensitive_packet(user)
    packet_render(packet=packet, final=False, by=user)

    dump = _every_value_in_the_database()

    assert PASSPORT not in dump
    assert BIRTH_DATE not in dump
    assert "Quintero" not in dump
    # …while the app still reads all three copies of the content.
    assert Packet.objects.get(pk=packet.pk).content.beneficiary.passport_number == PASSPORT
    assert PacketVersion.objects.get(packet=packet).data["beneficiary"]["passport_number"] == PASSPORT
    snapshots = PacketChange.objects.filter(packet=packet, snapshot__isnull=False)
    assert snapshots.exists()
    assert all(change.snapshot["beneficiary"]["passport_number"] == PASSPORT for change in snapshots)


@pytest.mark.django_db
def test_it_stores_exhibits_and_rendered_packets_encrypted_on_disk(user: Any, settings: Any) -> None:
    packet = _sensitive_packet(user)
    _add_exhibit(packet, user)
    version = packet_render(packet=packet, final=False, by=user)

    stored = _stored_files(Path(settings.MEDIA_ROOT), "exhibits", "versions")
    assert len(stored) == 2
    for path in stored:
        raw = path.read_bytes()
        assert raw.startswith(MAGIC)
        assert b"%PDF" not in raw
        assert PASSPORT.encode() not in raw
        assert b"Quintero" not in raw
    # The app reads the real PDF back: the passport number is in the packet, the exhibit's text too.
    with version.pdf.open("rb") as handle:
        text = "".join(page.extract_text() for page in PdfReader(io.BytesIO(handle.read())).pages)
    assert PASSPORT in text
    assert EXHIBIT_TEXT in text


@pytest.mark.django_db
def test_it_serves_the_decrypted_file_on_download(logged_in_client: Client, user: Any) -> None:
    content = pdf_bytes(pages=3, text=EXHIBIT_TEXT)
    packet = _sensitive_packet(user)
    exhibit = _add_exhibit(packet, user, content)

    response = logged_in_client.get(reverse("exhibit_download", args=[packet.pk, exhibit.pk]))

    assert response.status_code == 200
    assert b"".join(response.streaming_content) == content
    assert int(response["Content-Length"]) == len(content)


@pytest.mark.parametrize("size", [0, 1, RECORD_SIZE - 1, RECORD_SIZE, RECORD_SIZE + 1, 2 * RECORD_SIZE + 12345])
def test_it_reads_back_files_of_any_size_with_seeks(size: int, settings: Any, tmp_path: Path) -> None:
    storage = EncryptedFileSystemStorage(location=tmp_path)
    content = os.urandom(size)
    name = storage.save("file.bin", ContentFile(content))

    assert storage.size(name) == size
    with storage.open(name) as handle:
        assert handle.read() == content
        handle.seek(max(size - 10, 0))
        assert handle.read() == content[max(size - 10, 0) :]
        handle.seek(size // 2)
        assert handle.read(7) == content[size // 2 : size // 2 + 7]
    assert (tmp_path / name).stat().st_size > size


def test_it_refuses_a_file_whose_records_were_cut_off_or_reordered(settings: Any, tmp_path: Path) -> None:
    storage = EncryptedFileSystemStorage(location=tmp_path)
    name = storage.save("file.bin", ContentFile(os.urandom(2 * RECORD_SIZE + 5)))
    raw = (tmp_path / name).read_bytes()
    first_end = len(MAGIC) + 4 + int.from_bytes(raw[len(MAGIC) : len(MAGIC) + 4], "big")
    (tmp_path / "cut.bin").write_bytes(raw[:first_end])  # a whole first record, and nothing after it

    with pytest.raises(DecryptionError), storage.open("cut.bin") as handle:
        handle.read()


@pytest.mark.django_db
def test_it_rotates_to_a_new_key_and_old_keys_still_decrypt_until_then(user: Any, settings: Any) -> None:
    old, new = settings.ENCRYPTION_KEYS[0], Fernet.generate_key().decode()
    packet = _sensitive_packet(user)
    content = pdf_bytes(text=EXHIBIT_TEXT)
    exhibit = _add_exhibit(packet, user, content)

    settings.ENCRYPTION_KEYS = [new, old]
    assert Packet.objects.get(pk=packet.pk).data["beneficiary"]["passport_number"] == PASSPORT
    call_command("rotate_encryption", stdout=io.StringIO())

    settings.ENCRYPTION_KEYS = [new]  # the old key is gone: everything must have been re-encrypted
    assert Packet.objects.get(pk=packet.pk).data["beneficiary"]["passport_number"] == PASSPORT
    assert all(change.snapshot is None or change.snapshot["beneficiary"] for change in PacketChange.objects.all())
    with Exhibit.objects.get(pk=exhibit.pk).file.open("rb") as handle:
        assert handle.read() == content

    settings.ENCRYPTION_KEYS = [old]  # and the old key alone no longer reads anything
    with pytest.raises(DecryptionError):
        Packet.objects.get(pk=packet.pk)
    with pytest.raises(DecryptionError), Exhibit.objects.get(pk=exhibit.pk).file.open("rb") as handle:
        handle.read()


@pytest.mark.django_db
def test_it_reads_data_stored_before_encryption_and_encrypts_it_on_rotation(user: Any, settings: Any) -> None:
    packet = _sensitive_packet(user)
    exhibit = _add_exhibit(packet, user)
    plain_json = json.dumps({"schema_version": 1, "beneficiary": {"passport_number": PASSPORT}})
    with connection.cursor() as cursor:
        cursor.execute("UPDATE packets_packet SET data = %s WHERE id = %s", [plain_json, packet.pk.hex])
    plain_file = pdf_bytes(text="stored before encryption")
    Path(default_storage.path(exhibit.file.name)).write_bytes(plain_file)

    assert Packet.objects.get(pk=packet.pk).data["beneficiary"]["passport_number"] == PASSPORT
    with Exhibit.objects.get(pk=exhibit.pk).file.open("rb") as handle:
        assert handle.read() == plain_file

    call_command("rotate_encryption", stdout=io.StringIO())

    assert PASSPORT not in _every_value_in_the_database()
    assert Path(default_storage.path(exhibit.file.name)).read_bytes().startswith(MAGIC)
    assert Packet.objects.get(pk=packet.pk).data["beneficiary"]["passport_number"] == PASSPORT
    with Exhibit.objects.get(pk=exhibit.pk).file.open("rb") as handle:
        assert handle.read() == plain_file


def test_it_refuses_to_start_without_a_key_when_debug_is_off(tmp_path: Path) -> None:
    env = {
        "PATH": os.environ.get("PATH", ""),
        "DEBUG": "false",
        "SECRET_KEY": "s" * 60,
        "ALLOWED_HOSTS": "example.org",
        "DJANGO_SETTINGS_MODULE": "parole_wizard.settings",
    }
    code = "import django; django.setup()"

    result = subprocess.run(  # noqa: S603 - our own interpreter and a fixed snippet
        [sys.executable, "-c", code], env=env, capture_output=True, text=True, cwd=Path(__file__).parents[2]
    )

    assert result.returncode != 0
    assert "Set ENCRYPTION_KEYS" in result.stderr
