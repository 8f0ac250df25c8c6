"""Packet archives: one zip that carries a packet, with its exhibits, from one installation to another.

Layout (format version 2; version 1 is the same without the case, and is still read)::

    packet.json          name, schema_version, the PacketData JSON, each exhibit's metadata in packet order, and
                         the case after filing when there is one (``packets.portability.archive_case``)
    exhibits/<id>.<ext>  the exhibit files, byte for byte
    case/...             the case's files: its documents, its renders, the filed version's PDF
    manifest.json        format_version and every other file in the archive with its sha256 and size

Like the exhibits, the case's texts and files are written decrypted: the archive is the user's own copy of their
packet, to be imported elsewhere (where it is encrypted again with that installation's keys).

This module is the format and its export; reading an archive back is ``packets.portability.archive_import``.
"""

import hashlib
import json
import uuid
import zipfile
from collections.abc import Iterable
from datetime import date
from typing import IO, Annotated, Any, Literal

from django.conf import settings
from django.db.models.fields.files import FieldFile
from django.utils.translation import gettext as _
from pydantic import BaseModel, ConfigDict, Field, StringConstraints

from packets.content.schema import SCHEMA_VERSION
from packets.models import Exhibit, ExhibitKind, Packet
from packets.portability.archive_case import (
    CASE_RENDERS_DIR,
    FILED_VERSION_FILE,
    MAX_CASE_DOCUMENTS,
    MAX_CASE_RENDERS,
    ArchivedCase,
    case_describe,
)

FORMAT_VERSION = 2
READABLE_FORMAT_VERSIONS = (1, 2)
PACKET_FILE = "packet.json"
MANIFEST_FILE = "manifest.json"
EXHIBITS_DIR = "exhibits/"
EXTENSIONS = {"application/pdf": "pdf", "image/jpeg": "jpg", "image/png": "png"}

JSON_MAX_BYTES = 10 * 1024 * 1024  # packet.json and manifest.json each; real ones are a few hundred kB at most
MAX_EXHIBITS = 500
# The exhibits, the case's documents and renders and its filed version, the two JSON files, and a few directory
# entries a re-zip may add.
MAX_MEMBERS = MAX_EXHIBITS + MAX_CASE_DOCUMENTS + MAX_CASE_RENDERS + 1 + 10
# A fixed timestamp in every member, so the same packet always exports to the same bytes.
_ZIP_TIME = (1980, 1, 1, 0, 0, 0)
_CHUNK = 1024 * 1024


class ArchiveError(Exception):
    """The archive cannot be imported (or exported); the message says why in plain words."""


def archive_max_bytes() -> int:
    """The most an archive may hold uncompressed: every exhibit and case document the packet may have (one limit for
    both, as for uploads), as much again for the PDFs rendered from them, plus the two JSON files."""
    return 2 * int(settings.PACKET_MAX_BYTES) + 2 * JSON_MAX_BYTES


def member_max_bytes(path: str) -> int:
    """The most one file of the archive may hold: an upload's limit, a packet's for a rendered PDF."""
    if path in (PACKET_FILE, MANIFEST_FILE):
        return JSON_MAX_BYTES
    if path == FILED_VERSION_FILE or path.startswith(CASE_RENDERS_DIR):
        return int(settings.PACKET_MAX_BYTES)
    return int(settings.EXHIBIT_MAX_BYTES)


# ── The JSON inside the archive ────────────────────────────────────────────────────────────────────────────────────

Sha256 = Annotated[str, StringConstraints(pattern=r"^[0-9a-f]{64}$")]


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class ManifestEntry(_Strict):
    path: str
    sha256: Sha256
    size: int = Field(ge=0)


class Manifest(_Strict):
    format_version: int
    files: list[ManifestEntry]


class ArchivedExhibit(_Strict):
    id: uuid.UUID
    kind: ExhibitKind
    title: Annotated[str, StringConstraints(max_length=200)]
    issuer: Annotated[str, StringConstraints(max_length=200)] = ""
    issued_on: date | None = None
    position: int = Field(ge=0)
    original_name: Annotated[str, StringConstraints(max_length=255)]
    content_type: Literal["application/pdf", "image/jpeg", "image/png"]
    page_count: int = Field(ge=1)
    sha256: Sha256
    size: int = Field(ge=1)
    path: str


class ArchivedPacket(_Strict):
    format_version: int
    schema_version: int
    name: Annotated[str, StringConstraints(max_length=120)]
    data: dict[str, Any]
    exhibits: list[ArchivedExhibit] = Field(max_length=MAX_EXHIBITS)
    case: ArchivedCase | None = None  # format version 2: the case after filing, when the packet was filed


def exhibit_archive_path(exhibit_id: uuid.UUID | str, content_type: str) -> str:
    return f"{EXHIBITS_DIR}{exhibit_id}.{EXTENSIONS[content_type]}"


# ── Export ─────────────────────────────────────────────────────────────────────────────────────────────────────────


def export_packet(packet: Packet, stream: IO[bytes]) -> None:
    """Write ``packet`` (content, exhibit metadata and files) to ``stream`` as a zip archive.

    Raises ``ArchiveError`` when a stored exhibit file is missing or no longer matches its recorded sha256, rather
    than produce an archive that would be refused on import.
    """
    exhibits = list(packet.exhibits.all())
    case, case_files = case_describe(packet)
    described = ArchivedPacket(
        format_version=FORMAT_VERSION,
        schema_version=int(packet.data.get("schema_version", SCHEMA_VERSION)),
        name=packet.name,
        data=packet.data,
        exhibits=[_describe(exhibit) for exhibit in exhibits],
        case=case,
    )
    entries: list[ManifestEntry] = []
    with zipfile.ZipFile(stream, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        entries.append(_write_member(archive, PACKET_FILE, [_json_bytes(described.model_dump(mode="json"))]))
        for exhibit, item in zip(exhibits, described.exhibits, strict=True):
            entry = _write_member(archive, item.path, _stored_chunks(exhibit))
            if entry.sha256 != exhibit.sha256:
                raise ArchiveError(
                    _("The stored file of exhibit “%(title)s” has changed since it was uploaded; upload it again.")
                    % {"title": exhibit.title}
                )
            entries.append(entry)
        for path, stored, sha256 in case_files:
            entry = _write_member(archive, path, _file_chunks(stored, path))
            if entry.sha256 != sha256:
                raise ArchiveError(
                    _("The stored file %(path)s of the case has changed since it was stored.") % {"path": path}
                )
            entries.append(entry)
        manifest = Manifest(format_version=FORMAT_VERSION, files=entries)
        _write_member(archive, MANIFEST_FILE, [_json_bytes(manifest.model_dump(mode="json"))])


def _describe(exhibit: Exhibit) -> ArchivedExhibit:
    return ArchivedExhibit(
        id=exhibit.id,
        kind=ExhibitKind(exhibit.kind),
        title=exhibit.title,
        issuer=exhibit.issuer,
        issued_on=exhibit.issued_on,
        position=exhibit.position,
        original_name=exhibit.original_name,
        content_type=exhibit.content_type,  # type: ignore[arg-type]
        page_count=exhibit.page_count,
        sha256=exhibit.sha256,
        size=exhibit.size,
        path=exhibit_archive_path(exhibit.id, exhibit.content_type),
    )


def _file_chunks(stored: FieldFile, path: str) -> Iterable[bytes]:
    try:
        handle = stored.open("rb")
    except FileNotFoundError as error:
        raise ArchiveError(_("The stored file %(path)s of the case is missing.") % {"path": path}) from error
    with handle:
        while chunk := handle.read(_CHUNK):
            yield chunk


def _stored_chunks(exhibit: Exhibit) -> Iterable[bytes]:
    try:
        handle = exhibit.file.open("rb")
    except FileNotFoundError as error:
        raise ArchiveError(
            _("The stored file of exhibit “%(title)s” is missing; upload it again.") % {"title": exhibit.title}
        ) from error
    with handle:
        while chunk := handle.read(_CHUNK):
            yield chunk


def _write_member(archive: zipfile.ZipFile, path: str, chunks: Iterable[bytes]) -> ManifestEntry:
    info = zipfile.ZipInfo(path, date_time=_ZIP_TIME)
    info.compress_type = zipfile.ZIP_DEFLATED
    info.external_attr = 0o644 << 16
    digest, size = hashlib.sha256(), 0
    with archive.open(info, "w", force_zip64=True) as member:
        for chunk in chunks:
            digest.update(chunk)
            size += len(chunk)
            member.write(chunk)
    return ManifestEntry(path=path, sha256=digest.hexdigest(), size=size)


def _json_bytes(value: Any) -> bytes:
    return (json.dumps(value, ensure_ascii=False, indent=2, sort_keys=True) + "\n").encode()
