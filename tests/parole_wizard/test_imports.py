"""The import page: an archive made with “Export as archive” becomes a new packet of the person who uploads it."""

import io
from typing import Any

from django.test import Client
from django.urls import reverse

from packets.models import Membership, Packet, Role
from packets.portability.archive import export_packet
from tests.builders import make_packet, upload


def archive_of(packet: Packet) -> bytes:
    buffer = io.BytesIO()
    export_packet(packet, buffer)
    return buffer.getvalue()


def test_the_dashboard_links_to_the_import_page(logged_in_client: Client) -> None:
    response = logged_in_client.get(reverse("dashboard"))

    assert reverse("packet_import") in response.content.decode()


def test_it_imports_an_archive_as_a_new_packet_owned_by_the_uploader(
    client: Client, user: Any, other_user: Any
) -> None:
    original = make_packet(user, name="Riverton schools", project={"title": "Safe Schools Seismic Assessment"})
    client.force_login(other_user)

    response = client.post(
        reverse("packet_import"), {"archive": upload("riverton.zip", archive_of(original), "application/zip")}
    )

    imported = Packet.objects.exclude(pk=original.pk).get()
    assert response.status_code == 302
    assert response["Location"] == reverse("packet_detail", args=[imported.pk])
    assert imported.content.project.title == "Safe Schools Seismic Assessment"
    assert Membership.objects.get(packet=imported, user=other_user).role == Role.OWNER
    assert "Imported “Riverton schools”" in client.get(response["Location"]).content.decode()


def test_it_shows_why_an_archive_was_refused_and_saves_nothing(logged_in_client: Client) -> None:
    response = logged_in_client.post(
        reverse("packet_import"), {"archive": upload("notes.zip", b"just some text", "application/zip")}
    )

    assert response.status_code == 400
    page = response.content.decode()
    assert "There is a problem" in page
    assert "This file is not a packet archive (.zip)." in page
    assert not Packet.objects.exists()


def test_it_asks_for_a_file_when_none_was_chosen(logged_in_client: Client) -> None:
    response = logged_in_client.post(reverse("packet_import"), {})

    assert response.status_code == 400
    assert not Packet.objects.exists()


def test_it_refuses_an_archive_larger_than_a_packet_may_hold(logged_in_client: Client, settings: Any) -> None:
    settings.PACKET_MAX_BYTES = 0  # the limit becomes the 20 MB allowed for the two JSON files

    response = logged_in_client.post(
        reverse("packet_import"), {"archive": upload("big.zip", bytes(21 * 1024 * 1024), "application/zip")}
    )

    assert response.status_code == 400
    assert "The file is larger than 20 MB" in response.content.decode()


def test_the_import_page_requires_a_login(client: Client) -> None:
    response = client.get(reverse("packet_import"))

    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))
