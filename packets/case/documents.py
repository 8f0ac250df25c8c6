"""Files of the case (notices, new evidence, proofs): the same sandbox, limits and encryption as exhibits.

``case_document_add`` is the one way a case file is stored; forms use ``CaseFileField`` (it inspects the file in the
sandbox while the form validates, so a refused file is explained beside the field and nothing else is lost) and
``CaseFormTokenField`` (the same form sent twice stores its file once).
"""

import re
import secrets
from dataclasses import asdict, dataclass
from datetime import date
from typing import Any

from django import forms
from django.conf import settings
from django.contrib.auth.models import User
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.db.models import Max, Sum
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from packets.assembly.exhibits import exhibit_cache_normalised
from packets.content.upload_once import upload_key
from packets.evidence.uploads import UploadRejected, display_file_name, inspect_upload
from packets.models import (
    Amendment,
    CaseDocument,
    CaseLogEntry,
    Exhibit,
    Packet,
    RequestForEvidence,
)

_TOKEN = re.compile(r"[0-9a-f]{32}")


@dataclass(frozen=True)
class CaseUpload:
    file: UploadedFile
    kind: str  # a packets.models.CaseDocumentKind value
    title: str
    issuer: str = ""
    issued_on: date | None = None
    rfe: RequestForEvidence | None = None
    amendment: Amendment | None = None
    log_entry: CaseLogEntry | None = None
    form_token: str = ""  # CaseFormTokenField's value: a second send of the same form stores nothing new


def packet_files_size(packet: Packet) -> int:
    """All the packet's stored files (exhibits and case documents): PACKET_MAX_BYTES is a limit on both together."""
    exhibits = Exhibit.objects.filter(packet=packet).aggregate(total=Sum("size"))["total"] or 0
    documents = CaseDocument.objects.filter(packet=packet).aggregate(total=Sum("size"))["total"] or 0
    return int(exhibits) + int(documents)


def case_document_add(*, packet: Packet, upload: CaseUpload, by: User | None) -> CaseDocument:
    """Store ``upload`` as a case document of ``packet`` (inspected in the sandbox unless its form already did);
    raise ``UploadRejected`` with a plain message when it cannot be used. Call inside the caller's transaction."""
    inspected = inspect_upload(upload.file, size=upload.file.size or 0, name=upload.file.name or "")
    key = upload_key(
        form_token=upload.form_token,
        place=("case", upload.kind, str(getattr(upload.rfe, "pk", "")), str(getattr(upload.amendment, "pk", ""))),
        sha256=inspected.sha256,
    )
    earlier = CaseDocument.objects.filter(packet=packet, upload_key=key).first() if key else None
    if earlier is not None:
        return earlier
    if packet_files_size(packet) + inspected.size > settings.PACKET_MAX_BYTES:
        raise UploadRejected(
            _("This packet's files would exceed %(limit)s MB in all. Remove a file or upload a smaller scan.")
            % {"limit": settings.PACKET_MAX_BYTES // (1024 * 1024)}
        )
    siblings = CaseDocument.objects.filter(
        packet=packet, rfe=upload.rfe, amendment=upload.amendment, log_entry=upload.log_entry
    )
    last = siblings.aggregate(last=Max("position"))["last"]
    document = CaseDocument(
        packet=packet,
        kind=upload.kind,
        title=upload.title[:200],
        issuer=upload.issuer[:200],
        issued_on=upload.issued_on,
        rfe=upload.rfe,
        amendment=upload.amendment,
        log_entry=upload.log_entry,
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
        document.file.save("upload", upload.file, save=False)
    except OSError as error:
        raise UploadRejected(
            _("The file could not be stored on the server (%(reason)s). Nothing was saved; please try again later.")
            % {"reason": error.strerror or _("storage error")}
        ) from error
    document.save()
    if inspected.normalised:  # the renders find it in the exhibit cache, as an exhibit's
        transaction.on_commit(lambda: exhibit_cache_normalised(inspected.sha256, inspected.normalised))
    return document


def case_document_remove(*, document: CaseDocument) -> None:
    """Delete the document and its stored file (after the transaction commits, so a rollback keeps the file)."""
    name = document.file.name
    storage = document.file.storage
    document.delete()
    if name:
        transaction.on_commit(lambda: storage.delete(name))


class CaseFileField(forms.FileField):
    """A file of the case, checked in the sandbox while the form validates: a refused file is explained in plain
    words beside the field."""

    default_error_messages = {  # noqa: RUF012 - Django's own pattern for error messages
        "required": gettext_lazy("Choose the file to upload."),
        "empty": gettext_lazy("The file is empty. Choose the file again."),
        "invalid": gettext_lazy("No file was received. Choose the file again."),
    }

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("help_text", gettext_lazy("PDF, JPEG or PNG, up to %(limit)s MB.") % {"limit": _limit_mb()})
        kwargs.setdefault("widget", forms.ClearableFileInput(attrs={"accept": "application/pdf,image/jpeg,image/png"}))
        super().__init__(**kwargs)

    def clean(self, data: Any, initial: Any = None) -> Any:
        upload = super().clean(data, initial)
        if isinstance(upload, UploadedFile):
            try:
                inspect_upload(upload, size=upload.size or 0, name=upload.name or "")
            except UploadRejected as error:
                raise forms.ValidationError(str(error)) from error
        return upload


def _limit_mb() -> int:
    return int(settings.EXHIBIT_MAX_BYTES // (1024 * 1024))


class CaseFormTokenField(forms.CharField):
    """A hidden one-time token made when the form is shown: the same form sent twice stores its files once."""

    widget = forms.HiddenInput

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(required=False, initial=lambda: secrets.token_hex(16), **kwargs)

    def clean(self, value: Any) -> str:
        value = super().clean(value)
        return value if _TOKEN.fullmatch(value or "") else ""

    def has_changed(self, initial: Any, data: Any) -> bool:
        return False
