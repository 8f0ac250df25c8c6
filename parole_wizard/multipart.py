"""Reading a step's form quickly when it carries no file.

Every step form is ``multipart/form-data`` because most steps have a file input, so a browser sends every save that
way, also when no file was chosen. Django's multipart parser is written for streams of large files: for the 30 short
fields of a step it was about a fifth of a save's CPU time (benchmarks/wizard_cpu.py). A body that is small and holds
only fields, each part in the exact shape browsers write, is read here with a few splits instead; the result is what
Django's parser gives for the same body (tests/parole_wizard/test_multipart.py compares them). Anything else — a
chosen file, a header Django would interpret, an odd layout, more parts than the limits allow — is left to Django's
parser, which also raises Django's own errors for it.
"""

import re
from collections.abc import Callable

from django.conf import settings
from django.http import HttpRequest, HttpResponseBase, QueryDict
from django.utils.datastructures import MultiValueDict

# Larger bodies (a file was chosen, or pages of text) go to Django's streaming parser.
PLAIN_BODY_LIMIT = 256 * 1024

_BOUNDARY = re.compile(r"[ -~]{0,200}[!-~]")  # as Django's parser accepts it
# Exactly what browsers send for a field, and for a file input left empty (filename="", no content).
_DISPOSITION = re.compile(rb'content-disposition: form-data; name="([ !#-\[\]-~]*)"(; filename="")?', re.IGNORECASE)
_CONTENT_TYPE = re.compile(rb"content-type: [!-~]+", re.IGNORECASE)


def parse_plain_multipart(body: bytes, boundary: str, encoding: str) -> QueryDict | None:
    """The fields of a multipart body that holds no file content, as Django would read them; None for anything else.

    A file input left empty arrives as a field with an empty value, as in Django. None means "let Django read it":
    the body has a file, a header other than the disposition and content type, more parts than
    DATA_UPLOAD_MAX_NUMBER_FIELDS or DATA_UPLOAD_MAX_NUMBER_FILES allow, or a layout browsers do not write.
    """
    if not _BOUNDARY.fullmatch(boundary):
        return None
    delimiter = b"--" + boundary.encode("ascii")
    if not body.startswith(delimiter):
        return None
    chunks = body[len(delimiter) :].split(b"\r\n" + delimiter)
    closing = chunks.pop()
    if not closing.startswith(b"--") or not chunks:
        return None
    fields: list[tuple[bytes, bytes]] = []
    empty_files = 0
    for chunk in chunks:
        if not chunk.startswith(b"\r\n"):
            return None
        head, separator, value = chunk[2:].partition(b"\r\n\r\n")
        if not separator:
            return None
        lines = head.split(b"\r\n")
        disposition = _DISPOSITION.fullmatch(lines[0])
        if disposition is None or not all(_CONTENT_TYPE.fullmatch(line) for line in lines[1:]):
            return None
        if disposition.group(2):
            if value:
                return None  # a file without a name: Django decides what that is
            empty_files += 1
        fields.append((disposition.group(1).strip(), value))
    max_fields, max_files = settings.DATA_UPLOAD_MAX_NUMBER_FIELDS, settings.DATA_UPLOAD_MAX_NUMBER_FILES
    if (max_fields is not None and len(fields) > max_fields) or (max_files is not None and empty_files > max_files):
        return None
    post = QueryDict(mutable=True, encoding=encoding)
    for name, value in fields:
        post.appendlist(name.decode(encoding, errors="replace"), value.decode(encoding, errors="replace"))
    post._mutable = False
    return post


class PlainMultipartMiddleware:
    """Reads a small, file-less multipart POST with ``parse_plain_multipart`` before anything asks for request.POST."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponseBase]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponseBase:
        if request.method == "POST" and request.content_type == "multipart/form-data":
            self._read(request)
        return self.get_response(request)

    def _read(self, request: HttpRequest) -> None:
        try:
            length = int(request.META.get("CONTENT_LENGTH") or 0)
        except ValueError:
            return
        limit = settings.DATA_UPLOAD_MAX_MEMORY_SIZE
        if not 0 < length <= PLAIN_BODY_LIMIT or (limit is not None and length > limit):
            return
        boundary = (request.content_params or {}).get("boundary", "")
        post = parse_plain_multipart(request.body, boundary, request.encoding or settings.DEFAULT_CHARSET)
        if post is not None:
            request._post = post  # type: ignore[attr-defined]  # what request.POST returns once read
            request._files = MultiValueDict()  # type: ignore[attr-defined]
