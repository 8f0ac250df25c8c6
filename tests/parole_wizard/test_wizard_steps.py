"""Each step of the questionnaire, as a user meets it: the page, saving, moving on, coming back, repeated rows."""

import re
from typing import Any
from urllib.parse import urlencode

import pytest
from django.test import Client
from django.urls import reverse

from packets.models import Exhibit, Packet
from parole_wizard.steps import STEP_BY_NAME, STEPS
from tests.builders import jpeg_bytes, make_packet, upload
from tests.parole_wizard.pages import form_values, messages_of, open_step, step_url, submit_step

# What a user types on each step (Riverton), and what must then be stored in Packet.data[section].
ANSWERS: dict[str, tuple[dict[str, Any], dict[str, Any]]] = {
    "beneficiary": (
        {
            "full_name": "Lucía Fernández Ortega",
            "other_names": "Lucia Fernandez",
            "date_of_birth": "1984-03-09",
            "place_of_birth": "Valparaíso, Chile",
            "citizenship": "Chile",
            "passport_number": "P12345678",
            "passport_country": "Chile",
            "passport_issued_on": "2022-05-02",
            "passport_expires_on": "2032-05-01",
            "residence_address": "Viña del Mar, Chile",
            "email": "lucia.fernandez@example.org",
            "phone": "+56 9 5555 0101",
            "immigration_history": "None.",
        },
        {"full_name": "Lucía Fernández Ortega", "date_of_birth": "1984-03-09", "phone": "+56 9 5555 0101"},
    ),
    "requestor": (
        {"requested_by": "self", "counsel_name": "Priya Raman", "counsel_email": "praman@ramanlaw.example.com"},
        {"requested_by": "self", "counsel_name": "Priya Raman", "counsel_email": "praman@ramanlaw.example.com"},
    ),
    "organisation": (
        {
            "name": "Riverton Office of Emergency Management",
            "kind": "government_agency",
            "address": "410 Civic Plaza, Riverton, OR 97000",
            "contact_name": "Marcus Bell",
            "contact_title": "Deputy Director",
            "contact_email": "mbell@riverton.example.gov",
            "contact_phone": "+1 503 555 0142",
        },
        {"name": "Riverton Office of Emergency Management", "kind": "government_agency", "contact_name": "Marcus Bell"},
    ),
    "project": (
        {
            "title": "Safe Schools Seismic Assessment",
            "summary": "Assess 14 school buildings.",
            "public_benefit": "6,800 students protected.",
            "beneficiaries": "Students and staff.",
            "urgency": "Winter term starts 2027-01-11.",
            "priorities": "State school-safety mandate.",
        },
        {"title": "Safe Schools Seismic Assessment", "urgency": "Winter term starts 2027-01-11."},
    ),
    "qualifications": (
        {"skills": "18 years of rapid evaluation.", "need_connection": "No local engineer is free before March."},
        {"skills": "18 years of rapid evaluation.", "need_connection": "No local engineer is free before March."},
    ),
    "partners": (
        {
            "items-0-name": "Riverton Unified School District",
            "items-0-kind": "public_body",
            "items-0-role": "Building access and schedule.",
            "items-0-contact_name": "Dr. Alicia Moreno",
            "items-0-contact_email": "amoreno@rusd.example.org",
        },
        {},
    ),
    "timeline": (
        {
            "filing_date": "2026-12-01",
            "arrival_date": "2027-01-04",
            "departure_date": "2027-04-30",
            "entry_deadline_reason": "Winter term.",
            "milestones-0-due_on": "2027-01-08",
            "milestones-0-description": "Team onboarding",
        },
        {"arrival_date": "2027-01-04", "departure_date": "2027-04-30"},
    ),
    "alternatives": (
        {
            "summary": "No visa fits in time.",
            "options-0-kind": "visa",
            "options-0-option": "O-1 visa",
            "options-0-why_not": "Petition processing cannot meet January.",
        },
        {"summary": "No visa fits in time."},
    ),
    "logistics": (
        {
            "arrival_plan": "PDX on 2027-01-04.",
            "housing": "CSSA apartment.",
            "transport": "OEM vehicle.",
            "supervision": "Marcus Bell, daily.",
            "supporters-0-name": "Cascadia Structural Safety Alliance",
            "supporters-0-kind": "organisation",
            "supporters-0-covers": "Stipend and housing.",
            "supporters-0-files_declaration": "on",
        },
        {"housing": "CSSA apartment."},
    ),
    "risk": (
        {"scope_change": "Re-order priorities.", "security": "Site safety plan.", "local_systems": "CSSA pays."},
        {"scope_change": "Re-order priorities.", "local_systems": "CSSA pays."},
    ),
    "monitoring": (
        {
            "reporting_channels": "Weekly reports to OEM.",
            "shares_data": "yes",
            "data_sharing": "Building data stays with the district.",
            "indicators-0-name": "Buildings triaged",
            "indicators-0-target": "14",
        },
        {"reporting_channels": "Weekly reports to OEM.", "shares_data": True},
    ),
    "exit": (
        {"exit_strategy": "Return ticket PDX→SCL.", "return_ties": "Tenured position."},
        {"exit_strategy": "Return ticket PDX→SCL.", "return_ties": "Tenured position."},
    ),
    "sustainability": (
        {"capacity_building": "12 inspectors certified.", "affiliations": "None"},
        {"capacity_building": "12 inspectors certified.", "affiliations": "None"},
    ),
}

SECTION_STEPS = [step.name for step in STEPS if step.section]


def _packet_for(step: str, user: Any) -> Packet:
    # The organisation step only exists when an organisation files.
    if step == "organisation":
        return make_packet(user, requestor={"requested_by": "organisation"})
    return make_packet(user)


def _next_step_after(step: str, packet: Packet) -> str:
    names = [item.name for item in STEPS if item.applies(packet.content)]
    return names[names.index(step) + 1]


def test_every_step_has_sample_answers() -> None:
    assert set(ANSWERS) == set(SECTION_STEPS)


@pytest.mark.parametrize("step", [step.name for step in STEPS])
def test_each_step_shows_its_heading_and_its_fields(step: str, logged_in_client: Client, user: Any) -> None:
    packet = _packet_for(step, user)

    response, page = open_step(logged_in_client, packet, step)

    html = response.content.decode()
    assert f"<h1>{STEP_BY_NAME[step].title}</h1>" in html
    assert page[f"{step}-revision"] == str(packet.revision)
    form = response.context["form"]
    for name in getattr(form, "field_names", ("file", "title", "kind")):
        assert f'name="{step}-{name}"' in html, name
        assert f'for="id_{step}-{name}"' in html or f'id="id_{step}-{name}"' in html, name
    for name in getattr(form, "lists", {}):
        assert f'name="{step}-{name}-TOTAL_FORMS"' in html


@pytest.mark.parametrize("step", SECTION_STEPS)
def test_a_valid_step_is_saved_to_the_packet_and_leads_to_the_next_step(
    step: str, logged_in_client: Client, user: Any
) -> None:
    packet = _packet_for(step, user)
    typed, expected = ANSWERS[step]

    response = submit_step(logged_in_client, packet, step, typed)

    assert response.status_code == 302
    packet.refresh_from_db()
    assert response.url == step_url(packet, _next_step_after(step, packet))
    stored = packet.data[STEP_BY_NAME[step].section]
    for key, value in expected.items():
        assert stored[key] == value, key
    assert packet.section_revisions[STEP_BY_NAME[step].section] == packet.revision


@pytest.mark.parametrize("step", SECTION_STEPS)
def test_reloading_a_saved_step_shows_every_saved_answer(step: str, logged_in_client: Client, user: Any) -> None:
    packet = _packet_for(step, user)
    typed, _expected = ANSWERS[step]
    submit_step(logged_in_client, packet, step, typed)

    _response, page = open_step(logged_in_client, packet, step)

    for name, value in typed.items():
        assert page[f"{step}-{name}"] == value, name


def test_the_evidence_step_is_the_last_and_leads_to_the_finish_check(logged_in_client: Client, user: Any) -> None:
    packet = make_packet(user)

    response = submit_step(logged_in_client, packet, "evidence")

    assert response.status_code == 302
    assert response.url == reverse("packet_finish", kwargs={"packet_id": packet.pk})


def test_saving_half_a_step_lists_what_is_still_needed_without_blocking(logged_in_client: Client, user: Any) -> None:
    packet = make_packet(user)

    response = submit_step(logged_in_client, packet, "beneficiary", {"full_name": "Lucía"})

    assert response.status_code == 302
    packet.refresh_from_db()
    assert packet.data["beneficiary"]["full_name"] == "Lucía"
    page = logged_in_client.get(step_url(packet, "beneficiary"))
    assert "a reviewer would still expect" in page.content.decode()
    assert "Passport number" in page.content.decode()


def test_save_and_exit_saves_and_returns_to_the_dashboard(logged_in_client: Client, user: Any) -> None:
    packet = make_packet(user)

    response = submit_step(logged_in_client, packet, "project", {"title": "Safe Schools"}, action="save_exit")

    assert response.url == reverse("dashboard")
    packet.refresh_from_db()
    assert packet.data["project"]["title"] == "Safe Schools"


def test_a_double_click_on_save_says_saved_once_and_other_notices_still_show(
    logged_in_client: Client, user: Any
) -> None:
    packet = make_packet(user)
    _response, project = open_step(logged_in_client, packet, "project")
    _response, exit_plan = open_step(logged_in_client, packet, "exit")

    # Two posts of the same page; the browser shows only the page after the second. Then another step is saved.
    submit_step(logged_in_client, packet, "project", {"title": "Safe Schools"}, page=project)
    submit_step(logged_in_client, packet, "project", {"title": "Safe Schools"}, page=project)
    submit_step(logged_in_client, packet, "exit", {"exit_strategy": "A return flight on 30 April."}, page=exit_plan)
    shown = messages_of(logged_in_client.get(step_url(packet, "timeline")))

    assert [message.split("”")[0] for message in shown] == ["Saved “The project", "Saved “Temporary presence and exit"]
    assert messages_of(logged_in_client.get(step_url(packet, "timeline"))) == []


def test_jumping_from_the_task_list_saves_first(logged_in_client: Client, user: Any) -> None:
    packet = make_packet(user)

    response = submit_step(logged_in_client, packet, "exit", {"exit_strategy": "Return ticket."}, goto="timeline")

    assert response.url == step_url(packet, "timeline")
    packet.refresh_from_db()
    assert packet.data["exit"]["exit_strategy"] == "Return ticket."


def test_jumping_to_review_saves_first(logged_in_client: Client, user: Any) -> None:
    packet = make_packet(user)

    response = submit_step(logged_in_client, packet, "risk", {"security": "Aftershock protocol."}, goto="review")

    assert response.url == reverse("packet_review", kwargs={"packet_id": packet.pk})
    packet.refresh_from_db()
    assert packet.data["risk"]["security"] == "Aftershock protocol."


def test_previous_saves_and_goes_back_one_step(logged_in_client: Client, user: Any) -> None:
    packet = make_packet(user)

    response = submit_step(logged_in_client, packet, "project", {"title": "Safe Schools"}, action="previous")

    assert response.url == step_url(packet, "requestor")
    packet.refresh_from_db()
    assert packet.data["project"]["title"] == "Safe Schools"


def test_an_unknown_step_is_not_found(logged_in_client: Client, user: Any) -> None:
    packet = make_packet(user)

    assert logged_in_client.get(step_url(packet, "nonsense")).status_code == 404


# ── Repeated rows ────────────────────────────────────────────────────────────────────────────────────────────────────


def test_prior_trips_are_added_kept_and_deleted(logged_in_client: Client, user: Any) -> None:
    packet = make_packet(user)
    submit_step(
        logged_in_client,
        packet,
        "beneficiary",
        {
            "prior_trips-0-arrived_on": "2019-10-14",
            "prior_trips-0-departed_on": "2019-10-20",
            "prior_trips-0-status": "B-1",
            "prior_trips-0-left_on_time": "on",
        },
    )
    # The page now shows the saved trip and a new empty entry: fill it in to add a second trip.
    _response, page = open_step(logged_in_client, packet, "beneficiary")
    assert page["beneficiary-prior_trips-TOTAL_FORMS"] == "2"
    submit_step(
        logged_in_client,
        packet,
        "beneficiary",
        {"prior_trips-1-arrived_on": "2015-05-01", "prior_trips-1-status": "ESTA"},
        page=page,
    )
    packet.refresh_from_db()
    assert [trip["status"] for trip in packet.data["beneficiary"]["prior_trips"]] == ["B-1", "ESTA"]
    assert packet.data["beneficiary"]["prior_trips"][0]["departed_on"] == "2019-10-20"

    submit_step(logged_in_client, packet, "beneficiary", {"prior_trips-0-DELETE": "on"})

    packet.refresh_from_db()
    assert [trip["status"] for trip in packet.data["beneficiary"]["prior_trips"]] == ["ESTA"]


def test_a_new_prior_trip_is_taken_as_left_on_time_unless_the_box_is_cleared(
    logged_in_client: Client, user: Any
) -> None:
    # The schema's default is "left on time"; a blank new row must not silently record an overstay.
    packet = make_packet(user)
    _response, page = open_step(logged_in_client, packet, "beneficiary")
    assert page.get("beneficiary-prior_trips-0-left_on_time") == "on"

    submit_step(logged_in_client, packet, "beneficiary", {"prior_trips-0-status": "B-1"}, page=page)

    packet.refresh_from_db()
    assert packet.data["beneficiary"]["prior_trips"] == [
        {"arrived_on": None, "departed_on": None, "status": "B-1", "purpose": "", "left_on_time": True}
    ]


def _partner(index: int, name: str) -> dict[str, str]:
    return {
        f"items-{index}-name": name,
        f"items-{index}-kind": "ngo",
        f"items-{index}-role": "Support.",
        f"items-{index}-contact_name": "Hannah Lee",
        f"items-{index}-contact_email": "hlee@example.org",
    }


def test_partner_ids_stay_the_same_across_saves_and_deletions(logged_in_client: Client, user: Any) -> None:
    packet = make_packet(user)
    submit_step(logged_in_client, packet, "partners", _partner(0, "Riverton OEM"))
    _response, page = open_step(logged_in_client, packet, "partners")
    submit_step(logged_in_client, packet, "partners", _partner(1, "Riverton Fire & Rescue"), page=page)
    packet.refresh_from_db()
    first_ids = [item["id"] for item in packet.data["partners"]["items"]]
    assert len(set(first_ids)) == 2

    # Change the first partner's role and save again: both keep their ids.
    submit_step(logged_in_client, packet, "partners", {"items-0-role": "Lead, supervision."})
    packet.refresh_from_db()
    assert [item["id"] for item in packet.data["partners"]["items"]] == first_ids
    assert packet.data["partners"]["items"][0]["role"] == "Lead, supervision."

    # Delete the first: the second keeps its id.
    submit_step(logged_in_client, packet, "partners", {"items-0-DELETE": "on"})
    packet.refresh_from_db()
    assert [item["id"] for item in packet.data["partners"]["items"]] == first_ids[1:]


def test_a_posted_partner_id_that_is_not_in_the_packet_gets_a_new_id(logged_in_client: Client, user: Any) -> None:
    packet = make_packet(user)
    forged = "00000000-0000-4000-8000-000000000001"

    submit_step(logged_in_client, packet, "partners", {**_partner(0, "Riverton OEM"), "items-0-id": forged})

    packet.refresh_from_db()
    assert packet.data["partners"]["items"][0]["id"] != forged


@pytest.mark.parametrize(
    ("step", "list_name", "first", "second"),
    [
        ("timeline", "milestones", {"due_on": "2027-01-08", "description": "Onboarding"}, {"description": "Triage"}),
        ("alternatives", "options", {"option": "O-1 visa", "why_not": "Too slow."}, {"option": "Remote support"}),
        ("logistics", "supporters", {"name": "CSSA", "covers": "Stipend."}, {"name": "Hannah Lee"}),
        ("monitoring", "indicators", {"name": "Buildings triaged", "target": "14"}, {"name": "Inspectors"}),
    ],
)
def test_rows_are_added_kept_and_deleted(
    step: str, list_name: str, first: dict[str, str], second: dict[str, str], logged_in_client: Client, user: Any
) -> None:
    packet = make_packet(user)
    submit_step(logged_in_client, packet, step, {f"{list_name}-0-{k}": v for k, v in first.items()})
    _response, page = open_step(logged_in_client, packet, step)
    submit_step(logged_in_client, packet, step, {f"{list_name}-1-{k}": v for k, v in second.items()}, page=page)
    packet.refresh_from_db()
    rows = packet.data[step][list_name]
    assert len(rows) == 2
    assert all(rows[0][k] == v for k, v in first.items())
    assert all(rows[1][k] == v for k, v in second.items())

    # An untouched save keeps both rows; ticking "Remove" on the first deletes only it.
    submit_step(logged_in_client, packet, step)
    packet.refresh_from_db()
    assert len(packet.data[step][list_name]) == 2
    submit_step(logged_in_client, packet, step, {f"{list_name}-0-DELETE": "on"})
    packet.refresh_from_db()
    rows = packet.data[step][list_name]
    assert len(rows) == 1
    assert all(rows[0][k] == v for k, v in second.items())


def test_an_empty_extra_row_adds_nothing(logged_in_client: Client, user: Any) -> None:
    packet = make_packet(user)

    submit_step(logged_in_client, packet, "timeline", {"entry_deadline_reason": "Winter term."})

    packet.refresh_from_db()
    assert packet.data["timeline"]["milestones"] == []


def test_the_form_page_round_trips_unchanged_without_a_new_revision(logged_in_client: Client, user: Any) -> None:
    packet = make_packet(user)
    typed, _expected = ANSWERS["logistics"]
    submit_step(logged_in_client, packet, "logistics", typed)
    packet.refresh_from_db()
    revision = packet.revision

    response, page = open_step(logged_in_client, packet, "logistics")
    logged_in_client.post(step_url(packet, "logistics"), {**page, "wizard_action": "next"})

    packet.refresh_from_db()
    assert packet.revision == revision
    assert form_values(response) == page


# ── How a browser posts a step ───────────────────────────────────────────────────────────────────────────────────────

STEPS_WITH_FILES = {"beneficiary", "qualifications", "partners", "evidence"}


def _step_form_tag(response: Any) -> str:
    tag = re.search(r'<form [^>]*id="step-form"[^>]*>', response.content.decode())
    assert tag is not None
    return tag.group(0)


@pytest.mark.parametrize("step", [step.name for step in STEPS])
def test_only_a_step_with_a_file_input_posts_multipart(step: str, logged_in_client: Client, user: Any) -> None:
    response, _page = open_step(logged_in_client, _packet_for(step, user), step)

    tag = _step_form_tag(response)

    assert ('enctype="multipart/form-data"' in tag) == (step in STEPS_WITH_FILES)
    assert ('type="file"' in response.content.decode()) == (step in STEPS_WITH_FILES)


def test_a_step_posted_url_encoded_keeps_every_answer(logged_in_client: Client, user: Any) -> None:
    packet = make_packet(user)
    _response, page = open_step(logged_in_client, packet, "project")
    typed = {
        "project-title": "Safe Schools Seismic Assessment",
        "project-summary": "Assess fourteen school buildings.\r\n\r\nReport to the district: 100% & more.",
        "wizard_action": "save_exit",
    }

    response = logged_in_client.post(
        step_url(packet, "project"),
        urlencode({**page, **typed}, doseq=True),
        content_type="application/x-www-form-urlencoded",
    )

    assert response.status_code == 302
    packet.refresh_from_db()
    assert packet.data["project"]["title"] == "Safe Schools Seismic Assessment"
    assert packet.data["project"]["summary"] == typed["project-summary"]


def test_a_step_posted_multipart_keeps_its_answers_with_or_without_a_file(logged_in_client: Client, user: Any) -> None:
    packet = make_packet(user)
    _response, page = open_step(logged_in_client, packet, "beneficiary")

    # No file chosen: the browser still sends the empty file input.
    without = {**page, "beneficiary-full_name": "Lucía", "beneficiary-passport_file": "", "wizard_action": "next"}
    assert logged_in_client.post(step_url(packet, "beneficiary"), without).status_code == 302
    packet.refresh_from_db()
    assert packet.data["beneficiary"]["full_name"] == "Lucía"
    assert not Exhibit.objects.filter(packet=packet).exists()

    _response, page = open_step(logged_in_client, packet, "beneficiary")
    with_file = {**page, "beneficiary-citizenship": "Chile", "wizard_action": "next"}
    with_file["beneficiary-passport_file"] = upload("passport.jpg", jpeg_bytes())
    assert logged_in_client.post(step_url(packet, "beneficiary"), with_file).status_code == 302
    packet.refresh_from_db()
    assert packet.data["beneficiary"]["full_name"] == "Lucía"
    assert packet.data["beneficiary"]["citizenship"] == "Chile"
    passport = Exhibit.objects.get(packet=packet)
    assert packet.data["beneficiary"]["passport_exhibit_id"] == str(passport.pk)


def test_opening_a_step_again_does_not_write_the_session(logged_in_client: Client, user: Any) -> None:
    # Reading the wizard's storage must not mark the session modified: a write transaction per page view otherwise.
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    packet = make_packet(user)
    open_step(logged_in_client, packet, "project")

    with CaptureQueriesContext(connection) as queries:
        open_step(logged_in_client, packet, "project")

    writes = [q["sql"] for q in queries if "django_session" in q["sql"] and not q["sql"].lstrip().startswith("SELECT")]
    assert writes == []
