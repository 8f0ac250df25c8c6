"""Images in exhibits: a phone's photo stored on its side fills the page upright; a very large scan inside a PDF is
brought down to print resolution and still shows the same page."""

import io

import pikepdf
from PIL import Image, ImageDraw

from packets.assembly.exhibits import CONTENT_BOX, normalise
from tests.assembly.pdfread import page_image

DPI = 30


def phone_photo(orientation: int) -> bytes:
    """A 12-megapixel photo as a phone stores it: the sensor's landscape pixels, and which way is up in EXIF. The
    letter photographed has a black frame, thick at its top (as the person holding the phone saw it)."""
    upright = Image.new("RGB", (3024, 4032), "white")
    draw = ImageDraw.Draw(upright)
    draw.rectangle((20, 20, 3003, 4011), outline="black", width=30)
    draw.rectangle((20, 20, 3003, 400), fill="black")
    stored = upright.transpose(Image.Transpose.ROTATE_90) if orientation == 6 else upright
    exif = Image.Exif()
    exif[0x0112] = orientation
    buffer = io.BytesIO()
    stored.save(buffer, format="JPEG", quality=80, exif=exif)
    return buffer.getvalue()


def ink_box(image: Image.Image) -> tuple[int, int, int, int]:
    """The bounding box of everything not white on a rendered page."""
    box = image.convert("L").point(lambda value: 255 if value < 200 else 0).getbbox()
    assert box is not None
    return box


def test_a_photo_stored_on_its_side_fills_the_content_box_upright() -> None:
    photo = phone_photo(orientation=6)
    with Image.open(io.BytesIO(photo)) as stored:
        assert stored.size == (4032, 3024)
    page = page_image(normalise(photo, "image/jpeg"), dpi=DPI)
    left, top, right, bottom = ink_box(page)
    box_height = (CONTENT_BOX[3] - CONTENT_BOX[1]) * DPI / 72
    assert abs((bottom - top) - box_height) <= 3  # as tall as the box (it was a third of it, fitted twice)
    assert abs((right - left) - box_height * 3024 / 4032) <= 3
    # Upright: the thick band the photographer saw at the top is at the top.
    band = list(page.crop((left + 2, top + 2, right - 2, top + 10)).convert("L").get_flattened_data())
    foot = list(page.crop((left + 2, bottom - 10, right - 2, bottom - 2)).convert("L").get_flattened_data())
    assert sum(band) / len(band) < 60
    assert sum(foot) / len(foot) > 200


def test_a_photo_turned_by_exif_is_kept_as_the_camera_stored_it() -> None:
    photo = phone_photo(orientation=6)
    with pikepdf.open(io.BytesIO(normalise(photo, "image/jpeg"))) as pdf:
        raw = [
            image.read_raw_bytes()
            for page in pdf.pages
            for form in page.Resources.XObject.values()
            for image in form.Resources.XObject.values()
        ]
    assert raw == [photo]  # the camera's JPEG, byte for byte: nothing re-encoded


def test_an_upright_photo_still_fills_the_box() -> None:
    upright = phone_photo(orientation=1)
    left, top, right, bottom = ink_box(page_image(normalise(upright, "image/jpeg"), dpi=DPI))
    assert abs((bottom - top) - (CONTENT_BOX[3] - CONTENT_BOX[1]) * DPI / 72) <= 3
