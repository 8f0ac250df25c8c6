"""Nothing typed is lost: not by logging out, an expired session, two tabs, the back button, or a colleague's edit."""

from typing import Any

from django.contrib.sessions.models import Session
from django.test import Client
from django.urls import reverse

from tests.builders import make_packet, make_user
from tests.parole_wizard.pages import form_values, messages_of, open_step, step_url, submit_step


def _log_in_through_the_form(client: Client) -> None:
    # The real login form (django-axes watches it), with the password make_user gives "ana".
    response = client.post(reverse("login"), {"login": "ana", "password": "correct horse battery"})
    assert response.status_code == 302, response.status_code


def test_it_keeps_step_data_after_logout_and_login(client: Client, user: Any) -> None:
    packet = make_packet(user)
    _log_in_through_the_form(client)
    submit_step(client, packet, "beneficiary", {"full_name": "Lucía Fernández Ortega", "citizenship": "Chile"})

    client.post(reverse("logout"))
    assert client.get(step_url(packet, "beneficiary")).status_code == 302  # to the login page
    _log_in_through_the_form(client)

    _response, page = open_step(client, packet, "beneficiary")
    assert page["beneficiary-full_name"] == "Lucía Fernández Ortega"
    assert page["beneficiary-citizenship"] == "Chile"


def test_it_keeps_step_data_when_the_session_expires(client: Client, user: Any) -> None:
    packet = make_packet(user)
    _log_in_through_the_form(client)
    submit_step(client, packet, "project", {"title": "Safe Schools"})

    Session.objects.all().delete()  # what expiry does on the server side
    response = client.get(step_url(packet, "project"))
    assert response.status_code == 302
    assert response.url.startswith(reverse("login"))
    _log_in_through_the_form(client)

    _response, page = open_step(client, packet, "project")
    assert page["project-title"] == "Safe Schools"


def test_two_tabs_on_the_same_packet_editing_different_steps_both_save(client: Client, user: Any) -> None:
    packet = make_packet(user)
    client.force_login(user)
    # Both tabs open their step before either saves: they carry the same (then stale) revision.
    _response, beneficiary_tab = open_step(client, packet, "beneficiary")
    _response, project_tab = open_step(client, packet, "project")

    first = submit_step(client, packet, "beneficiary", {"full_name": "Lucía"}, page=beneficiary_tab)
    second = submit_step(client, packet, "project", {"title": "Safe Schools"}, page=project_tab)

    assert first.status_code == second.status_code == 302
    packet.refresh_from_db()
    assert packet.data["beneficiary"]["full_name"] == "Lucía"
    assert packet.data["project"]["title"] == "Safe Schools"


def test_two_people_on_the_same_packet_editing_different_steps_both_save(user: Any) -> None:
    from packets.models import Membership, Role

    counsel = make_user("priya")
    packet = make_packet(user)
    Membership.objects.create(packet=packet, user=counsel, role=Role.COUNSEL)
    applicant, lawyer = Client(), Client()
    applicant.force_login(user)
    lawyer.force_login(counsel)
    _response, applicant_tab = open_step(applicant, packet, "beneficiary")
    _response, lawyer_tab = open_step(lawyer, packet, "requestor")

    submit_step(applicant, packet, "beneficiary", {"full_name": "Lucía"}, page=applicant_tab)
    submit_step(lawyer, packet, "requestor", {"counsel_name": "Priya Raman"}, page=lawyer_tab)

    packet.refresh_from_db()
    assert packet.data["beneficiary"]["full_name"] == "Lucía"
    assert packet.data["requestor"]["counsel_name"] == "Priya Raman"


def test_two_tabs_on_different_packets_never_mix_data(client: Client, user: Any) -> None:
    riverton = make_packet(user, name="Riverton")
    salem = make_packet(user, name="Salem")
    client.force_login(user)
    _response, riverton_tab = open_step(client, riverton, "beneficiary")
    _response, salem_tab = open_step(client, salem, "beneficiary")

    submit_step(client, riverton, "beneficiary", {"full_name": "Lucía"}, page=riverton_tab)
    submit_step(client, salem, "beneficiary", {"full_name": "Tomás"}, page=salem_tab)
    # An unsaved draft in one packet stays there too.
    submit_step(client, salem, "requestor", {"counsel_email": "not an email"}, action="previous")

    riverton.refresh_from_db()
    salem.refresh_from_db()
    assert riverton.data["beneficiary"]["full_name"] == "Lucía"
    assert salem.data["beneficiary"]["full_name"] == "Tomás"
    _response, page = open_step(client, riverton, "requestor")
    assert page["requestor-counsel_email"] == ""
    _response, page = open_step(client, salem, "requestor")
    assert page["requestor-counsel_email"] == "not an email"


def test_previous_with_invalid_input_keeps_what_was_typed_and_shows_it_again(client: Client, user: Any) -> None:
    packet = make_packet(user, requestor={"counsel_name": "Priya Raman"})
    client.force_login(user)

    response = submit_step(
        client,
        packet,
        "requestor",
        {"counsel_name": "Priya Raman, Esq.", "counsel_email": "praman@"},
        action="previous",
    )

    assert response.url == step_url(packet, "beneficiary")
    assert any("kept but not saved" in message for message in messages_of(client.get(response.url)))
    packet.refresh_from_db()
    assert packet.data["requestor"]["counsel_name"] == "Priya Raman"  # nothing malformed was saved
    page_response, page = open_step(client, packet, "requestor")
    assert page["requestor-counsel_name"] == "Priya Raman, Esq."
    assert page["requestor-counsel_email"] == "praman@"
    html = page_response.content.decode()
    assert "These answers are not saved yet" in html
    assert "Enter an email address like name@example.org." in html

    # Correcting it and saving stores the draft's answers and clears the draft.
    submit_step(client, packet, "requestor", {"counsel_email": "praman@ramanlaw.example.com"}, page=page)
    packet.refresh_from_db()
    assert packet.data["requestor"]["counsel_name"] == "Priya Raman, Esq."
    assert packet.data["requestor"]["counsel_email"] == "praman@ramanlaw.example.com"
    _response, page = open_step(client, packet, "requestor")
    assert "These answers are not saved yet" not in _response.content.decode()


def test_a_jump_from_the_task_list_with_invalid_input_keeps_a_draft(client: Client, user: Any) -> None:
    packet = make_packet(user)
    client.force_login(user)

    response = submit_step(client, packet, "beneficiary", {"full_name": "Lucía", "phone": "call me"}, goto="timeline")

    assert response.url == step_url(packet, "timeline")
    _response, page = open_step(client, packet, "beneficiary")
    assert page["beneficiary-full_name"] == "Lucía"
    assert page["beneficiary-phone"] == "call me"


def test_discarding_a_draft_shows_the_saved_answers_again(client: Client, user: Any) -> None:
    packet = make_packet(user, beneficiary={"full_name": "Lucía"})
    client.force_login(user)
    submit_step(client, packet, "beneficiary", {"full_name": "Lucy", "phone": "call me"}, goto="timeline")

    response = client.get(step_url(packet, "beneficiary") + "?discard_draft=1")

    assert form_values(response)["beneficiary-full_name"] == "Lucía"


def test_invalid_input_on_next_is_shown_with_errors_and_nothing_is_saved(client: Client, user: Any) -> None:
    packet = make_packet(user, beneficiary={"full_name": "Lucía"})
    client.force_login(user)

    response = submit_step(client, packet, "beneficiary", {"full_name": "Lucy", "email": "lucy"})

    assert response.status_code == 400
    assert form_values(response)["beneficiary-full_name"] == "Lucy"  # what was typed is still on the page
    packet.refresh_from_db()
    assert packet.data["beneficiary"]["full_name"] == "Lucía"


def test_the_back_button_and_refresh_never_reset_saved_data(client: Client, user: Any) -> None:
    packet = make_packet(user)
    client.force_login(user)
    submit_step(client, packet, "beneficiary", {"full_name": "Lucía"})
    submit_step(client, packet, "requestor", {"requested_by": "self"})
    packet.refresh_from_db()
    saved, revision = packet.data, packet.revision

    # Back to the first step, refresh it twice, forward again, open the task list and the review page.
    for url in (
        step_url(packet, "beneficiary"),
        step_url(packet, "beneficiary"),
        step_url(packet, "requestor"),
        reverse("packet_detail", kwargs={"packet_id": packet.pk}),
        reverse("packet_review", kwargs={"packet_id": packet.pk}),
        reverse("dashboard"),
    ):
        assert client.get(url).status_code == 200

    packet.refresh_from_db()
    assert packet.data == saved
    assert packet.revision == revision
    _response, page = open_step(client, packet, "beneficiary")
    assert page["beneficiary-full_name"] == "Lucía"


def test_resubmitting_an_old_page_with_the_same_answers_is_not_a_conflict(client: Client, user: Any) -> None:
    # The back button followed by "Save" again: the answers equal what is saved, so nothing to reconcile.
    packet = make_packet(user)
    client.force_login(user)
    _response, page = open_step(client, packet, "project")
    submit_step(client, packet, "project", {"title": "Safe Schools"}, page=page)

    response = submit_step(client, packet, "project", {"title": "Safe Schools"}, page=page)

    assert response.status_code == 302


def test_a_stale_edit_of_the_same_section_is_refused_showing_both_versions(user: Any) -> None:
    packet = make_packet(user, beneficiary={"full_name": "Lucía", "citizenship": "Chile"})
    first_tab, second_tab = Client(), Client()
    first_tab.force_login(user)
    second_tab.force_login(user)
    _response, first_page = open_step(first_tab, packet, "beneficiary")
    _response, second_page = open_step(second_tab, packet, "beneficiary")
    submit_step(first_tab, packet, "beneficiary", {"full_name": "Lucía Fernández Ortega"}, page=first_page)
    packet.refresh_from_db()
    saved = packet.data

    response = submit_step(second_tab, packet, "beneficiary", {"full_name": "Lucy Fernandez"}, page=second_page)

    assert response.status_code == 409
    html = response.content.decode()
    assert "Lucía Fernández Ortega" in html
    assert "Lucy Fernandez" in html
    assert "differs" in html
    packet.refresh_from_db()
    assert packet.data == saved  # nothing overwritten


def test_after_a_conflict_the_user_can_edit_their_version_and_save_it(user: Any) -> None:
    packet = make_packet(user, beneficiary={"full_name": "Lucía"})
    first_tab, second_tab = Client(), Client()
    first_tab.force_login(user)
    second_tab.force_login(user)
    _response, first_page = open_step(first_tab, packet, "beneficiary")
    _response, second_page = open_step(second_tab, packet, "beneficiary")
    submit_step(first_tab, packet, "beneficiary", {"full_name": "Lucía Fernández Ortega"}, page=first_page)
    conflict = submit_step(
        second_tab, packet, "beneficiary", {"full_name": "Lucy", "citizenship": "Chile"}, page=second_page
    )
    assert conflict.status_code == 409

    # "Merge: edit my version": the step shows my answers, based on the latest revision.
    draft_response, draft_page = open_step(second_tab, packet, "beneficiary")
    assert "These answers are not saved yet" in draft_response.content.decode()
    assert draft_page["beneficiary-full_name"] == "Lucy"
    assert draft_page["beneficiary-citizenship"] == "Chile"
    packet.refresh_from_db()
    assert draft_page["beneficiary-revision"] == str(packet.revision)

    response = submit_step(second_tab, packet, "beneficiary", {"full_name": "Lucía Fernández Ortega"}, page=draft_page)

    assert response.status_code == 302
    packet.refresh_from_db()
    assert packet.data["beneficiary"]["full_name"] == "Lucía Fernández Ortega"
    assert packet.data["beneficiary"]["citizenship"] == "Chile"


def test_after_a_conflict_keeping_the_saved_version_drops_mine(user: Any) -> None:
    packet = make_packet(user, beneficiary={"full_name": "Lucía"})
    first_tab, second_tab = Client(), Client()
    first_tab.force_login(user)
    second_tab.force_login(user)
    _response, first_page = open_step(first_tab, packet, "beneficiary")
    _response, second_page = open_step(second_tab, packet, "beneficiary")
    submit_step(first_tab, packet, "beneficiary", {"full_name": "Lucía F."}, page=first_page)
    submit_step(second_tab, packet, "beneficiary", {"full_name": "Lucy"}, page=second_page)

    response = second_tab.get(step_url(packet, "beneficiary") + "?discard_draft=1")

    assert form_values(response)["beneficiary-full_name"] == "Lucía F."
    packet.refresh_from_db()
    assert packet.data["beneficiary"]["full_name"] == "Lucía F."


def test_a_stale_edit_of_a_list_shows_both_versions_of_the_rows(user: Any) -> None:
    packet = make_packet(user)
    first_tab, second_tab = Client(), Client()
    first_tab.force_login(user)
    second_tab.force_login(user)
    _response, first_page = open_step(first_tab, packet, "timeline")
    _response, second_page = open_step(second_tab, packet, "timeline")
    submit_step(first_tab, packet, "timeline", {"milestones-0-description": "Onboarding"}, page=first_page)

    response = submit_step(second_tab, packet, "timeline", {"milestones-0-description": "Triage"}, page=second_page)

    assert response.status_code == 409
    html = response.content.decode()
    assert "Onboarding" in html
    assert "Triage" in html
    packet.refresh_from_db()
    assert [row["description"] for row in packet.data["timeline"]["milestones"]] == ["Onboarding"]


def test_answers_sent_after_the_session_expired_are_kept_through_login_as_a_draft(client: Client, user: Any) -> None:
    packet = make_packet(user, project={"title": "Safe Schools"})
    _log_in_through_the_form(client)
    _response, page = open_step(client, packet, "project")
    Session.objects.all().delete()  # the session expires while the user types a long answer

    typed = "Six thousand eight hundred students in fourteen buildings. " * 20
    response = client.post(
        step_url(packet, "project"), {**page, "project-public_benefit": typed, "wizard_action": "next"}
    )

    assert response.status_code == 302
    assert response.url.startswith(reverse("login"))
    login = client.post(response.url, {"login": "ana", "password": "correct horse battery"})
    assert login.url == step_url(packet, "project")
    step_page = client.get(login.url)
    assert "These answers are not saved yet" in step_page.content.decode()
    assert form_values(step_page)["project-public_benefit"].strip() == typed.strip()
    packet.refresh_from_db()
    assert packet.data["project"]["public_benefit"] == ""  # nothing saved behind the user's back

    submit_step(client, packet, "project", page=form_values(step_page))

    packet.refresh_from_db()
    assert packet.data["project"]["public_benefit"] == typed.strip()
    assert packet.data["project"]["title"] == "Safe Schools"


def test_answers_kept_through_login_are_never_shown_to_someone_else(client: Client, user: Any) -> None:
    packet = make_packet(user)
    stranger = make_user("mallory", password="another correct horse")
    client.post(step_url(packet, "project"), {"project-title": "Planted", "wizard_action": "next"})

    client.post(reverse("login"), {"login": "mallory", "password": "another correct horse"})

    assert client.get(step_url(packet, "project")).status_code == 404
    client.force_login(user)
    client.post(reverse("logout"))
    client.force_login(user)
    assert "Planted" not in client.get(step_url(packet, "project")).content.decode()
    assert stranger.pk != user.pk
