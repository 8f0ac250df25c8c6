"""The review page shows every answer with a way back to change it; finishing sends the user where work remains."""

import re
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from packets.models import Exhibit, Packet
from parole_wizard.steps import STEPS, StepState, step_state, steps_for
from tests.builders import make_complete_packet, make_packet
from tests.parole_wizard.pages import messages_of, step_url, submit_step


@pytest.fixture
def riverton(user: Any) -> Packet:
    return make_complete_packet(user)


def _review(client: Client, packet: Packet) -> Any:
    response = client.get(reverse("packet_review", kwargs={"packet_id": packet.pk}))
    assert response.status_code == 200
    return response


def _text(html: str) -> str:
    """The page as a reader sees it: tags dropped, entities decoded, white space collapsed."""
    from html import unescape

    return " ".join(unescape(re.sub(r"<[^>]+>", " ", html)).split())


def test_the_riverton_demo_packet_is_complete_in_every_step(riverton: Packet) -> None:
    content = riverton.content
    count = riverton.exhibits.count()

    states = {step.name: step_state(step, content, count)[0] for step in steps_for(content)}

    assert set(states.values()) == {StepState.COMPLETE}, states


def test_the_review_page_shows_every_answer(logged_in_client: Client, riverton: Packet) -> None:
    text = _text(_review(logged_in_client, riverton).content.decode())
    content = riverton.content
    assert "government_agency" not in text and "Government agency" in text

    for step in steps_for(content):
        assert str(step.title) in text
        if step.section is None:
            continue
        section = content.section(step.section)
        fields = step.form().fields
        for name in step.form.field_names:
            value = getattr(section, name)
            if value in (None, ""):
                continue
            shown = {True: "Yes", False: "No"}.get(value, str(value)) if isinstance(value, bool) else str(value)
            # Choices show their label, as the applicant chose them: "Government agency", not "government_agency".
            shown = str(dict(getattr(fields[name], "choices", None) or ()).get(shown, shown))
            assert " ".join(shown.split()) in text, f"{step.name}.{name}"
        for list_name in step.form.lists:
            for row in getattr(section, list_name):
                first_text = next(
                    str(getattr(row, field)) for field in type(row).model_fields if isinstance(getattr(row, field), str)
                )
                assert " ".join(first_text.split()) in text, f"{step.name}.{list_name}"


def test_the_review_page_names_each_uploaded_file_by_exhibit_letter(logged_in_client: Client, riverton: Packet) -> None:
    text = _text(_review(logged_in_client, riverton).content.decode())

    passport = Exhibit.objects.get(pk=riverton.content.beneficiary.passport_exhibit_id)
    letter = Exhibit.objects.get(pk=riverton.content.partners.items[0].letter_exhibit_id)
    assert f"Exhibit A — {passport.title} ({passport.page_count} p.)" in text
    assert f"— {letter.title} ({letter.page_count} p.)" in text
    assert "Not uploaded" not in text


def test_every_section_on_the_review_page_links_to_its_step(logged_in_client: Client, riverton: Packet) -> None:
    html = _review(logged_in_client, riverton).content.decode()

    for step in steps_for(riverton.content):
        assert f'href="{step_url(riverton, step.name)}">Change' in html, step.name


def test_the_review_page_leaves_out_the_organisation_step_when_it_does_not_apply(
    logged_in_client: Client, user: Any
) -> None:
    packet = make_packet(user, requestor={"requested_by": "self"})

    html = _review(logged_in_client, packet).content.decode()

    assert step_url(packet, "organisation") not in html
    assert step_url(packet, "requestor") in html


def test_the_review_page_of_an_empty_packet_shows_each_step_as_not_started(logged_in_client: Client, user: Any) -> None:
    packet = make_packet(user)

    response = _review(logged_in_client, packet)

    assert {section["state"] for section in response.context["sections"]} == {StepState.NOT_STARTED}
    assert "Not uploaded" in response.content.decode()


def test_a_changed_answer_appears_on_the_review_page(logged_in_client: Client, riverton: Packet) -> None:
    submit_step(logged_in_client, riverton, "project", {"title": "Safe Schools, revised"}, goto="review")

    assert "Safe Schools, revised" in _review(logged_in_client, riverton).content.decode()


# ── Finish ──────────────────────────────────────────────────────────────────────────────────────────────────────


def _finish(client: Client, packet: Packet) -> Any:
    return client.get(reverse("packet_finish", kwargs={"packet_id": packet.pk}), follow=True)


def test_finishing_a_complete_packet_goes_to_the_review_page(logged_in_client: Client, riverton: Packet) -> None:
    response = _finish(logged_in_client, riverton)

    assert response.redirect_chain[-1][0] == reverse("packet_review", kwargs={"packet_id": riverton.pk})
    assert "Every step is complete. Check your answers below." in messages_of(response)


def test_finishing_an_empty_packet_goes_to_the_first_step(logged_in_client: Client, user: Any) -> None:
    packet = make_packet(user)

    response = _finish(logged_in_client, packet)

    assert response.redirect_chain[-1][0] == step_url(packet, STEPS[0].name)
    assert any("still needs work" in message for message in messages_of(response))


def test_finishing_goes_to_the_first_incomplete_step(logged_in_client: Client, riverton: Packet) -> None:
    # Empty one answer the reviewer needs in "Logistics" and one in "Risk": finish points at the earlier one.
    submit_step(logged_in_client, riverton, "risk", {"security": ""})
    submit_step(logged_in_client, riverton, "logistics", {"housing": ""})

    response = _finish(logged_in_client, riverton)

    assert response.redirect_chain[-1][0] == step_url(riverton, "logistics")
    assert "“Logistics, supervision and money” still needs work before the packet is complete." in messages_of(response)


def test_an_incomplete_organisation_step_counts_only_while_an_organisation_files(
    logged_in_client: Client, riverton: Packet
) -> None:
    assert riverton.content.requestor.requested_by == "organisation"
    submit_step(logged_in_client, riverton, "organisation", {"contact_name": ""})
    assert _finish(logged_in_client, riverton).redirect_chain[-1][0] == step_url(riverton, "organisation")

    submit_step(logged_in_client, riverton, "requestor", {"requested_by": "self"})
    assert _finish(logged_in_client, riverton).redirect_chain[-1][0] == reverse(
        "packet_review", kwargs={"packet_id": riverton.pk}
    )

    submit_step(logged_in_client, riverton, "requestor", {"requested_by": "organisation"})
    assert _finish(logged_in_client, riverton).redirect_chain[-1][0] == step_url(riverton, "organisation")


def test_the_last_step_leads_to_the_finish_check_and_then_to_review(logged_in_client: Client, riverton: Packet) -> None:
    response = submit_step(logged_in_client, riverton, "evidence")

    assert response.url == reverse("packet_finish", kwargs={"packet_id": riverton.pk})
    assert logged_in_client.get(response.url).url == reverse("packet_review", kwargs={"packet_id": riverton.pk})
