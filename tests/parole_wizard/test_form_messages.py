"""What a step says when the schema refuses an answer: our words, never pydantic's."""

from typing import Any

import pytest
from pydantic import ValidationError

from packets.content.schema import Beneficiary, Partners
from parole_wizard.forms.base import schema_error_message


def _first_error(model: Any, value: dict[str, Any]) -> Any:
    with pytest.raises(ValidationError) as refused:
        model.model_validate(value)
    return refused.value.errors()[0]


def test_a_limit_of_the_schema_is_said_in_our_words() -> None:
    error = _first_error(Beneficiary, {"full_name": "x" * 300})

    assert schema_error_message(error) == "Enter at most 200 characters."


def test_the_schemas_own_message_is_shown_without_pydantics_prefix() -> None:
    error = _first_error(Beneficiary, {"email": "not an address"})

    assert schema_error_message(error) == "Enter an email address like name@example.org."


def test_an_answer_the_form_does_not_ask_for_is_refused_in_plain_words() -> None:
    error = _first_error(Partners, {"items": [{"name": "A", "unknown": 1}]})

    message = schema_error_message(error)

    assert message == "This answer is not one the form asks for, so it cannot be saved."
    assert error["msg"] not in message


def test_a_refusal_we_have_no_words_for_gets_a_plain_message_not_pydantics() -> None:
    error = {"type": "a_kind_pydantic_adds_later", "loc": ("title",), "msg": "Input should be something", "ctx": {}}

    assert schema_error_message(error) == "This answer cannot be saved as it is: check it and save again."


@pytest.mark.parametrize(
    ("model", "value"),
    [
        (Beneficiary, {"full_name": 12}),
        (Beneficiary, {"full_name": ["a"]}),
        (Beneficiary, {"date_of_birth": "31/03/1984"}),
        (Beneficiary, {"date_of_birth": "2027-02-30"}),
        (Beneficiary, {"passport_exhibit_id": "not-an-id"}),
        (Beneficiary, {"prior_trips": "none"}),
        (Beneficiary, {"prior_trips": [5]}),
        (Partners, {"items": [{"kind": "nobody"}]}),
        (Partners, {"items": [{"name": "x" * 5000}]}),
    ],
)
def test_no_refusal_of_the_schema_is_said_in_pydantics_words(model: Any, value: dict[str, Any]) -> None:
    with pytest.raises(ValidationError) as refused:
        model.model_validate(value)

    for error in refused.value.errors():
        message = schema_error_message(error)
        assert message != "This answer cannot be saved as it is: check it and save again.", error["type"]
        assert "should" not in message and "Value error" not in message, message
