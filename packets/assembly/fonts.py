"""Fonts that reportlab draws with, registered from TrueType files so they are embedded in the PDF.

A base-14 font such as Helvetica is never embedded: the viewer or printer substitutes its own, and a reviewer's
preflight reports it. Each font names its candidates in order; reportlab's own Bitstream Vera (DejaVu's ancestor) comes
last, so a machine with neither Noto nor DejaVu still gets an embedded font.
"""

from functools import cache
from pathlib import Path

from reportlab import rl_config
from reportlab.lib.fonts import addMapping
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont

FONTS = Path("/usr/share/fonts/truetype")

FAMILIES = {
    # The print body's family (print.css: Noto Serif, else DejaVu Serif): the page stamps.
    "serif": (
        (FONTS / "noto/NotoSerif-Regular.ttf", FONTS / "dejavu/DejaVuSerif.ttf", Path("Vera.ttf")),
        (FONTS / "noto/NotoSerif-Bold.ttf", FONTS / "dejavu/DejaVuSerif-Bold.ttf", Path("VeraBd.ttf")),
    ),
    # A plain sans serif for documents that would otherwise be set in Helvetica (the demo's evidence).
    "sans": (
        (FONTS / "noto/NotoSans-Regular.ttf", FONTS / "dejavu/DejaVuSans.ttf", Path("Vera.ttf")),
        (FONTS / "noto/NotoSans-Bold.ttf", FONTS / "dejavu/DejaVuSans-Bold.ttf", Path("VeraBd.ttf")),
    ),
}


@cache
def embedded_family(family: str) -> tuple[str, str]:
    """The reportlab names of ``family``'s regular and bold fonts, registered once a process (and mapped, so that
    ``<b>`` in a paragraph picks the bold one)."""
    regular_files, bold_files = FAMILIES[family]
    regular, bold = f"PW{family.title()}", f"PW{family.title()}-Bold"
    for name, candidates in ((regular, regular_files), (bold, bold_files)):
        path = next((path for path in candidates if path.is_absolute() and path.exists()), None)
        # A relative name is found on reportlab's own font path (its bundled fonts).
        pdfmetrics.registerFont(TTFont(name, str(path) if path else _bundled(candidates[-1])))
    for italic in (0, 1):  # no italic faces: an italic asks for the upright one rather than failing
        addMapping(regular, 0, italic, regular)
        addMapping(regular, 1, italic, bold)
    return regular, bold


def _bundled(name: Path) -> str:
    return str(Path(rl_config.__file__).parent / "fonts" / name)
