""" "Resume" opens the step last edited, and "Saved … still needs N answers" agrees with the task list."""

import re
from typing import Any

from django.test import Client
from django.urls import reverse

from packets.models import Membership, Role
from tests.builders import make_packet, make_user
from tests.parole_wizard.pages import messages_of, step_url, submit_step


def _resume(client: Client, packet: Any) -> str:
    response = client.get(reverse("packet_resume", kwargs={"packet_id": packet.pk}))
    assert response.status_code == 302
    return str(response.url)


def test_resume_on_the_dashboard_opens_the_step_last_saved(logged_in_client: Client, user: Any) -> None:
    packet = make_packet(user)
    submit_step(logged_in_client, packet, "beneficiary", {"full_name": "Lucía"})
    submit_step(logged_in_client, packet, "timeline", {"milestones-0-description": "Onboarding"})
    submit_step(logged_in_client, packet, "requestor", {"requested_by": "self"})

    dashboard = logged_in_client.get(reverse("dashboard")).content.decode()

    assert reverse("packet_resume", kwargs={"packet_id": packet.pk}) in dashboard
    assert _resume(logged_in_client, packet) == step_url(packet, "requestor")


def test_resume_opens_a_step_left_unsaved_after_the_last_save(logged_in_client: Client, user: Any) -> None:
    packet = make_packet(user)
    submit_step(logged_in_client, packet, "beneficiary", {"full_name": "Lucía"})
    submit_step(logged_in_client, packet, "requestor", {"counsel_email": "praman@"})  # refused, kept as a draft

    assert _resume(logged_in_client, packet) == step_url(packet, "requestor")


def test_resume_follows_my_own_edits_not_a_colleagues(user: Any) -> None:
    packet = make_packet(user)
    colleague = make_user("sam")
    Membership.objects.create(packet=packet, user=colleague, role=Role.EDITOR)
    me, them = Client(), Client()
    me.force_login(user)
    them.force_login(colleague)
    submit_step(me, packet, "project", {"title": "Safe Schools"})
    submit_step(them, packet, "timeline", {"milestones-0-description": "Onboarding"})

    assert _resume(me, packet) == step_url(packet, "project")
    assert _resume(them, packet) == step_url(packet, "timeline")


def test_resume_on_a_new_packet_opens_the_first_step(logged_in_client: Client, user: Any) -> None:
    packet = make_packet(user)

    assert _resume(logged_in_client, packet) == step_url(packet, "beneficiary")


def test_the_packet_page_offers_resume_where_you_left_off(logged_in_client: Client, user: Any) -> None:
    packet = make_packet(user)

    html = logged_in_client.get(reverse("packet_detail", kwargs={"packet_id": packet.pk})).content.decode()

    assert "Resume where you left off" in html
    assert reverse("packet_resume", kwargs={"packet_id": packet.pk}) in html


def test_the_saved_notice_counts_the_same_answers_still_needed_as_the_task_list(
    logged_in_client: Client, user: Any
) -> None:
    packet = make_packet(user)
    response = submit_step(logged_in_client, packet, "beneficiary", {"full_name": "Lucía", "citizenship": "Chile"})
    [notice] = [m for m in messages_of(logged_in_client.get(response.url)) if m.startswith("Saved")]

    said = int(re.search(r"still needs (\d+) answer", notice).group(1))  # type: ignore[union-attr]
    detail = logged_in_client.get(reverse("packet_detail", kwargs={"packet_id": packet.pk}))
    [row] = [row for row in detail.context["tasks"] if row["step"].name == "beneficiary"]
    assert f"{said} answers still needed" in detail.content.decode()
    assert said == len(row["missing"])
    assert "the task list shows the step as in progress" in notice
    assert row["state_label"] == "In progress"


def test_saving_a_step_left_blank_does_not_claim_answers_are_needed_when_the_task_list_says_not_started(
    logged_in_client: Client, user: Any
) -> None:
    packet = make_packet(user)

    response = submit_step(logged_in_client, packet, "project")

    notices = messages_of(logged_in_client.get(response.url))
    assert "Saved “The project”. Nothing on it is answered yet." in notices
    assert not any("still needs" in notice for notice in notices)
