"""The dashboard: my packets only, how far each got, and creating, renaming and deleting them."""

import hashlib
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.files.base import ContentFile
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from packets.content.services import ExhibitUpload, exhibit_add
from packets.models import Exhibit, Membership, Packet, PacketChange, PacketVersion, Role
from parole_wizard.steps import steps_for
from tests.builders import make_packet, pdf_bytes, upload
from tests.parole_wizard.pages import messages_of, step_url, submit_step


def _files_in_media() -> list[Path]:
    return [path for path in Path(settings.MEDIA_ROOT).rglob("*") if path.is_file()]


def test_the_dashboard_lists_my_packets_and_no_one_elses(logged_in_client: Client, user: Any, other_user: Any) -> None:
    make_packet(user, name="Riverton schools 2027")
    shared = make_packet(other_user, name="Shared with me")
    Membership.objects.create(packet=shared, user=user, role=Role.VIEWER)
    make_packet(other_user, name="Ben's private packet")

    response = logged_in_client.get(reverse("dashboard"))

    html = response.content.decode()
    assert "Riverton schools 2027" in html
    assert "Ben&#x27;s private packet" not in html and "Ben's private packet" not in html
    assert [row["packet"].name for row in response.context["rows"]] == ["Riverton schools 2027"]
    assert [row["packet"].name for row in response.context["shared"]] == ["Shared with me"]


def test_the_dashboard_needs_a_login(client: Client) -> None:
    response = client.get(reverse("dashboard"))

    assert response.status_code == 302
    assert response.url.startswith(reverse("login"))


def test_each_packet_shows_how_many_steps_are_complete(logged_in_client: Client, user: Any) -> None:
    packet = make_packet(
        user,
        name="Riverton",
        requestor={"requested_by": "self"},
        exit={
            "exit_strategy": "Return ticket.",
            "return_ties": "Tenured position.",
            "conditions_compliance": "Will report.",
            "denial_contingency": "Remote support.",
        },
    )
    total = len(steps_for(packet.content))

    html = logged_in_client.get(reverse("dashboard")).content.decode()

    # "Who is asking" and "Temporary presence and exit" are complete; nothing else is.
    assert f"2 of {total} steps complete" in html


def test_the_organisation_step_counts_only_when_it_applies(logged_in_client: Client, user: Any) -> None:
    make_packet(user, name="Self", requestor={"requested_by": "self"})
    make_packet(user, name="Org", requestor={"requested_by": "organisation"})

    rows = {row["packet"].name: row for row in logged_in_client.get(reverse("dashboard")).context["rows"]}

    assert rows["Org"]["total"] == rows["Self"]["total"] + 1


def test_the_last_change_shows_when_and_by_whom(logged_in_client: Client, user: Any, other_user: Any) -> None:
    packet = make_packet(user, name="Riverton")
    Membership.objects.create(packet=packet, user=other_user, role=Role.EDITOR)
    editor = Client()
    editor.force_login(other_user)
    submit_step(editor, packet, "project", {"title": "Safe Schools"})
    packet.refresh_from_db()

    html = logged_in_client.get(reverse("dashboard")).content.decode()

    local = timezone.localtime(packet.updated_at).strftime("%Y-%m-%d %H:%M")
    assert f"{local} · ben" in html


def test_most_recently_changed_packets_come_first(logged_in_client: Client, user: Any) -> None:
    make_packet(user, name="Older")
    newer = make_packet(user, name="Newer")
    older = next(p for p in Packet.objects.all() if p.name == "Older")  # names are encrypted
    submit_step(logged_in_client, older, "project", {"title": "Touched last"})

    rows = logged_in_client.get(reverse("dashboard")).context["rows"]

    assert [row["packet"].name for row in rows] == ["Older", newer.name]


# ── Create ──────────────────────────────────────────────────────────────────────────────────────────────────────


def test_creating_a_packet_makes_me_its_owner_and_opens_the_first_step(logged_in_client: Client, user: Any) -> None:
    response = logged_in_client.post(reverse("packet_new"), {"name": "  Riverton schools 2027 "})

    packet = Packet.objects.get()
    assert packet.name == "Riverton schools 2027"
    assert Membership.objects.get(packet=packet).user == user
    assert Membership.objects.get(packet=packet).role == Role.OWNER
    assert response.url == step_url(packet, "beneficiary")


def test_a_packet_needs_a_name_of_at_most_120_characters(logged_in_client: Client) -> None:
    for name in ("", "   ", "x" * 121):
        response = logged_in_client.post(reverse("packet_new"), {"name": name}, follow=True)

        assert any("at most 120 characters" in message for message in messages_of(response))
    assert not Packet.objects.exists()


# ── Rename ──────────────────────────────────────────────────────────────────────────────────────────────────────


def test_renaming_changes_the_name_everywhere(logged_in_client: Client, user: Any) -> None:
    packet = make_packet(user, name="Riverton")
    url = reverse("packet_rename", kwargs={"packet_id": packet.pk})
    assert 'value="Riverton"' in logged_in_client.get(url).content.decode()

    response = logged_in_client.post(url, {"name": "Riverton schools 2027"})

    assert response.url == reverse("packet_detail", kwargs={"packet_id": packet.pk})
    packet.refresh_from_db()
    assert packet.name == "Riverton schools 2027"
    assert "Riverton schools 2027" in logged_in_client.get(reverse("dashboard")).content.decode()


def test_a_rename_to_an_empty_or_too_long_name_is_refused_beside_the_field(logged_in_client: Client, user: Any) -> None:
    packet = make_packet(user, name="Riverton")
    url = reverse("packet_rename", kwargs={"packet_id": packet.pk})

    for name, message in (("", "This field is required."), ("x" * 121, "at most 120 characters")):
        response = logged_in_client.post(url, {"name": name})

        assert response.status_code == 400
        assert 'id="id_name_error"' in response.content.decode()
        assert message in response.content.decode()
    packet.refresh_from_db()
    assert packet.name == "Riverton"


def test_only_the_owner_may_rename_or_delete(client: Client, user: Any, other_user: Any) -> None:
    packet = make_packet(user, name="Riverton")
    Membership.objects.create(packet=packet, user=other_user, role=Role.EDITOR)
    client.force_login(other_user)

    rename = client.post(reverse("packet_rename", kwargs={"packet_id": packet.pk}), {"name": "Mine now"})
    delete = client.post(reverse("packet_delete", kwargs={"packet_id": packet.pk}), {"confirm_name": "Riverton"})

    assert rename.status_code == delete.status_code == 404
    packet.refresh_from_db()
    assert packet.name == "Riverton"


# ── Delete ──────────────────────────────────────────────────────────────────────────────────────────────────────


def _packet_with_files(user: Any) -> Packet:
    packet = make_packet(user, name="Riverton", beneficiary={"full_name": "Lucía"})
    for index in range(2):
        exhibit_add(
            packet=packet,
            upload=ExhibitUpload(file=upload(f"e{index}.pdf", pdf_bytes()), kind="plan", title=f"Plan {index}"),
            by=user,
        )
    content = pdf_bytes(pages=2, text="rendered packet")
    version = PacketVersion(
        packet=packet,
        number=1,
        data=packet.data,
        sha256=hashlib.sha256(content).hexdigest(),
        page_count=2,
        size=len(content),
        created_at=timezone.now(),
        created_by=user,
    )
    version.pdf.save("v1.pdf", ContentFile(content), save=False)
    version.save()
    return packet


def test_the_delete_page_asks_to_type_the_name(logged_in_client: Client, user: Any) -> None:
    packet = _packet_with_files(user)

    html = logged_in_client.get(reverse("packet_delete", kwargs={"packet_id": packet.pk})).content.decode()

    assert "Type the packet's name, “Riverton”, to confirm" in html
    assert 'name="confirm_name"' in html


def test_a_wrong_name_deletes_nothing(
    logged_in_client: Client, user: Any, django_capture_on_commit_callbacks: Any
) -> None:
    packet = _packet_with_files(user)
    files = _files_in_media()

    for typed in ("", "riverton", "Riverton schools"):
        with django_capture_on_commit_callbacks(execute=True):
            response = logged_in_client.post(
                reverse("packet_delete", kwargs={"packet_id": packet.pk}), {"confirm_name": typed}
            )

        assert response.status_code == 400
        assert "Nothing was deleted." in response.content.decode()
    assert Packet.objects.filter(pk=packet.pk).exists()
    assert Exhibit.objects.filter(packet=packet).count() == 2
    assert _files_in_media() == files


def test_deleting_with_the_right_name_removes_the_packet_its_history_and_all_its_files(
    logged_in_client: Client, user: Any, django_capture_on_commit_callbacks: Any
) -> None:
    packet = _packet_with_files(user)
    assert len(_files_in_media()) == 3  # two exhibits and one rendered version

    with django_capture_on_commit_callbacks(execute=True):
        response = logged_in_client.post(
            reverse("packet_delete", kwargs={"packet_id": packet.pk}), {"confirm_name": "Riverton"}, follow=True
        )

    assert response.redirect_chain[-1][0] == reverse("dashboard")
    assert any("Deleted “Riverton” and all its files." in message for message in messages_of(response))
    assert not Packet.objects.exists()
    assert not Exhibit.objects.exists()
    assert not PacketVersion.objects.exists()
    assert not PacketChange.objects.exists()
    assert _files_in_media() == []
    assert response.context["rows"] == []
