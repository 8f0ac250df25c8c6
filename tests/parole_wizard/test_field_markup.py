"""Form fields as a user (and a screen reader) meets them: every control labelled, its hint and error read with it,
needed answers marked, limits and a list's hidden counts on the page, and the task list and comment panel beside it."""

import re
from html.parser import HTMLParser
from typing import Any

import pytest
from django.test import Client

from packets.review.comments import comment_add
from parole_wizard.steps import STEPS
from tests.builders import make_complete_packet, make_packet
from tests.parole_wizard.pages import step_url, submit_step


class _Elements(HTMLParser):
    """Every element with an id: its tag and attributes, and the text inside it."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.by_id: dict[str, dict[str, str]] = {}
        self.text: dict[str, str] = {}
        self._open: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        attributes = {key: value or "" for key, value in attrs}
        if "id" in attributes:
            self.by_id[attributes["id"]] = {"tag": tag, **attributes}
            self.text[attributes["id"]] = ""
            if tag not in ("input", "textarea", "select"):
                self._open.append(attributes["id"])

    def handle_data(self, data: str) -> None:
        for element_id in self._open:
            self.text[element_id] += data

    def handle_endtag(self, tag: str) -> None:
        if self._open and self.by_id[self._open[-1]]["tag"] == tag:
            self._open.pop()


class _Controls(HTMLParser):
    """Every control a user fills in (by id, with its attributes), and the ids every ``<label for>`` names."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.controls: dict[str, dict[str, str]] = {}
        self.labelled: set[str] = set()

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        attributes = {key: value or "" for key, value in attrs}
        if tag == "label" and "for" in attributes:
            self.labelled.add(attributes["for"])
        elif tag in ("input", "select", "textarea") and attributes.get("type") not in ("hidden", "submit"):
            self.controls[attributes.get("id", f"(no id: {attributes.get('name')})")] = attributes


def _elements(html: str) -> _Elements:
    parser = _Elements()
    parser.feed(html)
    return parser


@pytest.mark.django_db
def test_a_wrong_answer_is_announced_beside_its_field_and_tied_to_the_control(
    logged_in_client: Client, user: Any
) -> None:
    packet = make_packet(user)

    response = submit_step(logged_in_client, packet, "beneficiary", {"phone": "call me"})

    html = response.content.decode()
    page = _elements(html)
    phone = page.by_id["id_beneficiary-phone"]
    assert phone["aria-invalid"] == "true"
    assert phone["aria-describedby"] == "id_beneficiary-phone_helptext id_beneficiary-phone_error"
    assert "With the country code" in page.text["id_beneficiary-phone_helptext"]
    message = " ".join(page.text["id_beneficiary-phone_error"].split())
    assert message.startswith("Error: Enter a phone number with 7 to 15 digits")
    assert '<label for="id_beneficiary-phone">Phone number</label>' in html
    # A field that is right is not marked.
    assert "aria-invalid" not in page.by_id["id_beneficiary-full_name"]


@pytest.mark.django_db
def test_a_choice_of_radio_buttons_is_a_group_with_its_question_as_legend(logged_in_client: Client, user: Any) -> None:
    packet = make_packet(user)

    html = logged_in_client.get(step_url(packet, "requestor")).content.decode()

    page = _elements(html)
    assert page.by_id["id_requestor-requested_by"]["tag"] == "fieldset"
    assert re.search(
        r'<fieldset class="radios" id="id_requestor-requested_by">\s*<legend>Who files the request\?', html
    )
    first = page.by_id["id_requestor-requested_by_0"]
    assert (first["tag"], first["type"], first["name"]) == ("input", "radio", "requestor-requested_by")
    assert '<label for="id_requestor-requested_by_0">The person who would travel files for themselves</label>' in html


def _labels(html: str) -> dict[str, str]:
    """The words of each ``<label for=…>`` (and of each radio group's legend, by the group's id), spaces collapsed."""
    found = {key: " ".join(re.sub(r"<[^>]+>", " ", words).split()) for key, words in re.findall(
        r'<label for="([^"]+)">(.*?)</label>', html, re.S)}  # fmt: skip
    for key, words in re.findall(r'<fieldset class="radios" id="([^"]+)"[^>]*>\s*<legend>(.*?)</legend>', html, re.S):
        found[key] = " ".join(re.sub(r"<[^>]+>", " ", words).split())
    return found


@pytest.mark.django_db
def test_every_control_of_every_step_page_has_a_label(logged_in_client: Client, user: Any) -> None:
    complete, blank = make_complete_packet(user), make_packet(user)
    for packet in (complete, blank):
        for step in STEPS:
            if not step.applies(packet.content):
                continue
            html = logged_in_client.get(step_url(packet, step.name)).content.decode()
            page = _Controls()
            page.feed(html)

            assert page.controls, step.name
            assert set(page.controls) <= page.labelled, (step.name, set(page.controls) - page.labelled)


@pytest.mark.django_db
def test_a_hint_is_read_with_its_control_and_the_limit_is_the_schemas(logged_in_client: Client, user: Any) -> None:
    packet = make_packet(user)

    html = logged_in_client.get(step_url(packet, "beneficiary")).content.decode()

    page = _elements(html)
    name = page.by_id["id_beneficiary-full_name"]
    assert name["aria-describedby"] == "id_beneficiary-full_name_helptext"
    assert page.text["id_beneficiary-full_name_helptext"].strip() == "As printed in the passport."
    # The limit is counted as one types and checked on saving, never cut by maxlength (a paste would lose its end).
    assert "maxlength" not in name
    assert name["data-max-length"] == "200"
    assert page.by_id["id_beneficiary-immigration_history"]["tag"] == "textarea"
    assert page.by_id["id_beneficiary-immigration_history"]["data-max-length"] == "10000"
    assert page.by_id["id_beneficiary-email"]["type"] == "email"
    assert page.by_id["id_beneficiary-date_of_birth"]["type"] == "date"
    # The form does its own checking and says why in words; the browser's own checks would stop the save first.
    assert "required" not in name


@pytest.mark.django_db
def test_the_answers_a_reviewer_expects_are_marked_needed_in_their_labels(logged_in_client: Client, user: Any) -> None:
    packet = make_packet(user)

    labels = _labels(logged_in_client.get(step_url(packet, "beneficiary")).content.decode())
    requestor = _labels(logged_in_client.get(step_url(packet, "requestor")).content.decode())

    assert labels["id_beneficiary-full_name"] == "Full name needed"
    assert labels["id_beneficiary-other_names"] == "Other names used"
    assert requestor["id_requestor-requested_by"] == "Who files the request? needed"


@pytest.mark.django_db
def test_an_entry_of_a_list_marks_its_needed_answers_and_can_be_removed_only_once_saved(
    logged_in_client: Client, user: Any
) -> None:
    packet = make_complete_packet(user)
    saved = len(packet.content.partners.items)

    html = logged_in_client.get(step_url(packet, "partners")).content.decode()

    labels = _labels(html)
    page = _elements(html)
    assert labels["id_partners-items-0-name"].endswith("needed")
    assert labels[f"id_partners-items-{saved}-name"] == "Organisation"  # the blank entry for adding one
    assert "id_partners-items-0-DELETE" in page.by_id
    assert f"id_partners-items-{saved}-DELETE" not in page.by_id
    # The list's hidden counts, without which the page could not save the list.
    assert page.by_id["id_partners-items-TOTAL_FORMS"]["value"] == str(saved + 1)
    assert page.by_id["id_partners-items-INITIAL_FORMS"]["value"] == str(saved)
    # Each saved partner's letter is named, with a link to it, above the field that replaces it.
    assert html.count('<p class="current-file">') == saved
    assert "Choose a file below to replace it." in html


@pytest.mark.django_db
def test_a_wrong_choice_is_announced_with_its_group(logged_in_client: Client, user: Any) -> None:
    packet = make_packet(user)

    html = submit_step(logged_in_client, packet, "requestor", {"requested_by": "nobody"}).content.decode()

    page = _elements(html)
    group = page.by_id["id_requestor-requested_by"]
    assert group["tag"] == "fieldset"
    assert group["aria-describedby"] == "id_requestor-requested_by_error"
    assert " ".join(page.text["id_requestor-requested_by_error"].split()).startswith("Error: Select a valid choice.")
    # The summary at the top links to the group (no single button is the answer).
    assert '<a href="#id_requestor-requested_by">Select a valid choice.' in html


@pytest.mark.django_db
def test_the_error_summary_links_each_message_to_its_field(logged_in_client: Client, user: Any) -> None:
    packet = make_packet(user)

    html = submit_step(logged_in_client, packet, "beneficiary", {"email": "not an address"}).content.decode()

    summary = html[html.index('id="error-summary"') : html.index("</div>", html.index('id="error-summary"'))]
    assert '<a href="#id_beneficiary-email">Enter an email address like name@example.org.</a>' in summary
    assert 'role="alert"' in html


@pytest.mark.django_db
def test_the_task_list_marks_the_current_step_and_counts_blockers_and_open_comments(
    logged_in_client: Client, user: Any
) -> None:
    packet = make_packet(user)
    comment_add(packet=packet, by=user, body="Is this the passport name?", step="beneficiary", field="full_name")

    html = logged_in_client.get(step_url(packet, "beneficiary")).content.decode()

    task_list = html[html.index('<aside class="task-list"') :]
    current = re.findall(r'<button[^>]*value="(\w+)"[^>]*aria-current="step"', task_list)
    assert current == ["beneficiary"]
    beneficiary = re.search(
        r'<li class="task task-not_started">\s*<button[^>]*value="beneficiary".*?</li>', task_list, re.S
    )
    assert beneficiary is not None
    item = " ".join(re.sub(r"<[^>]+>", " ", beneficiary.group()).split())
    assert re.fullmatch(r"The person who would travel Not started \d+ blockers? 1 unresolved comment", item), item


@pytest.mark.django_db
def test_a_comment_can_be_anchored_to_any_field_of_the_step_by_its_label(logged_in_client: Client, user: Any) -> None:
    packet = make_packet(user)

    html = logged_in_client.get(step_url(packet, "beneficiary")).content.decode()

    select = html[
        html.index('<select id="comment-field-beneficiary"') : html.index("</select>", html.index("comment-field"))
    ]
    options = re.findall(r'<option value="([^"]*)">([^<]*)</option>', select)
    assert options[:3] == [("", "The whole step"), ("full_name", "Full name"), ("other_names", "Other names used")]
    assert len(options) == 1 + 13  # the whole step, and each of the step's own fields
