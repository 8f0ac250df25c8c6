"""Reports under a reporting condition: written for a due date against the packet's indicators, carried forward from
the last report, refused when stale, and exported as a numbered, bookmarked PDF."""

from datetime import timedelta
from typing import Any

import pytest
from django.test import Client
from django.utils import timezone
from django.utils.formats import date_format

from packets.case.summary import case_summary
from packets.models import CaseRender, ConditionReport, Decision, Membership, ReportingCondition, Role
from tests.assembly.pdfread import info, outline, page_texts, squash
from tests.builders import make_user
from tests.case_builders import make_filed_case

pytestmark = pytest.mark.django_db

INDICATORS = [
    {"name": "School buildings triaged", "target": "14 by the end of the stay"},
    {"name": "County engineers trained", "target": "6"},
]


@pytest.fixture
def owner() -> Any:
    return make_user("owner")


@pytest.fixture
def condition(owner: Any) -> ReportingCondition:
    packet = make_filed_case(
        owner,
        sections={
            "beneficiary": {"full_name": "Ana María Ortiz Reyes"},
            "project": {"title": "Seismic triage of Riverton schools"},
            "monitoring": {"indicators": INDICATORS},
        },
    )
    today = timezone.localdate()
    decision = Decision.objects.create(
        packet=packet,
        outcome="approved",
        decided_on=today - timedelta(days=70),
        parole_from=today - timedelta(days=65),
        parole_to=today + timedelta(days=120),
    )
    return ReportingCondition.objects.create(
        decision=decision, recipient="Riverton County Office", cadence="monthly", how="email"
    )


def _url(condition: ReportingCondition, due: Any) -> str:
    return f"/packets/{condition.decision.packet_id}/case/reports/{condition.pk}/{due.isoformat()}/"


def _case_dates(condition: ReportingCondition) -> list[Any]:
    return case_summary(condition.decision.packet).report_dates[condition.pk]


def _as(client: Client, user: Any) -> Client:
    client.force_login(user)
    return client


def _form(**values: Any) -> dict[str, Any]:
    return {"revision": "0", "narrative": "", "sent_on": "", "achieved_0": "", "achieved_1": ""} | values


def test_a_report_is_written_against_the_indicators_and_the_next_one_starts_from_it(
    client: Client, owner: Any, condition: ReportingCondition
) -> None:
    first, second = _case_dates(condition)[:2]
    page = _as(client, owner).get(_url(condition, first)).content.decode()
    assert "Achieved so far: School buildings triaged" in page and "Target: 14 by the end of the stay" in page
    assert "Overdue" in page  # the first month's report was due before today
    sent = (timezone.localdate() - timedelta(days=1)).isoformat()
    saved = client.post(
        _url(condition, first),
        _form(achieved_0="5 of 14", achieved_1="2", narrative="Five schools assessed.", sent_on=sent),
    )
    assert saved.status_code == 302
    report = ConditionReport.objects.get(condition=condition, due_on=first)
    assert [row["achieved"] for row in report.achievements] == ["5 of 14", "2"]
    assert report.period_from == condition.decision.parole_from and report.period_to == first

    following = client.get(_url(condition, second)).content.decode()
    assert 'value="5 of 14"' in following  # carried forward: the next report starts where this one left off
    case_page = client.get(f"/packets/{condition.decision.packet_id}/case/").content.decode()
    assert f"sent {date_format(timezone.localdate() - timedelta(days=1), 'DATE_FORMAT')}" in case_page
    assert "Report to Riverton County Office due" in case_page and "written." in case_page  # the case log


def test_a_stale_report_is_refused_and_the_text_kept(client: Client, owner: Any, condition: ReportingCondition) -> None:
    first = _case_dates(condition)[0]
    _as(client, owner).post(_url(condition, first), _form(narrative="Counsel's words."))
    stale = client.post(_url(condition, first), _form(narrative="My words, typed meanwhile."))
    assert stale.status_code == 400
    assert "Someone else saved this report" in stale.content.decode()
    assert "My words, typed meanwhile." in stale.content.decode()
    assert ConditionReport.objects.get().narrative == "Counsel's words."


def test_only_the_conditions_own_due_dates_have_reports(
    client: Client, owner: Any, condition: ReportingCondition
) -> None:
    first = _case_dates(condition)[0]
    assert _as(client, owner).get(_url(condition, first + timedelta(days=1))).status_code == 404
    assert client.get(_url(condition, first).replace(first.isoformat(), "not-a-date")).status_code == 404
    future = _case_dates(condition)[-1]
    early = client.post(_url(condition, future), _form(sent_on=(timezone.localdate() + timedelta(days=2)).isoformat()))
    assert early.status_code == 400 and "cannot be sent in the future" in early.content.decode()


def test_the_report_pdf_has_the_indicators_page_numbers_and_an_outline(
    client: Client, owner: Any, condition: ReportingCondition
) -> None:
    first = _case_dates(condition)[0]
    _as(client, owner).post(_url(condition, first), _form(achieved_0="5 of 14", narrative="Five schools assessed."))
    report = ConditionReport.objects.get()
    built = client.post(f"/packets/{condition.decision.packet_id}/case/reports/{report.pk}/pdf/")
    assert built.status_code == 302
    render = CaseRender.objects.get(report=report, kind="report")
    with render.pdf.open("rb") as handle:
        pdf = handle.read()
    text = squash(" ".join(page_texts(pdf)))
    assert "Report to Riverton County Office" in text and "Seismic triage of Riverton schools" in text
    assert "School buildings triaged 14 by the end of the stay 5 of 14" in text
    assert "Five schools assessed." in text
    assert f"Page 1 of {render.page_count}" in text
    assert [entry.title for entry in outline(pdf)] == ["Report", "Indicators", "What happened in the period"]
    assert info(pdf)["/Title"].startswith("Report to Riverton County Office due")
    page = client.get(_url(condition, first)).content.decode()
    assert f"/case/renders/{render.pk}/" in page


def test_a_viewer_reads_the_report_but_cannot_write_it(
    client: Client, owner: Any, condition: ReportingCondition
) -> None:
    first = _case_dates(condition)[0]
    _as(client, owner).post(_url(condition, first), _form(narrative="Five schools assessed."))
    viewer = make_user("viewer")
    Membership.objects.create(packet=condition.decision.packet, user=viewer, role=Role.VIEWER)
    page = _as(client, viewer).get(_url(condition, first)).content.decode()
    assert "Five schools assessed." in page and "Save the report" not in page
    assert client.post(_url(condition, first), _form(narrative="Changed.")).status_code == 404
    assert ConditionReport.objects.get().narrative == "Five schools assessed."
