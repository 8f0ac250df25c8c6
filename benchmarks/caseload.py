"""Counsel's caseload with 300 packets: how long GET /caseload/ takes and how many queries it makes.

One counsel is on 300 packets in every state they meet — drafts, packets submitted for review or sent back, approved
ones, filed cases waiting for the agency, cases with a request for evidence in draft or in review, responses sent,
approved and denied cases — a third of them with an unresolved comment. They are made through the real services in a
fresh SQLite database in a temporary folder, with the production-like settings of benchmarks/wizard_cpu.py (DEBUG
off), then the page is fetched through Django's test client (in process, no network): the whole list, unfiltered,
sorted by deadline, as counsel opens it.

    .venv/bin/python benchmarks/caseload.py [--packets 300] [--requests 30]

The last line is the summary:
    caseload: packets=300 p50_ms=… p95_ms=… queries=…

Measured 2026-12 on the shared 2-core machine: p50 141–190 ms, p95 310–370 ms, 14 queries (the same for 30 packets).
Of a median request about 35 ms was reading and decrypting the 300 packets, 25 ms validating their content, 50 ms
loading their cases (``load_cases``), the rest laying out the table's 300 rows.

Since then the list reads each packet's content digest from the cache (``packets.case.digest``, keyed on packet and
revision; ``data`` is not even loaded) and loads its cases ``brief`` (no request items, no amendments, no long texts
decrypted; each report and condition given the decision already loaded instead of joining it again). Measured on the
same machine while it was busy, the commit before and this one run side by side, three times (p50 / p95 ms):
before 247 / 604, 529 / 1162, 683 / 1354 with 14 queries; after 173 / 339, 367 / 758, 493 / 835 with 11 queries
(no reports query here: no case in the mix has a reporting condition).
"""

import argparse
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))

from wizard import percentile  # noqa: E402 - benchmarks/ is not a package; its helpers are imported from beside it
from wizard_cpu import django_on  # noqa: E402

# Each state's share of the packets, in the order the workflow meets them.
MIX = {
    "draft": 60,
    "in_review": 45,
    "changes_requested": 30,
    "approved": 15,
    "receipt": 30,
    "rfe_draft": 25,
    "rfe_in_review": 20,
    "response_sent": 30,
    "parole_approved": 30,
    "denied": 15,
}


def seed(packets: int) -> Any:
    """``packets`` packets (MIX scaled) of one owner, all with the same counsel; returns the counsel."""
    from packets.review.comments import comment_add
    from tests.builders import make_user
    from tests.packets.case.caseload_builders import make_counsel_packet

    owner, counsel = make_user("bench-owner"), make_user("bench-counsel")
    total = sum(MIX.values())
    states = [state for state, share in MIX.items() for _ in range(round(share * packets / total))]
    states = (states + ["draft"] * packets)[:packets]
    started = time.perf_counter()
    for index, state in enumerate(states):
        packet = make_counsel_packet(
            owner, counsel, state, name=f"Packet {index:03d}", beneficiary=f"Beneficiary {index:03d}"
        )
        if index % 3 == 0:
            comment_add(packet=packet, by=counsel, body="Which district signs the letter?", step="project")
    print(f"seeded {packets} packets in {time.perf_counter() - started:.1f} s", file=sys.stderr)
    return counsel


def bench(packets: int, requests: int) -> str:
    from django.db import connection
    from django.test import Client

    counsel = seed(packets)
    client = Client()
    client.force_login(counsel)

    def get() -> bytes:
        response = client.get("/caseload/")
        assert response.status_code == 200, response.status_code
        return response.content

    assert get().count(b'<tr class="turn-') == packets, "every packet is a row"
    for _ in range(3):  # warm up: templates, the facts file, the connection
        get()
    queries: list[str] = []

    def count(execute: Any, sql: str, params: Any, many: bool, context: Any) -> Any:
        queries.append(sql)
        return execute(sql, params, many, context)

    with connection.execute_wrapper(count):
        get()
    times = []
    for _ in range(requests):
        started = time.perf_counter()
        get()
        times.append((time.perf_counter() - started) * 1000)
    return (
        f"caseload: packets={packets} p50_ms={statistics.median(times):.1f} p95_ms={percentile(times, 0.95):.1f} "
        f"queries={len(queries)}"
    )


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--packets", type=int, default=300, help="packets counsel is on")
    parser.add_argument("--requests", type=int, default=30, help="measured page views")
    args = parser.parse_args()
    packets, requests = max(1, min(args.packets, 3000)), max(1, min(args.requests, 1000))
    # The review workflow emails counsel and the applicant: kept in memory, not printed among the numbers.
    os.environ["EMAIL_BACKEND"] = "django.core.mail.backends.locmem.EmailBackend"
    with tempfile.TemporaryDirectory(prefix="pw-caseload-") as tmp:
        folder = Path(tmp)
        with django_on(f"sqlite:///{folder / 'bench.sqlite3'}", folder):
            summary = bench(packets, requests)
    print(summary)
    return 0


if __name__ == "__main__":
    sys.exit(main())
