"""What lists of packets read from a packet's content — the beneficiary's name, the planned filing and departure
dates, the monitoring section's reporting channels — cached per packet and revision.

Reading a packet's content means decrypting its whole JSON and validating it (``Packet.content``): with 300 packets
on counsel's caseload that was about 60 ms of a 150 ms page (benchmarks/caseload.py, 2026-12). The revision grows
on every change of the content, so ``(packet id, revision)`` names one content for good (with the time of the last
save, in case a restored backup brings old revision numbers back) and a cached digest never goes stale. A list
loads its packets with ``data`` deferred and opens the content only of the packets whose digest is not cached yet
(one query for all of them). The cached value is encrypted like the content it comes from, so a
shared cache (memcached, Redis) holds no personal data in the clear.
"""

from dataclasses import asdict, dataclass
from datetime import date
from uuid import UUID

from django.core.cache import cache

from packets.crypto import decrypt_json, encrypt_json
from packets.models import Packet

_TIMEOUT = 30 * 24 * 3600  # a digest never goes stale (see above): kept a month, as long as the cache has room


@dataclass(frozen=True)
class PacketDigest:
    beneficiary: str
    filing_date: date | None
    departure_date: date | None
    reporting_channels: str


def digest_cache_key(packet: Packet) -> str:
    # The revision names the content; the time of the last save guards against a backup restored under a shared
    # cache, whose old revision numbers would otherwise be reused by new edits.
    return f"packet-digest:{packet.pk}:{packet.revision}:{packet.updated_at.timestamp() if packet.updated_at else 0}"


def _digest_of(packet: Packet) -> PacketDigest:
    content = packet.content
    return PacketDigest(
        beneficiary=content.beneficiary.full_name,
        filing_date=content.timeline.filing_date,
        departure_date=content.timeline.departure_date,
        reporting_channels=content.monitoring.reporting_channels,
    )


def _stored(digest: PacketDigest) -> str:
    value = asdict(digest)
    for name in ("filing_date", "departure_date"):
        value[name] = value[name].isoformat() if value[name] else None
    return encrypt_json(value)


def _loaded(stored: str) -> PacketDigest | None:
    try:
        value = decrypt_json(stored)
        return PacketDigest(
            beneficiary=str(value["beneficiary"]),
            filing_date=date.fromisoformat(value["filing_date"]) if value["filing_date"] else None,
            departure_date=date.fromisoformat(value["departure_date"]) if value["departure_date"] else None,
            reporting_channels=str(value["reporting_channels"]),
        )
    except (KeyError, TypeError, ValueError):  # written by another version, or under a retired key: read it again
        return None


def packet_digests(packets: list[Packet]) -> dict[UUID, PacketDigest]:
    """Each packet's digest: from the cache, else from its content (loaded in one query for packets whose ``data``
    was deferred), then cached."""
    keys = {packet.pk: digest_cache_key(packet) for packet in packets}
    found = cache.get_many(list(keys.values()))
    digests: dict[UUID, PacketDigest] = {}
    for packet in packets:
        stored = found.get(keys[packet.pk])
        digest = _loaded(stored) if isinstance(stored, str) else None
        if digest is not None:
            digests[packet.pk] = digest
    missing = [packet for packet in packets if packet.pk not in digests]
    deferred = [packet.pk for packet in missing if "data" in packet.get_deferred_fields()]
    loaded = {row.pk: row for row in Packet.objects.filter(pk__in=deferred).only("id", "data")} if deferred else {}
    fresh = {}
    for packet in missing:
        digest = _digest_of(loaded.get(packet.pk, packet))
        digests[packet.pk] = digest
        fresh[keys[packet.pk]] = _stored(digest)
    if fresh:
        cache.set_many(fresh, _TIMEOUT)
    return digests
