"""An image cut short (a download or copy that stopped early) is refused, even when a new end was put on it: every
byte of its picture is decoded in the sandbox at upload."""

import io
import os
import struct
import zlib

import pytest
from PIL import Image

from packets.evidence.uploads import UploadRejected, inspect_upload
from tests.builders import jpeg_bytes, png_bytes

JPEG_END = b"\xff\xd9"


def _inspect(name: str, data: bytes) -> object:
    return inspect_upload(io.BytesIO(data), size=len(data), name=name)


def _photo_jpeg(progressive: bool = False) -> bytes:
    """A photo-like JPEG (noise compresses badly, so its scan data is most of the file)."""
    buffer = io.BytesIO()
    Image.frombytes("RGB", (400, 300), os.urandom(3 * 400 * 300)).save(buffer, "JPEG", progressive=progressive)
    return buffer.getvalue()


def _chunks(png: bytes) -> list[tuple[bytes, bytes]]:
    """A PNG's chunks as (type, whole chunk bytes)."""
    found, at = [], 8
    while at < len(png):
        (length,) = struct.unpack(">I", png[at : at + 4])
        found.append((png[at + 4 : at + 8], png[at : at + 12 + length]))
        at += 12 + length
    return found


def _noise_png_in_many_chunks() -> bytes:
    buffer = io.BytesIO()
    Image.frombytes("RGB", (600, 600), os.urandom(3 * 600 * 600)).save(buffer, "PNG")
    return buffer.getvalue()


@pytest.mark.parametrize("kept", [0.5, 0.9, 0.99])
def test_a_jpeg_cut_short_and_given_a_new_end_marker_is_refused(kept: float) -> None:
    whole = _photo_jpeg()
    cut = whole[: int(len(whole) * kept)] + JPEG_END

    with pytest.raises(UploadRejected) as refused:
        _inspect("photo.jpg", cut)

    assert "incomplete" in str(refused.value)
    assert "photo.jpg" in str(refused.value)


def test_a_progressive_jpeg_cut_short_and_given_a_new_end_marker_is_refused() -> None:
    whole = _photo_jpeg(progressive=True)

    with pytest.raises(UploadRejected):
        _inspect("photo.jpg", whole[: len(whole) // 2] + JPEG_END)


def test_a_png_cut_between_its_chunks_with_its_end_chunk_put_back_is_refused() -> None:
    chunks = _chunks(_noise_png_in_many_chunks())
    data_chunks = [whole for kind, whole in chunks if kind == b"IDAT"]
    assert len(data_chunks) > 4  # the cut falls between sound chunks: only inflating the pixels finds it short
    kept = [whole for kind, whole in chunks if kind != b"IDAT" and kind != b"IEND"] + data_chunks[
        : len(data_chunks) // 2
    ]
    iend = struct.pack(">I", 0) + b"IEND" + struct.pack(">I", zlib.crc32(b"IEND"))

    with pytest.raises(UploadRejected) as refused:
        _inspect("scan.png", b"\x89PNG\r\n\x1a\n" + b"".join(kept) + iend)

    assert "incomplete" in str(refused.value)


def test_a_png_cut_inside_a_chunk_with_an_end_chunk_appended_is_refused() -> None:
    whole = _noise_png_in_many_chunks()
    iend = whole[whole.rfind(b"IEND") - 4 :]

    with pytest.raises(UploadRejected):
        _inspect("scan.png", whole[: len(whole) // 2] + iend)


@pytest.mark.parametrize(
    ("name", "data"),
    [
        ("photo.jpg", _photo_jpeg()),
        ("photo.jpg", _photo_jpeg(progressive=True)),
        ("passport.jpg", jpeg_bytes()),
        ("scan.png", png_bytes()),
        ("noise.png", _noise_png_in_many_chunks()),
    ],
)
def test_a_whole_image_is_still_accepted(name: str, data: bytes) -> None:
    assert _inspect(name, data).page_count == 1  # type: ignore[attr-defined]
