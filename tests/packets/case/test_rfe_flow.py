"""A request for evidence from the notice to the response sent: items in order, answers citing filed and new
exhibits, readiness, counsel's approval pinned to a revision, the final PDF, sent once."""

from datetime import timedelta
from typing import Any

import pytest
from django.test import Client
from django.utils import timezone
from django.utils.formats import date_format

from packets.case.rfe import split_items
from packets.models import CaseLogEntry, Membership, RequestForEvidence, ReviewState, Role
from tests.builders import make_user, pdf_bytes, upload
from tests.case_builders import make_filed_case

pytestmark = pytest.mark.django_db

NOTICE_ITEMS = """1. Evidence that no engineer in the state can do the assessment.
2) A letter from the school district confirming the dates.
3 - Proof of the beneficiary's ties to her home country."""


@pytest.fixture
def people() -> dict[str, Any]:
    return {"owner": make_user("owner"), "counsel": make_user("counsel")}


@pytest.fixture
def case(people: dict[str, Any]) -> Any:
    return make_filed_case(people["owner"], people["counsel"])


def _as(client: Client, user: Any) -> Client:
    client.force_login(user)
    return client


def _record(client: Client, case: Any, **extra: Any) -> Any:
    issued = timezone.localdate()
    form = {
        "issued_on": issued.isoformat(),
        "received_on": timezone.localdate().isoformat(),
        "mailed": "on",
        "items": NOTICE_ITEMS,
        "notice": upload("notice.pdf", pdf_bytes(2, text="Request for Evidence"), "application/pdf"),
    } | extra
    return client.post(f"/packets/{case.pk}/case/rfe/new/", form)


def test_split_items_keeps_the_notices_numbers_and_order() -> None:
    assert split_items(NOTICE_ITEMS) == [
        "Evidence that no engineer in the state can do the assessment.",
        "A letter from the school district confirming the dates.",
        "Proof of the beneficiary's ties to her home country.",
    ]
    assert split_items("First thing\n\nSecond thing") == ["First thing", "Second thing"]


def test_recording_an_rfe_numbers_its_items_and_shows_the_deadline_with_mail_days(
    client: Client, people: dict[str, Any], case: Any
) -> None:
    response = _record(_as(client, people["owner"]), case)
    assert response.status_code == 302
    rfe = RequestForEvidence.objects.get(packet=case)
    assert [(item.number, item.text[:20]) for item in rfe.items.all()] == [
        (1, "Evidence that no eng"),
        (2, "A letter from the sc"),
        (3, "Proof of the benefic"),
    ]
    due = rfe.issued_on + timedelta(days=87)
    page = client.get(response["Location"]).content.decode()
    assert date_format(due, "DATE_FORMAT") in page and "in 87 days" in page
    assert "Item 3 cites no exhibit" in page and "A partial response is decided" in page
    assert CaseLogEntry.objects.filter(packet=case, summary__isnull=False).count() == 1
    case_page = client.get(f"/packets/{case.pk}/case/").content.decode()
    assert "Response to the request for evidence" in case_page  # the next deadline, first


def test_a_future_notice_and_a_hostile_notice_are_refused_and_the_items_kept(
    client: Client, people: dict[str, Any], case: Any
) -> None:
    future = _record(_as(client, people["owner"]), case, issued_on="2999-01-01")
    assert future.status_code == 400 and "cannot be dated in the future" in future.content.decode()
    assert "no engineer in the state" in future.content.decode()
    bad = _record(client, case, notice=upload("notice.pdf", b"%PDF-1.4 broken", "application/pdf"))
    assert bad.status_code == 400 and "no engineer in the state" in bad.content.decode()
    assert not RequestForEvidence.objects.exists()


def test_answers_cite_filed_and_new_exhibits_then_counsel_approves_and_it_is_sent_once(
    client: Client, people: dict[str, Any], case: Any
) -> None:
    owner, counsel = people["owner"], people["counsel"]
    _record(_as(client, owner), case)
    rfe = RequestForEvidence.objects.get(packet=case)
    base = f"/packets/{case.pk}/case/rfe/{rfe.pk}/"
    added = client.post(
        f"{base}exhibits/new/",
        {
            "file": upload("district.pdf", pdf_bytes(2, text="District letter"), "application/pdf"),
            "title": "District letter",
        },
    )
    assert added.status_code == 302
    page = client.get(base).content.decode()
    assert "Exhibit D" in page  # A–C filed: the new one continues at D

    wrong = client.post(base, {"item": "1", "item-1-answer": "See the CV.", "item-1-cites": "B p. 9"})
    assert wrong.status_code == 400 and "Exhibit B has 2 pages" in wrong.content.decode()
    assert "See the CV." in wrong.content.decode()
    unknown = client.post(base, {"item": "1", "item-1-answer": "See.", "item-1-cites": "Q"})
    assert "There is no exhibit Q" in unknown.content.decode()
    for number, cites in ((1, "B p. 2"), (2, "D"), (3, "A, C p. 1")):
        saved = client.post(
            base, {"item": str(number), f"item-{number}-answer": f"Answer {number}.", f"item-{number}-cites": cites}
        )
        assert saved.status_code == 302
    rfe.refresh_from_db()
    assert [item.citations for item in rfe.items.all()][0] == [{"filed": "B", "page": 2}]
    page = client.get(base).content.decode()
    assert "cites no exhibit" not in page and "has no answer" not in page

    assert client.post(f"{base}review/submit/", {}).status_code == 302
    assert client.post(f"{base}review/approve/", {"revision": rfe.revision}).status_code == 404  # the owner cannot
    _as(client, counsel)
    stale = client.post(f"{base}review/approve/", {"revision": rfe.revision - 1})
    assert stale.status_code == 400 and "changed while you were reading" in stale.content.decode()
    assert client.post(f"{base}review/approve/", {"revision": rfe.revision}).status_code == 302
    rfe.refresh_from_db()
    assert (rfe.review_state, rfe.approved_revision) == (ReviewState.APPROVED, rfe.revision)

    final = client.post(f"{base}render/", {"final": "1", "next": base})
    assert final.status_code == 302 and rfe.renders.filter(final=True).count() == 1

    today = timezone.localdate().isoformat()
    assert client.post(f"{base}sent/", {"sent_on": today, "method": "courier"}).status_code == 302
    rfe.refresh_from_db()
    assert rfe.review_state == ReviewState.SENT and rfe.sent_method == "courier"
    again = client.post(f"{base}sent/", {"sent_on": today, "method": "mail"})
    assert again.status_code == 400 and "already recorded as sent" in again.content.decode()
    edit = client.post(base, {"item": "1", "item-1-answer": "Changed.", "item-1-cites": "B"})
    assert edit.status_code == 400 and "cannot be changed" in edit.content.decode()


def test_an_edit_after_approval_sends_the_response_back_to_draft(
    client: Client, people: dict[str, Any], case: Any
) -> None:
    _record(_as(client, people["owner"]), case)
    rfe = RequestForEvidence.objects.get(packet=case)
    base = f"/packets/{case.pk}/case/rfe/{rfe.pk}/"
    client.post(f"{base}review/submit/", {})
    rfe.refresh_from_db()
    _as(client, people["counsel"]).post(f"{base}review/approve/", {"revision": rfe.revision})
    _as(client, people["owner"]).post(base, {"item": "2", "item-2-answer": "New words.", "item-2-cites": "A"})
    rfe.refresh_from_db()
    assert rfe.review_state == ReviewState.DRAFT and rfe.approved_revision == rfe.revision - 1
    assert "changed after approval" in rfe.review_events.last().note
    refused = client.post(f"{base}render/", {"final": "1", "next": base}, follow=True)
    assert not rfe.renders.filter(final=True).exists()
    assert "not built" in refused.content.decode()


def test_a_viewer_reads_and_comments_but_cannot_answer_and_strangers_get_404(
    client: Client, people: dict[str, Any], case: Any
) -> None:
    _record(_as(client, people["owner"]), case)
    rfe = RequestForEvidence.objects.get(packet=case)
    base = f"/packets/{case.pk}/case/rfe/{rfe.pk}/"
    viewer = make_user("viewer")
    Membership.objects.create(packet=case, user=viewer, role=Role.VIEWER)
    assert _as(client, viewer).get(base).status_code == 200
    assert client.post(base, {"item": "1", "item-1-answer": "x", "item-1-cites": "A"}).status_code == 404
    assert (
        client.post(f"{base}comments/", {"body": "Item 2: is the district letter signed?", "item": "2"}).status_code
        == 302
    )
    assert "is the district letter signed?" in _as(client, people["counsel"]).get(base).content.decode()
    assert _as(client, make_user("stranger")).get(base).status_code == 404
    other = make_filed_case(make_user("other"), name="Other")
    assert _as(client, people["owner"]).get(f"/packets/{other.pk}/case/rfe/{rfe.pk}/").status_code == 404
