"""Backup and restore: a whole installation goes into a folder and comes back into an empty one, nothing lost."""

import io
import shutil
from pathlib import Path
from typing import Any

import pytest
from django.contrib.auth import get_user_model
from django.core import serializers
from django.core.management import CommandError, call_command
from django.test import Client
from django.urls import reverse

from packets.content.services import ExhibitUpload, exhibit_add
from packets.models import Comment, Exhibit, Membership, Packet, PacketVersion, Role
from packets.portability.backup import _backed_up_models, installation_is_empty
from packets.rendering.versions import packet_render
from tests.builders import jpeg_bytes, make_packet, make_user, pdf_bytes, upload


def _everything() -> list[dict[str, Any]]:
    """Every backed-up row as plain data, without the storage names of files (a restore stores files anew)."""
    rows = []
    for model in _backed_up_models():
        for item in serializers.serialize("python", model._default_manager.order_by("pk")):
            item["fields"].pop("file", None)
            item["fields"].pop("pdf", None)
            rows.append(item)
    return rows


def _file_contents() -> dict[str, bytes]:
    contents = {}
    for exhibit in Exhibit.objects.all():
        with exhibit.file.open("rb") as handle:
            contents[f"exhibit {exhibit.pk}"] = handle.read()
    for version in PacketVersion.objects.all():
        with version.pdf.open("rb") as handle:
            contents[f"version {version.pk}"] = handle.read()
    return contents


def _populate() -> None:
    ana, ben = make_user("ana"), make_user("ben", password="another correct horse")
    packet = make_packet(
        ana, name="Riverton", beneficiary={"full_name": "Marisol Quintero-Vidal", "passport_number": "X9Q7734521"}
    )
    Membership.objects.create(packet=packet, user=ben, role=Role.COUNSEL)
    for name, content, content_type in (
        ("passport.pdf", pdf_bytes(pages=2), "application/pdf"),
        ("photo.jpg", jpeg_bytes(), "image/jpeg"),
    ):
        exhibit_add(
            packet=packet,
            upload=ExhibitUpload(file=upload(name, content, content_type), kind="other", title=name),
            by=ana,
        )
    Comment.objects.create(packet=packet, author=ben, step="beneficiary", body="Check the passport.", revision=1)
    packet_render(packet=Packet.objects.get(pk=packet.pk), final=False, by=ana)
    make_packet(ben, name="Second packet, no files")


@pytest.mark.django_db(transaction=True)
def test_it_restores_a_backup_into_an_empty_installation_without_losing_anything(
    tmp_path: Path, settings: Any, client: Client
) -> None:
    _populate()
    rows, files = _everything(), _file_contents()
    target = tmp_path / "backup"

    call_command("backup_all", "-o", str(target), stdout=io.StringIO())
    call_command("flush", interactive=False, verbosity=0)
    shutil.rmtree(settings.MEDIA_ROOT)
    assert installation_is_empty()
    out = io.StringIO()
    call_command("restore_all", str(target), stdout=out)

    assert _everything() == rows  # the exhibits' text and its status among them, from records.json
    assert _file_contents() == files
    assert dict(Exhibit.objects.values_list("original_name", "text_status")) == {
        "passport.pdf": "read",
        "photo.jpg": "no_text",
    }
    assert len(files) == 3
    assert "restored: users=2 packets=2 exhibits=2 versions=1" in out.getvalue()
    # Logins survive (password hashes are in the backup), and the restored packet works in the app.
    ana = get_user_model().objects.get(username="ana")
    assert ana.check_password("correct horse battery")
    client.force_login(ana)
    packet = next(p for p in Packet.objects.all() if p.name == "Riverton")  # names are encrypted
    exhibit = Exhibit.objects.filter(packet=packet).first()
    assert exhibit is not None
    response = client.get(reverse("exhibit_download", args=[packet.pk, exhibit.pk]))
    assert b"".join(response.streaming_content) == files[f"exhibit {exhibit.pk}"]


@pytest.mark.django_db(transaction=True)
def test_a_restore_brings_back_each_exhibits_text_without_reading_any_file_again(tmp_path: Path) -> None:
    from packets.evidence import sandbox

    ana = make_user("ana")
    packet = make_packet(ana)
    exhibit = exhibit_add(
        packet=packet, upload=ExhibitUpload(file=upload("l.pdf", pdf_bytes()), kind="support_letter", title="L"), by=ana
    )
    Exhibit.objects.filter(pk=exhibit.pk).update(text="2027")  # a text that reads like JSON stays a text
    target = tmp_path / "backup"
    call_command("backup_all", "-o", str(target), stdout=io.StringIO())
    assert "2027" in (target / "records.json").read_text()  # a backup is plain, as documented
    call_command("flush", interactive=False, verbosity=0)

    with sandbox.recording() as runs:
        call_command("restore_all", str(target), stdout=io.StringIO())

    assert runs == []
    restored = Exhibit.objects.get(pk=exhibit.pk)
    assert (restored.text, restored.text_status) == ("2027", "read")


@pytest.mark.django_db(transaction=True)
def test_it_refuses_to_restore_into_an_installation_that_has_users(tmp_path: Path) -> None:
    _populate()
    call_command("backup_all", "-o", str(tmp_path / "backup"), stdout=io.StringIO())
    packets_before = Packet.objects.count()

    with pytest.raises(CommandError, match="restore only into an empty one"):
        call_command("restore_all", str(tmp_path / "backup"), stdout=io.StringIO())

    assert Packet.objects.count() == packets_before


@pytest.mark.django_db(transaction=True)
def test_it_restores_nothing_from_a_backup_with_a_damaged_file(tmp_path: Path, settings: Any) -> None:
    _populate()
    target = tmp_path / "backup"
    call_command("backup_all", "-o", str(target), stdout=io.StringIO())
    call_command("flush", interactive=False, verbosity=0)
    archive = next((target / "packets").glob("*.zip"))
    archive.write_bytes(archive.read_bytes()[:-10] + b"0123456789")

    with pytest.raises(CommandError, match="does not match its checksum"):
        call_command("restore_all", str(target), stdout=io.StringIO())

    assert installation_is_empty()


@pytest.mark.django_db
def test_it_refuses_to_back_up_into_a_folder_that_is_not_empty(tmp_path: Path, user: Any) -> None:
    (tmp_path / "something.txt").write_text("keep me")

    with pytest.raises(CommandError, match="not empty"):
        call_command("backup_all", "-o", str(tmp_path), stdout=io.StringIO())

    assert (tmp_path / "something.txt").read_text() == "keep me"
