"""Two tabs (or two people) edit one step: changes to different questions both survive, only a real conflict asks."""

from typing import Any

from django.test import Client

from packets.content.merge import section_merge
from packets.models import Membership, Role, StepDraft
from tests.builders import make_packet, make_user
from tests.parole_wizard.pages import form_values, messages_of, open_step, step_url, submit_step


def _two_tabs(user: Any) -> tuple[Client, Client]:
    first, second = Client(), Client()
    first.force_login(user)
    second.force_login(user)
    return first, second


def test_changes_to_different_questions_of_one_step_in_two_tabs_are_both_saved_without_asking(user: Any) -> None:
    packet = make_packet(user, beneficiary={"full_name": "Lucía", "citizenship": "Chile"})
    first_tab, second_tab = _two_tabs(user)
    _response, first_page = open_step(first_tab, packet, "beneficiary")
    _response, second_page = open_step(second_tab, packet, "beneficiary")
    submit_step(first_tab, packet, "beneficiary", {"full_name": "Lucía Fernández Ortega"}, page=first_page)

    response = submit_step(second_tab, packet, "beneficiary", {"phone": "+56 9 1234 5678"}, page=second_page)

    assert response.status_code == 302
    assert response.url == step_url(packet, "requestor")
    packet.refresh_from_db()
    assert packet.data["beneficiary"]["full_name"] == "Lucía Fernández Ortega"  # the other tab's edit survives
    assert packet.data["beneficiary"]["phone"] == "+56 9 1234 5678"
    assert packet.data["beneficiary"]["citizenship"] == "Chile"
    assert any(message.startswith("Saved") for message in messages_of(second_tab.get(response.url)))
    assert not StepDraft.objects.exists()


def test_the_same_question_changed_in_both_tabs_is_the_only_one_shown_side_by_side(user: Any) -> None:
    packet = make_packet(user, beneficiary={"full_name": "Lucía", "citizenship": "Chile"})
    first_tab, second_tab = _two_tabs(user)
    _response, first_page = open_step(first_tab, packet, "beneficiary")
    _response, second_page = open_step(second_tab, packet, "beneficiary")
    submit_step(
        first_tab, packet, "beneficiary", {"full_name": "Lucía F. O.", "phone": "+56 9 1234 5678"}, page=first_page
    )
    packet.refresh_from_db()
    saved = packet.data

    response = submit_step(
        second_tab, packet, "beneficiary", {"full_name": "Lucy", "citizenship": "Peru"}, page=second_page
    )

    assert response.status_code == 409
    rows = response.context["rows"]
    assert [row["label"] for row in rows] == ["Full name"]
    assert (rows[0]["saved"], rows[0]["mine"]) == ("Lucía F. O.", "Lucy")
    assert set(response.context["already_merged"]) == {"Country of citizenship", "Phone number"}
    packet.refresh_from_db()
    assert packet.data == saved  # nothing saved until the person decides

    # The step now shows both tabs' answers merged, mine where both changed the same question.
    draft_response, draft_page = open_step(second_tab, packet, "beneficiary")
    assert "These answers are not saved yet" in draft_response.content.decode()
    assert draft_page["beneficiary-full_name"] == "Lucy"
    assert draft_page["beneficiary-citizenship"] == "Peru"
    assert draft_page["beneficiary-phone"] == "+56 9 1234 5678"

    submit_step(second_tab, packet, "beneficiary", {"full_name": "Lucía Fernández"}, page=draft_page)

    packet.refresh_from_db()
    assert packet.data["beneficiary"]["full_name"] == "Lucía Fernández"
    assert packet.data["beneficiary"]["citizenship"] == "Peru"
    assert packet.data["beneficiary"]["phone"] == "+56 9 1234 5678"


def test_a_list_changed_in_one_tab_and_a_question_in_the_other_are_both_saved(user: Any) -> None:
    packet = make_packet(user)
    first_tab, second_tab = _two_tabs(user)
    _response, first_page = open_step(first_tab, packet, "timeline")
    _response, second_page = open_step(second_tab, packet, "timeline")
    submit_step(first_tab, packet, "timeline", {"milestones-0-description": "Onboarding"}, page=first_page)

    response = submit_step(
        second_tab, packet, "timeline", {"entry_deadline_reason": "The school year starts in August."}, page=second_page
    )

    assert response.status_code == 302
    packet.refresh_from_db()
    assert [row["description"] for row in packet.data["timeline"]["milestones"]] == ["Onboarding"]
    assert packet.data["timeline"]["entry_deadline_reason"] == "The school year starts in August."


def test_a_list_changed_differently_in_both_tabs_is_one_conflict_showing_both_lists(user: Any) -> None:
    packet = make_packet(user, timeline={"milestones": [{"description": "Onboarding"}]})
    first_tab, second_tab = _two_tabs(user)
    _response, first_page = open_step(first_tab, packet, "timeline")
    _response, second_page = open_step(second_tab, packet, "timeline")
    submit_step(first_tab, packet, "timeline", {"milestones-1-description": "Triage training"}, page=first_page)

    response = submit_step(second_tab, packet, "timeline", {"milestones-0-DELETE": "on"}, page=second_page)

    assert response.status_code == 409
    [row] = response.context["rows"]
    assert row["label"] == "Milestones"
    assert "Onboarding" in row["saved"] and "Triage training" in row["saved"]
    assert row["mine"] == "—"
    packet.refresh_from_db()
    assert [row["description"] for row in packet.data["timeline"]["milestones"]] == ["Onboarding", "Triage training"]


def test_a_conflict_draft_never_replaces_a_save_made_after_it(user: Any) -> None:
    # A colleague (a draft is one person's: two tabs of one person share it) saves twice around my conflict.
    packet = make_packet(user, project={"title": "Safe Schools"})
    colleague = make_user("sam")
    Membership.objects.create(packet=packet, user=colleague, role=Role.EDITOR)
    first_tab, second_tab = Client(), Client()
    first_tab.force_login(colleague)
    second_tab.force_login(user)
    _response, first_page = open_step(first_tab, packet, "project")
    _response, second_page = open_step(second_tab, packet, "project")
    submit_step(first_tab, packet, "project", {"title": "Safe Schools 2027"}, page=first_page)
    assert submit_step(second_tab, packet, "project", {"title": "Safer Schools"}, page=second_page).status_code == 409
    # The first tab saves again while the second tab's conflict is still open.
    submit_step(first_tab, packet, "project", {"title": "Safe Schools for All"})

    response = second_tab.get(step_url(packet, "project"))

    assert response.status_code == 200
    assert response.context["rows"][0]["saved"] == "Safe Schools for All"  # shown side by side with the later save
    assert response.context["rows"][0]["mine"] == "Safer Schools"
    packet.refresh_from_db()
    assert packet.data["project"]["title"] == "Safe Schools for All"
    # Saving the draft as it stood is merged against the later save, never written over it unasked.
    stale_page = form_values(second_tab.get(step_url(packet, "project")))
    assert submit_step(second_tab, packet, "project", page=stale_page).status_code == 302
    packet.refresh_from_db()
    assert packet.data["project"]["title"] == "Safer Schools"  # chosen with the later save on the screen


def test_a_question_changed_the_same_way_on_both_sides_or_cleared_on_one_side_merges() -> None:
    base = {"title": "Safe Schools", "summary": "Repair", "urgency": "soon", "priorities": []}
    theirs = {"title": "Safe Schools 2027", "summary": "Repair", "urgency": "", "priorities": []}
    mine = {"title": "Safe Schools 2027", "summary": "", "urgency": "soon", "priorities": ["a"]}

    merged = section_merge(base=base, theirs=theirs, mine=mine)

    assert merged.conflicts == []
    assert merged.value == {"title": "Safe Schools 2027", "summary": "", "urgency": "", "priorities": ["a"]}


def test_without_the_revision_it_was_loaded_from_every_difference_is_a_conflict() -> None:
    merged = section_merge(base=None, theirs={"title": "A", "summary": "S"}, mine={"title": "B", "summary": "S"})

    assert merged.conflicts == ["title"]
