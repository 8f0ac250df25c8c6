"""What changed between two revisions, as counsel reads it (the diff partial the amendment page shares): each changed
section with its fields' old and new words, and the exhibits added with the label they have now."""

from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from packets.content.services import ExhibitUpload, exhibit_add, packet_save_section
from tests.builders import make_packet, make_user, pdf_bytes, upload

pytestmark = pytest.mark.django_db


def _exhibit(packet: Any, by: Any, title: str) -> None:
    exhibit_add(
        packet=packet,
        upload=ExhibitUpload(
            file=upload(f"{title}.pdf", pdf_bytes(text=title), "application/pdf"), kind="other", title=title
        ),
        by=by,
    )


def test_the_changes_page_shows_each_changed_field_and_the_added_exhibit_with_its_label(client: Client) -> None:
    owner = make_user("owner")
    packet = make_packet(owner, project={"title": "Seismic triage", "summary": "Assess 14 school buildings."})
    _exhibit(packet, owner, "Passport biographic page")
    packet.refresh_from_db()
    start = packet.revision
    packet = packet_save_section(
        packet=packet,
        section="project",
        value=dict(packet.data["project"]) | {"summary": "Assess 15 school buildings."},
        base_revision=packet.revision,
        by=owner,
    )
    _exhibit(packet, owner, "Annex inspection plan")
    client.force_login(owner)

    page = client.get(reverse("packet_changes", args=[packet.pk]), {"from": f"r{start}"}).content.decode()

    assert '<h2 id="diff-title-project">' in page
    assert "<del>14</del>" in page and "<ins>15</ins>" in page
    assert '<h2 id="diff-title-exhibits">Exhibits</h2>' in page
    assert "Added: Exhibit B — Annex inspection plan" in page
    assert 'id="no-changes"' not in page
    same = client.get(reverse("packet_changes", args=[packet.pk]), {"from": "r0", "to": "r0"}).content.decode()
    assert 'id="no-changes"' in same and "diff-section" not in same
