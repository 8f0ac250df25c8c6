"""The things one can do to a packet. Views parse the request, call one of these, and respond."""

from collections.abc import Iterable
from dataclasses import asdict, dataclass
from datetime import date
from typing import Any
from uuid import UUID

from django.conf import settings
from django.contrib.auth.models import User
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.db.models import Max, Sum
from django.utils import timezone
from django.utils.translation import gettext as _

from packets.assembly.exhibits import exhibit_cache_forget, exhibit_cache_normalised
from packets.audit.records import audit_request_rolled_back, audit_request_with_change
from packets.content.schema import PacketData
from packets.content.upload_once import upload_key
from packets.evidence.uploads import UploadRejected, display_file_name, inspect_upload
from packets.models import Exhibit, ExhibitKind, Membership, Packet, PacketChange, Role
from packets.review.edits import review_record_edit, review_record_exhibit_change

# Exhibits that fill a named place in the content (and go when that place is emptied or replaced).
SLOT_KINDS = frozenset({ExhibitKind.PASSPORT, ExhibitKind.CV, ExhibitKind.SUPPORT_LETTER})


class StaleEdit(Exception):
    """The section changed since the form was loaded: someone else (or another tab) saved it first."""

    def __init__(self, *, packet: Packet, section: str, saved: dict[str, Any]) -> None:
        super().__init__(f"section {section} of packet {packet.pk} changed since it was loaded")
        self.packet = packet
        self.section = section
        self.saved = saved


@dataclass(frozen=True)
class ExhibitUpload:
    """A file to store as an exhibit, and where in the section's value its id goes (a path of keys and indexes)."""

    file: UploadedFile
    kind: str
    title: str
    issuer: str = ""
    issued_on: date | None = None
    target: tuple[str | int, ...] = ()
    # The one-time token of the form that sent the file ("" for none): the same form sent twice stores it once.
    form_token: str = ""


def packet_create(*, owner: User, name: str) -> Packet:
    """A new, empty packet owned by ``owner``."""
    with transaction.atomic():
        packet = Packet.objects.create(name=name.strip() or _("Untitled packet"), updated_by=owner)
        Membership.objects.create(packet=packet, user=owner, role=Role.OWNER)
        PacketChange.objects.create(packet=packet, user=owner, section="", summary="created", revision=0)
    return packet


def packet_rename(*, packet: Packet, name: str, by: User) -> Packet:
    packet.name = name.strip()
    packet.updated_by = by
    packet.save(update_fields=["name", "updated_by", "updated_at"])
    return packet


def packet_delete(*, packet: Packet) -> None:
    """Delete the packet, its history and its files (files after the transaction commits)."""
    exhibits = list(packet.exhibits.all())
    files = [exhibit.file.name for exhibit in exhibits]
    hashes = [exhibit.sha256 for exhibit in exhibits]
    # Rendered versions are files of the packet too: without this their PDFs would outlive it on disk.
    files += [version.pdf.name for version in packet.versions.all() if version.pdf]
    # So are the case's: notices, evidence and proofs uploaded after filing, and the PDFs made for it.
    files += [document.file.name for document in packet.case_documents.all() if document.file]
    files += [render.pdf.name for render in packet.case_renders.all() if render.pdf]
    scope = str(packet.pk)
    with transaction.atomic():
        packet.delete()
        transaction.on_commit(lambda: delete_stored_files(files))
        transaction.on_commit(lambda: _forget_normalised(hashes))
        transaction.on_commit(lambda: _delete_cached_parts(scope))


def _delete_cached_parts(scope: str) -> None:
    from packets.assembly.partcache import PartCache  # the renderer's imports stay out of every web request

    PartCache(scope).clear()


def packet_save_section(
    *,
    packet: Packet,
    section: str,
    value: dict[str, Any],
    base_revision: int,
    by: User | None,
    uploads: Iterable[ExhibitUpload] = (),
) -> Packet:
    """Save one section of the content, with any files the step uploaded, in one transaction.

    Refuses (``StaleEdit``) when the section changed after ``base_revision`` and the submitted value differs from the
    saved one; raises pydantic's ``ValidationError`` when the result would be malformed or contradictory. Exhibits that
    filled a place in this section and no longer do are removed. ``packet`` takes the saved state.
    """
    stored_names: list[str | None] = []
    try:
        with transaction.atomic():
            # The locking read makes two saves of one packet take turns: each judges staleness against, and writes
            # over, the row as the one before it committed it. SQLite has no row locks, but its transactions begin
            # IMMEDIATE (settings.DATABASES), taking the database's write lock before this read: the same turns,
            # so no retry is needed on either database.
            locked = Packet.objects.select_for_update().get(pk=packet.pk)
            _save_section(locked, section, _copy(value), base_revision, by, list(uploads), stored_names)
    except BaseException:
        audit_request_rolled_back()
        delete_stored_files(stored_names)
        raise
    return _take(packet, locked)


def _save_section(
    packet: Packet,
    section: str,
    value: dict[str, Any],
    base_revision: int,
    by: User | None,
    uploads: list[ExhibitUpload],
    stored_names: list[str | None],
) -> None:
    """Save ``value`` as ``section`` of the locked ``packet``, in the caller's transaction; the names of stored files
    go to ``stored_names`` so that a failure can delete them."""
    for upload in uploads:
        exhibit, created = _exhibit_store(packet=packet, upload=upload, by=by)
        if created:  # one stored by an earlier send of this very form is not this save's to delete on failure
            stored_names.append(exhibit.file.name)
        if upload.target:  # a certificate is an exhibit of its own, pointed at by no field
            _set_path(value, upload.target, str(exhibit.id))
    if section == "partners":
        value = _letter_dates_from_exhibits(packet, value)
    new = _new_content(packet, section, value, base_revision)
    if new is not None:
        _write_section(packet, section, by, *new)
        if section == "partners":
            _letter_exhibits_dated(packet, new[0])
    elif stored_names:
        review_record_exhibit_change(packet=packet, by=by, summary="exhibit added")
        audit_request_with_change()


def _new_content(
    packet: Packet, section: str, value: dict[str, Any], base_revision: int
) -> tuple[PacketData, dict[str, Any]] | None:
    """The packet's content with ``value`` as ``section``, and its JSON; None if that changes nothing.

    Raises ``StaleEdit`` if the section was saved after ``base_revision`` with another value, and pydantic's
    ``ValidationError`` if the result is malformed or contradictory.
    """
    current = packet.data.get(section)
    if packet.section_revisions.get(section, 0) > base_revision and not _same(current, value, section):
        raise StaleEdit(packet=packet, section=section, saved=current or {})
    data = dict(packet.data)
    data[section] = value
    content = PacketData.model_validate(data)
    new_data = content.model_dump(mode="json")
    return (content, new_data) if new_data != packet.data else None


def _write_section(packet: Packet, section: str, by: User | None, content: PacketData, data: dict[str, Any]) -> None:
    """Write ``content`` (``data`` its JSON) as the next revision of the locked ``packet``, in the caller's
    transaction, with its change row and the request's audit entry."""
    unreferenced = packet.content.exhibit_references() - content.exhibit_references()
    packet.set_content(content, data)
    packet.revision += 1
    packet.section_revisions = {**packet.section_revisions, section: packet.revision}
    packet.updated_by = by
    packet.save(update_fields=["data", "revision", "section_revisions", "updated_by", "updated_at"])
    if unreferenced:
        _remove_unreferenced(packet, unreferenced)
    review_record_edit(packet=packet, by=by, sections=[section])
    audit_request_with_change()


def _take(packet: Packet, saved: Packet) -> Packet:
    """The caller's object takes the saved state (``saved`` is the row as of the commit): no second read."""
    for field in Packet._meta.concrete_fields:
        setattr(packet, field.attname, getattr(saved, field.attname))
    packet.set_content(saved.content, saved.data)
    return packet


def exhibit_add(*, packet: Packet, upload: ExhibitUpload, by: User | None) -> Exhibit:
    """Store one more exhibit at the end of the packet's list."""
    stored: list[str | None] = []
    try:
        with transaction.atomic():
            locked = Packet.objects.select_for_update().get(pk=packet.pk)
            exhibit, created = _exhibit_store(packet=locked, upload=upload, by=by)
            if not created:  # this very submission was stored before (a second click on Save)
                return exhibit
            stored.append(exhibit.file.name)
            Packet.objects.filter(pk=packet.pk).update(updated_by=by, updated_at=timezone.now())
            review_record_exhibit_change(packet=locked, by=by, summary="exhibit added")
    except BaseException:
        delete_stored_files(stored)
        raise
    return exhibit


def exhibit_update(
    *, exhibit: Exhibit, title: str, issuer: str, issued_on: date | None, kind: str, by: User | None
) -> Exhibit:
    """Correct an exhibit's title, issuer, date or kind; a partner's letter date follows the date of its letter."""
    exhibit.title, exhibit.issuer, exhibit.issued_on, exhibit.kind = title, issuer, issued_on, kind
    with transaction.atomic():
        locked = Packet.objects.select_for_update().get(pk=exhibit.packet_id)
        exhibit.save(update_fields=["title", "issuer", "issued_on", "kind"])
        Packet.objects.filter(pk=exhibit.packet_id).update(updated_by=by, updated_at=timezone.now())
        partners = _copy(locked.data.get("partners") or {"items": []})
        letters = [item for item in partners.get("items", []) if item.get("letter_exhibit_id") == str(exhibit.pk)]
        for item in letters:
            item["letter_date"] = issued_on.isoformat() if issued_on else None
        new = _new_content(locked, "partners", partners, locked.revision) if letters else None
        if new is not None:
            _write_section(locked, "partners", by, *new)
        else:
            review_record_exhibit_change(packet=locked, by=by, summary="exhibit updated")
    return exhibit


# A partner's letter date and its letter's exhibit date are one fact: the partners step writes it to the exhibit, the
# exhibit's edit page to the partner, and a partner saved without one takes the exhibit's.
def _letter_dates_from_exhibits(packet: Packet, value: dict[str, Any]) -> dict[str, Any]:
    undated = {str(item["letter_exhibit_id"]): item for item in value.get("items", []) if _undated_letter(item)}
    for pk, issued_on in Exhibit.objects.filter(packet=packet, pk__in=undated).values_list("pk", "issued_on"):
        if issued_on:
            undated[str(pk)]["letter_date"] = issued_on.isoformat()
    return value


def _undated_letter(item: dict[str, Any]) -> bool:
    return bool(item.get("letter_exhibit_id")) and not item.get("letter_date")


def _letter_exhibits_dated(packet: Packet, content: PacketData) -> None:
    for partner in content.partners.items:
        if partner.letter_exhibit_id and partner.letter_date:
            Exhibit.objects.filter(packet=packet, pk=partner.letter_exhibit_id).exclude(
                issued_on=partner.letter_date
            ).update(issued_on=partner.letter_date)


def exhibit_remove(*, exhibit: Exhibit, by: User | None) -> None:
    """Delete an exhibit; any place in the content that pointed at it is emptied (a new revision of that section)."""
    with transaction.atomic():
        packet = Packet.objects.select_for_update().get(pk=exhibit.packet_id)
        data = unreference_exhibit(packet.data, str(exhibit.id))
        name, sha256 = exhibit.file.name, exhibit.sha256
        exhibit.delete()  # before the change is recorded, so the snapshot of the exhibit list no longer has it
        if data != packet.data:
            changed = [name for name in data if data[name] != packet.data.get(name)]
            packet.data = data
            packet.revision += 1
            # section_revisions stay: an exhibit id is never a form field (a step takes ids from the saved data when it
            # saves), so an editor with the step open has nothing to reconcile and must not get a conflict page.
            packet.updated_by = by
            packet.save()
            review_record_edit(packet=packet, by=by, sections=changed, summary="exhibit removed")
        else:
            review_record_exhibit_change(packet=packet, by=by, summary="exhibit removed")
        transaction.on_commit(lambda: delete_stored_files([name]))
        transaction.on_commit(lambda: _forget_normalised([sha256]))


def exhibit_move(*, exhibit: Exhibit, offset: int, by: User | None = None) -> None:
    """Move an exhibit up (-1) or down (+1) in the packet's order; labels follow the order."""
    with transaction.atomic():
        locked = Packet.objects.select_for_update().get(pk=exhibit.packet_id)
        ordered = list(Exhibit.objects.filter(packet_id=exhibit.packet_id))
        index = next(i for i, item in enumerate(ordered) if item.pk == exhibit.pk)
        target = index + offset
        if 0 <= target < len(ordered):
            ordered[index], ordered[target] = ordered[target], ordered[index]
        for position, item in enumerate(ordered):
            if item.position != position:
                item.position = position
                item.save(update_fields=["position"])
        if 0 <= target < len(ordered):
            review_record_exhibit_change(packet=locked, by=by, summary="exhibits reordered")


def packet_exhibits_size(packet: Packet) -> int:
    return Exhibit.objects.filter(packet=packet).aggregate(total=Sum("size"))["total"] or 0


def _exhibit_store(*, packet: Packet, upload: ExhibitUpload, by: User | None) -> tuple[Exhibit, bool]:
    """Store ``upload`` as an exhibit of the locked ``packet``: (the exhibit, True), or (the exhibit this very form
    submission stored before, False)."""
    inspected = inspect_upload(upload.file, size=upload.file.size or 0, name=upload.file.name or "")
    key = upload_key(form_token=upload.form_token, place=(upload.kind, *upload.target), sha256=inspected.sha256)
    earlier = Exhibit.objects.filter(packet=packet, upload_key=key).first() if key else None
    if earlier is not None:
        return earlier, False
    if packet_exhibits_size(packet) + inspected.size > settings.PACKET_MAX_BYTES:
        raise UploadRejected(
            _("This packet's files would exceed %(limit)s MB in all. Remove an exhibit or upload a smaller scan.")
            % {"limit": settings.PACKET_MAX_BYTES // (1024 * 1024)}
        )
    last = Exhibit.objects.filter(packet=packet).aggregate(last=Max("position"))["last"]
    exhibit = Exhibit(
        packet=packet,
        kind=upload.kind,
        title=upload.title[:200],
        issuer=upload.issuer[:200],
        issued_on=upload.issued_on,
        position=0 if last is None else last + 1,
        original_name=display_file_name(upload.file.name),
        content_type=inspected.content_type,
        size=inspected.size,
        page_count=inspected.page_count,
        sha256=inspected.sha256,
        text=inspected.text.text,
        text_status=inspected.text.status,
        markup=asdict(inspected.markup),
        uploaded_by=by,
        upload_key=key,
    )
    upload.file.seek(0)
    try:
        exhibit.file.save("upload", upload.file, save=False)
    except OSError as error:  # disk full, I/O error: the storage removed its partial file; say so plainly
        raise UploadRejected(
            _("The file could not be stored on the server (%(reason)s). Nothing was saved; please try again later.")
            % {"reason": error.strerror or _("storage error")}
        ) from error
    exhibit.save()
    if inspected.normalised:  # kept only once the exhibit is: a refused or stale save leaves nothing behind
        transaction.on_commit(lambda: exhibit_cache_normalised(inspected.sha256, inspected.normalised))
    return exhibit, True


def _remove_unreferenced(packet: Packet, exhibit_ids: set[UUID]) -> None:
    gone = list(Exhibit.objects.filter(packet=packet, pk__in=exhibit_ids, kind__in=SLOT_KINDS))
    names = [exhibit.file.name for exhibit in gone]
    hashes = [exhibit.sha256 for exhibit in gone]
    Exhibit.objects.filter(pk__in=[exhibit.pk for exhibit in gone]).delete()
    transaction.on_commit(lambda: delete_stored_files(names))
    transaction.on_commit(lambda: _forget_normalised(hashes))


def _forget_normalised(hashes: Iterable[str]) -> None:
    """Delete the prepared pages of files no exhibit holds any more (the same file may be in another packet)."""
    unused = set(hashes) - set(Exhibit.objects.filter(sha256__in=set(hashes)).values_list("sha256", flat=True))
    for sha256 in sorted(unused):
        exhibit_cache_forget(sha256)


def delete_stored_files(names: Iterable[str | None]) -> None:
    from django.core.files.storage import default_storage

    for name in names:
        if name:  # a FieldFile's name is typed optional; an exhibit always has one
            default_storage.delete(name)


def _same(current: Any, value: Any, section: str) -> bool:
    if current is None:
        return False
    try:
        normalised = PacketData.model_validate({section: value}).model_dump(mode="json")[section]
    except ValueError:
        return False
    return bool(normalised == current)


def _copy(value: Any) -> Any:
    if isinstance(value, dict):
        return {key: _copy(item) for key, item in value.items()}
    if isinstance(value, list):
        return [_copy(item) for item in value]
    return value


def _set_path(value: Any, path: tuple[str | int, ...], new: Any) -> None:
    for key in path[:-1]:
        value = value[key]
    value[path[-1]] = new


def unreference_exhibit(value: Any, exhibit_id: str) -> Any:
    if isinstance(value, dict):
        return {
            key: (None if key.endswith("exhibit_id") and item == exhibit_id else unreference_exhibit(item, exhibit_id))
            for key, item in value.items()
        }
    if isinstance(value, list):
        return [unreference_exhibit(item, exhibit_id) for item in value]
    return value
