"""The case after filing in a backup and through a key rotation: its rows and files come back, and still read after
the old key is gone."""

import io
import shutil
from pathlib import Path
from typing import Any

import pytest
from cryptography.fernet import Fernet
from django.core import serializers
from django.core.files.storage import default_storage
from django.core.management import call_command

from packets.crypto import MAGIC
from packets.models import CaseDocument, CaseRender, RfeItem
from packets.portability.backup import _backed_up_models, installation_is_empty
from packets.portability.rotation import stored_file_names
from tests.builders import make_user
from tests.case_records import CASE_MODELS, make_case_with_every_record


def _case_rows() -> list[dict[str, Any]]:
    """Every case row as plain data (decrypted), without the storage names of files (a restore stores files anew)."""
    rows = []
    for model in CASE_MODELS:
        for item in serializers.serialize("python", model._default_manager.order_by("pk")):
            item["fields"].pop("file", None)
            item["fields"].pop("pdf", None)
            rows.append(item)
    return rows


def _case_files() -> dict[str, bytes]:
    contents = {}
    for record, stored in [(d, d.file) for d in CaseDocument.objects.all()] + [
        (r, r.pdf) for r in CaseRender.objects.all()
    ]:
        with stored.open("rb") as handle:
            contents[f"{type(record).__name__} {record.pk}"] = handle.read()
    return contents


def test_every_case_model_is_backed_up() -> None:
    backed_up = set(_backed_up_models())

    assert set(CASE_MODELS) <= backed_up


@pytest.mark.django_db(transaction=True)
def test_a_case_comes_back_from_a_backup_with_every_row_and_file(tmp_path: Path, settings: Any) -> None:
    make_case_with_every_record(make_user("ana"), make_user("cora"))
    rows, files = _case_rows(), _case_files()
    assert len(files) == CaseDocument.objects.count() + CaseRender.objects.count() >= 8

    call_command("backup_all", "-o", str(tmp_path / "backup"), stdout=io.StringIO())
    call_command("flush", interactive=False, verbosity=0)
    shutil.rmtree(settings.MEDIA_ROOT)
    assert installation_is_empty()
    call_command("restore_all", str(tmp_path / "backup"), stdout=io.StringIO())

    assert _case_rows() == rows
    assert _case_files() == files
    item = RfeItem.objects.get(number=2)
    assert item.citations[1]["document"] in {str(pk) for pk in CaseDocument.objects.values_list("pk", flat=True)}


@pytest.mark.django_db
def test_after_a_rotation_without_the_old_key_the_case_still_reads(user: Any, settings: Any) -> None:
    old, new = settings.ENCRYPTION_KEYS[0], Fernet.generate_key().decode()
    make_case_with_every_record(user, make_user("cora"), secret="Quintero")
    rows, files = _case_rows(), _case_files()
    names = set(stored_file_names())
    case_names = {d.file.name for d in CaseDocument.objects.all()} | {r.pdf.name for r in CaseRender.objects.all()}
    assert case_names <= names

    settings.ENCRYPTION_KEYS = [new, old]
    out = io.StringIO()
    call_command("rotate_encryption", stdout=out)
    settings.ENCRYPTION_KEYS = [new]  # the old key is gone: every case column and file must have been re-encrypted

    assert _case_rows() == rows
    assert _case_files() == files
    for name in case_names:
        assert Path(default_storage.path(name)).read_bytes().startswith(MAGIC)
        assert default_storage.is_current(name)
