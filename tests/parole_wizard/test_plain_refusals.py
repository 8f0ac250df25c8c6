"""Whatever is typed, pasted or sent into a step, the page explains it in our plain words: never pydantic's ("Input
should be a valid string", "Value error, …", "String should have at most …"), never a cut-off answer."""

from typing import Any

import pytest
from django.test import Client

from packets.models import Packet
from parole_wizard.steps import STEPS
from tests.builders import make_complete_packet, make_packet
from tests.parole_wizard.pages import form_values, open_step, step_url

PYDANTIC_WORDS = (
    "Input should",
    "should be a valid",
    "String should",
    "Value error",
    "Field required",
    "validation error",
    "Extra inputs are not permitted",
    "pydantic",
    "For further information",
    "[type=",
    "input_value",
    "Traceback",
)

# What a person (or a damaged browser, or a hand-made request) may send in place of an answer.
BAD_VALUES = (
    "x" * 20_000,
    "2027-02-30",
    "31/03/2027",
    "not-a-uuid",
    "a\x00b",
    "\u202eevil",
    "-1",
    "99999999999999999999",
    "zzz",
    "yes please",
    " ",
)


def _packet_for(step: str, user: Any) -> Packet:
    if step == "organisation":
        return make_packet(user, requestor={"requested_by": "organisation"})
    return make_packet(user)


def _assert_plain(response: Any, what: str) -> None:
    # 409: an earlier send saved the step, so this one, from the same page, is shown beside the saved answers.
    assert response.status_code in (200, 302, 400, 409), (what, response.status_code)
    html = response.content.decode()
    for words in PYDANTIC_WORDS:
        assert words not in html, (what, words)


@pytest.mark.parametrize("step", [step.name for step in STEPS])
def test_no_bad_answer_on_any_step_is_explained_in_pydantics_words(
    step: str, logged_in_client: Client, user: Any
) -> None:
    packet = _packet_for(step, user)
    _response, page = open_step(logged_in_client, packet, step)
    names = [name for name in page if name.startswith(f"{step}-") and not name.endswith(("TOTAL_FORMS", "FORMS"))]

    for bad in BAD_VALUES[:4]:
        # Every field at once, then each alone: one refusal must not hide another's words.
        everything = {**page, **dict.fromkeys(names, bad), "wizard_action": "next"}
        _assert_plain(logged_in_client.post(step_url(packet, step), everything), f"{step}: all = {bad[:20]!r}")
    for index, name in enumerate(names):
        bad = BAD_VALUES[index % len(BAD_VALUES)]
        data = {**page, name: bad, "wizard_action": "next"}
        _assert_plain(logged_in_client.post(step_url(packet, step), data), f"{name} = {bad[:20]!r}")


@pytest.mark.parametrize("step", [step.name for step in STEPS])
def test_a_complete_step_sent_with_a_list_where_one_answer_belongs_is_explained_plainly(
    step: str, logged_in_client: Client, user: Any
) -> None:
    packet = make_complete_packet(user)
    if not any(item.name == step and item.applies(packet.content) for item in STEPS):
        pytest.skip("the step does not apply to the complete packet")
    _response, page = open_step(logged_in_client, packet, step)

    names = [name for name in page if name.startswith(f"{step}-")]
    data = {**page, **dict.fromkeys(names, ["one", "two"]), "wizard_action": "next"}
    _assert_plain(logged_in_client.post(step_url(packet, step), data), step)


def test_a_paste_longer_than_a_field_allows_is_kept_whole_and_refused_in_plain_words(
    logged_in_client: Client, user: Any
) -> None:
    packet = make_packet(user)
    _response, page = open_step(logged_in_client, packet, "beneficiary")
    pasted = "Lucía Fernández Ortega, " * 10 + "Chile"  # 245 characters; the field holds 200

    response = logged_in_client.post(
        step_url(packet, "beneficiary"), {**page, "beneficiary-full_name": pasted, "wizard_action": "next"}
    )

    assert response.status_code == 400
    assert (
        "This answer is 245 characters long; at most 200 characters fit here. Shorten it, then save."
        in response.content.decode()
    )
    assert "Enter this answer as text." not in response.content.decode()  # one reason, not a second confused one
    assert form_values(response)["beneficiary-full_name"] == pasted  # nothing cut: the person shortens it themselves
    packet.refresh_from_db()
    assert not packet.data.get("beneficiary", {}).get("full_name")


def test_a_field_with_a_limit_carries_its_count_words_for_the_page_script(logged_in_client: Client, user: Any) -> None:
    response, _page = open_step(logged_in_client, make_packet(user), "project")
    html = response.content.decode()

    assert 'data-count-words="%(count)s of %(max)s characters"' in html
    assert "maxlength=" not in html
