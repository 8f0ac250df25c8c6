"""The packet schema as a reviewer would judge the content, and the published JSON Schema kept in step with it."""

import io
import json
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from django.conf import settings
from django.core.management import call_command
from pydantic import ValidationError

from packets.content.schema import (
    SCHEMA_VERSION,
    Beneficiary,
    Contact,
    PacketData,
    Partner,
    PriorTrip,
    Timeline,
)
from packets.management.commands.packet_schema import packet_json_schema_text

COMMITTED_SCHEMA = Path(settings.BASE_DIR) / "docs" / "packet.schema.json"


def messages(error: pytest.ExceptionInfo[ValidationError]) -> str:
    return " ".join(str(item["msg"]) for item in error.value.errors())


# ── The published JSON Schema ───────────────────────────────────────────────────────────────────────────────────────


def test_the_committed_json_schema_matches_the_schema_in_code() -> None:
    assert COMMITTED_SCHEMA.read_text(encoding="utf-8") == packet_json_schema_text(), (
        "docs/packet.schema.json is out of date: run `manage.py packet_schema -o docs/packet.schema.json`"
    )


def test_the_schema_command_prints_sorted_json_with_a_trailing_newline() -> None:
    out = io.StringIO()

    call_command("packet_schema", stdout=out)

    text = out.getvalue()
    assert text.endswith("}\n") and not text.endswith("\n\n")
    schema = json.loads(text)
    assert list(schema) == sorted(schema)
    assert schema["additionalProperties"] is False
    assert set(schema["properties"]) >= {"schema_version", "beneficiary", "timeline", "partners", "cover_letter"}


def test_the_schema_command_writes_the_file_it_is_given(tmp_path: Path) -> None:
    target = tmp_path / "packet.schema.json"

    call_command("packet_schema", "-o", str(target))

    assert target.read_text(encoding="utf-8") == packet_json_schema_text()


def test_the_published_schema_carries_the_wizard_labels_and_hints() -> None:
    schema = json.loads(packet_json_schema_text())

    passport_expiry = schema["$defs"]["Beneficiary"]["properties"]["passport_expires_on"]
    assert passport_expiry["title"] == "Passport expiry date"
    assert "six months" in passport_expiry["description"]
    assert schema["$defs"]["Project"]["properties"]["summary"]["widget"] == "textarea"


# ── Drafts ──────────────────────────────────────────────────────────────────────────────────────────────────────────


def test_an_empty_packet_is_accepted_as_a_draft() -> None:
    data = PacketData()

    assert data.schema_version == SCHEMA_VERSION
    assert data.contradictions() == []
    assert PacketData.model_validate(data.model_dump(mode="json")) == data


def test_an_empty_json_object_is_accepted_as_a_draft() -> None:
    assert PacketData.model_validate({}) == PacketData()


def test_it_trims_white_space_around_answers() -> None:
    beneficiary = Beneficiary(full_name="  Lucía Fernández Ortega \n", email=" lucia@example.org ")

    assert beneficiary.full_name == "Lucía Fernández Ortega"
    assert beneficiary.email == "lucia@example.org"


# ── Unknown keys ────────────────────────────────────────────────────────────────────────────────────────────────────


def test_it_refuses_an_unknown_section() -> None:
    with pytest.raises(ValidationError) as error:
        PacketData.model_validate({"sponsor": {}})

    assert error.value.errors()[0]["loc"] == ("sponsor",)
    assert "Extra inputs are not permitted" in messages(error)


def test_it_refuses_an_unknown_field_inside_a_section() -> None:
    with pytest.raises(ValidationError) as error:
        PacketData.model_validate({"beneficiary": {"nickname": "Lu"}})

    assert error.value.errors()[0]["loc"] == ("beneficiary", "nickname")


def test_it_refuses_an_unknown_field_inside_a_list_item() -> None:
    with pytest.raises(ValidationError) as error:
        PacketData.model_validate({"partners": {"items": [{"name": "Riverton OEM", "budget": 10}]}})

    assert error.value.errors()[0]["loc"] == ("partners", "items", 0, "budget")


# ── Dates that contradict each other ───────────────────────────────────────────────────────────────────────────────


def test_it_refuses_a_departure_before_the_arrival() -> None:
    with pytest.raises(ValidationError) as error:
        Timeline(arrival_date=date(2027, 1, 4), departure_date=date(2026, 12, 20))

    assert "The departure date must be after the arrival date." in messages(error)


def test_it_refuses_a_departure_on_the_day_of_arrival() -> None:
    with pytest.raises(ValidationError, match="The departure date must be after the arrival date."):
        Timeline(arrival_date=date(2027, 1, 4), departure_date=date(2027, 1, 4))


def test_it_refuses_a_filing_after_the_arrival() -> None:
    with pytest.raises(ValidationError) as error:
        Timeline(filing_date=date(2027, 1, 5), arrival_date=date(2027, 1, 4))

    assert "The filing date must be on or before the requested arrival date." in messages(error)


def test_it_accepts_a_filing_on_the_day_of_arrival() -> None:
    assert Timeline(filing_date=date(2027, 1, 4), arrival_date=date(2027, 1, 4)).filing_date == date(2027, 1, 4)


@pytest.mark.parametrize(
    ("due_on", "problem"),
    [
        (date(2027, 1, 3), "The milestone dated 2027-01-03 falls before the arrival date."),
        (date(2027, 4, 1), "The milestone dated 2027-04-01 falls after the departure date."),
    ],
)
def test_it_refuses_a_milestone_outside_the_stay(due_on: date, problem: str) -> None:
    with pytest.raises(ValidationError) as error:
        Timeline(
            arrival_date=date(2027, 1, 4),
            departure_date=date(2027, 3, 31),
            milestones=[{"due_on": date(2027, 2, 1), "description": "Triage"}, {"due_on": due_on}],
        )

    assert problem in messages(error)


def test_it_accepts_milestones_on_the_first_and_last_day_of_the_stay() -> None:
    timeline = Timeline(
        arrival_date=date(2027, 1, 4),
        departure_date=date(2027, 3, 31),
        milestones=[{"due_on": date(2027, 1, 4)}, {"due_on": date(2027, 3, 31)}],
    )

    assert timeline.stay_days == 87


def test_it_refuses_a_trip_that_ends_before_it_starts() -> None:
    with pytest.raises(ValidationError, match="A trip cannot end before it starts"):
        PriorTrip(arrived_on=date(2019, 10, 20), departed_on=date(2019, 10, 14))


def test_it_refuses_a_passport_that_expires_before_it_was_issued() -> None:
    with pytest.raises(ValidationError, match="The passport's expiry date must be after its issue date."):
        Beneficiary(passport_issued_on=date(2022, 5, 2), passport_expires_on=date(2022, 5, 2))


def riverton(expires_on: str, departs_on: str) -> dict[str, Any]:
    return {
        "beneficiary": {"passport_issued_on": "2022-05-02", "passport_expires_on": expires_on},
        "timeline": {"arrival_date": "2027-01-04", "departure_date": departs_on},
    }


def test_it_refuses_a_passport_that_expires_before_the_departure() -> None:
    with pytest.raises(ValidationError) as error:
        PacketData.model_validate(riverton(expires_on="2027-02-28", departs_on="2027-03-31"))

    assert (
        "The passport expires on 2027-02-28, before the planned departure on 2027-03-31. "
        "Renew the passport or shorten the stay." in messages(error)
    )


def test_it_names_both_fields_of_a_contradiction_so_either_step_can_show_it() -> None:
    # Built without validation, as the wizard holds it while one step is being edited.
    data = PacketData.model_construct(
        beneficiary=Beneficiary(passport_expires_on=date(2027, 2, 28)),
        timeline=Timeline(arrival_date=date(2027, 1, 4), departure_date=date(2027, 3, 31)),
    )

    (contradiction,) = data.contradictions()

    assert contradiction.touches("beneficiary") == "passport_expires_on"
    assert contradiction.touches("timeline") == "departure_date"
    assert contradiction.touches("project") is None


def test_it_accepts_a_passport_that_expires_on_the_day_of_departure() -> None:
    data = PacketData.model_validate(riverton(expires_on="2027-03-31", departs_on="2027-03-31"))

    assert data.contradictions() == []


# ── Malformed answers ───────────────────────────────────────────────────────────────────────────────────────────────


@pytest.mark.parametrize("email", ["lucia", "lucia@", "lucia@example", "lu cia@example.org", "@example.org"])
def test_it_refuses_a_malformed_email(email: str) -> None:
    with pytest.raises(ValidationError, match="Enter an email address like name@example.org."):
        Contact(email=email)


@pytest.mark.parametrize("email", ["", "lucia.fernandez@example.org", "mbell@riverton.example.gov"])
def test_it_accepts_a_well_formed_or_empty_email(email: str) -> None:
    assert Contact(email=email).email == email


@pytest.mark.parametrize("phone", ["call me", "555-01", "+1 503 555 0142 ext. 7", "1234567890123456"])
def test_it_refuses_a_malformed_phone_number(phone: str) -> None:
    with pytest.raises(ValidationError, match="Enter a phone number with 7 to 15 digits"):
        Contact(phone=phone)


@pytest.mark.parametrize("phone", ["", "+56 9 5555 0101", "+1 (503) 555-0142", "503.555.0142"])
def test_it_accepts_a_well_formed_or_empty_phone_number(phone: str) -> None:
    assert Contact(phone=phone).phone == phone


@pytest.mark.parametrize("value", ["2027-02-30", "31/03/2027", "next spring", "2027-13-01"])
def test_it_refuses_a_malformed_date(value: str) -> None:
    with pytest.raises(ValidationError) as error:
        PacketData.model_validate({"timeline": {"arrival_date": value}})

    assert error.value.errors()[0]["loc"] == ("timeline", "arrival_date")


def test_it_refuses_an_exhibit_reference_that_is_not_an_id() -> None:
    with pytest.raises(ValidationError) as error:
        Partner(letter_exhibit_id="letter.pdf")

    assert error.value.errors()[0]["loc"] == ("letter_exhibit_id",)


def test_it_refuses_an_answer_longer_than_its_limit() -> None:
    with pytest.raises(ValidationError, match="at most 200 characters"):
        Beneficiary(full_name="L" * 201)
