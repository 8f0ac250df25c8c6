"""Images in exhibits: a phone's photo stored on its side fills the page upright; a very large scan inside a PDF is
brought down to print resolution and still shows the same page."""

import io
import zlib

import pikepdf
import pytest
from PIL import Image, ImageChops, ImageDraw

from packets.assembly.exhibits import CONTENT_BOX, normalise
from packets.assembly.images import image_size, page_images
from packets.evidence.uploads import inspect_upload
from tests.assembly.pdfread import on_exhibit_page, page_image

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


A4_POINTS = (595.0, 842.0)


def scanned_pdf(image_format: str) -> bytes:
    """A 600-dpi scan of an A4 page (4,960 × 7,016 pixels) as a scanner saves it: one image filling the page, JPEG
    in colour, or grey and Flate-compressed."""
    mode = "RGB" if image_format == "JPEG" else "L"
    scan = Image.new(mode, (4960, 7016), "white")
    draw = ImageDraw.Draw(scan)
    draw.rectangle((400, 400, 4560, 1600), fill="black")  # a letterhead band
    draw.line((400, 2000, 4560, 6600), fill="black", width=120)
    draw.rectangle((400, 6000, 1800, 6600), outline="black", width=80)
    with pikepdf.new() as pdf:
        if image_format == "JPEG":
            buffer = io.BytesIO()
            scan.save(buffer, format="JPEG", quality=75)
            data, filter_name = buffer.getvalue(), pikepdf.Name.DCTDecode
        else:
            data, filter_name = zlib.compress(scan.tobytes(), 6), pikepdf.Name.FlateDecode
        image = pdf.make_stream(
            data,
            Type=pikepdf.Name.XObject,
            Subtype=pikepdf.Name.Image,
            Width=4960,
            Height=7016,
            ColorSpace=pikepdf.Name.DeviceRGB if mode == "RGB" else pikepdf.Name.DeviceGray,
            BitsPerComponent=8,
            Filter=filter_name,
        )
        page = pdf.add_blank_page(page_size=A4_POINTS)
        page.obj.Resources = pikepdf.Dictionary(XObject=pikepdf.Dictionary(Scan=image))
        page.obj.Contents = pdf.make_stream(f"q {A4_POINTS[0]} 0 0 {A4_POINTS[1]} 0 0 cm /Scan Do Q".encode())
        buffer = io.BytesIO()
        pdf.save(buffer)
        return buffer.getvalue()


def image_sizes(pdf: bytes) -> list[tuple[int, int, str]]:
    with pikepdf.open(io.BytesIO(pdf)) as document:
        return [(*image_size(image), str(image.get("/Filter"))) for image in page_images(document)]


@pytest.mark.parametrize("image_format", ["JPEG", "PNG"])
def test_a_600_dpi_scan_is_brought_down_to_print_resolution_and_shows_the_same_page(image_format: str) -> None:
    scan = scanned_pdf(image_format)
    inspected = inspect_upload(io.BytesIO(scan), size=len(scan), name="scan.pdf")  # prepared in the sandbox
    [(width, height, filter_name)] = image_sizes(inspected.normalised)
    assert (width, height) == (1654, 2339)  # a third: 240 dpi across the A4 page placed in the content box
    assert filter_name == ("/DCTDecode" if image_format == "JPEG" else "/FlateDecode")
    assert len(inspected.normalised) < len(scan) / 3
    before, after = page_image(scan, dpi=DPI), page_image(inspected.normalised, dpi=DPI)
    placed = tuple(round(value * DPI / 72) for value in on_exhibit_page((0, 0, *A4_POINTS), A4_POINTS))
    placed = (placed[0], round(792 * DPI / 72) - placed[3], placed[2], round(792 * DPI / 72) - placed[1])
    shown = before.resize((placed[2] - placed[0], placed[3] - placed[1]))
    difference = ImageChops.difference(shown.convert("L"), after.crop(placed).convert("L"))
    assert sum(difference.get_flattened_data()) / (shown.width * shown.height) < 12


def test_an_image_already_at_print_resolution_is_left_as_it_is() -> None:
    photo = phone_photo(orientation=1)  # 3,024 × 4,032: close enough to 300 dpi over the box not to be worth it
    assert image_sizes(normalise(photo, "image/jpeg")) == [(3024, 4032, "/DCTDecode")]


def test_a_mirrored_selfie_is_turned_back_before_it_is_placed() -> None:
    upright = Image.new("RGB", (600, 800), "white")
    ImageDraw.Draw(upright).rectangle((0, 0, 120, 799), fill="black")  # a band down the left edge
    exif = Image.Exif()
    exif[0x0112] = 2  # stored mirrored left to right
    buffer = io.BytesIO()
    upright.transpose(Image.Transpose.FLIP_LEFT_RIGHT).save(buffer, format="PNG", exif=exif)
    page = page_image(normalise(buffer.getvalue(), "image/png"), dpi=DPI)
    left, top, right, bottom = ink_box(page)
    assert (right - left) < (bottom - top) / 3  # only the band is dark: it is on the left, not the right
    assert left < page.width / 3
