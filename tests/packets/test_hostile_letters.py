"""Hostile support letters: read once in the sandbox at upload, never again by a page view.

A letter that uploads fine but whose content stream nests 100,000 arrays, or holds millions of operators, used to make
every page of its packet answer 500 or hold a worker for minutes, because pages read the letter's text themselves.
"""

from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from packets.evidence import sandbox
from packets.models import Exhibit, ExhibitTextStatus, Membership, Role
from tests.builders import make_packet, many_tokens_letter_pdf, nested_arrays_letter_pdf, upload
from tests.parole_wizard.pages import open_step, step_url

HOSTILE = {"nested.pdf": nested_arrays_letter_pdf, "tokens.pdf": many_tokens_letter_pdf}


@pytest.fixture
def counsel_client(other_user: Any) -> Client:
    client = Client()
    client.force_login(other_user)
    return client


@pytest.mark.parametrize("name", sorted(HOSTILE))
def test_a_hostile_letter_is_stored_as_unreadable_and_no_page_view_opens_it(
    name: str, settings: Any, logged_in_client: Client, counsel_client: Client, user: Any, other_user: Any
) -> None:
    settings.INSPECT_TEXT_CPU_SECONDS = 2  # the budget only has to run out; a smaller one costs CI less time
    packet = make_packet(user, beneficiary={"full_name": "Ana Ruiz"})
    Membership.objects.create(packet=packet, user=other_user, role=Role.COUNSEL)
    _response, page = open_step(logged_in_client, packet, "partners")
    data = {
        **page,
        "partners-items-0-name": "Riverton OEM",
        "partners-items-0-kind": "ngo",
        "partners-items-0-contact_name": "Hannah Lee",
        "partners-items-0-contact_email": "hlee@example.org",
        "partners-items-0-letter_file": upload(name, HOSTILE[name]()),
        "wizard_action": "next",
    }

    with sandbox.recording() as upload_runs:
        response = logged_in_client.post(step_url(packet, "partners"), data)

    assert [run.command for run in upload_runs] == ["inspect"]  # one child inspects, prepares and reads it
    letter = Exhibit.objects.filter(packet=packet).first()
    if letter is None:  # refused at upload: then with a plain message
        assert "could not be checked safely" in response.content.decode()
    else:
        assert response.status_code == 302
        assert (letter.kind, letter.text_status, letter.text) == ("support_letter", ExhibitTextStatus.UNREADABLE, None)

    pages = [
        (logged_in_client, reverse("dashboard")),
        (logged_in_client, reverse("packet_detail", args=[packet.pk])),
        (logged_in_client, step_url(packet, "partners")),
        (logged_in_client, reverse("packet_review", args=[packet.pk])),
        (counsel_client, reverse("dashboard")),  # counsel's list of shared packets counts their findings
    ]
    with sandbox.recording() as page_runs:
        statuses = [client.get(url).status_code for client, url in pages]

    assert statuses == [200] * len(pages)
    assert page_runs == []  # no page view parsed the file
    if letter is not None:
        review = logged_in_client.get(reverse("packet_review", args=[packet.pk])).content.decode()
        assert "The text of the letter from Riverton OEM could not be read automatically" in review
