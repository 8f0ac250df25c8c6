"""Counsel's caseload: every packet they are counsel on, whose turn it is, the next deadline, the open comments;
searched, filtered and sorted; never a packet they are not counsel on; a fixed number of queries."""

from datetime import timedelta
from typing import Any

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from django.utils.formats import date_format

from packets.case.caseload import caseload_rows
from packets.case.rfe_review import rfe_comment_add
from packets.models import Membership, RequestForEvidence, Role
from packets.review.comments import comment_add
from tests.builders import make_packet, make_user
from tests.packets.case.caseload_builders import STATES, make_counsel_packet

pytestmark = pytest.mark.django_db

EXPECTED_TURNS = {
    "draft": ("draft", "client"),
    "in_review": ("in_review", "me"),
    "changes_requested": ("changes_requested", "client"),
    "approved": ("approved", "client"),
    "filed": ("filed", "agency"),
    "receipt": ("receipt", "agency"),
    "rfe_draft": ("rfe_open", "client"),
    "rfe_in_review": ("rfe_open", "me"),
    "response_sent": ("response_sent", "agency"),
    "parole_approved": ("parole_approved", "client"),
    "denied": ("denied", "none"),
}


@pytest.fixture
def owner() -> Any:
    return make_user("owner")


@pytest.fixture
def counsel() -> Any:
    return make_user("counsel")


def _as(client: Client, user: Any) -> Client:
    client.force_login(user)
    return client


@pytest.mark.parametrize("state", STATES)
def test_each_state_says_its_status_and_whose_turn_it_is(state: str, owner: Any, counsel: Any) -> None:
    packet = make_counsel_packet(owner, counsel, state)

    [row] = caseload_rows(user=counsel)

    assert row.packet == packet
    assert (row.status, row.turn) == EXPECTED_TURNS[state]
    assert row.beneficiary == "Ana María Ortiz Reyes"


def test_the_page_says_the_turn_and_status_in_words(client: Client, owner: Any, counsel: Any) -> None:
    make_counsel_packet(owner, counsel, "in_review", beneficiary="Ana Ortiz")
    make_counsel_packet(owner, counsel, "response_sent", beneficiary="Bo Chen")
    make_counsel_packet(owner, counsel, "changes_requested", beneficiary="Cy Diaz")

    page = _as(client, counsel).get("/caseload/").content.decode()

    for words in ("Waiting on me", "On the agency", "On the client", "Submitted for review", "Changes requested"):
        assert words in page
    assert "Response sent, waiting for a decision" in page


def test_search_finds_a_packet_by_beneficiary_in_any_case(owner: Any, counsel: Any) -> None:
    make_counsel_packet(owner, counsel, "draft", beneficiary="Ana María Ortiz Reyes")
    make_counsel_packet(owner, counsel, "draft", beneficiary="Bo Chen", name="Harbour survey")

    assert [row.beneficiary for row in caseload_rows(user=counsel, query="ortiz")] == ["Ana María Ortiz Reyes"]
    assert [row.beneficiary for row in caseload_rows(user=counsel, query="HARBOUR")] == ["Bo Chen"]


def test_search_finds_a_case_by_its_receipt_number_written_any_way(client: Client, owner: Any, counsel: Any) -> None:
    make_counsel_packet(owner, counsel, "receipt", beneficiary="Ana Ortiz", receipt_number="IOE0123456789")
    make_counsel_packet(owner, counsel, "receipt", beneficiary="Bo Chen", receipt_number="IOE9999999999")

    page = _as(client, counsel).get("/caseload/", {"q": "ioe-0123 456 789"}).content.decode()

    assert "Ana Ortiz" in page
    assert "Bo Chen" not in page


def test_the_turn_filter_keeps_only_that_turn(client: Client, owner: Any, counsel: Any) -> None:
    make_counsel_packet(owner, counsel, "in_review", beneficiary="Ana Ortiz")
    make_counsel_packet(owner, counsel, "rfe_in_review", beneficiary="Bo Chen")
    make_counsel_packet(owner, counsel, "draft", beneficiary="Cy Diaz")
    make_counsel_packet(owner, counsel, "response_sent", beneficiary="Di Evans")

    page = _as(client, counsel).get("/caseload/", {"turn": "me"}).content.decode()

    assert "Ana Ortiz" in page and "Bo Chen" in page
    assert "Cy Diaz" not in page and "Di Evans" not in page
    assert [row.beneficiary for row in caseload_rows(user=counsel, turn="agency")] == ["Di Evans"]


def test_the_status_filter_keeps_only_that_status(owner: Any, counsel: Any) -> None:
    make_counsel_packet(owner, counsel, "rfe_draft", beneficiary="Ana Ortiz")
    make_counsel_packet(owner, counsel, "draft", beneficiary="Bo Chen")

    assert [row.beneficiary for row in caseload_rows(user=counsel, status="rfe_open")] == ["Ana Ortiz"]


def test_sorting_by_deadline_puts_the_soonest_first_and_the_overdue_one_stands_out(
    client: Client, owner: Any, counsel: Any
) -> None:
    today = timezone.localdate()
    make_counsel_packet(owner, counsel, "draft", beneficiary="Later Filing", planned_filing=today + timedelta(days=30))
    make_counsel_packet(owner, counsel, "draft", beneficiary="No Date")
    # Issued 100 days ago and mailed: due 84 + 3 days after issue, 13 days ago.
    make_counsel_packet(owner, counsel, "rfe_draft", beneficiary="Late Response", rfe_issued_on=today - timedelta(100))
    make_counsel_packet(owner, counsel, "rfe_draft", beneficiary="Fresh Response", rfe_issued_on=today)

    rows = caseload_rows(user=counsel, sort="deadline")

    assert [row.beneficiary for row in rows] == ["Late Response", "Later Filing", "Fresh Response", "No Date"]
    page = _as(client, counsel).get("/caseload/", {"sort": "deadline"}).content.decode()
    assert page.index("Late Response") < page.index("Later Filing") < page.index("Fresh Response")
    overdue_on = date_format(today - timedelta(days=13), "DATE_FORMAT")
    assert (
        f'<span class="overdue">Response to the request for evidence of {(today - timedelta(100)).isoformat()}' in page
    )
    assert f"{overdue_on} — overdue by 13 days" in page
    assert date_format(today + timedelta(days=30), "DATE_FORMAT") in page


def test_sorting_by_beneficiary_and_status(owner: Any, counsel: Any) -> None:
    make_counsel_packet(owner, counsel, "response_sent", beneficiary="Ana Ortiz")
    make_counsel_packet(owner, counsel, "draft", beneficiary="Cy Diaz")
    make_counsel_packet(owner, counsel, "in_review", beneficiary="Bo Chen")

    by_name = [row.beneficiary for row in caseload_rows(user=counsel, sort="beneficiary")]
    by_status = [row.beneficiary for row in caseload_rows(user=counsel, sort="status")]

    assert by_name == ["Ana Ortiz", "Bo Chen", "Cy Diaz"]
    assert by_status == ["Cy Diaz", "Bo Chen", "Ana Ortiz"]


def test_unresolved_comments_count_the_packets_threads_and_the_responses_comments(owner: Any, counsel: Any) -> None:
    packet = make_counsel_packet(owner, counsel, "rfe_in_review")
    first = comment_add(packet=packet, by=counsel, body="Which district?", step="project")
    comment_add(packet=packet, by=owner, body="Riverton.", parent=first)  # a reply: the same thread
    resolved = comment_add(packet=packet, by=counsel, body="Typo", step="beneficiary")
    resolved.resolved_at = timezone.now()
    resolved.save()
    rfe_comment_add(rfe=RequestForEvidence.objects.get(packet=packet), by=counsel, body="Cite exhibit C.")

    [row] = caseload_rows(user=counsel)

    assert row.unresolved == 2


def test_someone_who_is_not_counsel_on_a_packet_never_sees_it(client: Client, owner: Any, counsel: Any) -> None:
    make_counsel_packet(owner, counsel, "in_review", beneficiary="Ana Ortiz", name="Counsel's own")
    stranger = make_user("stranger")
    make_counsel_packet(stranger, make_user("their-counsel"), "in_review", beneficiary="Zed Stranger", name="Theirs")
    viewed = make_packet(stranger, name="Only viewed", beneficiary={"full_name": "Vic Viewer"})
    Membership.objects.create(packet=viewed, user=counsel, role=Role.VIEWER)
    make_packet(counsel, name="Counsel owns this", beneficiary={"full_name": "Own Packet"})

    page = _as(client, counsel).get("/caseload/", {"q": ""}).content.decode()

    assert [row.beneficiary for row in caseload_rows(user=counsel)] == ["Ana Ortiz"]
    for hidden in ("Zed Stranger", "Theirs", "Vic Viewer", "Only viewed", "Own Packet"):
        assert hidden not in page
    assert caseload_rows(user=stranger) == []


def test_each_row_links_to_the_review_page_and_a_filed_one_to_its_case(
    client: Client, owner: Any, counsel: Any
) -> None:
    draft = make_counsel_packet(owner, counsel, "draft", beneficiary="Ana Ortiz")
    filed = make_counsel_packet(owner, counsel, "receipt", beneficiary="Bo Chen")

    page = _as(client, counsel).get("/caseload/").content.decode()

    assert f'href="/packets/{draft.pk}/counsel/"' in page
    assert f'href="/packets/{filed.pk}/counsel/"' in page
    assert f'href="/packets/{filed.pk}/case/"' in page
    assert f'href="/packets/{draft.pk}/case/"' not in page
    assert "<caption>" in page and '<th scope="col">Beneficiary</th>' in page


def _queries(client: Client) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert client.get("/caseload/").status_code == 200
    return len(queries)


def _mixed(owner: Any, counsel: Any, count: int, start: int) -> None:
    states = ["draft", "rfe_in_review", "parole_approved"]
    for index in range(start, start + count):
        packet = make_counsel_packet(owner, counsel, states[index % 3], beneficiary=f"Person {index}")
        comment_add(packet=packet, by=counsel, body="A question", step="project")


def test_the_page_takes_the_same_number_of_queries_for_3_and_for_12_packets(
    client: Client, owner: Any, counsel: Any
) -> None:
    _as(client, counsel)
    _mixed(owner, counsel, 3, 0)
    with_three = _queries(client)
    _mixed(owner, counsel, 9, 3)

    with_twelve = _queries(client)

    assert with_twelve == with_three
    assert len(caseload_rows(user=counsel)) == 12


def test_bad_parameters_are_ignored(client: Client, owner: Any, counsel: Any) -> None:
    make_counsel_packet(owner, counsel, "draft", beneficiary="Ana Ortiz")

    response = _as(client, counsel).get("/caseload/", {"turn": "nobody", "status": "lost", "sort": "random"})

    assert response.status_code == 200
    page = response.content.decode()
    assert "Ana Ortiz" in page
    assert "error-message" not in page


def test_the_empty_states_say_what_to_expect(client: Client, owner: Any, counsel: Any) -> None:
    page = _as(client, counsel).get("/caseload/").content.decode()
    assert "You are not counsel on any packet yet" in page

    make_counsel_packet(owner, counsel, "draft", beneficiary="Ana Ortiz")
    page = client.get("/caseload/", {"q": "nobody by that name"}).content.decode()
    assert "No packet matches this search or these filters." in page


def test_the_navigation_shows_the_caseload_to_counsel_only(client: Client, owner: Any, counsel: Any) -> None:
    make_counsel_packet(owner, counsel, "draft")

    assert 'href="/caseload/"' in _as(client, counsel).get("/").content.decode()
    assert 'href="/caseload/"' not in _as(client, owner).get("/").content.decode()


def test_a_visitor_who_is_not_logged_in_is_sent_to_log_in(client: Client) -> None:
    response = client.get("/caseload/")

    assert response.status_code == 302
    assert response.url.startswith("/accounts/login/")
