"""Backup of a whole installation into a folder, and restore of that folder into an empty installation.

Layout of a backup folder (format version 1)::

    backup.json              format_version, created_at, and the file list with each file's sha256 and size
    records.json             every user (with password hash, so logins survive a restore) and every packet-app row
                             (packets, memberships, exhibit metadata, history, versions, review, comments…), as
                             Django's JSON serialiser writes them, with their original ids
    packets/<packet id>.zip  each packet as an archive (packets.portability.archive.export_packet): content, exhibits,
                             and a filed packet's case documents and case renders (restored from there too)
    versions/<version id>.pdf  each rendered packet PDF

Files are written decrypted: a backup is meant to outlive the installation's keys. It holds everything a database dump
and the media folder would, so keep it encrypted and access-controlled (see README). Not backed up: sessions (everyone
logs in again), queued background tasks and render jobs (render again), the exhibit normalisation cache (rebuilt).
"""

import datetime
import hashlib
import json
import zipfile
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from django.apps import apps
from django.contrib.auth import get_user_model
from django.core import serializers
from django.core.files.base import ContentFile, File
from django.core.serializers.json import DjangoJSONEncoder
from django.db import connection, models, transaction
from django.utils import timezone

from packets.models import CaseDocument, CaseRender, Exhibit, Packet, PacketVersion, RenderJob
from packets.portability.archive import exhibit_archive_path, export_packet
from packets.portability.archive_case import case_document_archive_path, case_render_archive_path

FORMAT_VERSION = 1
BACKUP_FILE = "backup.json"
RECORDS_FILE = "records.json"
# Transient rows that a restore does not bring back (render jobs point at a queue that is not backed up).
_SKIPPED_MODELS: tuple[type[models.Model], ...] = (RenderJob,)


class BackupError(Exception):
    """The backup cannot be made or restored; the message says why."""


@dataclass(frozen=True)
class BackupSummary:
    users: int
    packets: int
    exhibits: int
    versions: int
    records: int


def _backed_up_models() -> list[type[models.Model]]:
    """The user model and every model of the packets app, parents before the rows that point at them."""
    packet_models = [model for model in apps.get_app_config("packets").get_models() if model not in _SKIPPED_MODELS]
    return [get_user_model(), *serializers.sort_dependencies([(apps.get_app_config("packets"), packet_models)])]


def installation_backup(*, target: Path, log: Callable[[str], None] | None = None) -> BackupSummary:
    """Write every user, packet, exhibit file and rendered version of this installation into the folder ``target``.

    ``target`` must be empty or not exist yet. Files are written beside their final name and renamed, and
    ``backup.json`` is written last, so a folder without it is an unfinished backup.
    """
    report = log or (lambda message: None)
    target.mkdir(parents=True, exist_ok=True)
    if any(target.iterdir()):
        raise BackupError(f"{target} is not empty; back up into a new folder.")
    files: dict[str, dict[str, Any]] = {}
    counts = {"records": 0}
    with transaction.atomic():
        if connection.vendor == "postgresql":  # one snapshot of the database, however long the backup takes
            with connection.cursor() as cursor:
                cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ")
        with _writing(target / RECORDS_FILE) as stream:
            stream.write(b"[")
            first = True
            for model in _backed_up_models():
                for obj in model._default_manager.order_by("pk").iterator():
                    text = serializers.serialize("json", [obj], use_natural_foreign_keys=True, cls=_ExactJSONEncoder)[
                        1:-1
                    ]
                    stream.write((b"" if first else b",\n") + text.encode())
                    first = False
                    counts["records"] += 1
            stream.write(b"]\n")
        files[RECORDS_FILE] = _describe(target / RECORDS_FILE)
        packets = list(Packet.objects.order_by("pk"))
        for packet in packets:
            name = f"packets/{packet.pk}.zip"
            with _writing(target / name) as stream:
                export_packet(packet, stream)
            files[name] = _describe(target / name)
            report(f"packet {packet.pk}: {packet.exhibits.count()} exhibit(s)")
        versions = list(PacketVersion.objects.order_by("pk"))
        for version in versions:
            name = f"versions/{version.pk}.pdf"
            with _writing(target / name) as stream, version.pdf.open("rb") as handle:
                for chunk in iter(lambda: handle.read(1024 * 1024), b""):
                    stream.write(chunk)
            files[name] = _describe(target / name)
            if files[name]["sha256"] != version.sha256:
                raise BackupError(f"The stored PDF of version {version.number} of {version.packet_id} is damaged.")
        summary = BackupSummary(
            users=get_user_model().objects.count(),
            packets=len(packets),
            exhibits=Exhibit.objects.count(),
            versions=len(versions),
            records=counts["records"],
        )
    description = {"format_version": FORMAT_VERSION, "created_at": timezone.now().isoformat(), "files": files}
    with _writing(target / BACKUP_FILE) as stream:
        stream.write(json.dumps(description, indent=1, sort_keys=True).encode())
    return summary


class _ExactJSONEncoder(DjangoJSONEncoder):
    """Django's encoder, but times keep their microseconds (Django's cuts them to milliseconds: not lossless)."""

    def default(self, o: Any) -> Any:
        if isinstance(o, datetime.datetime | datetime.time):
            return o.isoformat()
        return super().default(o)


class _writing:
    """A file opened for writing under a temporary name, renamed into place only when it was written completely."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self.partial = path.with_name(path.name + ".partial")

    def __enter__(self) -> Any:
        self.path.parent.mkdir(parents=True, exist_ok=True)
        self.stream = self.partial.open("wb")
        return self.stream

    def __exit__(self, kind: Any, error: Any, traceback: Any) -> None:
        self.stream.close()
        if kind is None:
            self.partial.replace(self.path)
        else:
            self.partial.unlink(missing_ok=True)


def _describe(path: Path) -> dict[str, Any]:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for chunk in iter(lambda: handle.read(1024 * 1024), b""):
            digest.update(chunk)
    return {"sha256": digest.hexdigest(), "size": path.stat().st_size}


# ── Restore ────────────────────────────────────────────────────────────────────────────────────────────────────────


def installation_is_empty() -> bool:
    return not get_user_model().objects.exists() and not Packet.objects.exists()


def installation_restore(*, source: Path, log: Callable[[str], None] | None = None) -> BackupSummary:
    """Restore the backup folder ``source`` into this installation, which must have no users and no packets.

    Every file is checked against ``backup.json`` before anything is written, every exhibit and PDF against the
    checksum its row records; the rows are written in one transaction, and files already stored are deleted again if
    anything fails, so a failed restore leaves the installation empty.
    """
    report = log or (lambda message: None)
    if not installation_is_empty():
        raise BackupError("This installation already has users or packets; restore only into an empty one.")
    description = _read_description(source)
    _check_files(source, description)
    stored: list[str] = []
    try:
        with transaction.atomic():
            records = _restore_records(source / RECORDS_FILE)
            exhibits = _restore_exhibit_files(source, stored, report)
            _restore_case_files(source, stored, report)
            versions = _restore_version_files(source, stored)
    except BaseException:
        from django.core.files.storage import default_storage

        for name in stored:
            default_storage.delete(name)
        raise
    return BackupSummary(
        users=get_user_model().objects.count(),
        packets=Packet.objects.count(),
        exhibits=exhibits,
        versions=versions,
        records=records,
    )


def _read_description(source: Path) -> dict[str, Any]:
    try:
        description = json.loads((source / BACKUP_FILE).read_bytes())
    except FileNotFoundError as error:
        raise BackupError(
            f"{source} has no {BACKUP_FILE}: it is not a backup, or the backup did not finish."
        ) from error
    except ValueError as error:
        raise BackupError(f"{source / BACKUP_FILE} is damaged.") from error
    if description.get("format_version") != FORMAT_VERSION:
        raise BackupError(f"This backup has format version {description.get('format_version')}; expected 1.")
    return dict(description)


def _check_files(source: Path, description: dict[str, Any]) -> None:
    for name, expected in description["files"].items():
        path = (source / name).resolve()
        if source.resolve() not in path.parents:
            raise BackupError(f"{BACKUP_FILE} names a file outside the backup: {name}")
        if not path.is_file():
            raise BackupError(f"The backup is missing {name}.")
        if _describe(path) != expected:
            raise BackupError(f"{name} in the backup does not match its checksum: it is damaged or was changed.")


def _restore_records(path: Path) -> int:
    count = 0
    # As loaddata does: rows may point at rows later in the file (e.g. a packet's updated_by), so constraints are
    # checked once at the end instead of row by row.
    with connection.constraint_checks_disabled(), path.open("rb") as stream:
        saved: list[type[models.Model]] = []
        for item in serializers.deserialize("json", stream):
            item.save()
            saved.append(type(item.object))
            count += 1
    connection.check_constraints(table_names=sorted({model._meta.db_table for model in saved}))
    _reset_sequences(set(saved))
    return count


def _reset_sequences(saved_models: set[type[models.Model]]) -> None:
    statements = connection.ops.sequence_reset_sql(_no_style(), list(saved_models))
    with connection.cursor() as cursor:
        for statement in statements:
            cursor.execute(statement)


def _no_style() -> Any:
    from django.core.management.color import no_style

    return no_style()


def _restore_exhibit_files(source: Path, stored: list[str], report: Callable[[str], None]) -> int:
    count = 0
    for packet in Packet.objects.order_by("pk"):
        exhibits = list(Exhibit.objects.filter(packet=packet))
        if not exhibits:
            continue
        with zipfile.ZipFile(source / f"packets/{packet.pk}.zip") as archive:
            for exhibit in exhibits:
                content = archive.read(exhibit_archive_path(exhibit.pk, exhibit.content_type))
                if hashlib.sha256(content).hexdigest() != exhibit.sha256:
                    raise BackupError(f"The file of exhibit {exhibit.pk} does not match its checksum.")
                exhibit.file.save("upload", ContentFile(content), save=False)
                stored.append(str(exhibit.file.name))
                Exhibit.objects.filter(pk=exhibit.pk).update(file=exhibit.file.name)
                count += 1
        report(f"packet {packet.pk}: {len(exhibits)} exhibit file(s)")
    return count


def _restore_case_files(source: Path, stored: list[str], report: Callable[[str], None]) -> None:
    """The case documents' and case renders' files, from their packet's archive (checked against their sha256)."""
    packets = set(CaseDocument.objects.values_list("packet_id", flat=True))
    packets |= set(CaseRender.objects.values_list("packet_id", flat=True))
    for packet_id in sorted(packets):
        with zipfile.ZipFile(source / f"packets/{packet_id}.zip") as archive:
            files: list[tuple[models.Model, Any, str, str]] = [
                (document, document.file, case_document_archive_path(document.pk, document.content_type), "upload")
                for document in CaseDocument.objects.filter(packet_id=packet_id)
            ]
            files += [
                (render, render.pdf, case_render_archive_path(render.pk), "render.pdf")
                for render in CaseRender.objects.filter(packet_id=packet_id)
            ]
            for record, stored_file, path, name in files:
                content = archive.read(path)
                if hashlib.sha256(content).hexdigest() != record.sha256:  # type: ignore[attr-defined]
                    raise BackupError(f"The file of {type(record).__name__} {record.pk} does not match its checksum.")
                stored_file.save(name, ContentFile(content), save=False)
                stored.append(str(stored_file.name))
                type(record)._default_manager.filter(pk=record.pk).update(**{stored_file.field.name: stored_file.name})
        report(f"packet {packet_id}: {len(files)} case file(s)")


def _restore_version_files(source: Path, stored: list[str]) -> int:
    count = 0
    for version in PacketVersion.objects.order_by("pk"):
        with (source / f"versions/{version.pk}.pdf").open("rb") as handle:
            version.pdf.save(f"packet-v{version.number}.pdf", File(handle), save=False)
        stored.append(str(version.pdf.name))
        PacketVersion.objects.filter(pk=version.pk).update(pdf=version.pdf.name)
        count += 1
    return count


def backup_files(source: Path) -> Iterator[str]:
    """The files a finished backup folder lists (for tests and tooling)."""
    yield from _read_description(source)["files"]
