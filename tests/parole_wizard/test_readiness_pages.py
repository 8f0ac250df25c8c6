"""Readiness findings where the applicant works: review page, packet page, task list badges, dashboard counts."""

from typing import Any

from django.test import Client

from tests.builders import make_complete_packet, make_packet


def test_the_review_page_lists_findings_by_severity_with_a_link_to_the_field(
    logged_in_client: Client, user: Any
) -> None:
    packet = make_packet(user, timeline={"arrival_date": "2027-01-04"})
    page = logged_in_client.get(f"/packets/{packet.pk}/review/").content.decode()
    assert "Blockers — fix before filing" in page
    assert "There is no fixed end date." in page
    assert f'href="/packets/{packet.pk}/steps/timeline/#id_timeline-departure_date"' in page


def test_the_packet_page_and_task_list_show_blocker_counts(logged_in_client: Client, user: Any) -> None:
    packet = make_packet(user)
    detail = logged_in_client.get(f"/packets/{packet.pk}/").content.decode()
    assert "What a reviewer would find" in detail
    step = logged_in_client.get(f"/packets/{packet.pk}/steps/exit/").content.decode()
    assert "2 blockers" in step  # no exit strategy, no return ties


def test_the_dashboard_counts_each_packets_blockers(logged_in_client: Client, user: Any) -> None:
    make_packet(user, name="Empty draft")
    page = logged_in_client.get("/").content.decode()
    assert "blockers" in page


def test_the_complete_demo_packet_shows_no_blocker(logged_in_client: Client, user: Any) -> None:
    packet = make_complete_packet(user)
    page = logged_in_client.get(f"/packets/{packet.pk}/review/").content.decode()
    assert "Blockers — fix before filing" not in page


def test_the_filing_checklist_is_tailored_from_the_facts_file(logged_in_client: Client, user: Any) -> None:
    packet = make_complete_packet(user)
    page = logged_in_client.get(f"/packets/{packet.pk}/checklist/").content.decode()
    assert "Information, not legal advice." in page
    assert "Form I-131" in page and "USD 630" in page
    assert "Form G-28" in page  # the demo has counsel
    assert "Needed from: Cascadia Structural Safety Alliance" in page
    assert "Last verified on 2026-11-27" in page


def test_the_checklist_leaves_out_counsels_form_when_there_is_no_counsel(logged_in_client: Client, user: Any) -> None:
    packet = make_packet(user)
    page = logged_in_client.get(f"/packets/{packet.pk}/checklist/").content.decode()
    assert "Form G-28" not in page and "Form I-134" not in page


def test_counsels_list_counts_each_shared_packets_blockers(client: Client, user: Any, other_user: Any) -> None:
    from packets.models import Membership, Role

    packet = make_packet(user, name="Shared draft")
    Membership.objects.create(packet=packet, user=other_user, role=Role.COUNSEL)
    client.force_login(other_user)
    page = client.get("/shared/").content.decode()
    assert "Shared draft" in page and "blockers" in page


def test_a_partner_without_an_email_or_phone_links_to_that_field_of_its_row(
    logged_in_client: Client, user: Any
) -> None:
    partners = {"items": [{"name": "Riverton OEM", "kind": "government_agency", "contact_name": "Marcus Bell"}]}
    packet = make_packet(user, partners=partners)
    page = logged_in_client.get(f"/packets/{packet.pk}/review/").content.decode()
    assert "The point of contact of Riverton OEM has no email or phone number" in page
    assert f'href="/packets/{packet.pk}/steps/partners/#id_partners-items-0-contact_email"' in page
    step = logged_in_client.get(f"/packets/{packet.pk}/steps/partners/").content.decode()
    assert 'id="id_partners-items-0-contact_email"' in step
