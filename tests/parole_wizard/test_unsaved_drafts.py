"""A save that fails validation is kept, encrypted, as that step's draft: through a menu link, a reload, a closed tab
or another device, until it is saved or dropped."""

from typing import Any

from django.db import connection
from django.test import Client
from django.urls import reverse

from packets.models import Membership, Role, StepDraft
from tests.builders import make_packet, make_user
from tests.parole_wizard.pages import form_values, open_step, step_url, submit_step

TYPED_NAME = "Zelenkovska-Quiroga"


def test_answers_that_failed_to_save_are_shown_again_with_their_errors_after_leaving_by_a_menu_link(
    client: Client, user: Any
) -> None:
    packet = make_packet(user, requestor={"counsel_name": "Priya Raman"})
    client.force_login(user)
    failed = submit_step(client, packet, "requestor", {"counsel_name": "Priya Raman, Esq.", "counsel_email": "praman@"})
    assert failed.status_code == 400

    assert client.get(reverse("dashboard")).status_code == 200  # the person follows a menu link away
    response, page = open_step(client, packet, "requestor")

    html = response.content.decode()
    assert "These answers are not saved yet" in html
    assert "because some need fixing" in html
    assert "Enter an email address like name@example.org." in html
    assert page["requestor-counsel_name"] == "Priya Raman, Esq."
    assert page["requestor-counsel_email"] == "praman@"
    packet.refresh_from_db()
    assert packet.data["requestor"]["counsel_name"] == "Priya Raman"  # not saved behind the person's back


def test_an_unsaved_draft_follows_the_person_to_another_device(user: Any) -> None:
    packet = make_packet(user)
    laptop, phone = Client(), Client()
    laptop.force_login(user)
    submit_step(laptop, packet, "beneficiary", {"full_name": TYPED_NAME, "email": "not an address"})

    phone.force_login(user)  # another session: nothing is shared but the database
    _response, page = open_step(phone, packet, "beneficiary")

    assert page["beneficiary-full_name"] == TYPED_NAME
    assert page["beneficiary-email"] == "not an address"


def test_an_unsaved_draft_is_one_persons_and_never_shown_to_a_colleague(user: Any) -> None:
    packet = make_packet(user)
    colleague = make_user("sam")
    Membership.objects.create(packet=packet, user=colleague, role=Role.EDITOR)
    client = Client()
    client.force_login(user)
    submit_step(client, packet, "beneficiary", {"full_name": TYPED_NAME, "email": "not an address"})

    client.force_login(colleague)
    response, page = open_step(client, packet, "beneficiary")

    assert TYPED_NAME not in response.content.decode()
    assert page["beneficiary-full_name"] == ""


def test_an_unsaved_draft_is_stored_encrypted(client: Client, user: Any) -> None:
    packet = make_packet(user)
    client.force_login(user)
    submit_step(client, packet, "beneficiary", {"full_name": TYPED_NAME, "email": "not an address"})

    with connection.cursor() as cursor:
        cursor.execute("SELECT data FROM packets_stepdraft")
        stored = repr(cursor.fetchall())

    assert StepDraft.objects.get().data["beneficiary-full_name"] == [TYPED_NAME]
    assert TYPED_NAME not in stored
    assert "csrfmiddlewaretoken" not in repr(StepDraft.objects.get().data)  # only what the person typed


def test_a_successful_save_of_the_step_deletes_its_draft(client: Client, user: Any) -> None:
    packet = make_packet(user)
    client.force_login(user)
    submit_step(client, packet, "beneficiary", {"full_name": TYPED_NAME, "email": "not an address"})
    _response, page = open_step(client, packet, "beneficiary")

    response = submit_step(client, packet, "beneficiary", {"email": "lucia@example.org"}, page=page)

    assert response.status_code == 302
    assert not StepDraft.objects.exists()
    packet.refresh_from_db()
    assert packet.data["beneficiary"]["full_name"] == TYPED_NAME
    assert "These answers are not saved yet" not in client.get(step_url(packet, "beneficiary")).content.decode()


def test_dropping_a_draft_shows_the_saved_answers_and_forgets_it(client: Client, user: Any) -> None:
    packet = make_packet(user, beneficiary={"full_name": "Lucía"})
    client.force_login(user)
    submit_step(client, packet, "beneficiary", {"full_name": TYPED_NAME, "email": "not an address"})

    response = client.get(step_url(packet, "beneficiary") + "?discard_draft=1")

    assert form_values(response)["beneficiary-full_name"] == "Lucía"
    assert not StepDraft.objects.exists()


def test_a_draft_typed_before_a_later_save_says_so_and_its_save_never_overwrites_that_save(user: Any) -> None:
    packet = make_packet(user, beneficiary={"full_name": "Lucía"})
    colleague = make_user("sam")
    Membership.objects.create(packet=packet, user=colleague, role=Role.EDITOR)
    mine, theirs = Client(), Client()
    mine.force_login(user)
    theirs.force_login(colleague)
    submit_step(mine, packet, "beneficiary", {"full_name": "Lucy", "email": "not an address"})
    submit_step(theirs, packet, "beneficiary", {"full_name": "Lucía Fernández Ortega"})

    response, page = open_step(mine, packet, "beneficiary")

    assert "This step was saved again after you typed these answers" in response.content.decode()
    assert page["beneficiary-full_name"] == "Lucy"
    fixed = submit_step(mine, packet, "beneficiary", {"email": "lucia@example.org"}, page=page)
    assert fixed.status_code == 409  # both changed the full name: side by side, not overwritten
    packet.refresh_from_db()
    assert packet.data["beneficiary"]["full_name"] == "Lucía Fernández Ortega"
