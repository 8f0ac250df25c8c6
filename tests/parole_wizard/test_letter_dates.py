"""A partner's letter date and its uploaded letter's date are one fact, whichever page it is written on."""

from datetime import date
from typing import Any

from django.test import Client

from packets.content.services import ExhibitUpload, exhibit_add, exhibit_update
from packets.models import Exhibit
from tests.builders import make_packet, pdf_bytes, upload
from tests.parole_wizard.pages import open_step, submit_step

PARTNER = {
    "items-0-name": "Riverton Fire & Rescue",
    "items-0-kind": "public_safety",
    "items-0-role": "Safety escort.",
    "items-0-contact_name": "Daniel Okafor",
    "items-0-contact_email": "dokafor@riverton.example.gov",
    "items-0-letter_date": "2026-11-12",
}


def _with_letter(client: Client, user: Any) -> tuple[Any, Exhibit]:
    packet = make_packet(user)
    letter = upload("letter.pdf", pdf_bytes(text="Riverton Fire & Rescue supports the project."), "application/pdf")
    submit_step(client, packet, "partners", {**PARTNER, "items-0-letter_file": letter})
    packet.refresh_from_db()
    return packet, Exhibit.objects.get(packet=packet)


def test_the_uploaded_letter_takes_the_partners_letter_date(logged_in_client: Client, user: Any) -> None:
    _packet, exhibit = _with_letter(logged_in_client, user)
    assert exhibit.issued_on == date(2026, 11, 12)


def test_changing_the_letter_date_on_the_partners_step_changes_the_letters_date(
    logged_in_client: Client, user: Any
) -> None:
    packet, exhibit = _with_letter(logged_in_client, user)
    submit_step(logged_in_client, packet, "partners", {"items-0-letter_date": "2026-11-02"})
    exhibit.refresh_from_db()
    assert exhibit.issued_on == date(2026, 11, 2)


def test_correcting_the_letters_date_changes_the_partners_letter_date(logged_in_client: Client, user: Any) -> None:
    packet, exhibit = _with_letter(logged_in_client, user)
    revision = packet.revision
    exhibit_update(
        exhibit=exhibit, title=exhibit.title, issuer=exhibit.issuer, issued_on=date(2026, 11, 2), kind=exhibit.kind,
        by=user,
    )  # fmt: skip
    packet.refresh_from_db()
    assert packet.data["partners"]["items"][0]["letter_date"] == "2026-11-02"
    assert packet.revision == revision + 1
    _response, page = open_step(logged_in_client, packet, "partners")
    assert page["partners-items-0-letter_date"] == "2026-11-02"


def test_a_partner_saved_without_a_letter_date_takes_the_letters_own(logged_in_client: Client, user: Any) -> None:
    packet, exhibit = _with_letter(logged_in_client, user)
    submit_step(logged_in_client, packet, "partners", {"items-0-letter_date": ""})
    packet.refresh_from_db()
    assert packet.data["partners"]["items"][0]["letter_date"] == "2026-11-12"


def test_an_exhibit_that_is_no_partners_letter_changes_no_content(logged_in_client: Client, user: Any) -> None:
    packet, _letter = _with_letter(logged_in_client, user)
    plan = exhibit_add(
        packet=packet, upload=ExhibitUpload(file=upload("plan.pdf", pdf_bytes()), kind="plan", title="Plan"), by=user
    )
    packet.refresh_from_db()
    data = packet.data
    exhibit_update(exhibit=plan, title="Plan", issuer="", issued_on=date(2026, 10, 1), kind="plan", by=user)
    packet.refresh_from_db()
    assert packet.data == data


def test_the_evidence_steps_list_names_a_letters_issuer_once(logged_in_client: Client, user: Any) -> None:
    packet, _exhibit = _with_letter(logged_in_client, user)
    page = logged_in_client.get(f"/packets/{packet.pk}/steps/evidence/").content.decode()
    assert (
        '<td class="exhibit-title">Letter of support<br>' in page
    )  # the title column, without the issuer composed into the title
    assert 'data-label="Issued by">Riverton Fire &amp; Rescue</td>' in page  # the issuer's own column
