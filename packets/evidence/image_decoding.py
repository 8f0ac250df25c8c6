"""Decoding every byte of an uploaded image, in the sandbox's child, so that a file cut short is refused.

A JPEG cut short and given a new end marker (FF D9) passes every check that reads only its structure, and Pillow
decodes it without a word: libjpeg says "premature end of data segment" as a warning, which Pillow drops, and fills the
missing part of the picture with grey. simplejpeg (libjpeg-turbo) raises that warning as an error (``strict``), and
decodes at about 1/8 scale, reading every byte of the scan data for a fraction of the memory. A PNG cut short at a
chunk boundary, with its IEND chunk appended, has sound chunks: only inflating its pixel data finds it short, which
Pillow does when it loads the image with ``LOAD_TRUNCATED_IMAGES`` off (WeasyPrint turns it on for the process).
"""

import io

import simplejpeg
from PIL import Image, ImageFile

# libjpeg's warnings that part of the scan data is missing (JWRN_HIT_MARKER, JWRN_JPEG_EOF). Other warnings (extra
# bytes before a marker, which some cameras write) leave the picture whole, so they do not refuse a file.
_CUT_SHORT = ("premature end", "truncated")


class ImageCutShort(ValueError):
    """The image's data ends before its picture does."""


def image_decode_fully(data: bytes, *, image_format: str, width: int, height: int) -> None:
    """Decode all of ``data``; raise ``ImageCutShort`` if it ends early (and Pillow's own errors if it is broken)."""
    if image_format == "JPEG":
        scaled = {"colorspace": "GRAY", "min_width": max(1, width // 8), "min_height": max(1, height // 8)}
        try:
            simplejpeg.decode_jpeg(data, strict=True, **scaled)
        except ValueError as error:
            if any(words in str(error).lower() for words in _CUT_SHORT):
                raise ImageCutShort(str(error)) from error
            simplejpeg.decode_jpeg(data, strict=False, **scaled)  # only a warning? then a broken file still fails here
        return
    previous = ImageFile.LOAD_TRUNCATED_IMAGES
    ImageFile.LOAD_TRUNCATED_IMAGES = False
    try:
        with Image.open(io.BytesIO(data)) as image:
            image.load()
    except OSError as error:
        if "truncated" in str(error).lower():
            raise ImageCutShort(str(error)) from error
        raise
    finally:
        ImageFile.LOAD_TRUNCATED_IMAGES = previous
