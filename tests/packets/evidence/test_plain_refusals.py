"""A refused upload says what is wrong with the file and what to do, in plain words: never the parsers' own
("content stream object 4 0: errors while decoding…", pikepdf, qpdf, Pillow), whatever the file holds."""

import io
import re

import pikepdf
import pytest
from django.test import Client

from packets.evidence.uploads import UploadRejected, inspect_upload
from tests.builders import make_packet, pdf_bytes, upload
from tests.fuzz.harness import attack_samples, mutated_samples
from tests.parole_wizard.pages import open_step, step_url

# What a parser's message is made of, and no sentence of ours.
INTERNALS = re.compile(
    r"pikepdf|qpdf|Traceback|stream|xref|trailer|object \d|\d+ \d+ R\b|offset|0x[0-9a-f]|Error\b|PIL\b|Pillow"
    r"|libjpeg|zlib|decod|Errno|\.py\b|line \d|/[A-Z][a-z]+",
)


def _hostile_files() -> list[tuple[str, bytes]]:
    damaged_stream = pdf_bytes().replace(
        b"/Filter /FlateDecode", b"/Filter /FlateDecode /DecodeParms << /Predictor 99 >>"
    )
    return [
        *((sample.name, sample.data) for sample in attack_samples(big=False)),
        *((sample.name, sample.data) for sample in mutated_samples(45, seed=15)),
        ("damaged-stream.pdf", damaged_stream),
        ("damaged-page.pdf", _pdf_with_a_damaged_page_content()),
    ]


def _refusal(name: str, data: bytes) -> str | None:
    try:
        inspect_upload(io.BytesIO(data), size=len(data), name=name)
    except UploadRejected as refused:
        return str(refused)
    return None


@pytest.mark.django_db
def test_no_refusal_of_a_hostile_or_damaged_file_shows_the_parsers_words(settings: object) -> None:
    settings.INSPECT_CPU_SECONDS = 5  # type: ignore[attr-defined]  # a file that must be killed costs seconds
    settings.INSPECT_WALL_SECONDS = 10  # type: ignore[attr-defined]
    refusals = {name: _refusal(name, data) for name, data in _hostile_files()}
    said = {name: words for name, words in refusals.items() if words}

    assert len(said) >= 20  # the samples do reach the refusals
    leaks = {name: words for name, words in said.items() if INTERNALS.search(words.replace(name, ""))}
    assert leaks == {}


def _pdf_with_a_damaged_page_content() -> bytes:
    """A PDF that opens and counts its pages, whose page content does not inflate: qpdf says "content stream object
    5 0: errors while decoding content stream" when the page is drawn."""
    with pikepdf.open(io.BytesIO(pdf_bytes())) as pdf:
        contents = pdf.pages[0].obj.Contents
        raw = bytearray(contents.read_raw_bytes())
        for index in range(10, min(len(raw), 400)):
            raw[index] ^= 0x5A
        contents.write(bytes(raw), filter=contents.get("/Filter"))
        buffer = io.BytesIO()
        pdf.save(buffer)
    return buffer.getvalue()


def test_a_pdf_whose_page_cannot_be_read_is_refused_with_what_is_wrong_and_what_to_do() -> None:
    words = _refusal("letter.pdf", _pdf_with_a_damaged_page_content())

    assert words == (
        "The PDF “letter.pdf” is damaged: part of a page could not be read. Open it and save or print it again as "
        "PDF, then upload that file."
    )


def test_the_evidence_step_explains_a_damaged_file_in_plain_words(logged_in_client: Client, user: object) -> None:
    packet = make_packet(user)
    _response, page = open_step(logged_in_client, packet, "evidence")
    broken = pdf_bytes()[:-400]

    response = logged_in_client.post(
        step_url(packet, "evidence"),
        {
            **page,
            "evidence-file": upload("plan.pdf", broken),
            "evidence-title": "Plan",
            "evidence-kind": "plan",
            "wizard_action": "next",
        },
    )

    assert response.status_code == 400
    html = response.content.decode()
    assert "The PDF “plan.pdf” is damaged" in html
    assert "Traceback" not in html and "pikepdf" not in html
