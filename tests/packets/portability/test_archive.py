"""Packet archives: a lossless round trip, and every kind of bad archive refused with nothing written."""

import io
import json
import uuid
import zipfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.management import CommandError, call_command
from django.db import IntegrityError
from django.test import Client
from django.urls import reverse

from packets.content.services import ExhibitUpload, exhibit_add, exhibit_remove, packet_save_section
from packets.models import Exhibit, ExhibitKind, Membership, Packet, Role
from packets.portability.archive import MANIFEST_FILE, PACKET_FILE, ArchiveError, export_packet
from packets.portability.archive_import import import_packet
from tests.builders import jpeg_bytes, make_complete_packet, make_packet, make_user, pdf_bytes, png_bytes, upload

Files = dict[str, bytes]


def make_packet_with_exhibits(owner: Any) -> Packet:
    """A small packet whose content points at three of its four exhibits (PDF, JPEG, PNG), with a gap in positions."""
    packet = make_packet(owner, name="Exhibits packet")
    passport = _add(packet, owner, "passport.jpg", jpeg_bytes(), ExhibitKind.PASSPORT, "Passport page")
    removed = _add(packet, owner, "draft.pdf", pdf_bytes(1), ExhibitKind.OTHER, "Removed draft")
    cv = _add(packet, owner, "cv.pdf", pdf_bytes(3), ExhibitKind.CV, "Curriculum vitae")
    letter = _add(packet, owner, "letter.png", png_bytes(), ExhibitKind.SUPPORT_LETTER, "Letter from Riverton OEM")
    _add(packet, owner, "plan.pdf", pdf_bytes(2), ExhibitKind.PLAN, "Training plan", issuer="Riverton OEM")
    exhibit_remove(exhibit=removed, by=owner)
    sections = {
        "beneficiary": {"full_name": "Lucía Fernández Ortega", "passport_exhibit_id": str(passport.id)},
        "qualifications": {"skills": "Rapid evaluation.", "cv_exhibit_id": str(cv.id)},
        "partners": {"items": [{"name": "Riverton OEM", "letter_exhibit_id": str(letter.id)}]},
        "timeline": {"arrival_date": "2027-01-04", "departure_date": "2027-03-31"},
    }
    for section, value in sections.items():
        packet = packet_save_section(
            packet=packet, section=section, value=value, base_revision=packet.revision, by=owner
        )
    return packet


def _add(packet: Packet, owner: Any, name: str, content: bytes, kind: str, title: str, issuer: str = "") -> Exhibit:
    return exhibit_add(
        packet=packet, upload=ExhibitUpload(file=upload(name, content), kind=kind, title=title, issuer=issuer), by=owner
    )


def exported(packet: Packet) -> bytes:
    buffer = io.BytesIO()
    export_packet(packet, buffer)
    return buffer.getvalue()


def unzip(archive: bytes) -> Files:
    with zipfile.ZipFile(io.BytesIO(archive)) as opened:
        return {info.filename: opened.read(info) for info in opened.infolist()}


def rezip(files: Files, *, fix_manifest: bool = False) -> bytes:
    """A zip of ``files``; with ``fix_manifest`` the manifest is rewritten to match them, as a careful forger would."""
    files = dict(files)
    if fix_manifest:
        import hashlib

        entries = [
            {"path": name, "sha256": hashlib.sha256(content).hexdigest(), "size": len(content)}
            for name, content in files.items()
            if name != MANIFEST_FILE
        ]
        files[MANIFEST_FILE] = json.dumps({"format_version": 2, "files": entries}).encode()
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for name, content in files.items():
            archive.writestr(name, content)
    return buffer.getvalue()


def edit_packet_json(files: Files, change: Callable[[dict[str, Any]], None]) -> Files:
    described = json.loads(files[PACKET_FILE])
    change(described)
    return {**files, PACKET_FILE: json.dumps(described).encode()}


def media_files() -> set[Path]:
    return {path for path in Path(settings.MEDIA_ROOT).rglob("*") if path.is_file()}


def remap(value: Any, new_ids: dict[str, str]) -> Any:
    if isinstance(value, dict):
        return {key: remap(item, new_ids) for key, item in value.items()}
    if isinstance(value, list):
        return [remap(item, new_ids) for item in value]
    return new_ids.get(value, value) if isinstance(value, str) else value


METADATA = (
    "kind",
    "title",
    "issuer",
    "issued_on",
    "original_name",
    "content_type",
    "page_count",
    "sha256",
    "size",
    "text_status",
    "text",
)


def stored_bytes(exhibit: Exhibit) -> bytes:
    with exhibit.file.open("rb") as handle:
        return handle.read()


def assert_lossless(original: Packet, imported: Packet, owner: Any) -> None:
    before, after = list(original.exhibits.all()), list(imported.exhibits.all())
    assert imported.pk != original.pk
    assert imported.name == original.name
    assert [[getattr(e, field) for field in METADATA] for e in after] == [
        [getattr(e, field) for field in METADATA] for e in before
    ]
    assert [stored_bytes(e) for e in after] == [stored_bytes(e) for e in before]
    assert not {e.pk for e in after} & {e.pk for e in before}
    new_ids = {str(old.pk): str(new.pk) for old, new in zip(before, after, strict=True)}
    assert imported.data == remap(original.data, new_ids)
    assert imported.content.exhibit_references() <= {e.pk for e in after}
    assert Membership.objects.get(packet=imported, user=owner).role == Role.OWNER


# ── The round trip ──────────────────────────────────────────────────────────────────────────────────────────────────


def test_it_round_trips_the_complete_demo_packet_without_loss(user: Any) -> None:
    original = make_complete_packet(user)
    assert original.exhibits.count() > 5
    assert len(original.content.exhibit_references()) > 2  # so the remapping of references is exercised

    imported = import_packet(io.BytesIO(exported(original)), owner=user)

    assert_lossless(original, imported, user)


def test_it_round_trips_a_packet_whose_positions_have_gaps(user: Any, other_user: Any) -> None:
    original = make_packet_with_exhibits(user)
    assert [e.position for e in original.exhibits.all()] == [0, 2, 3, 4]

    imported = import_packet(io.BytesIO(exported(original)), owner=other_user)

    assert_lossless(original, imported, other_user)
    assert [e.position for e in imported.exhibits.all()] == [0, 1, 2, 3]
    assert not Membership.objects.filter(packet=imported, user=user).exists()


def test_an_imported_exhibit_gets_its_text_from_the_inspection_it_goes_through(user: Any, other_user: Any) -> None:
    from packets.evidence import sandbox

    original = make_packet_with_exhibits(user)
    statuses = {e.original_name: e.text_status for e in original.exhibits.all()}
    assert statuses == {"passport.jpg": "no_text", "cv.pdf": "read", "letter.png": "no_text", "plan.pdf": "read"}
    Exhibit.objects.filter(packet=original).update(text=None, text_status="not_read")  # stored before text was read

    with sandbox.recording() as runs:
        imported = import_packet(io.BytesIO(exported(original)), owner=other_user)

    assert [run.command for run in runs] == ["inspect"] * 4  # the text comes from the inspection, not a second child
    cv = next(e for e in imported.exhibits.all() if e.original_name == "cv.pdf")
    assert cv.text_status == "read" and "page 1 of 3" in (cv.text or "")
    assert next(e for e in imported.exhibits.all() if e.original_name == "letter.png").text_status == "no_text"


def test_it_exports_the_same_packet_to_the_same_bytes(user: Any) -> None:
    packet = make_packet_with_exhibits(user)

    assert exported(packet) == exported(packet)


def test_it_lists_every_file_in_the_manifest_and_describes_exhibits_in_order(user: Any) -> None:
    packet = make_packet_with_exhibits(user)

    files = unzip(exported(packet))

    manifest = json.loads(files[MANIFEST_FILE])
    described = json.loads(files[PACKET_FILE])
    assert manifest["format_version"] == 2
    assert {entry["path"] for entry in manifest["files"]} == set(files) - {MANIFEST_FILE}
    assert [item["title"] for item in described["exhibits"]] == [e.title for e in packet.exhibits.all()]
    assert described["exhibits"][0]["path"] == f"exhibits/{packet.exhibits.first().pk}.jpg"
    assert described["data"] == packet.data
    assert described["schema_version"] == 1


def test_a_packet_without_exhibits_round_trips(user: Any) -> None:
    original = make_packet(user, name="Empty draft")

    imported = import_packet(io.BytesIO(exported(original)), owner=user)

    assert imported.name == "Empty draft"
    assert imported.data == original.data
    assert imported.exhibits.count() == 0


# ── Bad archives ────────────────────────────────────────────────────────────────────────────────────────────────────


@pytest.fixture
def good_files(user: Any) -> Files:
    return unzip(exported(make_packet_with_exhibits(user)))


def assert_refused(archive: bytes, owner: Any, message: str) -> None:
    packets, files = Packet.objects.count(), media_files()

    with pytest.raises(ArchiveError) as caught:
        import_packet(io.BytesIO(archive), owner=owner)

    assert message in str(caught.value)
    assert Packet.objects.count() == packets
    assert media_files() == files


def exhibit_names(files: Files) -> list[str]:
    return [name for name in files if name.startswith("exhibits/")]


def test_it_refuses_a_file_that_is_not_a_zip(user: Any) -> None:
    assert_refused(pdf_bytes(), user, "This file is not a packet archive (.zip).")


@pytest.mark.parametrize("missing", [PACKET_FILE, MANIFEST_FILE])
def test_it_refuses_an_archive_without_its_json_files(user: Any, good_files: Files, missing: str) -> None:
    files = {name: content for name, content in good_files.items() if name != missing}

    assert_refused(rezip(files), user, f"The archive has no {missing}")


def test_it_refuses_an_exhibit_changed_after_export(user: Any, good_files: Files) -> None:
    name = exhibit_names(good_files)[1]

    assert_refused(
        rezip({**good_files, name: pdf_bytes(4)}), user, f"The file “{name}” does not match the archive's manifest"
    )


def test_it_refuses_content_changed_after_export(user: Any, good_files: Files) -> None:
    files = edit_packet_json(good_files, lambda described: described.update(name="Forged"))

    assert_refused(rezip(files), user, "The file “packet.json” does not match the archive's manifest")


def test_it_refuses_a_file_the_manifest_does_not_list(user: Any, good_files: Files) -> None:
    files = {**good_files, "exhibits/extra.pdf": pdf_bytes()}

    assert_refused(rezip(files), user, "The archive holds “exhibits/extra.pdf”, which its manifest does not list")


def test_it_refuses_a_manifest_entry_whose_file_is_missing(user: Any, good_files: Files) -> None:
    name = exhibit_names(good_files)[0]
    files = {key: content for key, content in good_files.items() if key != name}

    assert_refused(rezip(files), user, f"The manifest lists “{name}”, but the archive does not hold it")


@pytest.mark.parametrize(
    "name", ["../evil.pdf", "exhibits/../../evil.pdf", "/etc/passwd", "exhibits\\evil.pdf", "C:/evil.pdf"]
)
def test_it_refuses_unsafe_file_names(user: Any, good_files: Files, name: str) -> None:
    files = {**good_files, name: pdf_bytes()}

    assert_refused(rezip(files, fix_manifest=True), user, "The archive holds a file with an unsafe name")


def test_it_refuses_an_exhibit_larger_than_the_upload_limit(user: Any, good_files: Files, settings: Any) -> None:
    settings.EXHIBIT_MAX_BYTES = 1024 * 1024
    files = {**good_files, "exhibits/bomb.pdf": b"%PDF-" + bytes(2 * 1024 * 1024)}

    assert_refused(
        rezip(files, fix_manifest=True), user, "The file “exhibits/bomb.pdf” in the archive is larger than 1 MB"
    )


def test_it_refuses_an_archive_that_unpacks_to_more_than_a_packet_may_hold(
    user: Any, good_files: Files, settings: Any
) -> None:
    # The limit becomes 1 MB of exhibits and case documents, 1 MB of rendered PDFs, and 20 MB for the two JSON files.
    settings.PACKET_MAX_BYTES = 1024 * 1024
    bombs = {f"exhibits/bomb{number}.pdf": bytes(8 * 1024 * 1024) for number in range(3)}

    assert_refused(rezip({**good_files, **bombs}), user, "The archive would unpack to more than 22 MB")


def test_it_refuses_a_member_that_holds_more_than_its_header_says(user: Any, good_files: Files) -> None:
    name = exhibit_names(good_files)[0]
    archive = bytearray(rezip(good_files))
    with zipfile.ZipFile(io.BytesIO(bytes(archive))) as opened:
        declared = opened.getinfo(name).file_size
    # Halve the uncompressed size that the member's central-directory entry records (4 bytes at offset 24).
    entry = archive.find(b"PK\x01\x02")
    while archive[entry + 46 : entry + 46 + len(name)] != name.encode():
        entry = archive.find(b"PK\x01\x02", entry + 4)
    archive[entry + 24 : entry + 28] = (declared // 2).to_bytes(4, "little")

    assert_refused(bytes(archive), user, f"The file “{name}” in the archive is damaged and cannot be read.")


def test_it_refuses_an_archive_with_too_many_files(user: Any, good_files: Files) -> None:
    files = {**good_files, **{f"exhibits/{number}.pdf": b"" for number in range(1100)}}

    assert_refused(rezip(files), user, "The archive holds more than 1011 files")


def test_it_refuses_content_that_fails_validation_and_names_the_problem(user: Any, good_files: Files) -> None:
    def contradict(described: dict[str, Any]) -> None:
        described["data"]["timeline"]["departure_date"] = "2026-12-01"

    files = edit_packet_json(good_files, contradict)

    assert_refused(
        rezip(files, fix_manifest=True),
        user,
        "The packet's content is not valid: timeline: The departure date must be after the arrival date.",
    )


def test_it_refuses_content_with_unknown_keys(user: Any, good_files: Files) -> None:
    files = edit_packet_json(good_files, lambda described: described["data"]["beneficiary"].update(nickname="Lu"))

    assert_refused(
        rezip(files, fix_manifest=True),
        user,
        "The packet's content is not valid: beneficiary.nickname: "
        "This answer is not one the form asks for, so it cannot be saved.",
    )


def test_it_refuses_content_that_points_at_an_exhibit_it_does_not_hold(user: Any, good_files: Files) -> None:
    stranger = str(uuid.uuid4())
    files = edit_packet_json(
        good_files, lambda described: described["data"]["qualifications"].update(cv_exhibit_id=stranger)
    )

    assert_refused(
        rezip(files, fix_manifest=True),
        user,
        f"The packet's content refers to exhibit {stranger}, which the archive does not hold.",
    )


@pytest.mark.parametrize("where", [MANIFEST_FILE, PACKET_FILE])
def test_it_refuses_an_unknown_format_version(user: Any, good_files: Files, where: str) -> None:
    files = rezip(edit_packet_json(good_files, lambda described: described.update(format_version=3)), fix_manifest=True)
    if where == MANIFEST_FILE:
        manifest = json.loads(good_files[MANIFEST_FILE])
        files = rezip({**good_files, MANIFEST_FILE: json.dumps({**manifest, "format_version": 3}).encode()})

    assert_refused(files, user, f"{where} uses archive format version 3; this installation reads versions up to 2.")


def test_it_refuses_an_unknown_schema_version(user: Any, good_files: Files) -> None:
    files = edit_packet_json(good_files, lambda described: described.update(schema_version=2))

    assert_refused(
        rezip(files, fix_manifest=True),
        user,
        "The archive's content uses schema version 2; this installation reads version 1.",
    )


def test_it_refuses_an_exhibit_that_would_be_refused_as_an_upload(user: Any, good_files: Files) -> None:
    name = exhibit_names(good_files)[1]
    html = b"<html><script>alert(1)</script></html>"

    def disguise(described: dict[str, Any]) -> None:
        import hashlib

        item = next(item for item in described["exhibits"] if item["path"] == name)
        item.update(sha256=hashlib.sha256(html).hexdigest(), size=len(html))

    files = edit_packet_json({**good_files, name: html}, disguise)

    assert_refused(rezip(files, fix_manifest=True), user, "is not a PDF, JPEG or PNG.")


def test_it_refuses_exhibit_details_that_disagree_with_the_file(user: Any, good_files: Files) -> None:
    def inflate(described: dict[str, Any]) -> None:
        described["exhibits"][1]["page_count"] = 99

    files = edit_packet_json(good_files, inflate)

    assert_refused(rezip(files, fix_manifest=True), user, "in packet.json do not match its file.")


def test_it_refuses_a_manifest_that_is_not_json(user: Any, good_files: Files) -> None:
    assert_refused(
        rezip({**good_files, MANIFEST_FILE: b"\xff not json"}), user, "manifest.json in the archive is not valid JSON."
    )


@pytest.mark.django_db(transaction=True)
def test_it_deletes_stored_files_when_the_database_refuses_the_import() -> None:
    owner = make_user("gone")
    archive = exported(make_packet_with_exhibits(owner))
    packets, files = Packet.objects.count(), media_files()
    # The owner disappears between the checks and the commit: the foreign keys fail only when the transaction commits,
    # after the exhibit files were written.
    get_user_model().objects.filter(pk=owner.pk).delete()

    with pytest.raises(IntegrityError):
        import_packet(io.BytesIO(archive), owner=owner)

    assert Packet.objects.count() == packets
    assert media_files() == files


# ── The export view and the commands ────────────────────────────────────────────────────────────────────────────────


def test_the_export_view_sends_the_owner_a_zip_attachment(logged_in_client: Client, user: Any) -> None:
    packet = make_packet_with_exhibits(user)

    response = logged_in_client.get(reverse("packet_export", args=[packet.pk]))

    assert response.status_code == 200
    assert response["Content-Type"] == "application/zip"
    assert response["Content-Disposition"] == 'attachment; filename="Exhibits-packet.zip"'
    archive = b"".join(response.streaming_content)  # type: ignore[attr-defined]
    assert_lossless(packet, import_packet(io.BytesIO(archive), owner=user), user)


def test_the_export_view_is_not_found_for_a_non_member(client: Client, user: Any, other_user: Any) -> None:
    packet = make_packet_with_exhibits(user)
    client.force_login(other_user)

    response = client.get(reverse("packet_export", args=[packet.pk]))

    assert response.status_code == 404


def test_the_commands_export_and_import_a_packet(user: Any, other_user: Any, tmp_path: Path) -> None:
    original = make_packet_with_exhibits(user)
    target = tmp_path / "packet.zip"
    out = io.StringIO()

    call_command("export_packet", str(original.pk), "-o", str(target), stdout=io.StringIO())
    call_command("import_packet", str(target), "--owner", other_user.username, stdout=out)

    imported = Packet.objects.get(pk=out.getvalue().strip())
    assert_lossless(original, imported, other_user)


def test_the_import_command_reports_a_bad_archive_without_a_traceback(user: Any, tmp_path: Path) -> None:
    target = tmp_path / "not-a-zip.zip"
    target.write_bytes(b"hello")

    with pytest.raises(CommandError, match=r"^This file is not a packet archive \(\.zip\)"):
        call_command("import_packet", str(target), "--owner", user.username)


def test_the_import_command_reports_an_unknown_owner(tmp_path: Path, user: Any) -> None:
    target = tmp_path / "packet.zip"
    target.write_bytes(exported(make_packet(user)))

    with pytest.raises(CommandError, match="No user is called nobody."):
        call_command("import_packet", str(target), "--owner", "nobody")


def test_the_export_command_reports_an_unknown_packet(db: None, tmp_path: Path) -> None:
    with pytest.raises(CommandError, match="No packet has the id"):
        call_command("export_packet", str(uuid.uuid4()), "-o", str(tmp_path / "x.zip"))
    assert not (tmp_path / "x.zip").exists()
