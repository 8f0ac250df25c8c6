"""PDFs with what people add on screen: forms made by LibreOffice and by pdflatex's hyperref (filled in the way a
viewer fills them, by setting the values), a letter signed with an Ink annotation and highlighted."""

import io
import os
import shutil
import subprocess
from pathlib import Path

import pikepdf
import pytest

from tests.builders import pdf_bytes

# Where the annotations sit on the letter's page (PDF points, origin bottom left).
SIGNATURE_RECT = (72.0, 500.0, 272.0, 580.0)
HIDDEN_RECT = (340.0, 300.0, 540.0, 380.0)
HIGHLIGHT_RECT = (70.0, 714.0, 300.0, 730.0)  # over the letter's first line

FORM_HTML = """<html><body><p>Sponsor declaration</p><form>
<p>Name: <input type="text" name="FullName" size="30"></p>
<p>Agreed: <input type="checkbox" name="Agree" value="Yes"></p>
<p>Relation: <input type="radio" name="Relation" value="Employer"> Employer
<input type="radio" name="Relation" value="Family"> Family</p>
</form></body></html>"""

FORM_TEX = r"""\documentclass{article}
\usepackage{hyperref}
\begin{document}
Sponsor declaration
\begin{Form}
\TextField[name=FullName,width=8cm]{Name:}\par
\CheckBox[name=Agree,width=1cm,height=1cm]{Agreed}
\end{Form}
\end{document}
"""


def producer(name: str, package: str) -> str:
    """The path of the tool ``name``; without it the test fails (``make test`` installs ``package``), so these
    real-world forms are never quietly left untested. Only an explicit REQUIRE_PRODUCERS=0 skips instead."""
    found = shutil.which(name)
    if found:
        return found
    if os.environ.get("REQUIRE_PRODUCERS", "1") != "0":
        pytest.fail(f"{name} is not installed (apt-get install {package}); REQUIRE_PRODUCERS=0 skips these tests")
    pytest.skip(f"REQUIRE_PRODUCERS=0 and {name} is not installed (apt-get install {package})")


def libreoffice_form(folder: Path) -> bytes:
    """A form exported by LibreOffice Writer (an HTML form opened in Writer, exported with its form fields)."""
    soffice = producer("soffice", "libreoffice-writer-nogui")
    source = folder / "form.html"
    source.write_text(FORM_HTML, encoding="utf-8")
    profile = f"-env:UserInstallation=file://{folder / 'profile'}"  # its own profile: tests may run side by side
    command = [soffice, profile, "--headless", "--convert-to", "pdf:writer_pdf_Export", "--outdir", str(folder)]
    subprocess.run([*command, str(source)], check=True, capture_output=True, timeout=120)  # noqa: S603 - our file
    return (folder / "form.pdf").read_bytes()


def hyperref_form(folder: Path) -> bytes:
    """A form made by pdflatex with hyperref: a text field with no appearance, a checkbox without its check mark."""
    pdflatex = producer("pdflatex", "texlive-latex-base")
    (folder / "form.tex").write_text(FORM_TEX, encoding="utf-8")
    # Not check=True: without texlive-fonts-recommended, pdflatex misses ZapfDingbats' metrics (for the checkbox's
    # label), says so and still writes the form.
    command = [pdflatex, "-interaction=nonstopmode", "form.tex"]
    subprocess.run(command, check=False, capture_output=True, cwd=folder, timeout=120)  # noqa: S603 - our file
    if not (folder / "form.pdf").exists():
        pytest.fail("pdflatex wrote no form")
    return (folder / "form.pdf").read_bytes()


def filled(form: bytes, *, name: str, agree: bool, relation: str = "") -> bytes:
    """``form`` filled in as a viewer's user would: the text field's value, the checkbox's value and state, and
    (LibreOffice's form) the radio group's value, leaving its buttons' states to whoever draws them."""
    with pikepdf.open(io.BytesIO(form)) as pdf:
        for field in pdf.Root.AcroForm.Fields:
            if str(field.T) == "FullName":
                field.V = pikepdf.String(name)
            if str(field.T) == "Agree":
                state = pikepdf.Name("/Yes") if agree else pikepdf.Name("/Off")
                field.V = state
                field.AS = state
            if str(field.T) == "Relation" and relation:
                field.V = pikepdf.Name(f"/{relation}")
        buffer = io.BytesIO()
        pdf.save(buffer)
        return buffer.getvalue()


def signed_letter(*, hidden: bool = True) -> bytes:
    """A one-page letter signed with an Ink annotation, its first line highlighted, with a note (and its pop-up)
    and, if ``hidden``, a second, hidden Ink annotation that must never print."""
    with pikepdf.open(io.BytesIO(pdf_bytes(text="I support this request without reservation."))) as pdf:
        page = pdf.pages[0]
        annots = [
            _annotation(pdf, "/Ink", SIGNATURE_RECT, b"0 0 0.5 RG 6 w 5 10 m 60 70 l 110 15 l 150 65 l 195 20 l S"),
            _annotation(pdf, "/Highlight", HIGHLIGHT_RECT, b"/GS0 gs 1 0.85 0 rg 0 0 230 16 re f", multiply=True),
        ]
        x0, y0, x1, y1 = HIGHLIGHT_RECT
        annots[1].QuadPoints = [x0, y1, x1, y1, x0, y0, x1, y0]
        annots[1].C = [1, 0.85, 0]
        if hidden:
            annots.append(
                _annotation(pdf, "/Ink", HIDDEN_RECT, b"0 0 0 RG 8 w 5 5 m 195 75 l S", flags=4 | 2),
            )
        note = _annotation(pdf, "/Text", (560.0, 740.0, 580.0, 760.0), b"1 1 0 rg 0 0 20 20 re f")
        popup = pdf.make_indirect(
            pikepdf.Dictionary(Type=pikepdf.Name.Annot, Subtype=pikepdf.Name.Popup, Rect=[300, 600, 500, 700], F=4)
        )
        note.Popup = popup
        page.obj.Annots = pdf.make_indirect(pikepdf.Array([*annots, note, popup]))
        buffer = io.BytesIO()
        pdf.save(buffer)
        return buffer.getvalue()


def _annotation(
    pdf: pikepdf.Pdf,
    subtype: str,
    rect: tuple[float, float, float, float],
    drawing: bytes,
    *,
    flags: int = 4,
    multiply: bool = False,
) -> pikepdf.Dictionary:
    width, height = rect[2] - rect[0], rect[3] - rect[1]
    appearance = pdf.make_stream(
        drawing, Type=pikepdf.Name.XObject, Subtype=pikepdf.Name.Form, BBox=[0, 0, width, height]
    )
    if multiply:
        appearance.Resources = pikepdf.Dictionary(
            ExtGState=pikepdf.Dictionary(GS0=pikepdf.Dictionary(BM=pikepdf.Name.Multiply))
        )
    annot = pikepdf.Dictionary(
        Type=pikepdf.Name.Annot,
        Subtype=pikepdf.Name(subtype),
        Rect=list(rect),
        F=flags,
        AP=pikepdf.Dictionary(N=appearance),
    )
    if subtype == "/Ink":  # the stroke's points, which a viewer may redraw it from: here, roughly the drawing
        annot.InkList = [[rect[0], rect[1], rect[2], rect[3]]]
    return pdf.make_indirect(annot)
