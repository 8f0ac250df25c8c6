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


def test_a_refusal_we_have_no_words_for_gets_a_plain_message_not_pydantics() -> None:
    error = _first_error(Partners, {"items": [{"name": "A", "unknown": 1}]})

    message = schema_error_message(error)

    assert message == "This answer cannot be saved as it is: check it and save again."
    assert error["msg"] not in message
