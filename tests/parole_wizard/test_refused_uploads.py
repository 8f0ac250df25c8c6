"""A refused upload explains why on the step whatever button was pressed, and the step is never reported "saved"."""

from typing import Any

import pytest
from django.test import Client

from tests.builders import make_packet, upload
from tests.parole_wizard.pages import messages_of, open_step, step_url


@pytest.mark.parametrize(
    "button",
    [{"wizard_action": "previous"}, {"wizard_goto_step": "timeline"}, {"wizard_goto_step": "review"}, {}],
    ids=["previous", "task list link", "review link", "save and continue"],
)
def test_a_refused_cv_file_is_explained_on_the_step_whatever_button_was_pressed(
    button: dict[str, str], logged_in_client: Client, user: Any
) -> None:
    packet = make_packet(user)
    _response, page = open_step(logged_in_client, packet, "qualifications")
    refused = upload("cv.pdf", b"this is not a PDF at all", "application/pdf")

    response = logged_in_client.post(
        step_url(packet, "qualifications"),
        {**page, "qualifications-skills": "Structural engineering", "qualifications-cv_file": refused, **button},
    )

    assert response.status_code == 400  # the step again, not the next page
    html = response.content.decode()
    assert "There is a problem" in html
    assert any("PDF" in message or "file" in message for _anchor, message in response.context["errors"])
    assert not any(message.startswith("Saved") for message in messages_of(response))
    assert "qualifications-skills" in html and "Structural engineering" in html  # what was typed is still there
    packet.refresh_from_db()
    assert packet.data["qualifications"]["cv_exhibit_id"] is None
    assert not packet.exhibits.exists()
