"""The images inside an exhibit's PDF: found on every page (inside form XObjects too), measured at upload without
decoding them, and brought down to print resolution when the exhibit is prepared.

A 600-dpi scan of an A4 page is about 5,000 × 7,000 pixels; on a packet page it is at most the content box, where
300 dpi is as much as any printer shows. An image above 450 dpi there is reduced by a whole factor (to 200–300 dpi at
the largest size it can be placed: where it is drawn smaller, it keeps more), JPEG as JPEG, everything else
losslessly with Flate. Images this cannot handle safely (masks, 16-bit or 1-bit data, colour spaces other than grey
and RGB, predictors) are left as they are.
"""

import io
import math
import zlib
from collections.abc import Iterator

import pikepdf
from PIL import Image

# The content box is 540 × 702 pt: at 300 dpi, 2,250 × 2,925 pixels is the most a placed image can show.
PRINT_DPI = 300
PRINTED_LONG_SIDE = 702 * PRINT_DPI // 72
PRINTED_SHORT_SIDE = 540 * PRINT_DPI // 72
# Reduced only above 450 dpi: a phone's 12-megapixel photo (about 410 dpi across the box) keeps its own JPEG.
WORTH_REDUCING = 1.5
MAX_NESTING = 16  # form XObjects inside form XObjects: deeper than this is hostile, not a document
STRIP_BYTES = 8 * 1024 * 1024  # a Flate image is decoded a strip at a time: the sandbox's memory is limited
JPEG_QUALITY = 90
MODES = {"/DeviceGray": ("L", 1), "/DeviceRGB": ("RGB", 3)}


def page_images(pdf: pikepdf.Pdf) -> Iterator[pikepdf.Stream]:
    """Every image XObject the pages draw, once each, including those inside form XObjects."""
    seen: set[tuple[int, int]] = set()
    pending = [(page.obj.get("/Resources"), 0) for page in pdf.pages]
    while pending:
        resources, depth = pending.pop()
        if not isinstance(resources, pikepdf.Dictionary) or depth > MAX_NESTING:
            continue
        xobjects = resources.get("/XObject")
        if not isinstance(xobjects, pikepdf.Dictionary):
            continue
        for xobject in xobjects.values():
            if not isinstance(xobject, pikepdf.Stream) or (xobject.is_indirect and xobject.objgen in seen):
                continue
            if xobject.is_indirect:
                seen.add(xobject.objgen)
            if xobject.get("/Subtype") == "/Image":
                yield xobject
            elif xobject.get("/Subtype") == "/Form":
                pending.append((xobject.get("/Resources"), depth + 1))


def image_size(image: pikepdf.Stream) -> tuple[int, int]:
    """The pixel size an image declares (0 for a missing or odd value)."""
    width, height = image.get("/Width", 0), image.get("/Height", 0)
    return (int(width) if isinstance(width, int) else 0, int(height) if isinstance(height, int) else 0)


def declared_length(image: pikepdf.Stream) -> int:
    """The length of an image's compressed data as its dictionary states it (read without decoding)."""
    length = image.stream_dict.get("/Length", 0)
    return int(length) if isinstance(length, int) else 0


def downsample_images(pdf: pikepdf.Pdf) -> None:
    """Bring every image of ``pdf`` larger than print resolution down to it, in place."""
    for image in page_images(pdf):
        _downsample(image)


def _downsample(image: pikepdf.Stream) -> None:
    width, height = image_size(image)
    if width < 1 or height < 1:
        return
    scale = min(PRINTED_LONG_SIDE / max(width, height), PRINTED_SHORT_SIDE / min(width, height))
    mode = _plain_mode(image)
    if scale * WORTH_REDUCING >= 1 or mode is None:
        return
    factor = math.ceil(1 / scale)
    target = (math.ceil(width / factor), math.ceil(height / factor))
    filters = _filters(image)
    if filters == ["/DCTDecode"]:
        reduced = _jpeg_reduced(image.read_raw_bytes(), mode, target)
        if reduced is not None:
            buffer = io.BytesIO()
            reduced.save(buffer, format="JPEG", quality=JPEG_QUALITY)
            image.write(buffer.getvalue(), filter=pikepdf.Name.DCTDecode)
    elif filters in ([], ["/FlateDecode"]) and "/DecodeParms" not in image:
        reduced = _flate_reduced(image.read_raw_bytes(), mode, (width, height), factor, inflate=bool(filters))
        if reduced is not None:
            image.write(zlib.compress(reduced.tobytes(), 6), filter=pikepdf.Name.FlateDecode)
    else:
        return
    if reduced is not None:
        image.Width, image.Height = reduced.size


def _plain_mode(image: pikepdf.Stream) -> str | None:
    """The Pillow mode of an 8-bit grey or RGB image without masks or a decode array; None for anything else."""
    if any(key in image for key in ("/SMask", "/Mask", "/Decode", "/SMaskInData")) or image.get("/ImageMask"):
        return None
    if image.get("/BitsPerComponent") != 8:
        return None
    space = image.get("/ColorSpace")
    return MODES[str(space)][0] if isinstance(space, pikepdf.Name) and str(space) in MODES else None


def _filters(image: pikepdf.Stream) -> list[str] | None:
    value = image.get("/Filter")
    if value is None:
        return []
    if isinstance(value, pikepdf.Name):
        return [str(value)]
    if isinstance(value, pikepdf.Array) and all(isinstance(item, pikepdf.Name) for item in value):
        return [str(item) for item in value]
    return None


def _jpeg_reduced(data: bytes, mode: str, target: tuple[int, int]) -> Image.Image | None:
    try:
        with Image.open(io.BytesIO(data)) as jpeg:
            if jpeg.format != "JPEG" or jpeg.mode != mode:
                return None  # CMYK, or a JPEG whose colours the PDF describes otherwise: leave it
            jpeg.draft(mode, target)  # decoded at 1/2, 1/4 or 1/8 of its size: a fraction of the memory
            return jpeg.resize(target, Image.Resampling.LANCZOS)
    except (OSError, ValueError, Image.DecompressionBombError):
        return None


def _flate_reduced(data: bytes, mode: str, size: tuple[int, int], factor: int, *, inflate: bool) -> Image.Image | None:
    """The image reduced by ``factor``, decoded a strip of rows at a time, never more than its pixels hold (a
    Flate bomb stops at the image's size). None if the data is short."""
    width, height = size
    row = width * (3 if mode == "RGB" else 1)
    rows = max(factor, STRIP_BYTES // row // factor * factor)
    inflater = zlib.decompressobj() if inflate else None
    reduced = Image.new(mode, (math.ceil(width / factor), math.ceil(height / factor)))
    rest, offset = data, 0
    for top in range(0, height, rows):
        count = min(rows, height - top) * row
        if inflater is None:
            chunk, offset = data[offset : offset + count], offset + count
        else:
            try:
                chunk = inflater.decompress(rest, count)
            except zlib.error:
                return None
            rest = inflater.unconsumed_tail
        if len(chunk) < count:
            return None
        strip = Image.frombytes(mode, (width, count // row), chunk)
        reduced.paste(strip.reduce(factor), (0, top // factor))
    return reduced
