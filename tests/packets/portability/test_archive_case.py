"""Packet archives, format version 2: the case after filing goes along, every record and file of it, and comes back
whole; version-1 archives are still read; a case that does not hold together is refused with nothing written."""

import hashlib
import io
import json
import zipfile
from typing import Any

import pytest
from django.db import models

from packets.models import (
    CaseDocument,
    CaseLogEntry,
    CaseRender,
    ConditionReport,
    Exhibit,
    Filing,
    Packet,
    PacketStatus,
    PacketVersion,
    ReportingCondition,
    RfeItem,
)
from packets.portability.archive import MANIFEST_FILE, PACKET_FILE, ArchiveError, export_packet
from packets.portability.archive_import import import_packet
from tests.builders import make_packet, make_user
from tests.case_records import CASE_MODELS, make_case_with_every_record

USER_FIELDS = {"created_by", "uploaded_by", "recorded_by", "updated_by", "approved_by", "author", "resolved_by", "user"}


def exported(packet: Packet) -> bytes:
    buffer = io.BytesIO()
    export_packet(packet, buffer)
    return buffer.getvalue()


def unzip(archive: bytes) -> dict[str, bytes]:
    with zipfile.ZipFile(io.BytesIO(archive)) as opened:
        return {info.filename: opened.read(info) for info in opened.infolist()}


def rezip(files: dict[str, bytes]) -> bytes:
    """``files`` zipped again with a manifest that matches them, as a careful forger would write it."""
    manifest = json.loads(files[MANIFEST_FILE])
    manifest["files"] = [
        {"path": name, "sha256": hashlib.sha256(content).hexdigest(), "size": len(content)}
        for name, content in files.items()
        if name != MANIFEST_FILE
    ]
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name, content in {**files, MANIFEST_FILE: json.dumps(manifest).encode()}.items():
            archive.writestr(name, content)
    return buffer.getvalue()


def _rows(packet: Packet) -> dict[type[models.Model], list[models.Model]]:
    """The packet's case records, each kind in a fixed order (the import keeps every record's times)."""
    by_packet: list[type[models.Model]] = [m for m in (*CASE_MODELS, CaseLogEntry, Filing) if _has(m, "packet")]
    rows: dict[type[models.Model], list[models.Model]] = {
        model: list(model._default_manager.filter(packet=packet).order_by("created_at")) for model in by_packet
    }
    rows[RfeItem] = list(RfeItem.objects.filter(rfe__packet=packet).order_by("rfe__created_at", "number"))
    rows[ReportingCondition] = list(ReportingCondition.objects.filter(decision__packet=packet).order_by("created_at"))
    rows[ConditionReport] = list(ConditionReport.objects.filter(condition__decision__packet=packet).order_by("due_on"))
    rows[PacketVersion] = [Filing.objects.get(packet=packet).filed_version]  # type: ignore[list-item]
    rows[Exhibit] = list(packet.exhibits.order_by("position"))
    return rows


def _has(model: type[models.Model], name: str) -> bool:
    return any(field.name == name for field in model._meta.concrete_fields)


def canonical(packet: Packet) -> dict[str, list[dict[str, Any]]]:
    """Every field of every case record, with ids replaced by "Kind#n" (so two copies compare equal), files by their
    bytes, and the people left out (``people`` checks them)."""
    rows = _rows(packet)
    tokens = {
        (model, str(row.pk)): f"{model.__name__}#{n}" for model, items in rows.items() for n, row in enumerate(items)
    }
    by_uuid = {pk: token for (_model, pk), token in tokens.items() if len(pk) == 36}

    def plain(value: Any) -> Any:  # ids inside JSON (citations, exhibit lists) are uuids
        if isinstance(value, dict):
            return {key: plain(item) for key, item in value.items()}
        if isinstance(value, list):
            return [plain(item) for item in value]
        return by_uuid.get(value, value) if isinstance(value, str) else value

    result = {}
    for model, items in rows.items():
        if model is Exhibit:
            continue  # there for the tokens; the v1 tests check exhibits (their upload time is the import's)
        described = []
        for row in items:
            values: dict[str, Any] = {}
            for field in row._meta.concrete_fields:
                if field.primary_key or field.name in USER_FIELDS | {"packet", "upload_key"}:
                    continue
                value = getattr(row, field.attname)
                if field.is_relation and value is not None:
                    value = tokens[(field.related_model, str(value))]
                elif isinstance(field, models.FileField):
                    with getattr(row, field.name).open("rb") as handle:
                        value = handle.read()
                values[field.name] = plain(value)
            described.append(values)
        result[model.__name__] = described
    return result


@pytest.fixture
def case(user: Any) -> Packet:
    return make_case_with_every_record(user, make_user("cora"))


def test_it_round_trips_a_case_with_every_kind_of_record_and_file(case: Packet, other_user: Any) -> None:
    imported = import_packet(io.BytesIO(exported(case)), owner=other_user)

    assert imported.pk != case.pk
    assert imported.status == PacketStatus.FILED
    before, after = canonical(case), canonical(imported)
    assert {name: len(rows) for name, rows in after.items()} == {name: len(rows) for name, rows in before.items()}
    assert min(len(rows) for rows in before.values()) >= 1
    for name in before:
        assert after[name] == before[name], name
    assert not {d.pk for d in CaseDocument.objects.filter(packet=imported)} & {
        d.pk for d in CaseDocument.objects.filter(packet=case)
    }


def test_an_imported_case_points_at_its_own_documents_and_filed_version(case: Packet, other_user: Any) -> None:
    imported = import_packet(io.BytesIO(exported(case)), owner=other_user)

    own = {str(pk) for pk in CaseDocument.objects.filter(packet=imported).values_list("pk", flat=True)}
    cited = [
        c["document"]
        for item in RfeItem.objects.filter(rfe__packet=imported)
        for c in item.citations
        if "document" in c
    ]
    assert cited and set(cited) <= own
    filing = Filing.objects.get(packet=imported)
    assert filing.receipt_notice is not None and filing.receipt_notice.packet_id == imported.pk
    assert filing.filed_version is not None and filing.filed_version.packet_id == imported.pk
    exhibits = {str(pk) for pk in imported.exhibits.values_list("pk", flat=True)}
    assert {item["id"] for item in filing.filed_version.exhibits} == exhibits
    assert CaseRender.objects.filter(packet=imported, rfe__packet=imported).count() == 1


def test_the_importing_user_is_named_where_a_record_says_who_made_it_and_nobody_else(
    case: Packet, user: Any, other_user: Any
) -> None:
    imported = import_packet(io.BytesIO(exported(case)), owner=other_user)

    makers = set()
    for items in _rows(imported).values():
        for row in items:
            for field in row._meta.concrete_fields:
                if field.name in USER_FIELDS:
                    makers.add(getattr(row, field.attname))
    assert makers == {other_user.pk, None}
    assert imported.rfes.get().approved_by is None  # the importer did not approve it


def test_the_archive_holds_the_case_files_beside_the_exhibits_each_in_the_manifest(case: Packet) -> None:
    files = unzip(exported(case))

    manifest = json.loads(files[MANIFEST_FILE])
    assert manifest["format_version"] == 2
    assert {entry["path"] for entry in manifest["files"]} == set(files) - {MANIFEST_FILE}
    folders = {
        name.rsplit("/", 1)[0] if name.count("/") > 1 or name.startswith("exhibits/") else name for name in files
    }
    assert folders == {
        PACKET_FILE,
        MANIFEST_FILE,
        "exhibits",
        "case/documents",
        "case/renders",
        "case/filed-version.pdf",
    }
    assert len([name for name in files if name.startswith("case/documents/")]) == CaseDocument.objects.count()
    assert exported(case) == exported(case)


def test_it_still_imports_a_version_1_archive(user: Any) -> None:
    files = unzip(exported(make_packet(user, name="Old archive", beneficiary={"full_name": "Ana Ortiz"})))
    described = json.loads(files[PACKET_FILE])
    del described["case"]
    manifest = json.loads(files[MANIFEST_FILE])
    files = {**files, PACKET_FILE: json.dumps({**described, "format_version": 1}).encode()}
    files[MANIFEST_FILE] = json.dumps({**manifest, "format_version": 1}).encode()

    imported = import_packet(io.BytesIO(rezip(files)), owner=user)

    assert imported.name == "Old archive"
    assert not Filing.objects.filter(packet=imported).exists()


def _refused(archive: bytes, owner: Any, message: str) -> None:
    packets = Packet.objects.count()
    with pytest.raises(ArchiveError) as refused:
        import_packet(io.BytesIO(archive), owner=owner)
    assert message in str(refused.value)
    assert Packet.objects.count() == packets


def test_it_refuses_a_citation_of_a_document_the_archive_does_not_hold(case: Packet, user: Any) -> None:
    files = unzip(exported(case))
    described = json.loads(files[PACKET_FILE])
    described["case"]["rfes"][0]["items"][2]["citations"] = [{"document": "0c6f2b61-54f9-4b8e-9d5a-0d3e1c7a9b21"}]

    _refused(
        rezip({**files, PACKET_FILE: json.dumps(described).encode()}),
        user,
        "The case refers to document 0c6f2b61-54f9-4b8e-9d5a-0d3e1c7a9b21, which the archive does not hold.",
    )


def test_a_case_document_goes_through_the_inspection_an_upload_goes_through(case: Packet, user: Any) -> None:
    files = unzip(exported(case))
    described = json.loads(files[PACKET_FILE])
    document = described["case"]["documents"][0]
    hostile = b"%PDF-1.4\n this is no PDF at all"
    document.update(sha256=hashlib.sha256(hostile).hexdigest(), size=len(hostile))

    _refused(
        rezip({**files, document["path"]: hostile, PACKET_FILE: json.dumps(described).encode()}),
        user,
        f"Case document “{document['title']}”:",
    )


def test_it_refuses_a_case_file_that_packet_json_does_not_describe(case: Packet, user: Any) -> None:
    files = unzip(exported(case))

    _refused(
        rezip({**files, "case/renders/extra.pdf": b"%PDF-1.4 extra"}),
        user,
        "The archive holds “case/renders/extra.pdf”, which packet.json does not describe",
    )


def test_it_refuses_a_filed_version_changed_after_export(case: Packet, user: Any) -> None:
    files = unzip(exported(case))

    _refused(
        rezip({**files, "case/filed-version.pdf": b"%PDF-1.4 another"}),
        user,
        "The case's file case/filed-version.pdf does not match its description.",
    )
