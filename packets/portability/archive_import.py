"""Importing a packet archive (the format is ``packets.portability.archive``) as a new packet.

An archive is treated as hostile until proven otherwise: it is read only in memory (nothing is extracted to disk), every
member is bounded in size before it is read, every byte is checked against the manifest, every exhibit goes through
``packets.evidence.uploads.inspect_upload`` like a browser upload, and the content goes through ``PacketData``
validation. Only then is anything written, in one transaction, and files already stored are deleted again if it fails.
"""

import hashlib
import json
import uuid
import zipfile
import zlib
from dataclasses import asdict, dataclass
from typing import IO, Any, TypeVar

from django.conf import settings
from django.contrib.auth.models import AbstractBaseUser
from django.core.files.base import ContentFile
from django.db import transaction
from django.utils.translation import gettext as _
from pydantic import BaseModel, ValidationError

from packets.assembly.markup import MarkupFound
from packets.content.schema import SCHEMA_VERSION, PacketData
from packets.content.schema_messages import schema_error_message
from packets.evidence.uploads import ExtractedText, UploadRejected, display_file_name, inspect_upload
from packets.models import Exhibit, Membership, Packet, PacketChange, Role
from packets.portability.archive import (
    FORMAT_VERSION,
    JSON_MAX_BYTES,
    MANIFEST_FILE,
    MAX_MEMBERS,
    PACKET_FILE,
    READABLE_FORMAT_VERSIONS,
    ArchivedExhibit,
    ArchivedPacket,
    ArchiveError,
    Manifest,
    ManifestEntry,
    archive_max_bytes,
    exhibit_archive_path,
    member_max_bytes,
)
from packets.portability.archive_case_import import CaseArchiveError, CheckedCase, case_check, case_create, remap_ids

M = TypeVar("M", bound=BaseModel)


@dataclass(frozen=True)
class _CheckedExhibit:
    meta: ArchivedExhibit
    content: bytes
    text: ExtractedText  # read by the inspection every imported file goes through, so not carried in the archive
    markup: MarkupFound = MarkupFound()  # counted by the same inspection


@dataclass(frozen=True)
class _CheckedPacket:
    name: str
    data: dict[str, Any]
    exhibits: list[_CheckedExhibit]
    case: CheckedCase | None = None


def import_packet(stream: IO[bytes], *, owner: AbstractBaseUser) -> Packet:
    """Create a new packet owned by ``owner`` from an archive made by ``export_packet``.

    The packet and its exhibits get new ids (references to exhibits inside the content follow them). Raises
    ``ArchiveError`` with a message for the user when the archive is not one of ours, is damaged or tampered with, is
    too large, or holds a file or content that would be refused in the wizard; then nothing is written.
    """
    checked = _read_archive(stream)
    stored: list[str] = []
    try:
        with transaction.atomic():
            packet = _create(checked, owner=owner, stored=stored)
    except BaseException:
        _delete_files(stored)
        raise
    return packet


def _create(checked: _CheckedPacket, *, owner: Any, stored: list[str]) -> Packet:
    # owner is Any here: django-stubs types these foreign keys as auth.User, not AbstractBaseUser.
    new_ids = {str(item.meta.id): str(uuid.uuid4()) for item in checked.exhibits}
    packet = Packet.objects.create(name=checked.name, data=remap_ids(checked.data, new_ids), updated_by=owner)
    Membership.objects.create(packet=packet, user=owner, role=Role.OWNER)
    for position, item in enumerate(checked.exhibits):
        meta = item.meta
        exhibit = Exhibit(
            id=uuid.UUID(new_ids[str(meta.id)]),
            packet=packet,
            kind=meta.kind,
            title=meta.title,
            issuer=meta.issuer,
            issued_on=meta.issued_on,
            position=position,
            original_name=display_file_name(meta.original_name),
            content_type=meta.content_type,
            size=meta.size,
            page_count=meta.page_count,
            sha256=meta.sha256,
            text=item.text.text,
            text_status=item.text.status,
            markup=asdict(item.markup),
            uploaded_by=owner,
        )
        exhibit.file.save("upload", ContentFile(item.content), save=False)
        stored.append(str(exhibit.file.name))
        exhibit.save()
    if checked.case is not None:
        case_create(checked.case, packet=packet, owner=owner, exhibit_ids=new_ids, stored=stored)
        packet.refresh_from_db()
    PacketChange.objects.create(
        packet=packet, user=owner, section="archive", summary="imported from an archive", revision=packet.revision
    )
    return packet


def _read_archive(stream: IO[bytes]) -> _CheckedPacket:
    limit = archive_max_bytes()
    stream.seek(0, 2)
    if stream.tell() > limit:
        raise ArchiveError(_too_large(limit))
    stream.seek(0)
    try:
        archive = zipfile.ZipFile(stream)
    except (zipfile.BadZipFile, zipfile.LargeZipFile, ValueError, EOFError) as error:
        raise ArchiveError(
            _("This file is not a packet archive (.zip). Choose a file made with “Export as archive”.")
        ) from error
    with archive:
        members = _check_members(archive)
        for required in (MANIFEST_FILE, PACKET_FILE):
            if required not in members:
                raise ArchiveError(
                    _("The archive has no %(file)s, so it was not made with “Export as archive”.") % {"file": required}
                )
        manifest = _parse(Manifest, _read_member(archive, members[MANIFEST_FILE], JSON_MAX_BYTES), MANIFEST_FILE)
        contents = _check_against_manifest(archive, members, manifest)
    described = _parse(ArchivedPacket, contents[PACKET_FILE], PACKET_FILE)
    if described.schema_version != SCHEMA_VERSION:
        raise ArchiveError(
            _("The archive's content uses schema version %(found)s; this installation reads version %(known)s.")
            % {"found": described.schema_version, "known": SCHEMA_VERSION}
        )
    case_paths = set(described.case.file_paths()) if described.case is not None else set()
    exhibits = _check_exhibits(described.exhibits, contents, case_paths)
    case = None
    if described.case is not None:
        try:
            case = case_check(described.case, contents, exhibit_bytes=sum(item.meta.size for item in exhibits))
        except CaseArchiveError as error:
            raise ArchiveError(str(error)) from error
    name = described.name.strip() or _("Imported packet")
    return _CheckedPacket(name=name, data=_check_data(described.data, exhibits), exhibits=exhibits, case=case)


def _check_members(archive: zipfile.ZipFile) -> dict[str, zipfile.ZipInfo]:
    """The archive's files by name, after refusing unsafe names, odd encodings and sizes that could exhaust memory."""
    infos = archive.infolist()
    if len(infos) > MAX_MEMBERS:
        raise ArchiveError(
            _("The archive holds more than %(max)s files, more than a packet's exhibits and case files may be.")
            % {"max": MAX_MEMBERS}
        )
    members: dict[str, zipfile.ZipInfo] = {}
    total = 0
    for info in infos:
        name = info.filename
        _check_name(name)
        if info.is_dir():
            continue
        if name in members:
            raise ArchiveError(_("The archive holds “%(name)s” twice.") % {"name": name})
        if info.flag_bits & 0x1:
            raise ArchiveError(_("The archive is password-protected. Export the packet again without a password."))
        if info.compress_type not in (zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED):
            raise ArchiveError(_("The archive uses a compression method this installation does not read."))
        member_limit = member_max_bytes(name)
        if info.file_size > member_limit:
            raise ArchiveError(_member_too_large(name, member_limit))
        total += info.file_size
        if total > archive_max_bytes():
            raise ArchiveError(_too_large(archive_max_bytes()))
        members[name] = info
    return members


def _check_name(name: str) -> None:
    parts = name.rstrip("/").split("/")
    unsafe = (
        not name
        or name.startswith("/")
        or "\\" in name
        or "\x00" in name
        or (len(name) > 1 and name[1] == ":")  # a Windows drive letter
        or any(part in ("", ".", "..") for part in parts)
    )
    if unsafe:
        raise ArchiveError(
            _("The archive holds a file with an unsafe name (“%(name)s”); it was not made with “Export as archive”.")
            % {"name": name[:100]}
        )


def _check_against_manifest(
    archive: zipfile.ZipFile, members: dict[str, zipfile.ZipInfo], manifest: Manifest
) -> dict[str, bytes]:
    """Every file but the manifest, read and checked against the manifest's sha256 and size."""
    listed: dict[str, ManifestEntry] = {}
    for entry in manifest.files:
        if entry.path in listed or entry.path == MANIFEST_FILE:
            raise ArchiveError(_("The manifest lists “%(name)s” twice.") % {"name": entry.path[:100]})
        listed[entry.path] = entry
    for name in members:
        if name != MANIFEST_FILE and name not in listed:
            raise ArchiveError(
                _("The archive holds “%(name)s”, which its manifest does not list; it may have been tampered with.")
                % {"name": name}
            )
    contents = {}
    for path, entry in listed.items():
        if path not in members:
            raise ArchiveError(
                _("The manifest lists “%(name)s”, but the archive does not hold it; the archive is incomplete.")
                % {"name": path[:100]}
            )
        content = _read_member(archive, members[path], member_max_bytes(path))
        if len(content) != entry.size or hashlib.sha256(content).hexdigest() != entry.sha256:
            raise ArchiveError(
                _("The file “%(name)s” does not match the archive's manifest; the archive was changed or damaged.")
                % {"name": path}
            )
        contents[path] = content
    return contents


def _read_member(archive: zipfile.ZipFile, info: zipfile.ZipInfo, limit: int) -> bytes:
    # Read at most limit + 1 bytes whatever the header claims, so a member that lies about its size cannot
    # exhaust memory; zipfile's own CRC check then catches the lie.
    try:
        with archive.open(info) as member:
            content = member.read(limit + 1)
    except (zipfile.BadZipFile, zlib.error, EOFError, NotImplementedError, RuntimeError) as error:
        raise ArchiveError(
            _("The file “%(name)s” in the archive is damaged and cannot be read.") % {"name": info.filename}
        ) from error
    if len(content) > limit:
        raise ArchiveError(_member_too_large(info.filename, limit))
    return content


def _check_exhibits(
    exhibits: list[ArchivedExhibit], contents: dict[str, bytes], case_paths: set[str]
) -> list[_CheckedExhibit]:
    """Each exhibit's file, inspected like an upload; metadata that disagrees with the file is refused. Files that are
    neither an exhibit nor described by the case (``case_paths``, checked by ``case_check``) are refused."""
    ids = [item.id for item in exhibits]
    if len(set(ids)) != len(ids):
        raise ArchiveError(_("packet.json describes the same exhibit twice."))
    expected = {exhibit_archive_path(item.id, item.content_type) for item in exhibits}
    for item in exhibits:
        if item.path != exhibit_archive_path(item.id, item.content_type) or item.path not in contents:
            raise ArchiveError(
                _("The file of exhibit “%(title)s” (%(path)s) is not in the archive.")
                % {"title": item.title, "path": item.path[:100]}
            )
    for path in contents:
        if path != PACKET_FILE and path not in expected and path not in case_paths:
            raise ArchiveError(
                _("The archive holds “%(name)s”, which packet.json does not describe as an exhibit.") % {"name": path}
            )
    checked = []
    total = 0
    for item in sorted(exhibits, key=lambda exhibit: exhibit.position):
        content = contents[item.path]
        try:
            inspected = inspect_upload(ContentFile(content), size=len(content), name=item.original_name)
        except UploadRejected as error:
            raise ArchiveError(
                _("Exhibit “%(title)s”: %(problem)s") % {"title": item.title, "problem": error}
            ) from error
        if (inspected.sha256, inspected.size) != (item.sha256, item.size) or (
            inspected.content_type,
            inspected.page_count,
        ) != (item.content_type, item.page_count):
            raise ArchiveError(
                _("The details of exhibit “%(title)s” in packet.json do not match its file.") % {"title": item.title}
            )
        total += inspected.size
        checked.append(_CheckedExhibit(meta=item, content=content, text=inspected.text, markup=inspected.markup))
    if total > settings.PACKET_MAX_BYTES:
        raise ArchiveError(
            _("The exhibits in this archive exceed %(limit)s MB in all, more than a packet may hold.")
            % {"limit": settings.PACKET_MAX_BYTES // (1024 * 1024)}
        )
    return checked


def _check_data(data: dict[str, Any], exhibits: list[_CheckedExhibit]) -> dict[str, Any]:
    """The content, validated and normalised as the wizard would save it, with every exhibit reference resolvable."""
    try:
        content = PacketData.model_validate(data)
    except ValidationError as error:
        raise ArchiveError(
            _("The packet's content is not valid: %(problems)s") % {"problems": _describe_errors(error)}
        ) from error
    known = {item.meta.id for item in exhibits}
    dangling = sorted(str(exhibit_id) for exhibit_id in content.exhibit_references() - known)
    if dangling:
        raise ArchiveError(
            _("The packet's content refers to exhibit %(id)s, which the archive does not hold.") % {"id": dangling[0]}
        )
    return content.model_dump(mode="json")


def _parse(model: type[M], content: bytes, name: str) -> M:
    try:
        value = json.loads(content.decode("utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError) as error:
        raise ArchiveError(_("%(file)s in the archive is not valid JSON.") % {"file": name}) from error
    version = value.get("format_version") if isinstance(value, dict) else None
    if version not in READABLE_FORMAT_VERSIONS:
        raise ArchiveError(
            _("%(file)s uses archive format version %(found)s; this installation reads versions up to %(known)s.")
            % {"file": name, "found": json.dumps(version)[:20], "known": FORMAT_VERSION}
        )
    try:
        return model.model_validate(value)
    except ValidationError as error:
        raise ArchiveError(
            _("%(file)s in the archive is not valid: %(problems)s")
            % {"file": name, "problems": _describe_errors(error)}
        ) from error


def _describe_errors(error: ValidationError, limit: int = 3) -> str:
    """The schema's refusals as "where: what" phrases in our words, the first few only, so it stays readable."""
    phrases = []
    for item in error.errors()[:limit]:
        where = ".".join(str(part) for part in item["loc"])
        message = schema_error_message(item)  # our words, never pydantic's
        phrases.append(f"{where}: {message}" if where else message)
    more = error.error_count() - limit
    if more > 0:
        phrases.append(_("and %(count)s more") % {"count": more})
    return "; ".join(phrases)


def _too_large(limit: int) -> str:
    return _("The archive would unpack to more than %(limit)s MB, more than a packet may hold.") % {
        "limit": limit // (1024 * 1024)
    }


def _member_too_large(name: str, limit: int) -> str:
    return _("The file “%(name)s” in the archive is larger than %(limit)s MB.") % {
        "name": name,
        "limit": limit // (1024 * 1024),
    }


def _delete_files(names: list[str]) -> None:
    from django.core.files.storage import default_storage

    for name in names:
        default_storage.delete(name)
