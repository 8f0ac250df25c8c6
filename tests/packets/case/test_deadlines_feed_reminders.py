"""Deadlines everywhere: computed from the facts file, in a secret revocable iCalendar feed, and in reminder emails
sent once each by ``manage.py send_reminders``."""

from datetime import date, timedelta
from io import StringIO
from typing import Any

import pytest
from django.core import mail
from django.core.management import call_command
from django.test import Client
from django.utils import timezone
from icalendar import Calendar

from packets.case.deadlines import report_due_dates, rfe_due_on
from packets.case.summary import case_summary, load_cases
from packets.models import Decision, Membership, Packet, ReportingCondition, RequestForEvidence, Role
from tests.builders import make_user
from tests.case_builders import make_filed_case

pytestmark = pytest.mark.django_db


def _approved(packet: Packet, start: date, end: date) -> Decision:
    return Decision.objects.create(
        packet=packet, outcome="approved", decided_on=start, parole_from=start, parole_to=end
    )


def test_the_rfe_window_is_84_days_plus_3_when_mailed() -> None:
    rfe = RequestForEvidence(issued_on=date(2027, 1, 4), mailed=False)
    assert rfe_due_on(rfe) == date(2027, 3, 29)
    rfe.mailed = True
    assert rfe_due_on(rfe) == date(2027, 4, 1)


def test_monthly_reports_clamp_month_ends_and_stop_at_the_end_of_parole() -> None:
    condition = ReportingCondition(cadence="monthly", first_due_on=date(2027, 1, 31))
    assert report_due_dates(condition, parole_from=date(2027, 1, 1), parole_to=date(2027, 4, 30)) == [
        date(2027, 1, 31),
        date(2027, 2, 28),
        date(2027, 3, 31),
        date(2027, 4, 30),
    ]
    every = ReportingCondition(cadence="monitoring")
    assert report_due_dates(
        every, parole_from=date(2027, 1, 1), parole_to=date(2027, 4, 1), monitoring_text="A report every 6 weeks."
    ) == [date(2027, 2, 12), date(2027, 3, 26)]
    assert report_due_dates(ReportingCondition(cadence="once"), parole_from=None, parole_to=None) == []


def test_the_case_lists_reparole_window_90_days_before_expiry_and_loads_in_fixed_queries(
    django_assert_max_num_queries: Any,
) -> None:
    owner = make_user("owner")
    packet = make_filed_case(owner)
    _approved(packet, date(2027, 1, 1), date(2027, 12, 31))
    keys = {deadline.key: deadline for deadline in case_summary(packet).deadlines}
    assert keys["reparole"].due_on == date(2027, 10, 2)
    assert "Human Rights First" in keys["reparole"].source
    packets = [packet, *(make_filed_case(make_user(f"o{n}"), name=f"Case {n}") for n in range(3))]
    with django_assert_max_num_queries(9):
        load_cases(Packet.objects.filter(pk__in=[p.pk for p in packets]))


def test_the_calendar_feed_is_secret_valid_icalendar_and_revocable(client: Client) -> None:
    owner, stranger = make_user("owner"), make_user("stranger")
    packet = make_filed_case(owner)
    today = timezone.localdate()
    decision = _approved(packet, today, today + timedelta(days=120))
    ReportingCondition.objects.create(decision=decision, recipient="County OEM", cadence="monthly")
    make_filed_case(stranger, name="Someone else's case")

    client.force_login(owner)
    page = client.post("/calendar/", {"action": "create"}).content.decode()
    url = page.split('id="calendar-url" type="text" readonly value="')[1].split('"')[0]
    token_path = url[url.index("/calendar/") :]
    client.logout()
    feed = client.get(token_path)
    assert feed.status_code == 200 and feed["Content-Type"].startswith("text/calendar")
    assert feed["Cache-Control"] == "private, no-store"
    events = list(Calendar.from_ical(feed.content).walk("VEVENT"))
    summaries = [str(event["summary"]) for event in events]
    assert any(s.startswith("Report to County OEM due") for s in summaries)
    dates = {event["dtstart"].dt for event in events}
    assert (today + timedelta(days=120)) in dates  # the parole period's end
    assert len({str(event["uid"]) for event in events}) == len(events)
    assert not any("Someone else" in s for s in summaries)
    assert "Ana" not in feed.content.decode()  # no beneficiary name in a feed calendar servers fetch

    client.force_login(owner)
    client.post("/calendar/", {"action": "revoke"})
    client.logout()
    assert client.get(token_path).status_code == 404
    assert client.get("/calendar/not-a-token.ics").status_code == 404


def test_send_reminders_sends_one_email_then_none_and_skips_unverified_addresses(
    django_capture_on_commit_callbacks: Any,
) -> None:
    owner = make_user("owner", email="owner@example.org")
    unverified = make_user("late", email="late@example.org", email_verified=False)
    packet = make_filed_case(owner)
    Membership.objects.create(packet=packet, user=unverified, role=Role.EDITOR)
    today = timezone.localdate()
    decision = _approved(packet, today - timedelta(days=20), today + timedelta(days=200))
    ReportingCondition.objects.create(
        decision=decision, recipient="County OEM", cadence="once", first_due_on=today + timedelta(days=7)
    )
    out = StringIO()
    with django_capture_on_commit_callbacks(execute=True):
        call_command("send_reminders", stdout=out)
    assert "sent=" in out.getvalue()
    report_mails = [m for m in mail.outbox if "Report to County OEM" in m.subject]
    # The owner and counsel, once each; the editor whose address is not confirmed hears nothing.
    assert sorted(m.to[0] for m in report_mails) == ["owner-counsel@example.org", "owner@example.org"]
    assert "In 7 days" in report_mails[0].subject
    assert f"/packets/{packet.pk}/case/" in report_mails[0].body
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        call_command("send_reminders", stdout=StringIO())
    assert mail.outbox == []
