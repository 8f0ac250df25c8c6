""" "Add another" entry without saving first, and without JavaScript: a submit button that adds an empty entry on the
server and shows the step again with everything typed."""

from typing import Any

from django.test import Client

from packets.models import StepDraft
from tests.builders import make_packet
from tests.parole_wizard.pages import messages_of, open_step, step_url


def _press_add_another(client: Client, page: dict[str, Any], packet: Any, step: str, rows: str, **typed: str) -> Any:
    data = {**page, **{f"{step}-{name}": value for name, value in typed.items()}, "wizard_add_row": rows}
    return client.post(step_url(packet, step), data)


def test_add_another_shows_one_more_empty_entry_and_keeps_everything_typed_unsaved(
    logged_in_client: Client, user: Any
) -> None:
    packet = make_packet(user)
    _response, page = open_step(logged_in_client, packet, "timeline")
    assert page["timeline-milestones-TOTAL_FORMS"] == "1"

    response = _press_add_another(
        logged_in_client,
        page,
        packet,
        "timeline",
        "milestones",
        **{"milestones-0-description": "Onboarding", "entry_deadline_reason": "School starts in August."},
    )

    assert response.status_code == 302
    assert response.url == step_url(packet, "timeline") + "#rows-milestones"
    shown = logged_in_client.get(response.url)
    assert any("An empty entry was added" in message for message in messages_of(shown))
    again, page = open_step(logged_in_client, packet, "timeline")
    assert page["timeline-milestones-TOTAL_FORMS"] == "2"
    assert page["timeline-milestones-0-description"] == "Onboarding"
    assert page["timeline-milestones-1-description"] == ""
    assert page["timeline-entry_deadline_reason"] == "School starts in August."
    assert "These answers are not saved yet" in again.content.decode()
    packet.refresh_from_db()
    assert packet.data["timeline"]["milestones"] == []  # nothing saved by adding an entry


def test_entries_added_one_after_another_are_all_saved_with_one_save(logged_in_client: Client, user: Any) -> None:
    packet = make_packet(user)
    _response, page = open_step(logged_in_client, packet, "timeline")
    _press_add_another(logged_in_client, page, packet, "timeline", "milestones", **{"milestones-0-description": "A"})
    _response, page = open_step(logged_in_client, packet, "timeline")
    _press_add_another(logged_in_client, page, packet, "timeline", "milestones", **{"milestones-1-description": "B"})
    _response, page = open_step(logged_in_client, packet, "timeline")
    assert page["timeline-milestones-TOTAL_FORMS"] == "3"

    response = logged_in_client.post(
        step_url(packet, "timeline"), {**page, "timeline-milestones-2-description": "C", "wizard_action": "next"}
    )

    assert response.status_code == 302
    packet.refresh_from_db()
    assert [row["description"] for row in packet.data["timeline"]["milestones"]] == ["A", "B", "C"]
    assert not StepDraft.objects.exists()


def test_every_repeated_entry_list_has_an_add_another_button(logged_in_client: Client, user: Any) -> None:
    packet = make_packet(user)
    for step, rows, label in [
        ("beneficiary", "prior_trips", "Add another trip"),
        ("timeline", "milestones", "Add another milestone"),
        ("partners", "items", "Add another partner"),
    ]:
        html = logged_in_client.get(step_url(packet, step)).content.decode()
        assert f'name="wizard_add_row" value="{rows}"' in html
        assert label in html


def test_add_another_on_a_list_the_step_does_not_have_is_an_ordinary_save(logged_in_client: Client, user: Any) -> None:
    packet = make_packet(user)
    _response, page = open_step(logged_in_client, packet, "project")

    response = logged_in_client.post(
        step_url(packet, "project"), {**page, "project-title": "Safe Schools", "wizard_add_row": "milestones"}
    )

    assert response.status_code == 302
    packet.refresh_from_db()
    assert packet.data["project"]["title"] == "Safe Schools"
