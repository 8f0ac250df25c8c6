import html
import io
import re
import subprocess
import uuid
from datetime import timedelta
from pathlib import Path
from typing import Any

import pikepdf
import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import User
from django.core.management import call_command
from django.test import Client
from django.utils import timezone
from django.utils.formats import date_format

from packets.demo.case import DEMO_RECEIPT_NUMBER, FILED_CASE_NAME
from packets.demo.passport import mrz_check_digit
from packets.demo.scenario import (
    PARTNERS,
    DemoExhibit,
    create_demo_packet,
    demo_exhibits,
    riverton_content,
    weak_letter_pdf,
)
from packets.evidence.labels import exhibit_label
from packets.evidence.uploads import inspect_upload
from packets.models import CaseRender, ExhibitKind, Filing, Membership, Packet, RequestForEvidence, Role
from packets.people import person_display
from parole_wizard.steps import StepState, step_state, steps_for
from tests.builders import make_user


@pytest.fixture(scope="module")
def exhibits() -> list[DemoExhibit]:
    return demo_exhibits()  # about half a second: drawn once for the module


def seed(*args: str) -> str:
    out = io.StringIO()
    call_command("seed_demo", *args, stdout=out)
    return out.getvalue()


def pdf_text(content: bytes, tmp_path: Path) -> str:
    """The text of a PDF as pdftotext reads it, with runs of white space made single spaces."""
    path = tmp_path / "read-back.pdf"
    path.write_bytes(content)
    result = subprocess.run(["pdftotext", "-enc", "UTF-8", str(path), "-"], capture_output=True, check=True)  # noqa: S603, S607
    return re.sub(r"\s+", " ", result.stdout.decode())


def step_states(packet: Packet) -> dict[str, StepState]:
    content = packet.content
    exhibits = packet.exhibits.count()
    return {step.name: step_state(step, content, exhibits)[0] for step in steps_for(content)}


@pytest.mark.django_db
def test_seed_demo_creates_the_demo_logins_and_a_packet_whose_every_step_is_complete() -> None:
    output = seed()

    applicant = get_user_model().objects.get(username="applicant")
    counsel = get_user_model().objects.get(username="counsel")
    assert applicant.check_password("riverton-demo-2027")
    assert counsel.check_password("riverton-demo-2027")
    packet = Packet.objects.get(filing__isnull=True)
    assert Membership.objects.get(packet=packet, user=applicant).role == Role.OWNER
    assert Membership.objects.get(packet=packet, user=counsel).role == Role.COUNSEL
    states = step_states(packet)
    assert "organisation" in states  # the organisation requests, so its step applies
    assert set(states.values()) == {StepState.COMPLETE}, states
    assert "applicant / riverton-demo-2027" in output
    assert "counsel   / riverton-demo-2027" in output
    assert "http://127.0.0.1:8000/" in output


def _text(response: Any) -> str:
    return html.unescape(re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", response.content.decode())))


@pytest.mark.django_db
def test_the_demo_counsel_finds_the_filed_case_on_the_caseload_with_its_receipt_rfe_approval_and_report(
    client: Client,
) -> None:
    seed()
    counsel = get_user_model().objects.get(username="counsel")
    assert counsel.check_password("riverton-demo-2027")
    client.force_login(counsel)
    case = Packet.objects.get(filing__isnull=False)
    today = timezone.localdate()

    caseload = _text(client.get("/caseload/"))
    assert f"Lucía Fernández Ortega {FILED_CASE_NAME} {DEMO_RECEIPT_NUMBER} Arrived" in caseload
    assert f'href="/packets/{case.pk}/case/"' in client.get("/caseload/").content.decode()

    page = _text(client.get(f"/packets/{case.pk}/case/"))
    filed_on = today - timedelta(days=150)
    assert f"Filed on {date_format(filed_on, 'DATE_FORMAT')} (Mailed to the lockbox)" in page
    assert f"Receipt number {DEMO_RECEIPT_NUMBER}" in page
    assert "Receipt notice download" in page
    rfe_issued, rfe_sent = filed_on + timedelta(days=40), filed_on + timedelta(days=70)
    assert f"2 items · Sent · sent {date_format(rfe_sent, 'DATE_FORMAT')}" in page
    decided_on = filed_on + timedelta(days=100)
    assert f"Decision Approved · {date_format(decided_on, 'DATE_FORMAT')}" in page
    parole_from = decided_on + timedelta(days=15)
    parole = (
        f"{date_format(parole_from, 'DATE_FORMAT')} – {date_format(parole_from + timedelta(days=365), 'DATE_FORMAT')}"
    )
    assert f"Parole period {parole}" in page
    assert "USCIS Humanitarian Affairs Branch · Monthly" in page
    first_due = parole_from + timedelta(days=30)
    sent = date_format(first_due + timedelta(days=1), "DATE_FORMAT")
    assert f"{date_format(first_due, 'DATE_FORMAT')} — sent {sent}" in page
    assert "overdue" not in page  # a demo whose deadlines are all live, whatever day it is seeded

    rfe = RequestForEvidence.objects.get(packet=case)
    assert rfe.issued_on == rfe_issued
    assert [(item.answer != "", item.citations) for item in rfe.items.order_by("number")] == [
        (True, [{"filed": "J"}, {"document": str(rfe.new_exhibits.get().pk), "label": "O"}]),
        (True, [{"filed": "K", "page": 1}]),
    ]
    assert rfe.approved_revision == rfe.revision
    response = _text(client.get(f"/packets/{case.pk}/case/rfe/{rfe.pk}/"))
    assert "Two licensed Oregon engineers" in response
    assert not CaseRender.objects.exists()  # seeding renders nothing


@pytest.mark.django_db
def test_the_demo_counsel_is_shown_with_firm_and_bar_number() -> None:
    seed()
    counsel = get_user_model().objects.get(username="counsel")
    assert person_display(counsel) == "Priya Raman (Raman Immigration Law, bar no. / accreditation OR 104233)"


@pytest.mark.django_db
def test_seed_demo_prints_the_address_the_app_is_served_at() -> None:
    # `PORT=8124 make run` passes its port on: the printed address is the one that works.
    assert "Open http://127.0.0.1:8000/" in seed("--if-empty")
    assert "Open http://127.0.0.1:8124/" in seed("--if-empty", "--url", "http://127.0.0.1:8124/")


@pytest.mark.django_db
def test_seed_demo_if_empty_does_nothing_the_second_time_and_prints_no_logins() -> None:
    assert "applicant / riverton-demo-2027" in seed("--if-empty")
    output = seed("--if-empty")

    assert Packet.objects.count() == 2  # the packet and the filed case, once
    assert Filing.objects.count() == 1
    assert get_user_model().objects.count() == 2
    assert "no demo data added" in output
    # Nothing was created this time, so no login is promised: the passwords may have been changed since.
    assert "riverton-demo-2027" not in output
    assert "Demo logins" not in output
    assert "http://127.0.0.1:8000/" in output


@pytest.mark.django_db
def test_seed_demo_if_empty_leaves_a_database_with_any_user_alone() -> None:
    make_user("someone")

    output = seed("--if-empty")

    assert "riverton-demo-2027" not in output
    assert not get_user_model().objects.filter(username="applicant").exists()
    assert not Packet.objects.exists()


@pytest.mark.django_db
def test_seed_demo_without_if_empty_resets_the_demo_passwords_and_adds_a_fresh_packet() -> None:
    seed()
    applicant = get_user_model().objects.get(username="applicant")
    applicant.set_password("something else entirely")
    applicant.save()

    seed()

    applicant.refresh_from_db()
    assert applicant.check_password("riverton-demo-2027")
    assert Packet.objects.filter(memberships__user=applicant).count() == 4


@pytest.mark.django_db
def test_the_demo_packet_holds_the_riverton_content_and_its_exhibits_in_reading_order(user: User) -> None:
    packet = create_demo_packet(owner=user)

    exhibits = list(packet.exhibits.all())
    expected = demo_exhibits()
    assert [(exhibit.kind, exhibit.title) for exhibit in exhibits] == [(e.kind, e.title) for e in expected]
    assert [exhibit.kind for exhibit in exhibits[:4]] == [
        ExhibitKind.PASSPORT,
        ExhibitKind.CV,
        ExhibitKind.CERTIFICATE,
        ExhibitKind.CERTIFICATE,
    ]
    ids = {demo.key: exhibit.id for demo, exhibit in zip(expected, exhibits, strict=True)}
    assert packet.content == riverton_content(ids)
    letters = {partner.letter_exhibit_id for partner in packet.content.partners.items}
    assert letters == {exhibit.id for exhibit in exhibits if exhibit.kind == ExhibitKind.SUPPORT_LETTER}
    assert exhibit_label(len(exhibits) - 1) == "N"
    # One saved revision per section, and one per exhibit stored outside a section (an exhibit change is a revision).
    assert packet.revision == len(packet.section_revisions) + packet.changes.filter(section="evidence").count()


def test_riverton_content_is_complete_for_every_step_and_contradicts_nothing(exhibits: list[DemoExhibit]) -> None:
    content = riverton_content({demo.key: uuid.uuid4() for demo in exhibits})

    assert content.contradictions() == []
    assert {step_state(step, content, 14)[0] for step in steps_for(content)} == {StepState.COMPLETE}
    assert content.timeline.stay_days == 117  # 2027-01-04 to 2027-04-30, both days counted, as the scenario says
    assert [partner.letter_date.month for partner in content.partners.items if partner.letter_date] == [
        11,
        11,
        11,
        10,
        11,
    ]


def test_every_demo_exhibit_is_a_valid_upload_of_the_kind_its_name_says(exhibits: list[DemoExhibit]) -> None:
    for demo in exhibits:
        inspected = inspect_upload(io.BytesIO(demo.content), size=len(demo.content), name=demo.filename)

        assert inspected.content_type == demo.content_type, demo.key
        if demo.kind == ExhibitKind.PASSPORT:
            assert inspected.content_type == "image/jpeg"
        else:
            assert inspected.content_type == "application/pdf", demo.key


def test_the_cv_has_two_pages_and_every_other_pdf_fits_on_one(exhibits: list[DemoExhibit]) -> None:
    pages = {}
    for demo in exhibits:
        if demo.content_type == "application/pdf":
            with pikepdf.open(io.BytesIO(demo.content)) as pdf:
                pages[demo.key] = len(pdf.pages)

    assert pages.pop("cv") == 2
    assert set(pages.values()) == {1}


def test_each_support_letter_names_the_beneficiary_her_role_the_project_and_the_partners_contact(
    exhibits: list[DemoExhibit], tmp_path: Path
) -> None:
    letters = {demo.key: demo for demo in exhibits if demo.kind == ExhibitKind.SUPPORT_LETTER}
    assert len(letters) == len(PARTNERS) == 5

    for partner in PARTNERS:
        text = pdf_text(letters[partner.letter_key].content, tmp_path)

        assert "Dr. Lucía Fernández Ortega" in text
        assert "will serve as lead technical advisor" in text
        assert "lead trainer" in text
        assert "Safe Schools Seismic Assessment — Riverton Unified School District" in text
        assert "confirm our full support" in text
        assert partner.contact_name in text
        assert partner.contact_email in text
        assert partner.contact_phone in text


def test_the_evidence_names_the_beneficiary_and_the_project(exhibits: list[DemoExhibit], tmp_path: Path) -> None:
    for demo in exhibits:
        if demo.content_type != "application/pdf" or demo.key == "firm-statements":
            continue
        text = pdf_text(demo.content, tmp_path)

        assert "Fernández Ortega" in text, demo.key
        if demo.kind in (ExhibitKind.SUPPORT_LETTER, ExhibitKind.PLAN, ExhibitKind.FINANCIAL):
            assert "Safe Schools Seismic Assessment" in text, demo.key


def test_the_weak_letter_supports_the_project_but_never_names_the_applicant_or_her_role(tmp_path: Path) -> None:
    content = weak_letter_pdf()
    inspect_upload(io.BytesIO(content), size=len(content), name="weak.pdf")
    text = pdf_text(content, tmp_path)

    assert "supports the Safe Schools Seismic Assessment" in text
    assert "Fernández" not in text
    assert "Fernandez" not in text
    assert "advisor" not in text
    assert "trainer" not in text
    assert "@" not in text


def test_the_passport_scan_carries_a_valid_machine_readable_zone() -> None:
    # The ICAO 9303 specimen: document L898902C3, born 1974-08-12, expires 2012-04-15.
    assert (mrz_check_digit("L898902C3"), mrz_check_digit("740812"), mrz_check_digit("120415")) == ("6", "2", "9")
