"""Key rotation: every encrypted column and stored file re-encrypted with the newest key (``manage.py
rotate_encryption``). Apart from ``packets.crypto``, which the models themselves use, so that the two never import each
other."""

from typing import Any

from django.apps import apps
from django.conf import settings
from django.core.files.storage import default_storage
from django.db import models

from packets.crypto import ENCRYPTED_FIELDS, EncryptedFileSystemStorage
from packets.portability.mfa_rotation import authenticators_reencrypt
from packets.session_store import sessions_reencrypt


def stored_file_names() -> list[str]:
    """The storage name of every file a model of the app keeps (exhibits, versions, case documents and renders...):
    every ``FileField``, so a new one needs no change here."""
    names = []
    for model in apps.get_app_config("packets").get_models():
        for field in model._meta.concrete_fields:
            if isinstance(field, models.FileField):
                names += [name for name in model._default_manager.values_list(field.name, flat=True) if name]
    return names


def encryption_rotate(*, log: Any = None) -> dict[str, int]:
    """Re-encrypt every encrypted column and stored file with the newest key; plain (older) data gets encrypted too.

    Every encrypted column of every model of the app is included (a new one needs no change here), the sessions and
    the two-step-login secrets (``mfa_rotation``). Rows are rewritten one at a time and files atomically, so an
    interrupted run can simply be started again. Every stored file of every model too (``stored_file_names``).
    Returns how many rows and files were rewritten.
    """
    report = log or (lambda message: None)
    counts = {"rows": 0, "files": 0, "files_skipped": 0}
    for model in apps.get_app_config("packets").get_models():
        for field in model._meta.concrete_fields:
            if not isinstance(field, ENCRYPTED_FIELDS):
                continue
            for pk, value in model._default_manager.values_list("pk", field.name).iterator():
                if value is not None:
                    # update() bypasses save() (PacketVersion refuses changes): the content stays the same.
                    model._default_manager.filter(pk=pk).update(**{field.name: value})
                    counts["rows"] += 1
            report(f"{model.__name__}.{field.name}: re-encrypted")
    if settings.SESSION_ENGINE == "packets.session_store":
        counts["sessions"] = sessions_reencrypt()
        report(f"sessions: {counts['sessions']} re-encrypted")
    counts["authenticators"] = authenticators_reencrypt()
    report(f"two-step-login authenticators: {counts['authenticators']} re-encrypted")
    names = stored_file_names()
    if not isinstance(default_storage, EncryptedFileSystemStorage):
        report("the file storage is not packets.crypto.EncryptedFileSystemStorage: files left as they are")
        return counts
    for name in names:
        if not default_storage.exists(name):
            report(f"missing file {name}: skipped")
            counts["files_skipped"] += 1
        elif default_storage.is_current(name):
            counts["files_skipped"] += 1
        else:
            default_storage.reencrypt(name)
            counts["files"] += 1
    return counts
