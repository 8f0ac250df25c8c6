"""Form fields as a user (and a screen reader) meets them: written in Python, with the markup of Django's templates."""

import re
from collections.abc import Callable
from html.parser import HTMLParser
from typing import Any

import pytest
from django import forms
from django.contrib.auth.forms import AuthenticationForm, PasswordResetForm, SetPasswordForm
from django.forms.renderers import DjangoTemplates, get_default_renderer
from django.test import Client

from packets.forms import ExhibitDetailsForm
from parole_wizard.forms import EvidenceForm, PacketNameForm
from parole_wizard.imports import PacketImportForm
from parole_wizard.rendering import FormRenderer
from parole_wizard.sessions import SessionsPasswordChangeForm
from parole_wizard.sharing_views import InvitationForm
from parole_wizard.steps import STEPS
from parole_wizard.views import SignUpForm
from tests.builders import make_complete_packet, make_packet
from tests.parole_wizard.pages import step_url, submit_step

# Answers no step accepts, so every kind of control is shown with its error beside it.
WRONG = {
    "beneficiary": {"email": "not an address", "date_of_birth": "31/31/1984", "phone": "call me"},
    "requestor": {"requested_by": "nobody", "counsel_email": "nope"},
    "timeline": {"arrival_date": "2027-05-01", "departure_date": "2027-01-01", "milestones-0-due_on": "2030-01-01"},
    "partners": {"items-0-name": "A partner", "items-0-contact_email": "no address"},
    "monitoring": {"shares_data": "maybe"},
    "evidence": {"title": "x" * 300, "kind": "nonsense"},
}


def _controls(form: forms.Form) -> list[str]:
    """Every control of ``form`` and of its rows, and each radio button on its own (as our field layout writes them)."""
    everything = [form, *(row for formset in getattr(form, "formsets", {}).values() for row in formset)]
    written = []
    for each in everything:
        for field in each:
            written.append(str(field))
            written += [radio.tag(wrap_label=wrap) for radio in field.subwidgets for wrap in (False, True)]
    return written


def _step_forms(content: Any, data: dict[str, Any] | None) -> list[Callable[[Any], forms.Form]]:
    packet_data = content.model_dump(mode="json")
    return [
        lambda renderer, step=step: step.form(
            data,
            prefix=step.name,
            initial=step.form.initial_from(packet_data.get(step.section) or {}, 3) if step.section else {},
            stored=packet_data.get(step.section) or {} if step.section else {},
            content=content,
            renderer=renderer,
        )
        for step in STEPS
    ]


@pytest.mark.django_db
def test_every_control_is_written_as_djangos_own_widget_templates_write_it(user: Any) -> None:
    content = make_complete_packet(user).content
    wrong = {f"{step}-{name}": value for step, answers in WRONG.items() for name, value in answers.items()}
    account = {"username": "x", "password": "y", "password1": "a", "new_password1": "a", "email": "not an email"}
    builds: list[Callable[[Any], forms.Form]] = [
        *_step_forms(content, None),
        *_step_forms(content, wrong),
        lambda renderer: PacketNameForm({"name": ""}, renderer=renderer),
        lambda renderer: EvidenceForm(renderer=renderer, prefix="evidence"),
        lambda renderer: ExhibitDetailsForm({"title": "", "kind": "plan"}, renderer=renderer),
        lambda renderer: InvitationForm(renderer=renderer),
        lambda renderer: InvitationForm({"email": "nope", "role": "counsel"}, renderer=renderer),
        lambda renderer: PacketImportForm({}, renderer=renderer),
        lambda renderer: SignUpForm(account, renderer=renderer),
        # Blank: a login form given a name and a password asks django-axes, which wants a real request.
        lambda renderer: AuthenticationForm(data={"username": "", "password": ""}, renderer=renderer),
        lambda renderer: PasswordResetForm(account, renderer=renderer),
        lambda renderer: SetPasswordForm(user, account, renderer=renderer),
        lambda renderer: SessionsPasswordChangeForm(user, account, renderer=renderer),
    ]

    for build in builds:
        ours, djangos = build(FormRenderer()), build(DjangoTemplates())
        for form in (ours, djangos):
            form.is_valid()  # errors change the markup (aria-invalid, aria-describedby)

        assert _controls(ours) == _controls(djangos)


def test_a_repeated_lists_hidden_counts_are_written_as_djangos_template_writes_them() -> None:
    # The management form says how many entries a list has; a page without it cannot save the list.
    ours, djangos = (forms.formset_factory(PacketNameForm, renderer=r) for r in (FormRenderer(), DjangoTemplates()))
    for data in (None, {"rows-TOTAL_FORMS": "2", "rows-INITIAL_FORMS": "1"}, {"rows-TOTAL_FORMS": "many"}):
        written = str(ours(data, prefix="rows").management_form)

        assert written == str(djangos(data, prefix="rows").management_form)
        assert 'name="rows-TOTAL_FORMS"' in written


def _page(response: Any) -> str:
    # Each page masks its CSRF token afresh; everything else must be the same.
    return re.sub(r'name="csrfmiddlewaretoken" value="[^"]+"', 'name="csrfmiddlewaretoken"', response.content.decode())


@pytest.mark.django_db
def test_every_step_page_reads_the_same_as_with_djangos_own_widget_templates(
    logged_in_client: Client, user: Any, settings: Any
) -> None:
    assert isinstance(get_default_renderer(), FormRenderer)
    complete, blank = make_complete_packet(user), make_packet(user)
    urls = [
        step_url(packet, step.name) for packet in (complete, blank) for step in STEPS if step.applies(packet.content)
    ]

    def pages() -> list[str]:
        shown = [_page(logged_in_client.get(url)) for url in urls]
        return shown + [_page(submit_step(logged_in_client, blank, step, answers)) for step, answers in WRONG.items()]

    ours = pages()
    settings.FORM_RENDERER = "django.forms.renderers.DjangoTemplates"

    assert pages() == ours


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
