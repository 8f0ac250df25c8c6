"""One submission, one exhibit: the same step form sent twice (a second click on Save during an upload, a browser
that resends the request) stores its file once and answers as the first send did."""

from typing import Any

from django.test import Client

from packets.models import Exhibit
from tests.builders import jpeg_bytes, make_packet, pdf_bytes, upload
from tests.parole_wizard.pages import messages_of, open_step, step_url


def _evidence_post(page: dict[str, Any], content: bytes) -> dict[str, Any]:
    return {
        **page,
        "evidence-file": upload("plan.pdf", content),
        "evidence-title": "Site safety plan",
        "evidence-kind": "plan",
        "wizard_action": "next",
    }


def test_the_evidence_step_sent_twice_stores_one_exhibit(logged_in_client: Client, user: Any) -> None:
    packet = make_packet(user)
    _response, page = open_step(logged_in_client, packet, "evidence")
    content = pdf_bytes()

    first = logged_in_client.post(step_url(packet, "evidence"), _evidence_post(page, content))
    second = logged_in_client.post(step_url(packet, "evidence"), _evidence_post(page, content), follow=True)

    assert first.status_code == 302
    assert second.redirect_chain[0] == (first.url, 302)
    assert Exhibit.objects.filter(packet=packet).count() == 1
    assert messages_of(second).count("Saved “Evidence”.") <= 1


def test_a_step_with_a_file_slot_sent_twice_keeps_one_passport_page_and_shows_no_conflict(
    logged_in_client: Client, user: Any
) -> None:
    packet = make_packet(user)
    _response, page = open_step(logged_in_client, packet, "beneficiary")

    def send() -> Any:
        data = {
            **page,
            "beneficiary-full_name": "Lucía",
            "beneficiary-passport_file": upload("passport.jpg", jpeg_bytes()),
            "wizard_action": "next",
        }
        return logged_in_client.post(step_url(packet, "beneficiary"), data)

    first, second = send(), send()

    assert (first.status_code, second.status_code) == (302, 302)
    assert second.url == first.url
    exhibit = Exhibit.objects.get(packet=packet)
    packet.refresh_from_db()
    assert packet.data["beneficiary"]["passport_exhibit_id"] == str(exhibit.pk)


def test_each_time_a_step_is_shown_its_form_carries_a_new_token(logged_in_client: Client, user: Any) -> None:
    packet = make_packet(user)

    _first, once = open_step(logged_in_client, packet, "evidence")
    _second, again = open_step(logged_in_client, packet, "evidence")

    assert len(once["evidence-form_token"]) == 32
    assert once["evidence-form_token"] != again["evidence-form_token"]


def test_a_form_shown_again_by_the_back_button_with_another_file_stores_that_file_too(
    logged_in_client: Client, user: Any
) -> None:
    packet = make_packet(user)
    _response, page = open_step(logged_in_client, packet, "evidence")

    logged_in_client.post(step_url(packet, "evidence"), _evidence_post(page, pdf_bytes(text="First plan")))
    logged_in_client.post(step_url(packet, "evidence"), _evidence_post(page, pdf_bytes(text="Second plan")))

    assert Exhibit.objects.filter(packet=packet).count() == 2


def test_two_forms_each_shown_once_store_the_same_file_twice_when_asked(logged_in_client: Client, user: Any) -> None:
    packet = make_packet(user)
    content = pdf_bytes()

    for _ in range(2):
        _response, page = open_step(logged_in_client, packet, "evidence")
        logged_in_client.post(step_url(packet, "evidence"), _evidence_post(page, content))

    assert Exhibit.objects.filter(packet=packet).count() == 2
