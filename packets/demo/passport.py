"""The demo case's scanned passport page, drawn as a JPEG with a machine-readable zone whose check digits are right."""

import hashlib
import io
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from PIL import Image, ImageDraw, ImageFilter, ImageFont

_FONTS = Path("/usr/share/fonts/truetype/dejavu")


def _font(name: str, size: int) -> ImageFont.FreeTypeFont | ImageFont.ImageFont:
    try:
        return ImageFont.truetype(str(_FONTS / name), size)
    except OSError:  # DejaVu missing: Pillow's own scalable font still draws every character we use
        return ImageFont.load_default(size=size)


def mrz_check_digit(text: str) -> str:
    """The ICAO 9303 check digit of ``text`` (weights 7, 3, 1; letters count 10–35, ``<`` counts 0)."""
    total = 0
    for index, char in enumerate(text):
        if char.isdigit():
            value = int(char)
        elif char.isalpha():
            value = ord(char.upper()) - ord("A") + 10
        else:
            value = 0
        total += value * (7, 3, 1)[index % 3]
    return str(total % 10)


@dataclass(frozen=True)
class PassportFields:
    country: str  # as printed, e.g. "REPÚBLICA DE CHILE"
    country_code: str  # ICAO code, e.g. "CHL"
    surnames: str
    given_names: str
    nationality: str
    date_of_birth: date
    place_of_birth: str
    sex: str
    number: str
    issued_on: date
    expires_on: date
    authority: str


def passport_mrz(fields: PassportFields) -> tuple[str, str]:
    """The two 44-character lines of the machine-readable zone."""

    def clean(value: str) -> str:
        table = str.maketrans("ÁÉÍÓÚÑÜ", "AEIOUNU")
        return "".join(ch if ch.isalnum() else "<" for ch in value.upper().translate(table))

    name = f"{clean(fields.surnames)}<<{clean(fields.given_names)}"
    first = f"P<{fields.country_code}{name}".ljust(44, "<")[:44]
    number = fields.number.ljust(9, "<")[:9]
    born = fields.date_of_birth.strftime("%y%m%d")
    expires = fields.expires_on.strftime("%y%m%d")
    personal = "<" * 14
    composite = (
        f"{number}{mrz_check_digit(number)}{born}{mrz_check_digit(born)}"
        f"{expires}{mrz_check_digit(expires)}{personal}{mrz_check_digit(personal)}"
    )
    second = (
        f"{number}{mrz_check_digit(number)}{fields.country_code}{born}{mrz_check_digit(born)}{fields.sex}"
        f"{expires}{mrz_check_digit(expires)}{personal}{mrz_check_digit(personal)}{mrz_check_digit(composite)}"
    )
    return first, second


def _noise(size: tuple[int, int], seed: str) -> Image.Image:
    # Seeded from a hash, not the random module: the same page always scans the same way.
    width, height = size
    return Image.frombytes("L", size, hashlib.shake_256(seed.encode()).digest(width * height))


def passport_page_jpeg(fields: PassportFields, *, specimen_note: str) -> bytes:
    """A passport biographic page as it looks after scanning: slightly skewed, grainy, on a grey scanner bed."""
    width, height = 1500, 1060
    page = Image.new("RGB", (width, height), (238, 241, 236))
    draw = ImageDraw.Draw(page)
    # Security-print background: fine wavy lines.
    for row in range(0, height, 14):
        points = [(x, row + 5 * ((x // 40) % 2)) for x in range(0, width + 40, 40)]
        draw.line(points, fill=(214, 226, 228), width=1)
    draw.rectangle((0, 0, width - 1, 110), fill=(43, 74, 112))
    draw.text((60, 22), fields.country, font=_font("DejaVuSans-Bold.ttf", 40), fill="white")
    draw.text((60, 70), "PASAPORTE / PASSPORT", font=_font("DejaVuSans.ttf", 26), fill=(220, 230, 240))
    # Photo: a grey portrait placeholder.
    draw.rectangle((60, 160, 400, 600), fill=(200, 203, 206), outline=(120, 120, 120), width=3)
    draw.ellipse((160, 220, 300, 380), fill=(150, 153, 158))
    draw.pieslice((110, 390, 350, 700), 180, 360, fill=(150, 153, 158))
    label, value = _font("DejaVuSans.ttf", 20), _font("DejaVuSans-Bold.ttf", 30)
    rows = [
        ("Tipo / Type", "P"),
        ("Código / Code", fields.country_code),
        ("Pasaporte N° / Passport No.", fields.number),
        ("Apellidos / Surnames", fields.surnames),
        ("Nombres / Given names", fields.given_names),
        ("Nacionalidad / Nationality", fields.nationality),
        ("Fecha de nacimiento / Date of birth", fields.date_of_birth.strftime("%d %b %Y").upper()),
        ("Lugar de nacimiento / Place of birth", fields.place_of_birth),
        ("Sexo / Sex", fields.sex),
        ("Fecha de emisión / Date of issue", fields.issued_on.strftime("%d %b %Y").upper()),
        ("Fecha de vencimiento / Date of expiry", fields.expires_on.strftime("%d %b %Y").upper()),
        ("Autoridad / Authority", fields.authority),
    ]
    for index, (caption, text) in enumerate(rows):
        column, line = divmod(index, 6)
        x, y = 450 + column * 520, 150 + line * 78
        draw.text((x, y), caption, font=label, fill=(70, 80, 95))
        draw.text((x, y + 24), text, font=value, fill=(15, 20, 30))
    mono = _font("DejaVuSansMono.ttf", 36)
    draw.rectangle((0, 860, width - 1, height - 1), fill=(246, 247, 243))
    for line_number, mrz_line in enumerate(passport_mrz(fields)):
        draw.text((50, 890 + line_number * 70), mrz_line, font=mono, fill=(10, 10, 10))
    # A visible specimen mark: this is invented demo data, and must never pass for a real document.
    mark = Image.new("L", (width, height), 0)
    ImageDraw.Draw(mark).text((330, 640), specimen_note, font=_font("DejaVuSans-Bold.ttf", 64), fill=110)
    page.paste((200, 40, 40), (0, 0), mark.rotate(14, center=(width // 2, height // 2)))
    # The scan: the page lies a little crooked on the scanner bed, with grain and a soft focus.
    bed = Image.new("RGB", (width + 160, height + 160), (92, 94, 96))
    bed.paste(page, (80, 80))
    scanned = bed.rotate(-0.8, resample=Image.Resampling.BICUBIC, fillcolor=(92, 94, 96))
    grain = _noise(scanned.size, fields.number).point(lambda level: 118 + level // 16)
    scanned = Image.blend(scanned, Image.merge("RGB", (grain, grain, grain)), 0.12)
    scanned = scanned.filter(ImageFilter.GaussianBlur(0.6))
    buffer = io.BytesIO()
    scanned.save(buffer, format="JPEG", quality=82, dpi=(200, 200))
    return buffer.getvalue()
