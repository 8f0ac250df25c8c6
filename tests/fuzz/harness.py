"""Malformed files made in code, and the checks the fuzz suite and ``benchmarks/fuzz.py`` run on each of them.

Every sample is generated from a seed: mutated copies of valid PDFs, JPEGs and PNGs (bit flips, truncations, chunk
duplication, overwritten ranges) and the known PDF-parser attack shapes. A file must be accepted or refused with an
``UploadRejected`` message; an accepted file must normalise or fail the render with a message naming its exhibit.
Anything else is a crash; a call that outlives the sandbox's wall-clock limit is a hang.
"""

import io
import random
import struct
import time
import zipfile
import zlib
from collections.abc import Iterator
from dataclasses import dataclass, field

from django.conf import settings
from PIL import Image

from packets.assembly.exhibits import ExhibitError, ExhibitSource, normalised_exhibit
from packets.evidence import sandbox
from packets.evidence.uploads import UploadRejected, inspect_upload
from tests.builders import encrypted_pdf_bytes, jpeg_bytes, pdf_bytes, png_bytes

HANG_GRACE_SECONDS = 2.0  # the sandbox kills at the wall limit; a call past limit + grace was not stopped


@dataclass(frozen=True)
class Sample:
    name: str
    data: bytes
    shape: str


@dataclass
class Tally:
    files: int = 0
    accepted: int = 0
    rejected: int = 0
    render_failed: int = 0
    crashes: list[str] = field(default_factory=list)
    hangs: list[str] = field(default_factory=list)
    killed: int = 0
    worst_s: float = 0.0
    worst_mb: float = 0.0
    overheads: list[float] = field(default_factory=list)

    def line(self) -> str:
        return (
            f"fuzz: files={self.files} crashes={len(self.crashes)} hangs={len(self.hangs)} "
            f"worst_s={self.worst_s:.2f} worst_mb={self.worst_mb:.0f}"
        )


# ── Building blocks ─────────────────────────────────────────────────────────────────────────────────────────────


def _pdf(objects: list[bytes], *, root: int = 1, extra_trailer: bytes = b"", xref: bool = True) -> bytes:
    """A PDF with ``objects`` numbered from 1, a correct cross-reference table unless ``xref`` is false."""
    out = bytearray(b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % number + body + b"\nendobj\n"
    start = len(out)
    if xref:
        out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
        out += b"".join(b"%010d 00000 n \n" % offset for offset in offsets)
    out += b"trailer\n<< /Size %d /Root %d 0 R %s>>\nstartxref\n%d\n%%%%EOF\n" % (
        len(objects) + 1,
        root,
        extra_trailer,
        start,
    )
    return bytes(out)


def _stream(dictionary: bytes, body: bytes) -> bytes:
    return b"<< %s /Length %d >>\nstream\n" % (dictionary, len(body)) + body + b"\nendstream"


def _page_pdf(content: bytes, *, content_dict: bytes = b"", extra: list[bytes] | None = None) -> bytes:
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R >>",
        _stream(content_dict, content),
        *(extra or []),
    ]
    return _pdf(objects)


def _zeros_deflated(size: int, level: int = 9) -> bytes:
    compressor = zlib.compressobj(level)
    chunk = bytes(1024 * 1024)
    parts = [compressor.compress(chunk) for _ in range(size // len(chunk))]
    parts.append(compressor.flush())
    return b"".join(parts)


def _png_declaring(width: int, height: int) -> bytes:
    def chunk(kind: bytes, body: bytes) -> bytes:
        return struct.pack(">I", len(body)) + kind + body + struct.pack(">I", zlib.crc32(kind + body))

    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", zlib.compress(b"\0" * 64)) + chunk(b"IEND", b"")
    )


def _jpeg_declaring(width: int, height: int) -> bytes:
    """A small JPEG whose frame header claims ``width`` × ``height``."""
    data = bytearray(jpeg_bytes(64, 64))
    marker = data.find(b"\xff\xc0")
    struct.pack_into(">HH", data, marker + 5, height, width)
    return bytes(data)


def _flood_png(side: int) -> bytes:
    buffer = io.BytesIO()
    Image.new("RGBA", (side, side), (255, 255, 255, 0)).save(buffer, "PNG")
    return buffer.getvalue()


def _zip_claiming_pdf() -> bytes:
    buffer = io.BytesIO()
    buffer.write(b"%PDF-1.7\n")
    with zipfile.ZipFile(buffer, "a") as archive:
        archive.writestr("payload.html", "<script>alert(1)</script>")
    return buffer.getvalue()


def _pdf_with_zip_appended() -> bytes:
    buffer = io.BytesIO()
    buffer.write(pdf_bytes())
    with zipfile.ZipFile(buffer, "a") as archive:
        archive.writestr("payload.exe", b"MZ" + bytes(100))
    return buffer.getvalue()


# ── Attack shapes ───────────────────────────────────────────────────────────────────────────────────────────────


def attack_samples(*, big: bool) -> list[Sample]:
    """The known PDF and image parser attacks, one file each; ``big`` makes the bombs as large as the runner allows."""
    bomb = 1024 * 1024 * (1024 if big else 32)
    valid = pdf_bytes(pages=2)
    body_end = valid.rfind(b"xref")
    circular = valid[
        :body_end
    ] + b"xref\n0 1\n0000000000 65535 f \ntrailer\n<< /Size 1 /Prev %d >>\nstartxref\n%d\n%%%%EOF\n" % (
        body_end,
        body_end,
    )
    two_cycle = _pdf([b"<< /Type /Catalog /Pages 2 0 R >>", b"<< /Type /Pages /Kids [] /Count 0 >>"]).replace(
        b"trailer\n<<", b"trailer\n<< /Prev 9 "
    )
    samples = [
        Sample("circular-prev.pdf", circular, "circular xref /Prev"),
        Sample("two-prev.pdf", two_cycle, "xref /Prev into nowhere"),
        Sample("startxref-past-end.pdf", valid.replace(b"startxref\n", b"startxref\n99999999"), "broken startxref"),
        Sample(
            "startxref-garbage.pdf", valid[: valid.rfind(b"startxref")] + b"startxref\n-1x\n%%EOF", "broken startxref"
        ),
        Sample("no-xref.pdf", _pdf([b"<< /Type /Catalog /Pages 2 0 R >>"], xref=False), "broken startxref"),
        Sample(
            "comments.pdf",
            b"%PDF-1.7\n" + b"%" + b"A" * 200 + b"\n" * (1 if big else 1) + (b"%" + b"B" * 78 + b"\n") * 200_000,
            "endless comments",
        ),
        Sample(
            "comment-no-newline.pdf", b"%PDF-1.7\n%" + b"C" * (8 * 1024 * 1024 if big else 2_000_000), "endless comment"
        ),
        Sample(
            "inline-no-ei.pdf",
            _page_pdf(b"q BI /W 100 /H 100 /BPC 8 /CS /G ID " + bytes(range(256)) * 40),
            "BI without EI",
        ),
        Sample(
            "outline-loop.pdf",
            _pdf(
                [
                    b"<< /Type /Catalog /Pages 2 0 R /Outlines 5 0 R >>",
                    b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
                    b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R >>",
                    _stream(b"", b"BT ET"),
                    b"<< /Type /Outlines /First 6 0 R /Last 6 0 R /Count 1 >>",
                    b"<< /Title (loop) /Parent 5 0 R /Next 6 0 R /Prev 6 0 R /First 6 0 R /Last 6 0 R /Count 1 >>",
                ]
            ),
            "outline loop",
        ),
        Sample(
            "page-tree-loop.pdf",
            _pdf([b"<< /Type /Catalog /Pages 2 0 R >>", b"<< /Type /Pages /Kids [2 0 R] /Count 1 >>"]),
            "page tree loop",
        ),
        Sample(
            "page-count-lie.pdf",
            _pdf(
                [
                    b"<< /Type /Catalog /Pages 2 0 R >>",
                    b"<< /Type /Pages /Kids [3 0 R] /Count 999999999 >>",
                    b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] >>",
                ]
            ),
            "page count lie",
        ),
        Sample("deep-array.pdf", _page_pdf(b"BT ET", extra=[b"[" * 100_000 + b"]" * 100_000]), "deep nesting"),
        Sample(
            "nested-flate.pdf",
            _page_pdf(
                zlib.compress(zlib.compress(bytes(bomb // 16))), content_dict=b"/Filter [/FlateDecode /FlateDecode]"
            ),
            "nested Flate bomb",
        ),
        Sample(
            "huge-stream.pdf", _page_pdf(_zeros_deflated(bomb), content_dict=b"/Filter /FlateDecode"), "huge stream"
        ),
        Sample("locked.pdf", encrypted_pdf_bytes(), "encrypted"),
        Sample("owner-locked.pdf", _owner_only_encrypted(), "encrypted, empty user password"),
        Sample("bomb.png", _png_declaring(30_000, 30_000), "pixel flood"),
        Sample("wide.png", _png_declaring(1_000_000, 1), "pixel flood"),
        Sample("bomb.jpg", _jpeg_declaring(65_000, 65_000), "pixel flood"),
        Sample("flood.png", _flood_png(7000), "pixel flood under the pixel limit"),
        Sample("cut.pdf", valid[: len(valid) // 2], "truncated"),
        Sample("cut.jpg", jpeg_bytes()[:3000], "truncated"),
        Sample("cut.png", png_bytes()[:2000], "truncated"),
        Sample("header-only.pdf", b"%PDF-", "truncated"),
        Sample("html.pdf", b"%PDF-1.4\n<html><body><script>alert(1)</script></body></html>", "polyglot HTML"),
        Sample("zip.pdf", _zip_claiming_pdf(), "polyglot ZIP"),
        Sample("pdf-zip.pdf", _pdf_with_zip_appended(), "polyglot PDF+ZIP"),
        Sample("html-first.pdf", b"<html>%PDF-1.7</html>", "polyglot HTML"),
        Sample("empty.pdf", b"", "zero bytes"),
    ]
    return samples


def _owner_only_encrypted() -> bytes:
    import pikepdf

    buffer = io.BytesIO()
    with pikepdf.open(io.BytesIO(pdf_bytes())) as pdf:
        pdf.save(buffer, encryption=pikepdf.Encryption(user="", owner="owner-only"))
    return buffer.getvalue()


HOSTILE_NAMES = [
    "a" * 251 + ".pdf",
    "../../x.pdf",
    "/etc/passwd.pdf",
    "..\\..\\win.pdf",
    "nul\x00byte.pdf",
    "\u202egpj.exe.pdf",
    "<script>alert('x')</script>.pdf",
    "{{ secret }}{% debug %}.pdf",
]


# ── Mutations ───────────────────────────────────────────────────────────────────────────────────────────────────


def _bases() -> list[tuple[str, bytes]]:
    return [
        ("pdf", pdf_bytes(pages=3)),
        ("jpg", jpeg_bytes(300, 400)),
        ("png", png_bytes(300, 400)),
    ]


def _mutate(rng: random.Random, data: bytes) -> tuple[str, bytes]:
    buffer = bytearray(data)
    how = rng.choice(["flip", "truncate", "duplicate", "overwrite", "delete"])
    if how == "flip":
        for _ in range(rng.randint(1, 64)):
            index = rng.randrange(len(buffer))
            buffer[index] ^= 1 << rng.randrange(8)
    elif how == "truncate":
        del buffer[rng.randrange(8, len(buffer)) :]
    elif how == "duplicate":
        start = rng.randrange(len(buffer))
        piece = buffer[start : start + rng.randint(1, 4096)]
        at = rng.randrange(len(buffer))
        buffer[at:at] = piece * rng.randint(1, 50)
    elif how == "overwrite":
        start = rng.randrange(len(buffer))
        length = rng.randint(1, 512)
        buffer[start : start + length] = rng.randbytes(length)
    else:
        start = rng.randrange(len(buffer))
        del buffer[start : start + rng.randint(1, 2048)]
    return how, bytes(buffer)


def mutated_samples(count: int, *, seed: int) -> Iterator[Sample]:
    rng = random.Random(seed)
    bases = _bases()
    for number in range(count):
        extension, base = bases[number % len(bases)]
        how, data = _mutate(rng, base)
        yield Sample(f"mutant-{number}.{extension}", data, f"{how} {extension}")


# ── Checks ──────────────────────────────────────────────────────────────────────────────────────────────────────


def _limit_seconds() -> float:
    return float(settings.INSPECT_WALL_SECONDS) + HANG_GRACE_SECONDS


def _account(tally: Tally, runs: list[sandbox.SandboxRun], elapsed: float, label: str) -> None:
    tally.worst_s = max(tally.worst_s, elapsed)
    for run in runs:
        if run.max_rss_mb is not None:
            tally.worst_mb = max(tally.worst_mb, run.max_rss_mb)
        if run.outcome in ("time", "memory"):
            tally.killed += 1
    if elapsed > _limit_seconds():
        tally.hangs.append(f"{label}: {elapsed:.1f} s")


def check_inspect(tally: Tally, sample: Sample) -> bool:
    """Throw ``sample`` at ``inspect_upload``; True when it was accepted."""
    tally.files += 1
    started = time.monotonic()
    accepted = False
    with sandbox.recording() as runs:
        try:
            inspect_upload(io.BytesIO(sample.data), size=len(sample.data), name=sample.name)
            accepted = True
        except UploadRejected as rejected:
            tally.rejected += 1
            if sample.name not in str(rejected) and "larger than" not in str(rejected):
                tally.crashes.append(f"{sample.name} ({sample.shape}): message without the file name: {rejected}")
        except Exception as error:  # noqa: BLE001 - counting every other exception is the point of a fuzz run
            tally.crashes.append(f"{sample.name} ({sample.shape}): {type(error).__name__}: {error}")
    _account(tally, runs, time.monotonic() - started, f"inspect {sample.name} ({sample.shape})")
    tally.accepted += accepted
    return accepted


def check_normalise(tally: Tally, sample: Sample, content_type: str) -> bool:
    """Convert an accepted ``sample`` as a render does; True when it became packet pages."""
    import hashlib

    source = ExhibitSource(
        id="fuzz",
        label="A",
        kind="other",
        kind_label="Other",
        title=sample.name,
        issuer="",
        issued_on="",
        sha256=hashlib.sha256(sample.data).hexdigest(),
        content_type=content_type,
        read=lambda: sample.data,
    )
    started = time.monotonic()
    normalised = False
    with sandbox.recording() as runs:
        try:
            normalised_exhibit(source)
            normalised = True
        except ExhibitError as error:
            tally.render_failed += 1
            if not str(error).startswith("Exhibit A ("):
                tally.crashes.append(f"render {sample.name}: message does not name the exhibit: {error}")
        except Exception as error:  # noqa: BLE001 - counting every other exception is the point of a fuzz run
            tally.crashes.append(f"render {sample.name} ({sample.shape}): {type(error).__name__}: {error}")
    _account(tally, runs, time.monotonic() - started, f"normalise {sample.name} ({sample.shape})")
    return normalised


def content_type_of(data: bytes) -> str:
    from packets.evidence.uploads import sniff_content_type

    return sniff_content_type(data[:16]) or "application/octet-stream"


def overhead_ms(data: bytes, *, content_type: str, repeat: int = 5) -> tuple[float, float]:
    """Median milliseconds of one check in the sandbox and of the same check in this process."""
    from statistics import median

    from packets.evidence.uploads import inspect_content

    inside, outside = [], []
    for _ in range(repeat):
        started = time.perf_counter()
        inspect_upload(io.BytesIO(data), size=len(data), name="x")
        outside.append((time.perf_counter() - started) * 1000)
        started = time.perf_counter()
        inspect_content(data, content_type=content_type, name="x")
        inside.append((time.perf_counter() - started) * 1000)
    return median(outside), median(inside)
