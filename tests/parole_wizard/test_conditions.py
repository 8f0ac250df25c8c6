"""When a step applies (the organisation step), and what a step refuses, with the message where the user looks."""

from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from tests.builders import make_packet
from tests.parole_wizard.pages import form_values, messages_of, open_step, step_url, submit_step

# ── The organisation step applies only when an organisation files ───────────────────────────────────────────────


def _task_list_steps(client: Client, packet: Any) -> list[str]:
    response = client.get(reverse("packet_detail", kwargs={"packet_id": packet.pk}))
    return [row["step"].name for row in response.context["tasks"]]


@pytest.mark.parametrize("requested_by", [None, "self"])
def test_the_organisation_step_is_left_out_unless_an_organisation_files(
    requested_by: str | None, logged_in_client: Client, user: Any
) -> None:
    packet = make_packet(user, requestor={"requested_by": requested_by})

    assert "organisation" not in _task_list_steps(logged_in_client, packet)
    _response, page = open_step(logged_in_client, packet, "project")
    assert "organisation" not in [item["step"].name for item in _response.context["task_list"]]


def test_the_organisation_step_is_listed_when_an_organisation_files(logged_in_client: Client, user: Any) -> None:
    packet = make_packet(user, requestor={"requested_by": "organisation"})

    steps = _task_list_steps(logged_in_client, packet)

    assert steps.index("organisation") == steps.index("requestor") + 1


def test_choosing_an_organisation_leads_next_to_the_organisation_step(logged_in_client: Client, user: Any) -> None:
    packet = make_packet(user)

    response = submit_step(logged_in_client, packet, "requestor", {"requested_by": "organisation"})

    assert response.url == step_url(packet, "organisation")


def test_filing_for_oneself_skips_the_organisation_step_on_next(logged_in_client: Client, user: Any) -> None:
    packet = make_packet(user)

    response = submit_step(logged_in_client, packet, "requestor", {"requested_by": "self"})

    assert response.url == step_url(packet, "project")


def test_previous_skips_the_organisation_step_when_it_does_not_apply(logged_in_client: Client, user: Any) -> None:
    packet = make_packet(user, requestor={"requested_by": "self"})

    response = submit_step(logged_in_client, packet, "project", action="previous")

    assert response.url == step_url(packet, "requestor")


def test_previous_goes_to_the_organisation_step_when_it_applies(logged_in_client: Client, user: Any) -> None:
    packet = make_packet(user, requestor={"requested_by": "organisation"})

    response = submit_step(logged_in_client, packet, "project", action="previous")

    assert response.url == step_url(packet, "organisation")


def test_opening_the_organisation_step_when_it_does_not_apply_explains_and_redirects(
    logged_in_client: Client, user: Any
) -> None:
    packet = make_packet(user, requestor={"requested_by": "self"})

    response = logged_in_client.get(step_url(packet, "organisation"), follow=True)

    assert response.redirect_chain[-1][0] == reverse("packet_detail", kwargs={"packet_id": packet.pk})
    assert any("does not apply" in message for message in messages_of(response))


def test_posting_to_the_organisation_step_when_it_does_not_apply_saves_nothing(
    logged_in_client: Client, user: Any
) -> None:
    packet = make_packet(user, requestor={"requested_by": "self"})
    revision = packet.revision

    response = logged_in_client.post(
        step_url(packet, "organisation"), {"organisation-name": "Riverton OEM", "wizard_action": "next"}
    )

    assert response.status_code == 302
    packet.refresh_from_db()
    assert packet.revision == revision
    assert packet.data["organisation"]["name"] == ""


def test_organisation_answers_are_kept_when_switching_back_and_forth(logged_in_client: Client, user: Any) -> None:
    packet = make_packet(user, requestor={"requested_by": "organisation"}, organisation={"name": "Riverton OEM"})
    submit_step(logged_in_client, packet, "requestor", {"requested_by": "self"})
    submit_step(logged_in_client, packet, "requestor", {"requested_by": "organisation"})

    _response, page = open_step(logged_in_client, packet, "organisation")

    assert page["organisation-name"] == "Riverton OEM"


# ── Validators, through the forms ───────────────────────────────────────────────────────────────────────────────


def _error_beside(response: Any, field_id: str) -> str:
    """The error message printed beside the field (what a user reads next to it)."""
    html = response.content.decode()
    marker = f'id="{field_id}_error"'
    assert marker in html, f"no message beside {field_id}"
    start = html.index(marker)
    return html[start : html.index("</p>", start)]


@pytest.mark.parametrize(
    ("step", "field", "bad", "message"),
    [
        ("beneficiary", "email", "lucia.example.org", "Enter an email address like name@example.org."),
        ("beneficiary", "phone", "call me maybe", "Enter a phone number with 7 to 15 digits"),
        ("beneficiary", "phone", "+56 9", "Enter a phone number with 7 to 15 digits"),
        ("requestor", "counsel_email", "praman@ramanlaw", "Enter an email address like name@example.org."),
        ("requestor", "counsel_phone", "555-CALL-NOW", "Enter a phone number with 7 to 15 digits"),
        ("organisation", "contact_email", "mbell at riverton", "Enter an email address like name@example.org."),
    ],
)
def test_a_bad_email_or_phone_is_explained_beside_the_field_and_in_the_summary(
    step: str, field: str, bad: str, message: str, logged_in_client: Client, user: Any
) -> None:
    packet = make_packet(user, requestor={"requested_by": "organisation"})

    response = submit_step(logged_in_client, packet, step, {field: bad})

    assert response.status_code == 400
    field_id = f"id_{step}-{field}"
    assert message in _error_beside(response, field_id)
    assert (field_id, next(m for a, m in response.context["errors"] if a == field_id)) in response.context["errors"]
    assert f'href="#{field_id}"' in response.content.decode()
    assert form_values(response)[f"{step}-{field}"] == bad


def test_a_bad_email_in_a_partner_row_is_explained_beside_that_row_field(logged_in_client: Client, user: Any) -> None:
    packet = make_packet(user)

    response = submit_step(
        logged_in_client, packet, "partners", {"items-0-name": "Riverton OEM", "items-0-contact_email": "bell@"}
    )

    assert response.status_code == 400
    assert "Enter an email address" in _error_beside(response, "id_partners-items-0-contact_email")
    assert any(anchor == "id_partners-items-0-contact_email" for anchor, _m in response.context["errors"])


def test_a_departure_before_the_arrival_is_refused(logged_in_client: Client, user: Any) -> None:
    packet = make_packet(user)

    response = submit_step(
        logged_in_client, packet, "timeline", {"arrival_date": "2027-01-04", "departure_date": "2027-01-01"}
    )

    assert response.status_code == 400
    assert "The departure date must be after the arrival date." in _error_beside(response, "id_timeline-departure_date")
    packet.refresh_from_db()
    assert packet.data["timeline"]["departure_date"] is None


def test_a_prior_trip_that_ends_before_it_starts_is_refused(logged_in_client: Client, user: Any) -> None:
    packet = make_packet(user)

    response = submit_step(
        logged_in_client,
        packet,
        "beneficiary",
        {"prior_trips-0-arrived_on": "2019-10-20", "prior_trips-0-departed_on": "2019-10-14"},
    )

    assert response.status_code == 400
    assert "A trip cannot end before it starts" in _error_beside(response, "id_beneficiary-prior_trips-0-departed_on")


@pytest.mark.parametrize(
    ("due_on", "where"), [("2027-01-01", "before the arrival"), ("2027-05-15", "after the departure")]
)
def test_a_milestone_outside_the_stay_is_refused(due_on: str, where: str, logged_in_client: Client, user: Any) -> None:
    packet = make_packet(user)

    response = submit_step(
        logged_in_client,
        packet,
        "timeline",
        {
            "arrival_date": "2027-01-04",
            "departure_date": "2027-04-30",
            "milestones-0-due_on": due_on,
            "milestones-0-description": "Triage",
        },
    )

    assert response.status_code == 400
    message = _error_beside(response, "id_timeline-milestones-0-due_on")
    assert f"The milestone dated {due_on} falls {where} date." in message
    packet.refresh_from_db()
    assert packet.data["timeline"]["milestones"] == []


def test_a_passport_expiring_before_the_saved_departure_is_explained_on_the_passport_expiry(
    logged_in_client: Client, user: Any
) -> None:
    packet = make_packet(user, timeline={"arrival_date": "2027-01-04", "departure_date": "2027-04-30"})

    response = submit_step(logged_in_client, packet, "beneficiary", {"passport_expires_on": "2027-03-01"})

    assert response.status_code == 400
    message = _error_beside(response, "id_beneficiary-passport_expires_on")
    assert "The passport expires on 2027-03-01, before the planned departure on 2027-04-30." in message
    packet.refresh_from_db()
    assert packet.data["beneficiary"]["passport_expires_on"] is None


def test_a_departure_after_the_saved_passport_expiry_is_explained_on_the_departure_date(
    logged_in_client: Client, user: Any
) -> None:
    packet = make_packet(user, beneficiary={"passport_expires_on": "2027-03-01"})

    response = submit_step(
        logged_in_client, packet, "timeline", {"arrival_date": "2027-01-04", "departure_date": "2027-04-30"}
    )

    assert response.status_code == 400
    assert "The passport expires on 2027-03-01" in _error_beside(response, "id_timeline-departure_date")


def test_a_passport_expiring_before_it_was_issued_is_refused(logged_in_client: Client, user: Any) -> None:
    packet = make_packet(user)

    response = submit_step(
        logged_in_client,
        packet,
        "beneficiary",
        {"passport_issued_on": "2022-05-02", "passport_expires_on": "2020-05-01"},
    )

    assert response.status_code == 400
    assert "The passport&#x27;s expiry date must be after its issue date." in response.content.decode()


def test_text_longer_than_the_limit_is_refused_with_the_limit(logged_in_client: Client, user: Any) -> None:
    packet = make_packet(user)

    response = submit_step(logged_in_client, packet, "beneficiary", {"full_name": "L" * 201})

    assert response.status_code == 400
    assert "at most 200 characters" in _error_beside(response, "id_beneficiary-full_name")


def test_an_impossible_date_is_refused_beside_the_field(logged_in_client: Client, user: Any) -> None:
    packet = make_packet(user)

    response = submit_step(logged_in_client, packet, "beneficiary", {"date_of_birth": "1984-02-30"})

    assert response.status_code == 400
    assert "Enter a valid date." in _error_beside(response, "id_beneficiary-date_of_birth")
