"""At upload: what a person added to a PDF on screen is counted and said in plain words (it is printed, nothing is
refused for it); a PDF holding an image far too large to print is refused."""

import io
import zlib
from pathlib import Path
from typing import Any

import pikepdf
import pytest
from django.test import Client

from packets.assembly.markup import MarkupFound
from packets.evidence.uploads import UploadRejected, inspect_upload
from packets.models import Exhibit
from tests.assembly.markup_pdfs import filled, hyperref_form, signed_letter
from tests.builders import make_packet, pdf_bytes, upload
from tests.parole_wizard.pages import messages_of, open_step, step_url


def _inspect(name: str, data: bytes) -> Any:
    return inspect_upload(io.BytesIO(data), size=len(data), name=name)


def _pdf_with_image(width: int, height: int, *, inside_form: bool = False) -> bytes:
    """A small PDF whose one image declares ``width`` × ``height`` pixels (its data is a few bytes of Flate)."""
    with pikepdf.new() as pdf:
        image = pdf.make_stream(
            zlib.compress(b"\0" * 4096),
            Type=pikepdf.Name.XObject,
            Subtype=pikepdf.Name.Image,
            Width=width,
            Height=height,
            ColorSpace=pikepdf.Name.DeviceGray,
            BitsPerComponent=8,
            Filter=pikepdf.Name.FlateDecode,
        )
        page = pdf.add_blank_page(page_size=(612, 792))
        xobject, name = image, "/Im0"
        if inside_form:  # the image drawn by a form XObject the page draws
            xobject = pdf.make_stream(
                b"q 500 0 0 700 0 0 cm /Im0 Do Q",
                Type=pikepdf.Name.XObject,
                Subtype=pikepdf.Name.Form,
                BBox=[0, 0, 612, 792],
                Resources=pikepdf.Dictionary(XObject=pikepdf.Dictionary(Im0=image)),
            )
            name = "/Fm0"
        page.obj.Resources = pikepdf.Dictionary(XObject=pikepdf.Dictionary({name: xobject}))
        page.obj.Contents = pdf.make_stream(f"q 1 0 0 1 0 0 cm {name} Do Q".encode())
        buffer = io.BytesIO()
        pdf.save(buffer)
        return buffer.getvalue()


def test_a_signed_and_highlighted_letter_is_counted_without_what_is_hidden() -> None:
    inspected = _inspect("letter.pdf", signed_letter())

    # The Ink signature; the highlight and the note (its pop-up window and the hidden Ink annotation do not count).
    assert inspected.markup == MarkupFound(filled_fields=0, signatures=1, comments=2)


def test_a_filled_in_form_is_counted_and_an_empty_one_is_not(tmp_path: Path) -> None:
    form = hyperref_form(tmp_path)

    assert _inspect("form.pdf", form).markup == MarkupFound()
    assert _inspect("form.pdf", filled(form, name="Amina Haddad", agree=True)).markup.filled_fields == 2
    assert _inspect("form.pdf", filled(form, name="Amina Haddad", agree=False)).markup.filled_fields == 1


def test_a_plain_pdf_has_nothing_added() -> None:
    assert not _inspect("plain.pdf", pdf_bytes()).markup


@pytest.mark.parametrize("inside_form", [False, True], ids=["on the page", "inside a form XObject"])
def test_a_pdf_with_a_100000_pixel_square_image_is_refused_in_plain_words(inside_form: bool) -> None:
    with pytest.raises(UploadRejected) as refused:
        _inspect("huge.pdf", _pdf_with_image(100_000, 100_000, inside_form=inside_form))

    assert str(refused.value) == (
        "The PDF “huge.pdf” holds an image far too large to print (100,000 × 100,000 pixels). Scan the document "
        "again at 300 dpi or less, or print it to PDF, and upload the copy."
    )


def test_a_pdf_with_an_ordinary_scan_sized_image_is_accepted() -> None:
    assert _inspect("scan.pdf", _pdf_with_image(64, 64)).page_count == 1


def _add_evidence(client: Client, packet: Any, name: str, data: bytes) -> Any:
    _response, page = open_step(client, packet, "evidence")
    form = {**page, "evidence-title": "Letter of support", "evidence-kind": "other", "wizard_action": "next"}
    return client.post(step_url(packet, "evidence"), {**form, "evidence-file": upload(name, data)}, follow=True)


def test_the_evidence_step_says_what_was_found_and_that_it_prints(logged_in_client: Client, user: Any) -> None:
    packet = make_packet(user)

    response = _add_evidence(logged_in_client, packet, "signed letter.pdf", signed_letter())

    assert (
        "The file “signed letter.pdf” has a signature and 2 comments and highlights. They will be printed in the "
        "packet as they appear on screen."
    ) in messages_of(response)
    exhibit = Exhibit.objects.get(packet=packet)
    assert exhibit.markup == {"filled_fields": 0, "signatures": 1, "comments": 2}
    page = logged_in_client.get(step_url(packet, "evidence")).content.decode()
    assert "Printed with a signature and 2 comments and highlights." in page


def test_a_filled_in_form_is_announced_with_one_sentence(logged_in_client: Client, user: Any, tmp_path: Path) -> None:
    packet = make_packet(user)
    form = filled(hyperref_form(tmp_path), name="Amina Haddad", agree=True)

    response = _add_evidence(logged_in_client, packet, "form.pdf", form)

    assert (
        "The file “form.pdf” has a filled-in form. It will be printed in the packet as it appears on screen."
    ) in messages_of(response)


def test_a_plain_upload_says_only_that_it_was_saved(logged_in_client: Client, user: Any) -> None:
    packet = make_packet(user)

    response = _add_evidence(logged_in_client, packet, "plain.pdf", pdf_bytes())

    assert not [message for message in messages_of(response) if "printed in the packet" in message]
    assert Exhibit.objects.get(packet=packet).printed_markup == ""


def test_an_exhibit_stored_before_markup_was_counted_says_nothing_about_it(user: Any) -> None:
    assert Exhibit(markup={}).printed_markup == ""
    assert Exhibit(markup={"signatures": "many"}).printed_markup == ""  # not a count we understand
