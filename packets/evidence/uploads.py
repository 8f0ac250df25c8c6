"""Inspection of uploaded evidence files: what they really are (by content, not by name) and whether we can use them."""

import contextlib
import hashlib
import io
import signal
import warnings
from collections.abc import Callable
from dataclasses import dataclass, field
from types import FrameType
from typing import IO, Literal

import pikepdf
from django.conf import settings
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from PIL import Image

from packets.assembly.images import declared_length, image_size, page_images
from packets.assembly.markup import MarkupFound, markup_found
from packets.evidence.image_decoding import ImageCutShort, image_decode_fully
from packets.evidence.markup_words import markup_found_from
from packets.evidence.sandbox import Limits, SandboxFailed, sandbox_run

MAX_IMAGE_PIXELS = 60_000_000  # about 8,000 × 7,500: far above any scan, far below a decompression bomb
MAX_PDF_PAGES = 2_000
# An image's compressed data as its PDF declares it: far above any scan (the whole file is at most 25 MB).
MAX_IMAGE_STREAM_BYTES = 256 * 1024 * 1024

ACCEPTED_TYPES = {"application/pdf": "PDF", "image/jpeg": "JPEG", "image/png": "PNG"}
TEXT_MAX_PAGES = 20  # a support letter is a page or two; the readiness review reads no further
TEXT_MAX_CHARS = 50_000  # far above any letter; keeps the child's answer well under sandbox.MAX_RESULT_BYTES

# The same values as packets.models.ExhibitTextStatus (which the sandbox's child cannot import: it has no apps).
TextStatus = Literal["read", "no_text", "unreadable"]


class UploadRejected(Exception):
    """The file cannot be used; the message says why and what to do, in plain words."""


@dataclass(frozen=True)
class ExtractedText:
    """A file's text layer as the sandbox read it: ``text`` is set only when ``status`` is "read"."""

    status: TextStatus
    text: str | None = None


@dataclass(frozen=True)
class InspectedFile:
    content_type: str
    page_count: int
    size: int
    sha256: str
    # The text layer, read by the same child: stored on the exhibit, so no page view ever opens the file.
    text: ExtractedText
    # What a person added on screen (a filled-in form, a signature, comments): printed with the file, and said so.
    markup: MarkupFound = MarkupFound()
    # The file as packet pages (packets.assembly.exhibits.normalise), made by the same sandboxed child that inspected
    # it: the upload pays for it once, and every render finds it in the exhibit cache.
    normalised: bytes = field(default=b"", repr=False)


def sniff_content_type(head: bytes) -> str | None:
    if head.startswith(b"%PDF-"):
        return "application/pdf"
    if head.startswith(b"\xff\xd8\xff"):
        return "image/jpeg"
    if head.startswith(b"\x89PNG\r\n\x1a\n"):
        return "image/png"
    return None


def inspect_upload(stream: IO[bytes], *, size: int, name: str = "") -> InspectedFile:
    """Check one uploaded file; raise ``UploadRejected`` with a message for the user if it cannot be used."""
    limit_mb = settings.EXHIBIT_MAX_BYTES // (1024 * 1024)
    if size == 0:
        raise UploadRejected(_("The file “%(name)s” is empty. Choose the file again.") % {"name": name})
    if size > settings.EXHIBIT_MAX_BYTES:
        raise UploadRejected(
            _("The file “%(name)s” is larger than %(limit)s MB. Scan it at a lower resolution or split it.")
            % {"name": name, "limit": limit_mb}
        )
    stream.seek(0)
    data = stream.read()
    stream.seek(0)
    content_type = sniff_content_type(data[:16])
    if content_type is None:
        raise UploadRejected(
            _("The file “%(name)s” is not a PDF, JPEG or PNG. Save or scan it as PDF and upload it again.")
            % {"name": name}
        )
    sha256 = hashlib.sha256(data).hexdigest()
    # The form and then the service check the same upload; one child process per file is enough. Only a result for
    # these very bytes is reused, and only on this object (nothing is kept between requests).
    earlier = getattr(stream, "_parole_inspected", None)
    if isinstance(earlier, InspectedFile) and earlier.sha256 == sha256 and earlier.size == size:
        return earlier
    page_count, markup, text, normalised = _inspect_in_sandbox(data, content_type=content_type, name=name)
    inspected = InspectedFile(
        content_type=content_type,
        page_count=page_count,
        size=size,
        sha256=sha256,
        text=text,
        markup=markup,
        normalised=normalised,
    )
    with contextlib.suppress(AttributeError):  # a stream type without attributes is simply checked again next time
        stream._parole_inspected = inspected  # type: ignore[attr-defined]
    return inspected


def inspected_before(stream: IO[bytes]) -> InspectedFile | None:
    """What ``inspect_upload`` found in this very upload (its form checked it), or None if it was not checked."""
    earlier = getattr(stream, "_parole_inspected", None)
    return earlier if isinstance(earlier, InspectedFile) else None


def display_file_name(name: str | None) -> str:
    """``name`` as we keep and show it: its last path part, without control or direction-changing characters (NUL,
    right-to-left override), at most 255 characters. Files are stored under generated names whatever this is."""
    last = (name or "").replace("\\", "/").rsplit("/", 1)[-1]
    return "".join(char for char in last if char.isprintable())[-255:] or "upload"


def inspect_content(data: bytes, *, content_type: str, name: str) -> tuple[int, MarkupFound]:
    """The page count of ``data`` and what a person added to it on screen, parsed in this process. Only the
    sandbox's child calls this: everything else goes through ``inspect_upload``, so a hostile file never reaches the
    parsers in a web or worker process."""
    if content_type == "application/pdf":
        return _inspect_pdf(data, name)
    return _inspect_image(data, name), MarkupFound()


def text_in_sandbox(data: bytes, *, content_type: str) -> ExtractedText:
    """The text layer of a file that was inspected before, read in a sandboxed child (``extract_exhibit_text``).

    A child that fails (killed by a limit, crashed) means the text could not be read, nothing more.
    """
    if content_type != "application/pdf":
        return ExtractedText("no_text")
    try:
        done = sandbox_run("text", data=data, args={"content_type": content_type, "text_seconds": _text_seconds()})
    except SandboxFailed:
        return ExtractedText("unreadable")
    return _extracted(done.result)


def exhibit_text_read_pending(*, log: Callable[[str], None] | None = None) -> dict[str, int]:
    """Read, in the sandbox, the text layer of every exhibit stored before uploads read it (text status "not_read").

    One exhibit at a time, each row written at once, so an interrupted run can simply be started again. A missing or
    changed file is reported and left as it is. Returns how many exhibits got each status.
    """
    # Here, not at the top: the sandbox's child imports this module and has no apps to import models with.
    from packets.crypto import DecryptionError
    from packets.models import Exhibit, ExhibitTextStatus

    report = log or (lambda message: None)
    counts = {"read": 0, "no_text": 0, "unreadable": 0, "skipped": 0}
    pending = Exhibit.objects.filter(text_status=ExhibitTextStatus.NOT_READ)
    for pk in list(pending.order_by("created_at").values_list("pk", flat=True)):
        exhibit = Exhibit.objects.get(pk=pk)
        try:
            with exhibit.file.open("rb") as handle:
                data = handle.read()
        except (OSError, DecryptionError) as error:
            report(f"exhibit {pk}: its file cannot be read ({error}); skipped")
            counts["skipped"] += 1
            continue
        if hashlib.sha256(data).hexdigest() != exhibit.sha256:
            report(f"exhibit {pk}: its file no longer matches its checksum; skipped")
            counts["skipped"] += 1
            continue
        extracted = text_in_sandbox(data, content_type=exhibit.content_type)
        # Only if still unread: an upload or restore may have written it meanwhile.
        pending.filter(pk=pk).update(text=extracted.text, text_status=extracted.status)
        counts[extracted.status] += 1
    return counts


def extract_text(data: bytes, *, content_type: str, seconds: float) -> ExtractedText:
    """The text layer of ``data``, parsed in this process within ``seconds`` of CPU time. Only the sandbox's child
    calls this, after ``inspect_content`` accepted the file.

    A PDF's text is a side matter: a hostile content stream (arrays nested 100,000 deep, millions of operators) must
    not refuse an otherwise usable file, so anything going wrong here, the time budget included, is "unreadable".
    """
    if content_type != "application/pdf":
        return ExtractedText("no_text")
    from pypdf import PdfReader

    def out_of_time(signum: int, frame: FrameType | None) -> None:
        raise _OutOfTime

    previous = signal.signal(signal.SIGPROF, out_of_time)
    signal.setitimer(signal.ITIMER_PROF, max(0.01, seconds))  # CPU time of this process, not wall-clock time
    try:
        parts, length = [], 0
        for page in PdfReader(io.BytesIO(data)).pages[:TEXT_MAX_PAGES]:
            part = page.extract_text() or ""
            parts.append(part)
            length += len(part)
            if length >= TEXT_MAX_CHARS:
                break
        text = "\n".join(parts)[:TEXT_MAX_CHARS]
    except _OutOfTime:
        return ExtractedText("unreadable")
    except Exception:  # noqa: BLE001 - pypdf raises any kind for a hostile file (RecursionError, KeyError…); all mean unreadable
        return ExtractedText("unreadable")
    finally:
        signal.setitimer(signal.ITIMER_PROF, 0)
        signal.signal(signal.SIGPROF, previous)
    return ExtractedText("read", text) if text.strip() else ExtractedText("no_text")


class _OutOfTime(BaseException):
    """The text budget is spent. A BaseException, so that no ``except Exception`` inside pypdf swallows it."""


def _text_seconds() -> float:
    # Well inside the child's own CPU limit: inspection and normalisation must still have time to finish.
    return min(float(settings.INSPECT_TEXT_CPU_SECONDS), Limits.from_settings().cpu_seconds / 4)


def _extracted(answer: dict[str, object]) -> ExtractedText:
    """The child's answer about the text, or "unreadable" if it is not one we understand."""
    status, text = answer.get("text_status"), answer.get("text")
    if status == "read" and isinstance(text, str):
        # What a parser made of a hostile file may hold lone surrogates (which cannot be encoded to be stored) or NULs.
        text = text[:TEXT_MAX_CHARS].encode("utf-8", "replace").decode("utf-8").replace("\x00", "")
        if text.strip():
            return ExtractedText("read", text)
    if status == "no_text" and text is None:
        return ExtractedText("no_text")
    return ExtractedText("unreadable")


def _inspect_in_sandbox(data: bytes, *, content_type: str, name: str) -> tuple[int, MarkupFound, ExtractedText, bytes]:
    """The page count, what was added on screen, the text layer and the normalised PDF of ``data``, all made in one
    sandboxed child."""
    args = {
        "content_type": content_type,
        "name": name,
        "language": get_language() or "",
        "text_seconds": _text_seconds(),
    }
    try:
        done = sandbox_run("inspect", data=data, args=args)
        answer = done.result
        if isinstance(answer.get("rejected"), str):
            raise UploadRejected(answer["rejected"])
        if isinstance(answer.get("unplaceable"), str):
            raise UploadRejected(_unplaceable(str(answer["unplaceable"]), content_type=content_type, name=name))
        pages = answer.get("pages")
        if not isinstance(pages, int) or isinstance(pages, bool) or pages < 1:
            raise SandboxFailed("output", repr(answer)[:200])
        if not done.output or not done.output.startswith(b"%PDF-"):
            raise SandboxFailed("output", "no normalised pages")
    except SandboxFailed as failure:
        raise UploadRejected(
            _(
                "The file “%(name)s” could not be checked safely: %(reason)s. Save it again as PDF or scan it, "
                "and upload the copy."
            )
            % {"name": name, "reason": failure.explanation()}
        ) from failure
    return pages, markup_found_from(answer.get("markup")), _extracted(answer), done.output


def _unplaceable(problem: str, *, content_type: str, name: str) -> str:
    """What to tell a person whose file was read but could not be made into packet pages (the child's ``problem``)."""
    if problem == "no_pages":
        return _("The PDF “%(name)s” has no pages.") % {"name": name}
    if problem == "no_area":
        return _(
            "The PDF “%(name)s” has a page with no size, so it cannot be printed. Open it and print it again as "
            "PDF, then upload that file."
        ) % {"name": name}
    if content_type == "application/pdf":
        return _(
            "The PDF “%(name)s” is damaged: part of a page could not be read. Open it and save or print it again "
            "as PDF, then upload that file."
        ) % {"name": name}
    return _(
        "The image “%(name)s” is damaged: part of the picture could not be read. Take or export the picture again, "
        "then upload the new file."
    ) % {"name": name}


def _inspect_pdf(data: bytes, name: str) -> tuple[int, MarkupFound]:
    try:
        with pikepdf.open(io.BytesIO(data)) as pdf:
            if pdf.is_encrypted:
                raise UploadRejected(
                    _(
                        "The PDF “%(name)s” is password-protected. Save a copy without a password "
                        "(Print → Save as PDF) and upload that."
                    )
                    % {"name": name}
                )
            pages = len(pdf.pages)
            _refuse_absurd_images(pdf, name)
            found = markup_found(pdf)
            # qpdf silently rebuilds a truncated or corrupt file and drops what it cannot read; refuse instead of
            # filing an exhibit with blank or missing pages.
            if any("file is damaged" in warning for warning in pdf.get_warnings()):
                raise pikepdf.PdfError("damaged")
    except pikepdf.PasswordError as error:
        raise UploadRejected(
            _("The PDF “%(name)s” is password-protected. Save a copy without a password and upload that.")
            % {"name": name}
        ) from error
    except (pikepdf.PdfError, ValueError, RuntimeError) as error:  # qpdf raises RuntimeError for some broken trees
        raise UploadRejected(
            _("The PDF “%(name)s” is damaged and cannot be read. Open it, save it again as PDF, and upload the copy.")
            % {"name": name}
        ) from error
    if pages == 0:
        raise UploadRejected(_("The PDF “%(name)s” has no pages.") % {"name": name})
    if pages > MAX_PDF_PAGES:
        raise UploadRejected(
            _("The PDF “%(name)s” has more than %(max)s pages. Split it into smaller exhibits.")
            % {"name": name, "max": MAX_PDF_PAGES}
        )
    return pages, found


def _refuse_absurd_images(pdf: pikepdf.Pdf, name: str) -> None:
    """Refuse a PDF holding an image no page could show: too many pixels, or too much data, measured from what the
    image declares, without decoding it."""
    for image in page_images(pdf):
        width, height = image_size(image)
        if width * height > MAX_IMAGE_PIXELS or declared_length(image) > MAX_IMAGE_STREAM_BYTES:
            raise UploadRejected(
                _(
                    "The PDF “%(name)s” holds an image far too large to print (%(width)s × %(height)s pixels). "
                    "Scan the document again at 300 dpi or less, or print it to PDF, and upload the copy."
                )
                % {"name": name, "width": f"{width:,}", "height": f"{height:,}"}
            )


def _inspect_image(data: bytes, name: str) -> int:
    too_large = _(
        "The image “%(name)s” has too many pixels to place on a page. Scan it at 300 dpi or less and upload it again."
    ) % {"name": name}
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            with Image.open(io.BytesIO(data)) as image:
                width, height = image.size
                if width * height > MAX_IMAGE_PIXELS:
                    raise UploadRejected(too_large)
                if image.format == "JPEG":
                    # A complete JPEG ends its last scan with an end-of-image marker.
                    if data.find(b"\xff\xd9", data.rfind(b"\xff\xda")) == -1:
                        raise ValueError("truncated JPEG")
                else:
                    image.verify()  # every chunk's checksum
                image_format = image.format or ""
        # verify() and the markers read no picture data: a file cut short and given a new end passes them.
        image_decode_fully(data, image_format=image_format, width=width, height=height)
    except (Image.DecompressionBombError, Image.DecompressionBombWarning) as error:
        raise UploadRejected(too_large) from error
    except UploadRejected:
        raise
    except ImageCutShort as error:
        raise UploadRejected(
            _(
                "The image “%(name)s” is incomplete: its end is missing, as happens when a copy or download stops "
                "early. Copy or export the picture again from where it was taken, and upload the new copy."
            )
            % {"name": name}
        ) from error
    except Exception as error:  # noqa: BLE001 - Pillow raises many kinds for a broken file; all mean the same here
        raise UploadRejected(
            _("The image “%(name)s” is damaged and cannot be read. Take or export the picture again.") % {"name": name}
        ) from error
    if width < 1 or height < 1:
        raise UploadRejected(_("The image “%(name)s” is empty.") % {"name": name})
    return 1
