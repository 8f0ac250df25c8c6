"""Re-parole: from an approved case, a new packet with the content and the chosen exhibits (files copied byte for
byte), linked to the earlier case, whose cover and cover letter say it is a re-parole request, with its own readiness
(the earlier period's reports attached, filed in time)."""

from datetime import timedelta
from typing import Any

import pytest
from django.test import Client
from django.utils import timezone
from django.utils.formats import date_format

from packets.case.reparole import ReparoleChoice, reparole_start
from packets.case.reports import report_period, report_render, report_save
from packets.case.summary import case_summary
from packets.models import (
    CaseLogEntry,
    CaseRender,
    ConditionReport,
    Decision,
    Exhibit,
    Membership,
    Packet,
    ReportingCondition,
    Role,
)
from packets.rendering.versions import packet_pdf
from packets.review.readiness import packet_readiness
from tests.assembly.pdfread import info, page_texts, squash
from tests.builders import make_user
from tests.case_builders import make_filed_case

pytestmark = pytest.mark.django_db

RECEIPT = "IOE0123456789"


@pytest.fixture
def owner() -> Any:
    return make_user("owner")


def _approved(owner: Any, *, parole_to_days: int = 200, outcome: str = "approved") -> Packet:
    packet = make_filed_case(owner, receipt_number=RECEIPT)
    today = timezone.localdate()
    Decision.objects.create(
        packet=packet,
        outcome=outcome,
        decided_on=today - timedelta(days=70),
        parole_from=today - timedelta(days=65) if outcome == "approved" else None,
        parole_to=today + timedelta(days=parole_to_days) if outcome == "approved" else None,
    )
    return packet


@pytest.fixture
def case(owner: Any) -> Packet:
    return _approved(owner)


def _form(packet: Packet, exhibits: list[Exhibit], **values: Any) -> dict[str, Any]:
    return {
        "name": "Riverton — re-parole",
        "exhibits": [str(exhibit.pk) for exhibit in exhibits],
        "reports": [],
        "revision": str(Packet.objects.get(pk=packet.pk).revision),
    } | values


def _url(packet: Packet) -> str:
    return f"/packets/{packet.pk}/case/reparole/"


def _report_pdf(packet: Packet, owner: Any) -> tuple[ReportingCondition, CaseRender]:
    """A monthly condition whose first report (due before today) is written, sent and built as a PDF."""
    decision = Decision.objects.get(packet=packet)
    condition = ReportingCondition.objects.create(
        decision=decision, recipient="Riverton County Office", cadence="once", first_due_on=decision.parole_from
    )
    case = case_summary(packet)
    period = report_period(case, condition, condition.first_due_on)  # type: ignore[arg-type]
    assert period is not None
    report = report_save(
        packet=packet,
        condition=condition,
        period=period,
        by=owner,
        revision=0,
        narrative="Six buildings triaged.",
        achievements=[],
        sent_on=period.due_on,
    )
    return condition, report_render(packet=packet, case=case_summary(packet), report=report, by=owner)


def test_the_new_packet_has_the_content_and_only_the_chosen_exhibits_byte_for_byte(
    client: Client, owner: Any, case: Packet
) -> None:
    exhibits = list(Exhibit.objects.filter(packet=case))
    client.force_login(owner)
    page = client.get(_url(case))
    assert page.status_code == 200
    assert page.content.decode().count("checked") == len(exhibits)  # every exhibit is kept unless unticked

    answer = client.post(_url(case), _form(case, [exhibits[0], exhibits[2]]))

    new = Packet.objects.exclude(pk=case.pk).get()
    assert answer.status_code == 302 and answer["Location"] == f"/packets/{new.pk}/"
    assert new.reparole_of_id == case.pk and new.name == "Riverton — re-parole"
    assert new.content.beneficiary.full_name == case.content.beneficiary.full_name
    assert new.content.project.title == case.content.project.title
    copies = list(Exhibit.objects.filter(packet=new))
    assert [copy.title for copy in copies] == [exhibits[0].title, exhibits[2].title]
    for copy, source in zip(copies, [exhibits[0], exhibits[2]], strict=True):
        assert copy.pk != source.pk and copy.file.name != source.file.name
        with copy.file.open("rb") as mine, source.file.open("rb") as theirs:
            assert mine.read() == theirs.read()
    assert not any(str(exhibit.pk) in str(new.data) for exhibit in exhibits)  # no earlier exhibit is named
    roles = dict(Membership.objects.filter(packet=new).values_list("user__username", "role"))
    assert roles == {"owner": Role.OWNER, "owner-counsel": Role.COUNSEL}
    summaries = [entry.summary for entry in CaseLogEntry.objects.filter(packet=case)]
    assert "Re-parole request started: Riverton — re-parole, with 2 exhibit(s) and 0 report(s)." in summaries


def test_the_same_form_sent_twice_starts_one_request_and_leads_to_it(client: Client, owner: Any, case: Packet) -> None:
    client.force_login(owner)
    form = _form(case, list(Exhibit.objects.filter(packet=case))) | {"requests_seen": "0"}
    first = client.post(_url(case), form)
    again = client.post(_url(case), form)  # a double click, or the browser sending it again
    new = Packet.objects.exclude(pk=case.pk).get()
    assert first["Location"] == again["Location"] == f"/packets/{new.pk}/"
    assert "already started" in client.get(again["Location"]).content.decode()
    shown = client.get(_url(case)).content.decode()
    assert 'name="requests_seen" value="1"' in shown  # a second request on purpose: the form as shown now


def test_the_pages_link_the_two_cases_and_show_the_button_only_to_who_may(
    client: Client, owner: Any, case: Packet
) -> None:
    viewer = make_user("viewer")
    Membership.objects.create(packet=case, user=viewer, role=Role.VIEWER)
    new = reparole_start(
        packet=case,
        by=owner,
        choice=ReparoleChoice("Riverton — re-parole", frozenset(), frozenset()),
        revision=case.revision,
    )
    client.force_login(owner)
    detail = client.get(f"/packets/{new.pk}/").content.decode()
    assert f"Re-parole of {case.name} (receipt number {RECEIPT})" in detail
    assert f"/packets/{case.pk}/case/" in detail
    case_page = client.get(f"/packets/{case.pk}/case/").content.decode()
    assert "Request re-parole" in case_page and f"/packets/{new.pk}/" in case_page
    client.force_login(viewer)
    seen = client.get(f"/packets/{case.pk}/case/").content.decode()
    assert "Request re-parole" not in seen and "Riverton — re-parole" in seen  # the viewer is on the new one too


@pytest.mark.parametrize("role", [Role.VIEWER, Role.EDITOR])
def test_a_viewer_or_an_editor_cannot_request_re_parole(client: Client, owner: Any, case: Packet, role: str) -> None:
    member = make_user(f"as-{role}")
    Membership.objects.create(packet=case, user=member, role=role)
    client.force_login(member)

    assert client.get(_url(case)).status_code == 404
    assert client.post(_url(case), _form(case, [])).status_code == 404
    assert Packet.objects.count() == 1


def test_a_denied_case_and_someone_elses_case_cannot_request(client: Client, owner: Any, case: Packet) -> None:
    other = make_user("other")
    denied = _approved(other, outcome="denied")
    client.force_login(other)
    assert client.get(_url(denied)).status_code == 404
    assert client.post(_url(denied), _form(denied, [])).status_code == 404
    assert client.get(_url(case)).status_code == 404  # alice's case, by id
    assert client.post(_url(case), _form(case, [])).status_code == 404
    assert Packet.objects.filter(reparole_of__isnull=False).count() == 0


def test_a_packet_changed_while_choosing_is_refused_with_the_choice_kept(
    client: Client, owner: Any, case: Packet
) -> None:
    exhibits = list(Exhibit.objects.filter(packet=case))
    client.force_login(owner)

    answer = client.post(_url(case), _form(case, exhibits[:1], name="My typed name", revision="0"))

    assert answer.status_code == 400
    page = answer.content.decode()
    assert "The packet changed while you were choosing" in page and "My typed name" in page
    assert Packet.objects.count() == 1


def test_the_rendered_cover_and_cover_letter_say_re_parole_with_the_earlier_receipt_and_period(
    owner: Any, case: Packet
) -> None:
    new = reparole_start(
        packet=case,
        by=owner,
        choice=ReparoleChoice("Riverton — re-parole", frozenset(), frozenset()),
        revision=case.revision,
    )
    decision = Decision.objects.get(packet=case)
    rendered, _sources = packet_pdf(packet=new, final=False, version_number=1, created_at=timezone.now())

    pages = [squash(text) for text in page_texts(rendered.pdf)]
    period = f"{decision.parole_from.isoformat()} to {decision.parole_to.isoformat()}"  # type: ignore[union-attr]
    assert "REPAROLE" in pages[0] and RECEIPT in pages[0] and period in pages[0]
    letter = next(text for text in pages if "Cover letter" in text and "To the reviewing officer" in text)
    assert "Re: REPAROLE — a request for re-parole" in letter and RECEIPT in letter and period in letter
    assert info(rendered.pdf)["/Title"].startswith("Re-parole request:")
    plain, _sources = packet_pdf(packet=case, final=False, version_number=2, created_at=timezone.now())
    assert "REPAROLE" not in " ".join(page_texts(plain.pdf))


def test_reports_missing_fires_until_the_report_pdf_is_attached(owner: Any, case: Packet) -> None:
    condition, render = _report_pdf(case, owner)
    unwritten = ReportingCondition.objects.create(
        decision=condition.decision, recipient="State Office", cadence="once", first_due_on=condition.first_due_on
    )
    without = reparole_start(
        packet=case, by=owner, choice=ReparoleChoice("Without", frozenset(), frozenset()), revision=case.revision
    )
    case.refresh_from_db()
    found = {finding.rule: finding for finding in packet_readiness(packet=without)}
    due = date_format(condition.first_due_on, "DATE_FORMAT")  # type: ignore[arg-type]
    message = found["reparole-reports-missing"].message
    assert f"State Office, due {due}" in message and "never written" in message
    assert f"Riverton County Office, due {due}" in message and "not attached" in message

    ConditionReport.objects.create(condition=unwritten, due_on=unwritten.first_due_on, sent_on=unwritten.first_due_on)
    later = _report_pdf_for(unwritten, owner)
    case.refresh_from_db()
    both = reparole_start(
        packet=case,
        by=owner,
        choice=ReparoleChoice("With", frozenset(), frozenset({render.pk, later.pk})),
        revision=case.revision,
    )
    assert Exhibit.objects.filter(packet=both).count() == 2
    assert "reparole-reports-missing" not in {finding.rule for finding in packet_readiness(packet=both)}


def _report_pdf_for(condition: ReportingCondition, owner: Any) -> CaseRender:
    packet = condition.decision.packet
    report = ConditionReport.objects.get(condition=condition)
    return report_render(packet=packet, case=case_summary(packet), report=report, by=owner)


def test_reparole_late_fires_inside_the_90_days_and_is_quiet_before(owner: Any) -> None:
    soon = _approved(owner, parole_to_days=60)
    late = reparole_start(
        packet=soon, by=owner, choice=ReparoleChoice("Late", frozenset(), frozenset()), revision=soon.revision
    )
    found = {finding.rule: finding for finding in packet_readiness(packet=late)}
    decision = Decision.objects.get(packet=soon)
    assert "reparole-late" in found
    assert date_format(decision.parole_to, "DATE_FORMAT") in found["reparole-late"].message  # type: ignore[arg-type]
    assert "at least 90 days" in found["reparole-late"].message

    decision.parole_to = timezone.localdate() + timedelta(days=200)
    decision.save()
    assert "reparole-late" not in {finding.rule for finding in packet_readiness(packet=late)}
    assert "reparole-late" not in {finding.rule for finding in packet_readiness(packet=soon)}  # not a re-parole
