"""The closing report after the departure (outcomes from the last report, milestones from the timeline, compliance
from the reports' dates), its PDF, and the publishable summary: planted personal data appears in no export, and the
preview lists it as left out."""

from datetime import date, timedelta
from typing import Any

import pytest
from django.test import Client
from django.utils import timezone
from django.utils.formats import date_format

from packets.case.closing import LATE, NOT_SENT, ON_TIME, compliance_lines
from packets.case.redaction import personal_values, redact
from packets.case.summary import case_summary
from packets.content.schema import PacketData
from packets.models import (
    AuditEntry,
    CaseRender,
    ClosingReport,
    ConditionReport,
    Decision,
    Membership,
    ReportingCondition,
    Role,
)
from tests.assembly.pdfread import info, outline, page_texts, squash
from tests.builders import make_user
from tests.case_builders import make_filed_case

pytestmark = pytest.mark.django_db

NAME = "Ana María Ortiz Reyes"
PASSPORT = "P4417203"
EMAIL = "ana.ortiz@example.cl"
PHONE = "+56 9 5555 0101"
DOB = date(1986, 4, 23)
ADDRESS = "Avenida Brasil 1234, Valparaíso, Chile"
CONTACT = "Margaret Holloway"
INDICATORS = [
    {"name": "School buildings triaged", "target": "14 by the end of the stay"},
    {"name": "County engineers trained", "target": "6"},
]
MILESTONES = [
    {"due_on": "2027-02-01", "description": "Rapid triage of all schools"},
    {"due_on": "2027-04-15", "description": "Training course for county engineers"},
]
SECTIONS = {
    "beneficiary": {
        "full_name": NAME,
        "passport_number": PASSPORT,
        "email": EMAIL,
        "phone": PHONE,
        "date_of_birth": DOB.isoformat(),
        "residence_address": ADDRESS,
    },
    "project": {"title": "Seismic triage of Riverton schools", "summary": "Assess 14 school buildings."},
    "partners": {"items": [{"name": "Riverton School District", "contact_name": CONTACT}]},
    "monitoring": {"indicators": INDICATORS},
    "timeline": {"milestones": MILESTONES},
}


@pytest.fixture
def owner() -> Any:
    return make_user("owner")


@pytest.fixture
def decision(owner: Any) -> Decision:
    packet = make_filed_case(owner, sections=SECTIONS)
    today = timezone.localdate()
    return Decision.objects.create(
        packet=packet,
        outcome="approved",
        decided_on=today - timedelta(days=130),
        parole_from=today - timedelta(days=125),
        parole_to=today + timedelta(days=30),
        arrived_on=today - timedelta(days=120),
    )


@pytest.fixture
def departed(decision: Decision) -> Decision:
    """Three monthly reports were due before the departure: on time, late, not sent."""
    condition = ReportingCondition.objects.create(
        decision=decision, recipient="Riverton County Office", cadence="monthly"
    )
    first, second = case_summary(decision.packet).report_dates[condition.pk][:2]
    ConditionReport.objects.create(
        condition=condition,
        due_on=first,
        sent_on=first,
        achievements=[{"indicator": INDICATORS[0]["name"], "achieved": "5"}],
    )
    ConditionReport.objects.create(
        condition=condition,
        due_on=second,
        sent_on=second + timedelta(days=3),
        achievements=[{"indicator": INDICATORS[0]["name"], "achieved": "11 of 14"}],
    )
    decision.departed_on = timezone.localdate() - timedelta(days=5)
    decision.save()
    return decision


def _url(decision: Decision, tail: str = "") -> str:
    return f"/packets/{decision.packet_id}/case/closing/{tail}"


def _as(client: Client, user: Any) -> Client:
    client.force_login(user)
    return client


def _pdf(render: CaseRender) -> bytes:
    with render.pdf.open("rb") as handle:
        return bytes(handle.read())


def _form(**values: Any) -> dict[str, Any]:
    return {
        "revision": "0",
        "achieved_0": "14 of 14",
        "achieved_1": "6",
        "reached_0": "on",
        "milestone_note_0": "Done in three weeks.",
        "milestone_note_1": "",
        "capacity_built": "Six county engineers can now triage on their own.",
        "continued_by": "The county's building department.",
        "compliance": "",
        "lessons": "Start the paperwork early.",
    } | values


def test_the_closing_report_is_not_available_before_the_departure(
    client: Client, owner: Any, decision: Decision
) -> None:
    page = _as(client, owner).get(_url(decision))
    assert page.status_code == 200
    text = page.content.decode()
    assert "written after the departure" in text and "Save the closing report" not in text
    assert client.post(_url(decision), _form()).status_code == 400
    assert not ClosingReport.objects.exists()
    assert "written after the departure" in client.get(_url(decision, "summary/")).content.decode()
    assert "Write the closing report" not in client.get(f"/packets/{decision.packet_id}/case/").content.decode()


def test_the_form_starts_from_the_last_report_and_the_timeline(client: Client, owner: Any, departed: Decision) -> None:
    page = _as(client, owner).get(_url(departed)).content.decode()
    assert "Achieved: School buildings triaged" in page and 'value="11 of 14"' in page  # the last report's figure
    assert "Reached: Rapid triage of all schools" in page and "Training course for county engineers" in page
    assert "Riverton County Office" in page and "sent on time" in page and "sent late" in page and "not sent" in page
    assert "Write the closing report" in client.get(f"/packets/{departed.packet_id}/case/").content.decode()


def test_the_closing_report_is_saved_and_a_stale_edit_refused(client: Client, owner: Any, departed: Decision) -> None:
    assert _as(client, owner).post(_url(departed), _form()).status_code == 302
    closing = ClosingReport.objects.get(packet=departed.packet)
    assert [row["achieved"] for row in closing.outcomes] == ["14 of 14", "6"]
    assert [(row["description"], row["reached"], row["note"]) for row in closing.milestones] == [
        ("Rapid triage of all schools", True, "Done in three weeks."),
        ("Training course for county engineers", False, ""),
    ]
    assert closing.revision == 1 and closing.lessons == "Start the paperwork early."
    audited = AuditEntry.objects.filter(packet_id=departed.packet_id, action="change")
    assert "case closing" in [entry.description for entry in audited]
    stale = client.post(_url(departed), _form(lessons="My words, typed meanwhile."))
    assert stale.status_code == 400
    assert "Someone else saved the closing report" in stale.content.decode()
    assert "My words, typed meanwhile." in stale.content.decode()
    assert ClosingReport.objects.get().lessons == "Start the paperwork early."
    case_page = client.get(f"/packets/{departed.packet_id}/case/").content.decode()
    assert "Closing report written." in case_page and "The publishable summary" in case_page


def test_compliance_says_on_time_late_and_not_sent(departed: Decision) -> None:
    case = case_summary(departed.packet)
    lines = compliance_lines(case)
    dates = case.report_dates[case.conditions[0].pk]
    assert [line.state for line in lines][:3] == [ON_TIME, LATE, NOT_SENT]
    assert lines[1].days_late == 3 and lines[2].sent_on is None
    assert all(line.due_on <= departed.departed_on for line in lines)  # nothing due after the departure
    assert [line.due_on for line in lines] == [day for day in dates if day <= departed.departed_on]


def test_the_closing_pdf_has_the_outcomes_page_numbers_and_an_outline(
    client: Client, owner: Any, departed: Decision
) -> None:
    _as(client, owner).post(_url(departed), _form())
    assert client.post(_url(departed, "pdf/")).status_code == 302
    render = CaseRender.objects.get(packet=departed.packet, kind="closing")
    pdf = _pdf(render)
    text = squash(" ".join(page_texts(pdf)))
    assert "School buildings triaged 14 by the end of the stay 14 of 14" in text
    assert "Rapid triage of all schools" in text and "Six county engineers can now triage" in text
    assert "sent late (3 days late)" in text and "not sent" in text
    assert f"Page 1 of {render.page_count}" in text
    assert [entry.title for entry in outline(pdf)] == [
        "Outcomes",
        "Milestones",
        "Capacity",
        "Compliance",
        "Departure",
        "Lessons",
    ]
    assert info(pdf)["/Title"] == "Closing report: Seismic triage of Riverton schools"
    assert f"/case/renders/{render.pk}/" in client.get(_url(departed)).content.decode()


PLANTED = [NAME, "Ortiz", "Reyes", PASSPORT, EMAIL, PHONE, ADDRESS, "Avenida Brasil 1234", CONTACT, "Holloway"]


def _planted_absent(text: str) -> None:
    lowered = text.lower()
    for value in [*PLANTED, "1986-04-23", "23 April 1986", "ZZX4512345678", "kim@partner.org", "(415) 555-0188"]:
        assert value.lower() not in lowered, value


def test_the_public_summary_leaves_the_personal_data_out(client: Client, owner: Any, departed: Decision) -> None:
    typed = _form(
        capacity_built=f"{CONTACT} and Ana trained six engineers; write to {EMAIL} or kim@partner.org.",
        lessons=f"Ortiz (born 23 April 1986, passport {PASSPORT}) lived at {ADDRESS}; call {PHONE} or (415) 555-0188.",
        continued_by="Holloway's team, case ZZX4512345678.",
    )
    _as(client, owner).post(_url(departed), typed)
    preview = client.get(_url(departed, "summary/"))
    assert preview.status_code == 200
    page = preview.content.decode()
    shown = page.split('class="summary-preview prewrap">')[1].split("</pre>")[0]
    _planted_absent(shown)
    assert "Seismic triage of Riverton schools" in shown and "[the specialist]" in shown
    assert "[a partner contact]" in shown and "[removed]" in shown
    left_out = page.split('class="left-out">')[1].split("</ul>")[0]
    for label in ("beneficiary&#x27;s name", "Contacts", "Passport", "Addresses", "Email", "Phone", "Dates of birth"):
        assert label in left_out, label
    assert PASSPORT in left_out and CONTACT in left_out and "occurrence" in left_out

    markdown = client.get(_url(departed, "summary.md"))
    assert markdown["Content-Type"] == "text/markdown; charset=utf-8"
    assert markdown["Content-Disposition"].startswith("attachment;") and ".md" in markdown["Content-Disposition"]
    body = markdown.content.decode()
    assert body.startswith("# Seismic triage of Riverton schools")
    _planted_absent(body)

    assert client.post(_url(departed, "summary/pdf/")).status_code == 302
    pdf = _pdf(CaseRender.objects.get(packet=departed.packet, kind="public_summary"))
    text = squash(" ".join(page_texts(pdf)))
    assert "Seismic triage of Riverton schools" in text and "14 of 14" in text
    _planted_absent(text + " ".join(info(pdf).values()))


def test_personal_data_typed_into_the_summary_is_left_out_on_export(
    client: Client, owner: Any, departed: Decision
) -> None:
    _as(client, owner).post(_url(departed), _form())
    saved = client.post(
        _url(departed, "summary/"), {"revision": "1", "text": f"# Our project\n\nThanks to {NAME}, {EMAIL}."}
    )
    assert saved.status_code == 302
    assert ClosingReport.objects.get().public_summary.startswith("# Our project")
    body = client.get(_url(departed, "summary.md")).content.decode()
    assert body.startswith("# Our project") and "[the specialist]" in body
    _planted_absent(body)
    stale = client.post(_url(departed, "summary/"), {"revision": "1", "text": "Typed meanwhile."})
    assert stale.status_code == 400 and "Typed meanwhile." in stale.content.decode()


def test_dates_on_the_page_use_the_date_format(client: Client, owner: Any, departed: Decision) -> None:
    page = _as(client, owner).get(_url(departed)).content.decode()
    assert date_format(departed.departed_on, "DATE_FORMAT") in page


def test_another_packets_closing_report_is_not_found(client: Client, owner: Any, departed: Decision) -> None:
    stranger = make_user("stranger")
    other = make_filed_case(stranger, name="Other packet")
    _as(client, stranger)
    for tail in ("", "summary/", "summary.md"):
        assert client.get(_url(departed, tail)).status_code == 404
    assert client.post(_url(departed, "pdf/")).status_code == 404
    assert client.get(f"/packets/{other.pk}/case/closing/").status_code == 200  # their own: not departed yet


def test_a_viewer_reads_the_closing_report_but_cannot_write_it(client: Client, owner: Any, departed: Decision) -> None:
    _as(client, owner).post(_url(departed), _form())
    viewer = make_user("viewer")
    Membership.objects.create(packet=departed.packet, user=viewer, role=Role.VIEWER)
    page = _as(client, viewer).get(_url(departed)).content.decode()
    assert "Start the paperwork early." in page and "Save the closing report" not in page
    assert client.post(_url(departed), _form(revision="1", lessons="Changed.")).status_code == 404
    assert client.post(_url(departed, "summary/"), {"revision": "1", "text": "Changed."}).status_code == 404
    assert ClosingReport.objects.get().lessons == "Start the paperwork early."
    assert client.get(_url(departed, "summary/")).status_code == 200


def test_the_redaction_catches_spellings_and_look_alikes_but_keeps_the_projects_facts() -> None:
    data = PacketData.model_validate({"beneficiary": SECTIONS["beneficiary"], "partners": SECTIONS["partners"]})
    text = (
        "ORTIZ was born 04/23/1986 and 23.04.1986; holloway wrote from x.y@z.org, +1 415 555 0100, passport "
        "ab1234567, receipt IOE0987654321. Triage done 2027-02-01: 14 of 14 buildings, 6 engineers, Page 1 of 2."
    )
    redaction = redact(text, personal_values(data))
    for gone in ("ORTIZ", "04/23/1986", "23.04.1986", "holloway", "x.y@z.org", "415 555", "ab1234567", "IOE0987654321"):
        assert gone.lower() not in redaction.text.lower(), gone
    assert "2027-02-01: 14 of 14 buildings, 6 engineers, Page 1 of 2." in redaction.text
    counts = {item.kind: item.count for item in redaction.left_out}
    assert counts == {"name": 1, "contact": 1, "number": 1, "receipt": 1, "email": 1, "phone": 1, "birth": 2}
