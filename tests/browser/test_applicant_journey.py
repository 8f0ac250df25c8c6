"""An applicant's whole journey in a real browser, with axe-core checking every page against WCAG 2.1 A/AA.

Sign up, create a packet, answer every step (rows in lists, the organisation step that appears only when an
organisation files, real uploaded files), go back with Previous, log out, log back in, resume from the dashboard and
check the answers on the review page.
"""

import re
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import Page, expect

from packets.models import Packet
from tests.builders import jpeg_bytes, pdf_bytes

pytestmark = pytest.mark.browser

PASSWORD = "a long and unusual passphrase 42"


# ── the applicant's answers, step by step (the Riverton sample case) ─────────────────────────────────────────────

BENEFICIARY = {
    "full_name": "Lucía Fernández Ortega",
    "other_names": "Lucia Fernandez",
    "date_of_birth": "1984-03-09",
    "place_of_birth": "Valparaíso, Chile",
    "citizenship": "Chile",
    "passport_number": "P12345678",
    "passport_country": "Chile",
    "passport_issued_on": "2022-05-02",
    "passport_expires_on": "2032-05-01",
    "residence_address": "Avenida Libertad 1405, Viña del Mar, Chile",
    "email": "lucia.fernandez@example.org",
    "phone": "+56 9 5555 0101",
    "immigration_history": "None. One B-1 visit in 2019; left on time. No refusals.",
}
PRIOR_TRIP = {
    "arrived_on": "2019-10-14",
    "departed_on": "2019-10-20",
    "status": "B-1 visitor",
    "purpose": "Earthquake engineering conference",
    "left_on_time": True,
}
COUNSEL = {
    "counsel_name": "Priya Raman, Esq.",
    "counsel_firm": "Raman Immigration Law",
    "counsel_email": "praman@ramanlaw.example.com",
    "counsel_phone": "+1 503 555 0199",
}
ORGANISATION = {
    "name": "Riverton Office of Emergency Management",
    "kind": "government_agency",
    "address": "410 Civic Plaza, Riverton, OR 97000",
    "contact_name": "Marcus Bell",
    "contact_title": "Deputy Director",
    "contact_email": "mbell@riverton.example.gov",
    "contact_phone": "+1 503 555 0142",
}
PROJECT = {
    "title": "Safe Schools Seismic Assessment",
    "summary": "Assess 14 unreinforced-masonry school buildings before winter term and train a local team.",
    "public_benefit": "6,800 students and 900 staff protected; 12 local inspectors trained.",
    "beneficiaries": "Riverton Unified School District: students, staff and families.",
    "urgency": "Winter term starts 2027-01-11; retrofit funding needs assessments filed by 2027-03-31.",
    "priorities": "State school-safety mandate; the county's FEMA hazard-mitigation plan.",
}
QUALIFICATIONS = {
    "skills": "18 years of post-earthquake rapid evaluation; trainer of 300+ inspectors; English and Spanish.",
    "need_connection": "No US engineer with URM rapid-assessment and trainer experience is free before March.",
    "prior_work": "Chile 2010 and 2014 earthquakes: led rapid evaluation of 400 buildings.",
    "certifications": "Rapid evaluation certificate, 2015; structural engineer licence, Chile, 2009.",
}
CERTIFICATE = {"certificate_title": "Rapid evaluation certificate", "certificate_issuer": "Colegio de Ingenieros"}
PARTNERS = [
    {
        "name": "Riverton Unified School District",
        "kind": "public_body",
        "role": "Building access, schedules and facilities staff.",
        "contact_name": "Dr. Alicia Moreno",
        "contact_title": "Superintendent",
        "contact_email": "amoreno@rusd.example.org",
        "contact_phone": "+1 503 555 0170",
        "letter_date": "2026-11-10",
    },
    {
        "name": "Cascadia Structural Safety Alliance",
        "kind": "ngo",
        "role": "Pays stipend, housing and insurance.",
        "contact_name": "Hannah Lee",
        "contact_title": "Executive Director",
        "contact_email": "hlee@cssa.example.org",
        "contact_phone": "+1 503 555 0188",
        "letter_date": "2026-11-12",
    },
]
TIMELINE = {
    "filing_date": "2026-12-01",
    "arrival_date": "2027-01-04",
    "departure_date": "2027-04-30",
    "entry_deadline_reason": "Winter term starts 2027-01-11; buildings must be triaged before children return.",
}
MILESTONES = [
    {"due_on": "2027-01-29", "description": "Rapid triage of all 14 buildings", "outcome": "Closure decisions"},
    {"due_on": "2027-04-23", "description": "Local team certified", "outcome": "Hand-over complete"},
]
ALTERNATIVES = {"summary": "No visa can be issued before January and the work cannot be done remotely."}
ALTERNATIVE = {"kind": "visa", "option": "O-1 visa", "why_not": "Petition processing cannot meet the January start."}
LOGISTICS = {
    "arrival_plan": "Arrives at PDX on 2027-01-04; met by Marcus Bell.",
    "housing": "A furnished apartment provided by CSSA, 1.2 km from the OEM.",
    "transport": "An OEM vehicle with a driver for site visits.",
    "supervision": "Daily supervision by Marcus Bell; weekly check-in with the district.",
}
SUPPORTER = {
    "name": "Cascadia Structural Safety Alliance",
    "kind": "organisation",
    "relationship": "Funding partner",
    "covers": "Stipend of USD 6,000 a month, housing, insurance.",
    "files_declaration": True,
}
RISK = {
    "scope_change": "The priority list is re-ordered; no extension beyond 2027-04-30.",
    "security": "Site safety plan agreed with Riverton Fire & Rescue.",
    "public_health": "Travel health insurance by CSSA; remote work during any outbreak.",
    "safety_precautions": "Aftershock protocol, hard hats, escorted site access.",
    "background_checks": "Fingerprint-based background check by the OEM before site access.",
    "legal_compliance": "She advises; licensed Oregon engineers sign every report.",
    "local_systems": "CSSA covers housing and costs; no public benefits are used.",
}
MONITORING = {
    "reporting_channels": "Weekly reports to the OEM; monthly summary to the school board.",
    "data_sharing": "Building data stays with the district under a data-sharing agreement.",
}
INDICATOR = {"name": "Buildings triaged", "target": "14 by 2027-01-29"}
EXIT = {
    "exit_strategy": "Return ticket PDX to SCL on 2027-04-30.",
    "return_ties": "A tenured university position awaits her return.",
    "conditions_compliance": "No employment beyond the project; reports as any parole condition requires.",
    "denial_contingency": "Remote advisory support and a Riverton delegation to Chile in February.",
}
SUSTAINABILITY = {
    "capacity_building": "12 local inspectors certified; bilingual training materials left with the district.",
    "local_leadership": "District facilities staff lead the work after the hand-over.",
    "cultural_sensitivity": "Meetings in English and Spanish.",
    "community_consultation": "A community meeting at each school.",
    "affiliations": "Universidad Técnica Federico Santa María (professor).",
    "funding_sources": "CSSA pays stipend, housing and insurance; the OEM pays local transport.",
    "use_of_time": "Site inspections four days a week, one day of training.",
}
EVIDENCE = {"title": "Site safety plan, January 2027", "kind": "plan", "issuer": "Riverton Fire & Rescue"}


# ── helpers: what a person does on a step ────────────────────────────────────────────────────────────────────────


def fill(page: Page, prefix: str, values: dict[str, Any]) -> None:
    """Type, choose or tick each answer in the field whose name is ``prefix-name``."""
    for name, value in values.items():
        field = page.locator(f"[name='{prefix}-{name}']")
        kind = field.evaluate("element => element.tagName.toLowerCase() + ':' + (element.type || '')")
        if kind.startswith("select"):
            field.select_option(value)
        elif kind == "input:checkbox":
            field.set_checked(bool(value))
        else:
            field.fill(value)


def expect_values(page: Page, prefix: str, values: dict[str, Any]) -> None:
    for name, value in values.items():
        if not isinstance(value, bool):
            expect(page.locator(f"[name='{prefix}-{name}']")).to_have_value(value)


def press(page: Page, label: str) -> None:
    page.get_by_role("button", name=label, exact=True).click()
    page.wait_for_load_state("domcontentloaded")


def expect_step(page: Page, title: str) -> None:
    expect(page.locator("h1")).to_have_text(title)


def choose_file(page: Page, name: str, path: Path) -> None:
    page.locator(f"[name='{name}']").set_input_files(str(path))


# ── the journey ──────────────────────────────────────────────────────────────────────────────────────────────────


def test_an_applicant_completes_every_step_resumes_after_logging_in_again_and_reviews_the_answers(
    page: Page, axe: Any, screenshot: Any, tmp_path: Path
) -> None:
    files = {
        "passport": ("passport.pdf", pdf_bytes(text="PASSPORT Lucia Fernandez Ortega P12345678")),
        "cv": ("cv.pdf", pdf_bytes(pages=2, text="Curriculum vitae")),
        "certificate": ("certificate.pdf", pdf_bytes(text="Certificate")),
        "letter1": ("letter-rusd.pdf", pdf_bytes(text="Letter of support, RUSD")),
        "letter2": ("letter-cssa.pdf", pdf_bytes(text="Letter of support, CSSA")),
        "evidence": ("safety-plan.jpg", jpeg_bytes()),
    }
    paths = {}
    for key, (name, content) in files.items():
        paths[key] = tmp_path / name
        paths[key].write_bytes(content)

    # Sign up.
    page.goto("/accounts/signup/")
    axe.check(page, "signup")
    page.get_by_label("Username").fill("lucia")
    page.get_by_label("Email").fill("lucia@example.org")
    page.locator("[name='password1']").fill(PASSWORD)
    page.locator("[name='password2']").fill(PASSWORD)
    press(page, "Create account")
    expect(page.locator("h1")).to_have_text("My packets")
    axe.check(page, "dashboard, empty")

    # Create a packet: the wizard opens at the first step.
    page.get_by_label("Packet name").fill("Riverton schools 2027")
    press(page, "Create packet")
    expect_step(page, "The person who would travel")
    axe.check(page, "beneficiary, empty")

    # Beneficiary, first with a malformed email: the error state.
    fill(page, "beneficiary", {**BENEFICIARY, "email": "lucia.fernandez at example.org"})
    fill(page, "beneficiary-prior_trips-0", PRIOR_TRIP)
    press(page, "Save and continue")
    expect(page.locator("#error-summary")).to_contain_text("Enter an email address like name@example.org.")
    expect_values(page, "beneficiary", {"full_name": BENEFICIARY["full_name"]})
    axe.check(page, "beneficiary, error")
    screenshot(page, "error-beneficiary")
    fill(page, "beneficiary", {"email": BENEFICIARY["email"]})
    choose_file(page, "beneficiary-passport_file", paths["passport"])
    press(page, "Save and continue")

    # Requestor: an organisation files, so the organisation step appears.
    expect_step(page, "Who is asking")
    axe.check(page, "requestor")
    page.get_by_label("An organisation or government body files on their behalf").check()
    fill(page, "requestor", COUNSEL)

    # Previous saves what was typed; going forward again shows it.
    press(page, "Previous")
    expect_step(page, "The person who would travel")
    expect_values(page, "beneficiary", BENEFICIARY)
    expect(page.locator(".current-file")).to_contain_text("Passport biographic page")
    screenshot(page, "beneficiary")
    press(page, "Save and continue")
    expect_step(page, "Who is asking")
    expect_values(page, "requestor", COUNSEL)
    expect(page.get_by_label("An organisation or government body files on their behalf")).to_be_checked()

    # Previous with a malformed answer keeps it as a draft, shown again with its error.
    fill(page, "requestor", {"counsel_email": "praman at ramanlaw"})
    press(page, "Previous")
    expect(page.locator(".messages")).to_contain_text("kept but not saved yet")
    axe.check(page, "beneficiary, after previous with a draft")
    press(page, "Save and continue")
    expect(page.locator("#error-summary")).to_contain_text("These answers are not saved yet")
    expect_values(page, "requestor", {"counsel_email": "praman at ramanlaw", "counsel_name": COUNSEL["counsel_name"]})
    axe.check(page, "requestor, draft")
    fill(page, "requestor", {"counsel_email": COUNSEL["counsel_email"]})
    press(page, "Save and continue")

    expect_step(page, "The requesting organisation")
    axe.check(page, "organisation")
    fill(page, "organisation", ORGANISATION)
    press(page, "Save and continue")

    expect_step(page, "The project")
    axe.check(page, "project")
    fill(page, "project", PROJECT)
    press(page, "Save and continue")

    expect_step(page, "Why this person")
    axe.check(page, "qualifications")
    fill(page, "qualifications", {**QUALIFICATIONS, **CERTIFICATE, "certificate_date": "2015-06-30"})
    choose_file(page, "qualifications-cv_file", paths["cv"])
    choose_file(page, "qualifications-certificate_file", paths["certificate"])
    press(page, "Save and continue")

    # Partners: fill the empty entry, save and stay (the task list's link to this step), then add a second one.
    expect_step(page, "Partners and support letters")
    axe.check(page, "partners, empty")
    fill(page, "partners-items-0", PARTNERS[0])
    choose_file(page, "partners-items-0-letter_file", paths["letter1"])
    page.locator("aside").get_by_role("button", name="Partners and support letters").click()
    page.wait_for_load_state("domcontentloaded")
    expect(page.locator("[name='partners-items-0-name']")).to_have_value(PARTNERS[0]["name"])
    fill(page, "partners-items-1", PARTNERS[1])
    choose_file(page, "partners-items-1-letter_file", paths["letter2"])
    press(page, "Save and continue")
    expect_step(page, "Timeline")
    page.go_back()  # the browser's own Back: the step loads from the database, both partners there
    page.reload()
    expect(page.locator("[name='partners-items-1-name']")).to_have_value(PARTNERS[1]["name"])
    expect(page.locator(".current-file")).to_have_count(2)
    axe.check(page, "partners, two entries")
    screenshot(page, "partners")
    press(page, "Save and continue")

    expect_step(page, "Timeline")
    axe.check(page, "timeline")
    fill(page, "timeline", TIMELINE)
    fill(page, "timeline-milestones-0", MILESTONES[0])
    page.locator("aside").get_by_role("button", name="Timeline").click()
    page.wait_for_load_state("domcontentloaded")
    fill(page, "timeline-milestones-1", MILESTONES[1])
    press(page, "Save and continue")

    expect_step(page, "Why parole and not a visa")
    axe.check(page, "alternatives")
    fill(page, "alternatives", ALTERNATIVES)
    fill(page, "alternatives-options-0", ALTERNATIVE)
    press(page, "Save and continue")

    expect_step(page, "Logistics, supervision and money")
    axe.check(page, "logistics")
    fill(page, "logistics", LOGISTICS)
    fill(page, "logistics-supporters-0", SUPPORTER)
    press(page, "Save and continue")

    expect_step(page, "Risk management and compliance")
    axe.check(page, "risk")
    fill(page, "risk", RISK)
    press(page, "Save and continue")

    expect_step(page, "Monitoring and reporting")
    axe.check(page, "monitoring")
    fill(page, "monitoring", MONITORING)
    page.locator("[name='monitoring-shares_data'][value='yes']").check()
    fill(page, "monitoring-indicators-0", INDICATOR)
    press(page, "Save and continue")

    expect_step(page, "Temporary presence and exit")
    axe.check(page, "exit")
    fill(page, "exit", EXIT)
    press(page, "Save and continue")

    expect_step(page, "Sustainability and transparency")
    axe.check(page, "sustainability")
    fill(page, "sustainability", SUSTAINABILITY)
    press(page, "Save and exit")
    expect(page.locator("h1")).to_have_text("My packets")
    axe.check(page, "dashboard, one packet")
    screenshot(page, "dashboard")

    # Log out and back in: everything typed is still there.
    page.get_by_role("button", name=re.compile(r"^Log out")).click()
    expect(page.get_by_role("status")).to_contain_text("You are signed out.")
    axe.check(page, "after logout")
    page.goto("/accounts/login/")
    axe.check(page, "login")
    page.get_by_label("Username").fill("lucia")
    page.get_by_label("Password").fill(PASSWORD)
    press(page, "Log in")
    expect(page.locator("h1")).to_have_text("My packets")
    # Every step but "Other evidence": the passport page, CV and letters belong to their own steps.
    expect(page.locator("table.packets")).to_contain_text("13 of 14 steps complete")

    # Resume opens the step last edited; the packet page lists every step.
    page.get_by_role("link", name="Resume Riverton schools 2027").click()
    expect_step(page, "Sustainability and transparency")
    page.get_by_role("link", name="Riverton schools 2027").click()
    expect(page.locator("h1")).to_have_text("Riverton schools 2027")
    axe.check(page, "packet task list")
    page.locator("ol.tasks").get_by_role("link", name="Other evidence").click()
    expect_step(page, "Other evidence")
    axe.check(page, "evidence")
    choose_file(page, "evidence-file", paths["evidence"])
    fill(page, "evidence", {**EVIDENCE, "issued_on": "2026-12-15"})
    press(page, "Save and continue")

    # Every step is complete, so finishing lands on the review page with the answers typed above.
    expect(page.locator("h1")).to_have_text("Check your answers")
    review = page.locator("main")
    for answer in (
        BENEFICIARY["full_name"],
        BENEFICIARY["immigration_history"],
        COUNSEL["counsel_name"],
        ORGANISATION["contact_name"],
        PROJECT["urgency"],
        QUALIFICATIONS["need_connection"],
        PARTNERS[1]["name"],
        MILESTONES[1]["description"],
        ALTERNATIVE["why_not"],
        SUPPORTER["covers"],
        RISK["legal_compliance"],
        INDICATOR["target"],
        EXIT["return_ties"],
        SUSTAINABILITY["use_of_time"],
        EVIDENCE["title"],
    ):
        expect(review).to_contain_text(answer)
    expect(review.locator(".state-complete")).to_have_count(14)
    axe.check(page, "review")
    screenshot(page, "review")

    packet = Packet.objects.get()
    assert packet.content.beneficiary.full_name == BENEFICIARY["full_name"]
    assert [partner.name for partner in packet.content.partners.items] == [p["name"] for p in PARTNERS]
    assert packet.exhibits.count() == 6
    axe.assert_clean()
