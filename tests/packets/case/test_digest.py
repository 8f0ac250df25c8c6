"""The content digest lists read instead of decrypting and validating every packet's content, and the brief
cases they load."""

from typing import Any

import pytest
from django.core.cache import cache

from packets.case.caseload import case_status
from packets.case.digest import digest_cache_key, packet_digests
from packets.case.summary import load_cases
from packets.content.services import packet_save_section
from packets.models import ConditionReport, Decision, Packet, ReportingCondition
from tests.builders import make_packet, make_user
from tests.packets.case.caseload_builders import make_counsel_packet

pytestmark = pytest.mark.django_db


def test_a_list_reads_the_digest_from_the_cache_and_a_new_revision_reads_the_content_again(
    django_assert_num_queries: Any,
) -> None:
    owner = make_user("owner")
    packet = make_packet(owner, beneficiary={"full_name": "Ana Ortiz"})
    listed = list(Packet.objects.defer("data"))
    with django_assert_num_queries(1):  # the deferred content, once, for the packets not cached yet
        first = packet_digests(listed)
    assert first[packet.pk].beneficiary == "Ana Ortiz"
    listed = list(Packet.objects.defer("data"))
    with django_assert_num_queries(0):
        assert packet_digests(listed)[packet.pk] == first[packet.pk]
    stored = cache.get(digest_cache_key(packet))
    assert isinstance(stored, str)
    assert "Ana Ortiz" not in stored  # encrypted: a shared cache holds no names in the clear

    packet_save_section(
        packet=packet,
        section="beneficiary",
        value={"full_name": "Ana Ortiz Reyes"},
        base_revision=packet.revision,
        by=owner,
    )

    assert packet_digests(list(Packet.objects.defer("data")))[packet.pk].beneficiary == "Ana Ortiz Reyes"


def test_a_brief_case_has_the_same_deadlines_status_and_departure_as_the_full_one() -> None:
    owner, counsel = make_user("owner"), make_user("counsel")
    packet = make_counsel_packet(owner, counsel, "parole_approved")
    decision = Decision.objects.get(packet=packet)
    condition = ReportingCondition.objects.create(
        decision=decision, recipient="County office", cadence="monthly", first_due_on=decision.parole_from
    )
    ConditionReport.objects.create(condition=condition, due_on=condition.first_due_on, narrative="Month one.")
    listed = list(Packet.objects.defer("data"))

    brief, full = load_cases(listed, brief=True)[packet.pk], load_cases([packet])[packet.pk]

    assert brief.deadlines == full.deadlines
    assert [report.sent_on for report in brief.reports] == [None]
    assert brief.planned_departure == full.planned_departure
    assert case_status(brief) == case_status(full) == "parole_approved"
