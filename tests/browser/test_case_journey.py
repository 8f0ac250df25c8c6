"""The case after filing, walked in a browser as the applicant and counsel do it: filed with a receipt number, a
request for evidence with three items and a new exhibit, the response PDF read back, counsel's approval, an approval
of parole with a reporting condition, its due date in the calendar feed and one reminder email, the report, the
departure, and the closing report with its publishable summary (checked by axe-core, screenshots to look at)."""

from datetime import timedelta
from io import StringIO
from typing import Any

import pytest
from django.core import mail
from django.core.management import call_command
from django.utils import timezone
from django.utils.formats import date_format
from icalendar import Calendar
from playwright.sync_api import Browser, Page, expect

from packets.models import Filing, Packet
from tests.assembly.pdfread import outline, page_texts, squash
from tests.builders import make_user, pdf_bytes
from tests.case_builders import make_filed_case

pytestmark = pytest.mark.browser

PASSWORD = "correct horse battery"
ITEMS = """1. Evidence that the beneficiary holds a valid passport.
2. Explain how the training plan serves the public.
3. Provide a letter from the host school district."""
# Personal data planted in the packet, and typed again into the closing report: none of it may reach the public summary.
PERSONAL = {
    "full_name": "Ana María Ortiz Reyes",
    "passport_number": "P4471902",
    "date_of_birth": "1984-03-09",
    "email": "ana.ortiz@correo.example",
    "phone": "+56 9 5555 0101",
    "residence_address": "Avenida Los Leones 2210, Providencia, Chile",
}
CONTACT = "Marcus Lindqvist"
SECTIONS = {
    "beneficiary": PERSONAL,
    "partners": {
        "items": [
            {
                "name": "Riverton Unified School District",
                "contact_name": CONTACT,
                "contact_email": "m.lindqvist@riverton.example",
                "contact_phone": "+1 555 201 3344",
            }
        ]
    },
    "project": {"title": "Seismic triage of Riverton schools", "summary": "Assess 14 school buildings."},
    "monitoring": {"indicators": [{"name": "Buildings triaged", "target": "14"}]},
}


def _sign_in(browser: Browser, live_server: Any, username: str) -> Page:
    context = browser.new_context(viewport={"width": 1280, "height": 900}, base_url=live_server.url, locale="en-US")
    context.set_default_timeout(30_000)
    tab = context.new_page()
    tab.goto("/accounts/login/")
    tab.get_by_label("Username").fill(username)
    tab.get_by_label("Password").fill(PASSWORD)
    tab.get_by_role("button", name="Log in", exact=True).click()
    expect(tab.get_by_role("button", name="Log in", exact=True)).to_have_count(0)
    return tab


def _pdf(tab: Page, link_name: str) -> bytes:
    href = tab.get_by_role("link", name=link_name).first.get_attribute("href")
    assert href
    response = tab.request.get(href)
    assert response.ok and response.headers["content-type"] == "application/pdf"
    return response.body()


def _file(tmp_path: Any, name: str, pages: int, text: str) -> str:
    path = tmp_path / name
    path.write_bytes(pdf_bytes(pages, text=text))
    return str(path)


def _file_it(counsel: Page, packet: Packet) -> None:
    counsel.goto(f"/packets/{packet.pk}/counsel/")
    counsel.get_by_role("link", name="Mark as filed…").click()
    counsel.get_by_label("Filing date").fill(timezone.localdate().isoformat())
    counsel.get_by_label("Filed online").check()
    counsel.get_by_label("Receipt number (if you have it)").fill("ioe 0123-456-789")
    counsel.get_by_role("button", name="Confirm: mark as filed").click()
    expect(counsel.locator(".filing")).to_contain_text("IOE0123456789")


def _record_the_rfe(owner: Page, packet: Packet, tmp_path: Any) -> None:
    owner.goto(f"/packets/{packet.pk}/case/")
    expect(owner.locator(".case-who")).to_contain_text("Receipt number IOE0123456789")
    owner.get_by_role("link", name="Record a request for evidence").click()
    today = timezone.localdate().isoformat()
    owner.get_by_label("Date the notice was issued").fill(today)
    owner.get_by_label("Date you received it").fill(today)
    owner.get_by_label("The notice (scan or PDF)").set_input_files(_file(tmp_path, "notice.pdf", 2, "RFE notice"))
    owner.get_by_label("The numbered items the agency asks for").fill(ITEMS)
    owner.get_by_role("button", name="Record the request").click()
    expect(owner.locator("h1")).to_contain_text("Request for evidence")
    owner.get_by_label("New exhibit", exact=True).set_input_files(_file(tmp_path, "district.pdf", 2, "District letter"))
    owner.get_by_label("Title", exact=True).fill("District letter of support")
    owner.get_by_role("button", name="Add the exhibit").click()
    expect(owner.locator("#new-exhibits")).to_contain_text("Exhibit D")
    answers = [
        ("The passport biographic page was filed.", "A p. 1"),
        ("The plan trains 40 inspectors.", "C"),
        ("The district's letter is enclosed.", "D, B p. 2"),
    ]
    for number, (answer, cites) in enumerate(answers, start=1):
        item = owner.locator(f"#item-{number}")
        item.get_by_label("Answer", exact=True).fill(answer)
        item.get_by_label("Exhibits this answer cites").fill(cites)
        item.get_by_role("button", name=f"Save item {number}").click()
        expect(owner.locator(f"#item-{number}").get_by_label("Answer", exact=True)).to_have_value(answer)
    owner.get_by_role("button", name="Send to counsel for review").click()
    expect(owner.locator("#review")).to_contain_text("revision")


def _filed_page(filed: list[str], stamp: str) -> int:
    return next(number for number, text in enumerate(filed, start=1) if stamp in text)


def _read_the_response(pdf: bytes, filed_pdf: bytes) -> None:
    texts = [squash(text) for text in page_texts(pdf)]
    filed = [squash(text) for text in page_texts(filed_pdf)]
    assert "RFE notice" in texts[0]  # the agency's notice on top
    letter = " ".join(texts)
    positions = [letter.find(f"Item {number}") for number in (1, 2, 3)]
    assert -1 not in positions and positions == sorted(positions), positions
    # Filed exhibits are cited by their filed label and their real page in the filed packet.
    assert f"Exhibit A of the filed packet, page {_filed_page(filed, 'Exhibit A, page 1 of 1')}" in letter
    assert f"Exhibit B of the filed packet, page {_filed_page(filed, 'Exhibit B, page 2 of 2')}" in letter
    assert "Contents" in letter
    assert "Exhibit E" not in letter  # one new exhibit: its label continues after C, and stops there
    titles = [entry.title for entry in outline(pdf)]
    assert any("Exhibit D" in title for title in titles), titles
    stamped = [text for text in texts if "Exhibit D, page" in text]
    assert len(stamped) == 2  # both pages of the new exhibit carry their stamp


def test_the_case_from_filing_to_the_closing_report(
    browser: Browser,
    live_server: Any,
    axe: Any,
    screenshot: Any,
    tmp_path: Any,
    django_capture_on_commit_callbacks: Any,
) -> None:
    owner = make_user("owner", password=PASSWORD, email="owner@example.org")
    counsel_user = make_user("dwhit", password=PASSWORD, email="dana@example.org")
    packet = make_filed_case(owner, counsel_user, real_pdf=True, sections=SECTIONS, mark_filed=False)
    counsel = _sign_in(browser, live_server, "dwhit")
    owner_tab = _sign_in(browser, live_server, "owner")

    _file_it(counsel, packet)
    assert Filing.objects.get(packet=packet).receipt_number == "IOE0123456789"

    _record_the_rfe(owner_tab, packet, tmp_path)
    axe.check(owner_tab, "rfe page, applicant")
    screenshot(owner_tab, "case-rfe-applicant")

    counsel.goto(owner_tab.url)
    counsel.get_by_role("button", name="Approve revision").click()
    expect(counsel.locator("#review")).to_contain_text("Approved by")
    counsel.get_by_role("button", name="Build the final PDF").click()
    expect(counsel.locator("#pdf")).to_contain_text("Final")
    filed = Filing.objects.get(packet=packet).filed_version
    assert filed is not None
    _read_the_response(_pdf(counsel, "Final"), filed.pdf.open("rb").read())
    counsel.get_by_label("Date sent").fill(timezone.localdate().isoformat())
    counsel.get_by_label("Mail").check()
    counsel.get_by_role("button", name="Record as sent").click()
    axe.check(counsel, "rfe page, sent")
    screenshot(counsel, "case-rfe-sent")

    due = timezone.localdate() + timedelta(days=7)
    _approve_with_a_condition(counsel, packet, due)
    axe.check(counsel, "case page, approved")
    screenshot(counsel, "case-approved")
    _the_due_date_is_in_the_calendar(browser, live_server, owner_tab, due)
    _one_reminder_then_none(packet, due, django_capture_on_commit_callbacks)

    _write_the_report(owner_tab, packet, due)
    axe.check(owner_tab, "report page")
    screenshot(owner_tab, "case-report")
    _record_the_departure(owner_tab, packet, tmp_path)
    axe.check(owner_tab, "case page, departed")
    screenshot(owner_tab, "case-departed")

    _write_the_closing_report(owner_tab, packet)
    axe.check(owner_tab, "closing report")
    screenshot(owner_tab, "case-closing")
    _the_public_summary_has_no_personal_data(owner_tab, packet)
    axe.check(owner_tab, "publishable summary")
    screenshot(owner_tab, "case-public-summary")
    axe.assert_clean()


def _approve_with_a_condition(counsel: Page, packet: Packet, due: Any) -> None:
    today = timezone.localdate()
    counsel.goto(f"/packets/{packet.pk}/case/")
    counsel.get_by_role("link", name="Record the decision").click()
    counsel.get_by_label("Approved").check()
    counsel.get_by_label("Date of the decision").fill(today.isoformat())
    counsel.get_by_label("Parole from").fill(today.isoformat())
    counsel.get_by_label("Parole until").fill((today + timedelta(days=200)).isoformat())
    counsel.get_by_label("Arrival date").fill(today.isoformat())
    counsel.get_by_role("button", name="Save the decision").click()
    counsel.get_by_role("link", name="Add a reporting condition").click()
    counsel.get_by_label("Report to").fill("County OEM")
    counsel.get_by_label("How often").select_option("once")
    counsel.get_by_label("First report due (optional)").fill(due.isoformat())
    counsel.get_by_role("button", name="Save the condition").click()
    expect(counsel.locator(".report-dates")).to_contain_text(date_format(due, "DATE_FORMAT"))


def _the_due_date_is_in_the_calendar(browser: Browser, live_server: Any, owner: Page, due: Any) -> None:
    owner.goto("/calendar/")
    owner.get_by_role("button", name="Make a calendar link").click()
    url = owner.get_by_label("Your calendar link (shown only now)").input_value()
    stranger = browser.new_context(base_url=live_server.url)  # a calendar app: no session, only the secret link
    try:
        response = stranger.request.get(url)
        assert response.ok and response.headers["content-type"].startswith("text/calendar")
        calendar = Calendar.from_ical(response.body())
    finally:
        stranger.close()
    events = {str(event["SUMMARY"]): event.decoded("DTSTART") for event in calendar.walk("VEVENT")}
    report = [summary for summary in events if "County OEM" in summary]
    assert report and events[report[0]] == due, events


def _one_reminder_then_none(packet: Packet, due: Any, capture: Any) -> None:
    mail.outbox.clear()
    with capture(execute=True):
        call_command("send_reminders", stdout=StringIO())
    reminders = [message for message in mail.outbox if "County OEM" in message.subject]
    assert sorted(message.to[0] for message in reminders) == ["dana@example.org", "owner@example.org"]
    assert f"/packets/{packet.pk}/case/" in reminders[0].body
    mail.outbox.clear()
    with capture(execute=True):
        call_command("send_reminders", stdout=StringIO())
    assert mail.outbox == []  # each reminder once, however often cron runs it


def _write_the_report(owner: Page, packet: Packet, due: Any) -> None:
    owner.goto(f"/packets/{packet.pk}/case/")
    owner.locator(".report-dates").get_by_role("link", name=date_format(due, "DATE_FORMAT")).click()
    owner.get_by_label("Achieved so far: Buildings triaged").fill("9 of 14")
    owner.get_by_label("What happened in the period").fill("Nine schools triaged; two closed for repairs.")
    owner.get_by_label("Sent on").fill(timezone.localdate().isoformat())
    owner.get_by_role("button", name="Save the report").click()
    expect(owner.get_by_label("Achieved so far: Buildings triaged")).to_have_value("9 of 14")
    owner.get_by_role("button", name="Build the PDF of the saved report").click()
    texts = " ".join(squash(text) for text in page_texts(_pdf(owner, "PDF of")))
    assert "Buildings triaged" in texts and "9 of 14" in texts and "Nine schools triaged" in texts


def _record_the_departure(owner: Page, packet: Packet, tmp_path: Any) -> None:
    owner.goto(f"/packets/{packet.pk}/case/")
    owner.get_by_role("link", name="Record the departure").click()
    owner.get_by_label("Departure date").fill(timezone.localdate().isoformat())
    owner.get_by_label("Proof of departure (boarding pass, stamp)").set_input_files(
        _file(tmp_path, "boarding.pdf", 1, "Boarding pass")
    )
    owner.get_by_role("button", name="Save the departure").click()
    expect(owner.locator("h1")).to_have_text("The case after filing")


def _write_the_closing_report(owner: Page, packet: Packet) -> None:
    owner.goto(f"/packets/{packet.pk}/case/")
    owner.get_by_role("link", name="Write the closing report").click()
    expect(owner.get_by_label("Achieved: Buildings triaged")).to_have_value("9 of 14")  # from the last report
    owner.get_by_label("Achieved: Buildings triaged").fill("14 of 14")
    owner.get_by_label("Capacity built").fill(
        f"{PERSONAL['full_name']} trained 12 district inspectors; {CONTACT} keeps the manuals."
    )
    owner.get_by_label("Who continues the work").fill("The district's facilities team.")
    owner.get_by_label("Lessons learned").fill(
        f"Write to {PERSONAL['email']} or call {PERSONAL['phone']}; passport {PERSONAL['passport_number']}, "
        f"born {PERSONAL['date_of_birth']}, of {PERSONAL['residence_address']}. Triage before the rainy season."
    )
    owner.get_by_role("button", name="Save the closing report").click()
    expect(owner.get_by_label("Achieved: Buildings triaged")).to_have_value("14 of 14")
    owner.get_by_role("button", name="Build the PDF of the saved closing report").click()
    texts = [squash(text) for text in page_texts(_pdf(owner, "PDF of"))]
    joined = " ".join(texts)
    assert "Buildings triaged" in joined and "14 of 14" in joined
    assert "Triage before the rainy season" in joined
    assert f"Page {len(texts)} of {len(texts)}" in texts[-1]


def _the_public_summary_has_no_personal_data(owner: Page, packet: Packet) -> None:
    owner.goto(f"/packets/{packet.pk}/case/")
    owner.get_by_role("link", name="The publishable summary").click()
    left_out = owner.locator(".left-out")
    expect(left_out).to_contain_text(PERSONAL["passport_number"])
    expect(left_out).to_contain_text(CONTACT)
    href = owner.get_by_role("link", name="Download as Markdown").get_attribute("href")
    assert href
    markdown = owner.request.get(href)
    assert markdown.ok and markdown.headers["content-type"].startswith("text/markdown")
    owner.get_by_role("button", name="Build the summary PDF").click()
    pdf_text = " ".join(squash(text) for text in page_texts(_pdf(owner, "PDF of")))
    for text in (markdown.text(), pdf_text):
        assert "Triage before the rainy season" in text  # the lessons are there, the people are not
        for value in [*PERSONAL.values(), CONTACT, "Ortiz", "Lindqvist", "m.lindqvist@riverton.example"]:
            assert value not in text, value
