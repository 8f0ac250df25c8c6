"""The decision: an approval's parole period, fee from the facts file, conditions and their report due dates;
a denial's contingency and parallel routes; departure after arrival."""

from datetime import timedelta
from typing import Any

import pytest
from django.test import Client
from django.utils import timezone

from packets.models import Decision, Membership, ReportingCondition, Role
from tests.builders import make_user, pdf_bytes, upload
from tests.case_builders import make_filed_case

pytestmark = pytest.mark.django_db


@pytest.fixture
def owner() -> Any:
    return make_user("owner")


@pytest.fixture
def case(owner: Any) -> Any:
    return make_filed_case(
        owner,
        sections={
            "beneficiary": {"full_name": "Ana María Ortiz Reyes"},
            "exit": {"denial_contingency": "Remote triage with the county engineers."},
            "alternatives": {"options": [{"option": "O-1 visa", "why_not": "Takes too long for the school year."}]},
            "monitoring": {"reporting_channels": "A report to the county every month."},
        },
    )


def _as(client: Client, user: Any) -> Client:
    client.force_login(user)
    return client


def _approve(client: Client, case: Any, **extra: Any) -> Any:
    today = timezone.localdate()
    form = {
        "outcome": "approved",
        "decided_on": today.isoformat(),
        "parole_from": today.isoformat(),
        "parole_to": (today + timedelta(days=180)).isoformat(),
        "fee_amount_usd": "",
        "notice": upload("decision.pdf", pdf_bytes(text="Approval notice"), "application/pdf"),
    } | extra
    return client.post(f"/packets/{case.pk}/case/decision/", form)


def test_an_approval_needs_its_period_and_takes_the_fee_from_the_facts_file(
    client: Client, owner: Any, case: Any
) -> None:
    page = _as(client, owner).get(f"/packets/{case.pk}/case/decision/").content.decode()
    assert "Immigration parole fee" in page and 'value="1000"' in page
    missing = _approve(client, case, parole_to="")
    assert missing.status_code == 400 and "enter both dates" in missing.content.decode()
    backwards = _approve(client, case, parole_to=timezone.localdate().isoformat())
    assert "must end after it starts" in backwards.content.decode()
    assert _approve(client, case).status_code == 302
    decision = Decision.objects.get(packet=case)
    assert (decision.fee_amount_usd, decision.notice.kind) == (1000, "decision_notice")
    case_page = client.get(f"/packets/{case.pk}/case/").content.decode()
    assert (
        "Parole period" in case_page
        and "Last day to file a re-parole request" not in case_page.split("Next deadline")[0]
    )


def test_a_monthly_condition_gives_a_report_due_every_month_of_the_parole(
    client: Client, owner: Any, case: Any
) -> None:
    _approve(_as(client, owner), case)
    refused = client.post(f"/packets/{case.pk}/case/conditions/new/", {"recipient": "", "cadence": "every_days"})
    assert refused.status_code == 400 and "Say to whom" in refused.content.decode()
    assert "Say every how many days" in refused.content.decode()
    form = {"recipient": "Riverton County Office of Emergency Management", "cadence": "monitoring", "how": "email"}
    assert client.post(f"/packets/{case.pk}/case/conditions/new/", form).status_code == 302
    assert ReportingCondition.objects.get().recipient.startswith("Riverton County")
    page = client.get(f"/packets/{case.pk}/case/").content.decode()
    panel = page[page.index("Reporting conditions") :]
    assert panel.count("<li") >= 5  # every month of a six-month parole
    assert "Report to Riverton County Office of Emergency Management due" in page


def test_a_denial_shows_the_contingency_and_the_parallel_routes(client: Client, owner: Any, case: Any) -> None:
    today = timezone.localdate().isoformat()
    refused = _as(client, owner).post(
        f"/packets/{case.pk}/case/decision/", {"outcome": "denied", "decided_on": today, "parole_from": today}
    )
    assert refused.status_code == 400 and "Only an approval has this" in refused.content.decode()
    client.post(f"/packets/{case.pk}/case/decision/", {"outcome": "denied", "decided_on": today})
    page = client.get(f"/packets/{case.pk}/case/").content.decode()
    assert "Remote triage with the county engineers." in page and "O-1 visa" in page
    assert client.get(f"/packets/{case.pk}/case/departure/").status_code == 404  # no departure without an approval


def test_the_departure_cannot_precede_the_arrival_and_a_viewer_cannot_record(
    client: Client, owner: Any, case: Any
) -> None:
    today = timezone.localdate()
    _approve(_as(client, owner), case, arrived_on=today.isoformat())
    early = client.post(f"/packets/{case.pk}/case/departure/", {"departed_on": (today - timedelta(days=1)).isoformat()})
    assert early.status_code == 400 and "cannot be before the arrival" in early.content.decode()
    assert client.post(f"/packets/{case.pk}/case/departure/", {"departed_on": today.isoformat()}).status_code == 302
    assert Decision.objects.get(packet=case).departed_on == today
    viewer = make_user("viewer")
    Membership.objects.create(packet=case, user=viewer, role=Role.VIEWER)
    assert _as(client, viewer).get(f"/packets/{case.pk}/case/decision/").status_code == 200
    assert client.post(f"/packets/{case.pk}/case/decision/", {"outcome": "denied"}).status_code == 404
