"""The packet PDF is in English, the filing language, whatever language the person uses the app in."""

from pathlib import Path
from typing import Any

import pytest
from django.urls import reverse

from packets.models import PacketVersion, RenderJob, RenderState
from tests.assembly.pdfread import page_texts, squash
from tests.builders import make_complete_packet
from tests.catalogue import install_catalogue

SPANISH = {
    "Status: %(state)s": "Estado: %(state)s",
    "Done": "Terminado",
    "Filing checklist": "Lista para presentar la solicitud",
    "To the reviewing officer:": "Al funcionario que revisa la solicitud:",
}


@pytest.fixture
def spanish(settings: Any, tmp_path: Path) -> None:
    install_catalogue(settings, tmp_path / "locale", "es", SPANISH)


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
