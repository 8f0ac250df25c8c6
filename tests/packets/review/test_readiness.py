"""Readiness rules: each fires on a packet built to trip it and stays quiet on the complete demo packet."""

import json
import uuid
from datetime import date, timedelta
from typing import Any

import pytest
from django.core.management import call_command

from packets.content.facts import filing_facts
from packets.content.schema import OrganisationKind, PacketData, RequestedBy
from packets.demo.scenario import riverton_content, weak_letter_pdf
from packets.evidence.uploads import text_in_sandbox
from packets.review.readiness import ExhibitFacts, PacketFacts, Severity, packet_readiness, review
from tests.builders import make_complete_packet, make_user

TODAY = date(2026, 11, 27)
LETTER_TEXT = (
    "Riverton Fire & Rescue supports the Safe Schools Seismic Assessment. Dr. Lucía Fernández Ortega will lead the "
    "rapid triage. Contact: Chief Daniel Okafor, dokafor@riverton.example.gov, +1 503 555 0177."
)


def _complete() -> tuple[PacketData, list[ExhibitFacts]]:
    """The demo content with every file slot filled by a synthetic exhibit whose letter text is strong."""
    passport, cv, cert = uuid.uuid4(), uuid.uuid4(), uuid.uuid4()
    content = riverton_content().model_copy(deep=True)
    content.beneficiary.passport_exhibit_id = passport
    content.qualifications.cv_exhibit_id = cv
    exhibits = [
        ExhibitFacts(passport, "passport", "Passport", 1, 10_000),
        ExhibitFacts(cv, "cv", "CV", 2, 20_000),
        ExhibitFacts(cert, "certificate", "Certificate", 1, 5_000),
    ]
    for partner in content.partners.items:
        letter = uuid.uuid4()
        partner.letter_exhibit_id = letter
        exhibits.append(ExhibitFacts(letter, "support_letter", f"Letter {partner.name}", 1, 9_000, LETTER_TEXT))
    return content, exhibits


def _rules(content: PacketData, exhibits: list[ExhibitFacts], today: date = TODAY) -> dict[str, Any]:
    findings = review(PacketFacts(content=content, exhibits=exhibits, today=today))
    return {finding.rule: finding for finding in findings}


def test_the_complete_demo_content_has_no_blocker_or_warning() -> None:
    content, exhibits = _complete()
    assert _rules(content, exhibits) == {}


def test_a_missing_departure_date_is_a_blocker_that_links_to_the_field() -> None:
    content, exhibits = _complete()
    content.timeline.milestones = []
    content.timeline.departure_date = None
    finding = _rules(content, exhibits)["departure-missing"]
    assert finding.severity is Severity.BLOCKER
    assert (finding.step, finding.field) == ("timeline", "departure_date")


def test_a_stay_over_twelve_months_is_a_warning() -> None:
    content, exhibits = _complete()
    content.timeline.departure_date = content.timeline.arrival_date + timedelta(days=400)
    content.beneficiary.passport_expires_on = date(2035, 1, 1)
    assert _rules(content, exhibits)["stay-too-long"].severity is Severity.WARNING


def test_a_passport_expiring_before_departure_is_a_blocker() -> None:
    content, exhibits = _complete()
    # The schema refuses this contradiction in a saved packet; readiness still names it for imported data.
    content = PacketData.model_construct(**{**dict(content), "beneficiary": content.beneficiary.model_copy(
        update={"passport_expires_on": date(2027, 4, 1)})})  # fmt: skip
    assert _rules(content, exhibits)["passport-expires-during-stay"].severity is Severity.BLOCKER


def test_a_passport_expiring_within_six_months_of_departure_is_a_warning() -> None:
    content, exhibits = _complete()
    content.beneficiary.passport_expires_on = content.timeline.departure_date + timedelta(days=90)
    assert _rules(content, exhibits)["passport-expires-soon-after"].severity is Severity.WARNING


@pytest.mark.parametrize(
    ("field", "rule", "severity"),
    [
        ("exit_strategy", "no-exit-strategy", Severity.BLOCKER),
        ("denial_contingency", "no-denial-contingency", Severity.WARNING),
        ("return_ties", "no-return-ties", Severity.BLOCKER),
    ],
)
def test_an_empty_exit_answer_is_found(field: str, rule: str, severity: Severity) -> None:
    content, exhibits = _complete()
    setattr(content.exit, field, "")
    assert _rules(content, exhibits)[rule].severity is severity


def test_a_partner_without_contact_or_letter_is_found() -> None:
    content, exhibits = _complete()
    partner = content.partners.items[0]
    partner.contact_email, partner.contact_phone = "", ""
    partner.letter_exhibit_id = None
    found = _rules(content, exhibits)
    contact = found["partner-without-contact"]
    assert (contact.step, contact.field, contact.row) == ("partners", "contact_email", 0)
    assert "no email or phone number" in contact.message and partner.name in contact.message
    assert partner.name in found["partner-without-letter"].message


def test_a_letter_that_never_names_the_person_is_weak() -> None:
    content, exhibits = _complete()
    letter_id = content.partners.items[1].letter_exhibit_id
    text = "We support the Safe Schools Seismic Assessment. Call +1 503 555 0100."
    exhibits = [ExhibitFacts(e.id, e.kind, e.title, 1, 1, text) if e.id == letter_id else e for e in exhibits]
    finding = _rules(content, exhibits)["letter-weak"]
    assert "never mentions the person's name." in finding.message


def test_the_generated_weak_letter_is_found_weak_when_read_from_its_pdf() -> None:
    content, exhibits = _complete()
    letter_id = content.partners.items[0].letter_exhibit_id
    extracted = text_in_sandbox(weak_letter_pdf(), content_type="application/pdf")
    assert extracted.status == "read"  # the PDF has a text layer
    text = extracted.text
    exhibits = [ExhibitFacts(e.id, e.kind, e.title, 1, 1, text) if e.id == letter_id else e for e in exhibits]
    assert "letter-weak" in _rules(content, exhibits)


def test_a_scanned_letter_without_text_asks_the_user_to_confirm_it() -> None:
    content, exhibits = _complete()
    letter_id = content.partners.items[0].letter_exhibit_id
    exhibits = [
        ExhibitFacts(e.id, e.kind, e.title, 1, 1, None, "no_text") if e.id == letter_id else e for e in exhibits
    ]
    finding = _rules(content, exhibits)["letter-no-text-layer"]
    assert finding.severity is Severity.SUGGESTION and "Confirm" in finding.message


def test_a_letter_older_than_six_months_before_filing_is_a_warning() -> None:
    content, exhibits = _complete()
    content.partners.items[0].letter_date = date(2026, 3, 1)
    assert _rules(content, exhibits)["letter-too-old"].field == "letter_date"


def test_no_partner_from_a_government_agency_ngo_or_public_safety_body_is_a_warning() -> None:
    content, exhibits = _complete()
    content.partners.items = [p for p in content.partners.items if p.kind in ("university", "public_body")]
    content.organisation.kind = OrganisationKind.COMMUNITY_GROUP  # the requestor does not count either
    assert "no-official-letter" in _rules(content, exhibits)


def test_unexplained_alternatives_are_a_blocker() -> None:
    content, exhibits = _complete()
    content.alternatives.options = []
    assert _rules(content, exhibits)["alternatives-unexplained"].severity is Severity.BLOCKER


def test_no_milestone_and_a_milestone_outside_the_stay_are_found() -> None:
    content, exhibits = _complete()
    content.timeline.milestones = []
    assert "no-milestone" in _rules(content, exhibits)
    content, exhibits = _complete()
    late = content.timeline.milestones[0].model_copy(update={"due_on": date(2027, 6, 1)})
    content = PacketData.model_construct(**{**dict(content), "timeline": content.timeline.model_construct(
        **{**dict(content.timeline), "milestones": [late]})})  # fmt: skip
    assert _rules(content, exhibits)["milestone-outside-stay"].severity is Severity.BLOCKER


def test_filing_too_close_to_arrival_warns_with_the_reason() -> None:
    content, exhibits = _complete()
    content.timeline.filing_date = content.timeline.arrival_date - timedelta(days=20)
    finding = _rules(content, exhibits)["filing-close-to-arrival"]
    assert "20 days" in finding.message and "business days" in finding.message


@pytest.mark.parametrize(
    ("section", "field", "rule"),
    [
        ("risk", "scope_change", "no-scope-contingency"),
        ("risk", "security", "no-security-contingency"),
        ("risk", "public_health", "no-health-contingency"),
        ("risk", "safety_precautions", "no-safety-precautions"),
        ("monitoring", "reporting_channels", "no-reporting-channel"),
        ("logistics", "supervision", "no-supervision"),
        ("logistics", "housing", "no-housing"),
        ("logistics", "transport", "no-transport"),
        ("sustainability", "affiliations", "no-affiliations"),
        ("sustainability", "funding_sources", "no-funding-sources"),
        ("sustainability", "use_of_time", "no-use-of-time"),
    ],
)
def test_an_unanswered_question_a_reviewer_expects_is_found(section: str, field: str, rule: str) -> None:
    content, exhibits = _complete()
    setattr(content.section(section), field, "")
    finding = _rules(content, exhibits)[rule]
    assert (finding.step, finding.field) == (section, field)


def test_indicators_and_a_privacy_statement_are_expected() -> None:
    content, exhibits = _complete()
    content.monitoring.indicators = []
    content.monitoring.shares_data = True
    content.monitoring.data_sharing = ""
    found = _rules(content, exhibits)
    assert "no-indicator" in found and "no-data-sharing-statement" in found


def test_no_financial_supporter_is_a_blocker() -> None:
    content, exhibits = _complete()
    content.logistics.supporters = []
    assert _rules(content, exhibits)["no-financial-supporter"].severity is Severity.BLOCKER


def test_a_missing_cv_or_passport_page_is_a_blocker() -> None:
    content, exhibits = _complete()
    exhibits = [e for e in exhibits if e.kind not in ("cv", "passport")]
    found = _rules(content, exhibits)
    assert found["cv-missing"].severity is Severity.BLOCKER
    assert found["passport-page-missing"].step == "beneficiary"
    assert found["citation-to-missing-exhibit"].severity is Severity.BLOCKER


def test_an_exhibit_nothing_cites_is_suggested_for_a_better_kind() -> None:
    content, exhibits = _complete()
    exhibits.append(ExhibitFacts(uuid.uuid4(), "other", "Photo of the gym", 1, 1))
    assert "Photo of the gym" in _rules(content, exhibits)["exhibit-not-cited"].message


def test_a_packet_over_its_page_budget_is_a_warning() -> None:
    content, exhibits = _complete()
    exhibits.append(ExhibitFacts(uuid.uuid4(), "certificate", "Huge", 1200, 1))
    assert "over-page-budget" in _rules(content, exhibits)


def test_filing_facts_not_verified_for_ninety_days_are_a_warning() -> None:
    content, exhibits = _complete()
    later = filing_facts().last_verified + timedelta(days=91)
    assert "91 days" in _rules(content, exhibits, today=later)["filing-facts-stale"].message


# ── On stored packets ────────────────────────────────────────────────────────────────────────────────────────────────


@pytest.mark.django_db
def test_the_demo_packet_has_no_blocker_and_its_letters_read_as_strong() -> None:
    packet = make_complete_packet(make_user())
    findings = packet_readiness(packet=packet, today=TODAY)
    assert findings == []  # every rule stays quiet: nothing missing, every letter strong, every exhibit cited
    assert not {"letter-weak", "letter-no-text-layer", "partner-without-letter"} & {f.rule for f in findings}


@pytest.mark.django_db
def test_the_readiness_command_prints_json_and_exits_1_on_a_blocker(capsys: Any) -> None:
    from tests.builders import make_packet

    packet = make_packet(make_user(), timeline={"arrival_date": "2027-01-04"})
    with pytest.raises(SystemExit) as exit_info:
        call_command("readiness", str(packet.pk), "--json")
    assert exit_info.value.code == 1
    findings = json.loads(capsys.readouterr().out)
    assert {"rule", "severity", "message", "step", "field"} == set(findings[0])
    assert any(f["rule"] == "departure-missing" and f["severity"] == "blocker" for f in findings)


# ── Names in letters ─────────────────────────────────────────────────────────────────────────────────────────────────


def _names_the_person(full_name: str, letter_text: str) -> bool:
    content, exhibits = _complete()
    content.beneficiary.full_name = full_name
    letter_id = content.partners.items[0].letter_exhibit_id
    padding = " We support the Safe Schools Seismic Assessment; call +1 503 555 0100."
    exhibits = [
        ExhibitFacts(e.id, e.kind, e.title, 1, 1, letter_text + padding) if e.id == letter_id else e for e in exhibits
    ]
    partner = content.partners.items[0].name
    findings = review(PacketFacts(content=content, exhibits=exhibits, today=TODAY))
    return not any(f.rule == "letter-weak" and f"from {partner} never" in f.message and "the person's name" in f.message
                   for f in findings)  # fmt: skip


def test_a_short_given_name_inside_a_common_word_is_not_a_match() -> None:
    assert not _names_the_person("Ana Ruiz", "Our analysis of the banana harvest, reviewed by Mr Ruiz's team.")
    assert _names_the_person("Ana Ruiz", "Ana Ruiz will lead the analysis.")


def test_names_are_matched_without_accents_or_case() -> None:
    assert _names_the_person("José Álvarez", "JOSE ALVAREZ will lead the triage.")
    assert _names_the_person("Jose Alvarez", "Dr. José Álvarez will lead the triage.")
    assert _names_the_person("Lucía Fernández Ortega", "Dr. FERNANDEZ ORTEGA will lead the triage.")


def test_a_name_part_must_stand_as_a_word_of_its_own() -> None:
    assert not _names_the_person("Lucía Fernández Ortega", "Fernándezes and Ortegas of the valley")
    assert not _names_the_person("José María", "Josefina and Marianne will help.")
    assert _names_the_person("José María", "José-María will help.")  # a hyphen separates words


def test_a_project_title_is_matched_as_whole_words() -> None:
    content, exhibits = _complete()
    letter_id = content.partners.items[0].letter_exhibit_id
    content.project.title = "Safe Schools Seismic Assessment"
    text = "Dr. Lucía Fernández Ortega joins the unsafeschools reassessment. Call +1 503 555 0100."
    exhibits = [ExhibitFacts(e.id, e.kind, e.title, 1, 1, text) if e.id == letter_id else e for e in exhibits]
    assert "the project" in _rules(content, exhibits)["letter-weak"].message


# ── Letters read at upload ───────────────────────────────────────────────────────────────────────────────────────────


@pytest.mark.parametrize("status", ["not_read", "unreadable"])
def test_a_letter_whose_text_was_not_read_is_reported_as_not_checked(status: str) -> None:
    content, exhibits = _complete()
    letter_id = content.partners.items[0].letter_exhibit_id
    exhibits = [ExhibitFacts(e.id, e.kind, e.title, 1, 1, None, status) if e.id == letter_id else e for e in exhibits]
    found = _rules(content, exhibits)
    assert found["letter-not-read"].severity is Severity.SUGGESTION
    assert "letter-no-text-layer" not in found


@pytest.mark.django_db
def test_an_exhibit_that_becomes_a_support_letter_uses_the_text_read_at_upload() -> None:
    from packets.content.services import ExhibitUpload, exhibit_add, exhibit_update, packet_save_section
    from packets.evidence import sandbox
    from packets.models import Exhibit
    from tests.builders import make_packet, pdf_bytes, upload

    user = make_user()
    packet = make_packet(user, beneficiary={"full_name": "Ana Ruiz"}, project={"title": "Bridge survey"})
    text = "Riverton OEM supports Ana Ruiz in the bridge survey. Contact: hlee@example.org, +1 503 555 0100."
    exhibit = exhibit_add(
        packet=packet,
        upload=ExhibitUpload(file=upload("a.pdf", pdf_bytes(text=text)), kind="other", title="A"),
        by=user,
    )
    assert exhibit.text_status == "read" and "Ana Ruiz" in (exhibit.text or "")
    exhibit_update(exhibit=exhibit, title="Letter", issuer="", issued_on=None, kind="support_letter", by=user)
    items = [{"name": "Riverton OEM", "kind": "ngo", "letter_exhibit_id": str(exhibit.pk)}]
    packet = packet_save_section(
        packet=packet, section="partners", value={"items": items}, base_revision=packet.revision, by=user
    )

    with sandbox.recording() as runs:
        rules = {finding.rule for finding in packet_readiness(packet=packet, today=TODAY)}

    assert runs == []
    assert not {"letter-weak", "letter-no-text-layer", "letter-not-read"} & rules
    Exhibit.objects.filter(pk=exhibit.pk).update(text=None, text_status="not_read")
    assert "letter-not-read" in {finding.rule for finding in packet_readiness(packet=packet, today=TODAY)}


# ── Letters: how their text was read, and the date they bear ─────────────────────────────────────────────────────


def _with_letter(exhibits: list[ExhibitFacts], letter_id: Any, **changes: Any) -> list[ExhibitFacts]:
    from dataclasses import replace

    return [replace(e, **changes) if e.id == letter_id else e for e in exhibits]


def test_a_letter_with_a_text_layer_that_holds_little_text_is_never_called_a_scan() -> None:
    content, exhibits = _complete()
    letter_id = content.partners.items[0].letter_exhibit_id
    found = _rules(content, _with_letter(exhibits, letter_id, text="Signed.", text_status="read"))
    assert "letter-no-text-layer" not in found
    assert "has a text layer" in found["letter-little-text"].message
    assert "scan" not in found["letter-little-text"].message


@pytest.mark.parametrize("status", ["not_read", "unreadable"])
def test_a_letter_not_read_in_time_is_not_called_a_scan(status: str) -> None:
    content, exhibits = _complete()
    letter_id = content.partners.items[0].letter_exhibit_id
    found = _rules(content, _with_letter(exhibits, letter_id, text=None, text_status=status))
    assert "scan" not in found["letter-not-read"].message


def test_only_a_letter_without_a_text_layer_is_called_a_scan() -> None:
    content, exhibits = _complete()
    letter_id = content.partners.items[0].letter_exhibit_id
    found = _rules(content, _with_letter(exhibits, letter_id, text=None, text_status="no_text"))
    assert "is a scan without readable text" in found["letter-no-text-layer"].message


@pytest.mark.parametrize("written", ["November 2, 2026", "2 November 2026", "2026-11-02", "11/02/2026"])
def test_a_letter_whose_own_date_differs_from_the_recorded_one_is_a_warning_at_the_date_field(written: str) -> None:
    content, exhibits = _complete()
    partner = content.partners.items[2]
    partner.letter_date = date(2026, 11, 12)
    text = f"Riverton Fire & Rescue\n75 Station Street\n{written}\n\n{LETTER_TEXT}"
    finding = _rules(content, _with_letter(exhibits, partner.letter_exhibit_id, text=text))["letter-date-differs"]
    assert "2026-11-02" in finding.message and "2026-11-12" in finding.message
    assert (finding.field, finding.row) == ("letter_date", 2)


def test_a_letter_dated_as_recorded_or_without_a_date_of_its_own_raises_nothing() -> None:
    content, exhibits = _complete()
    partner = content.partners.items[2]
    partner.letter_date = date(2026, 11, 2)
    dated = _with_letter(exhibits, partner.letter_exhibit_id, text=f"2 November 2026\n{LETTER_TEXT}")
    assert "letter-date-differs" not in _rules(content, dated)
    assert "letter-date-differs" not in _rules(content, exhibits)  # LETTER_TEXT holds no date


def test_the_requesting_organisation_counts_as_the_official_voice_when_it_is_one() -> None:
    content, exhibits = _complete()
    content.partners.items = [p for p in content.partners.items if p.kind in ("university", "public_body")]
    content.requestor.requested_by = RequestedBy.ORGANISATION
    content.organisation.kind = OrganisationKind.GOVERNMENT_AGENCY
    assert "no-official-letter" not in _rules(content, exhibits)
    content.organisation.kind = OrganisationKind.COMPANY
    assert "no-official-letter" in _rules(content, exhibits)


@pytest.mark.parametrize(
    ("kind", "official"),
    [
        ("health_service", True),
        ("tribal_government", True),
        ("international_organisation", True),
        ("utility", False),
        ("school", False),
        ("faith_group", False),
        ("public_body", False),  # stored before the new kinds: still valid
    ],
)
def test_partner_kinds_fall_into_the_reviewers_categories(kind: str, official: bool) -> None:
    content, exhibits = _complete()
    content.organisation.kind = OrganisationKind.COMPANY
    for partner in content.partners.items:
        partner.kind = OrganisationKind(kind)
    content = PacketData.model_validate(content.model_dump(mode="json"))
    assert ("no-official-letter" not in _rules(content, exhibits)) is official


def test_a_short_lead_with_the_urgency_explained_says_how_to_ask_for_expedited_processing() -> None:
    content, exhibits = _complete()
    assert content.timeline.entry_deadline_reason and content.project.urgency
    content.timeline.filing_date = content.timeline.arrival_date - timedelta(days=20)
    finding = _rules(content, exhibits)["filing-close-to-arrival"]
    assert "explain the urgency" not in finding.message
    assert "receipt number" in finding.message and "Contact Center" in finding.message
    assert filing_facts().get("expedite").name in finding.message
    assert finding.field == "arrival_date"
