"""The packet PDF is in English, the filing language, whatever language the person uses the app in."""

import shutil
import subprocess
from pathlib import Path
from typing import Any

import pytest
from django.urls import reverse

from packets.models import PacketVersion, RenderJob, RenderState
from tests.assembly.pdfread import page_texts, squash
from tests.builders import make_complete_packet

SPANISH = {
    "Status: %(state)s": "Estado: %(state)s",
    "Done": "Terminado",
    "Filing checklist": "Lista para presentar la solicitud",
    "To the reviewing officer:": "Al funcionario que revisa la solicitud:",
}


def _quoted(text: str) -> str:
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'


@pytest.fixture
def spanish(settings: Any, tmp_path: Path) -> None:
    """A small Spanish catalogue, compiled with GNU gettext, and Spanish among the languages a request may choose."""
    msgfmt = shutil.which("msgfmt")
    if msgfmt is None:
        pytest.fail("msgfmt is not installed: apt-get install gettext")
    folder = tmp_path / "locale" / "es" / "LC_MESSAGES"
    folder.mkdir(parents=True)
    entries = [f"msgid {_quoted(english)}\nmsgstr {_quoted(spanish)}\n" for english, spanish in SPANISH.items()]
    header = 'msgid ""\nmsgstr ""\n"Content-Type: text/plain; charset=UTF-8\\n"\n'
    (folder / "django.po").write_text("\n".join([header, *entries]), encoding="utf-8")
    subprocess.run([msgfmt, "-o", str(folder / "django.mo"), str(folder / "django.po")], check=True)  # noqa: S603
    # Changing these settings makes Django forget the catalogues it loaded (django.test.signals).
    settings.LOCALE_PATHS = [tmp_path / "locale"]
    settings.LANGUAGES = [("en", "English"), ("es", "Español")]


def test_a_render_started_in_spanish_prints_the_packet_in_english(spanish, logged_in_client, user) -> None:
    packet = make_complete_packet(user)
    response = logged_in_client.post(reverse("packet_render", args=[packet.pk]), HTTP_ACCEPT_LANGUAGE="es", follow=True)
    # The request that started the render (the immediate task backend runs it there) was in Spanish...
    assert RenderJob.objects.get(packet=packet).state == RenderState.DONE
    assert "Estado: Terminado" in response.content.decode()
    # ...and the packet it printed is in English.
    with PacketVersion.objects.get(packet=packet).pdf.open("rb") as handle:
        text = squash(" ".join(page_texts(handle.read())))
    assert "Filing checklist" in text and "To the reviewing officer:" in text
    assert "Lista para presentar" not in text and "Al funcionario" not in text
