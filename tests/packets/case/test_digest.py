"""The content digest lists read instead of decrypting and validating every packet's content."""

from typing import Any

import pytest
from django.core.cache import cache

from packets.case.digest import packet_digests
from packets.content.services import packet_save_section
from packets.models import Packet
from tests.builders import make_packet, make_user

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
    assert all(
        "Ana Ortiz" not in str(value)
        for value in cache.get_many([f"packet-digest:{packet.pk}:{packet.revision}"]).values()
    )

    packet_save_section(
        packet=packet,
        section="beneficiary",
        value={"full_name": "Ana Ortiz Reyes"},
        base_revision=packet.revision,
        by=owner,
    )

    assert packet_digests(list(Packet.objects.defer("data")))[packet.pk].beneficiary == "Ana Ortiz Reyes"
