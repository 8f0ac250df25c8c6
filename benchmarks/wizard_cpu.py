"""What one wizard request costs the server, in process: CPU time and database queries per step GET and step save.

benchmarks/wizard.py measures latency under load, where a request's time is mostly the queue in front of it; this
measures what that queue is made of, one request at a time and without a network, so a change to a step page can be
judged before and after. The same seeded packet and requests as wizard.py: the beneficiary step, read and then saved
with one changed field (multipart, as a browser sends it), and the trivial view. Settings as in production (DEBUG
off); the CPU time includes Django's test client, a small share.

    .venv/bin/python benchmarks/wizard_cpu.py [--requests 200] [--only sqlite|postgres]

Prints, per database and request, the median and p95 CPU time and the number of queries.
"""

import argparse
import os
import statistics
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))

from wizard import (  # noqa: E402 - benchmarks/ is not a package; its helpers are imported from beside this file
    PASSWORD,
    ROOT,
    SECTIONS,
    base_env,
    form_fields,
    percentile,
    postgres_database,
)

PG_CPU_DB = "pw_bench_cpu"  # created and dropped here


@contextmanager
def django_on(database_url: str, folder: Path) -> Iterator[None]:
    """Django set up in this process on ``database_url``, with the benchmark's production-like settings."""
    env = base_env(database_url, folder / "media")
    env["ALLOWED_HOSTS"] = "testserver"  # Django's test client
    env.setdefault("SITE_URL", "http://testserver")  # required with DEBUG off (links in emails)
    os.environ.update(env)
    os.environ["DJANGO_SETTINGS_MODULE"] = "parole_wizard.settings"
    sys.path.insert(0, str(ROOT))
    import django
    from django.core.management import call_command

    django.setup()
    call_command("migrate", verbosity=0)
    try:
        yield
    finally:
        from django.db import connections

        connections.close_all()


def measure(name: str, action: Callable[[], None], requests: int) -> str:
    from django.db import connection

    queries: list[str] = []

    def count(execute: Any, sql: str, params: Any, many: bool, context: Any) -> Any:
        queries.append(sql)
        return execute(sql, params, many, context)

    with connection.execute_wrapper(count):
        action()
    times = []
    for _ in range(requests):
        started = time.process_time()
        action()
        times.append((time.process_time() - started) * 1000)
    return (
        f"{name:<22} cpu median={statistics.median(times):6.2f} ms  p95={percentile(times, 0.95):6.2f} ms  "
        f"queries={len(queries)}"
    )


def bench(database: str, requests: int) -> None:
    from django.contrib.auth import get_user_model
    from django.test import Client

    from packets.content.services import packet_create, packet_save_section

    user = get_user_model().objects.create_user(username="bench", password=PASSWORD)
    packet = packet_create(owner=user, name="Benchmark packet")
    for section, value in SECTIONS.items():
        packet = packet_save_section(
            packet=packet, section=section, value=value, base_revision=packet.revision, by=user
        )
    client = Client()
    client.force_login(user)  # the login itself is not measured (allauth takes "login", not "username")
    path = f"/packets/{packet.pk}/steps/beneficiary/"
    form = form_fields(client.get(path).content.decode(), "step-form")
    saved = {"count": 0, "revision": int(form["beneficiary-revision"])}

    def get_step() -> None:
        assert client.get(path).status_code == 200

    def save_step() -> None:
        saved["count"] += 1
        body = {
            **form,
            "beneficiary-other_names": f"Lucia Fernandez (save {saved['count']})",
            "beneficiary-revision": str(saved["revision"]),
            "wizard_action": "next",
        }
        assert client.post(path, body).status_code == 302  # the test client posts multipart/form-data
        saved["revision"] += 1

    def trivial() -> None:
        assert client.get("/healthz/").status_code == 200

    for action in (get_step, save_step, trivial) * 10:  # warm up: imports, templates, connections
        action()
    for label, action in (("step GET", get_step), ("step save", save_step), ("trivial", trivial)):
        print(measure(f"{database} {label}", action, requests))


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--requests", type=int, default=200, help="measured requests of each kind")
    parser.add_argument("--only", choices=("sqlite", "postgres"), help="one database only")
    args = parser.parse_args()
    requests = max(1, min(args.requests, 5000))
    # One database per process: Django is set up once. Without --only, each database runs in a child of its own.
    if args.only is None:
        import subprocess

        for database in ("sqlite", "postgres"):
            command = [sys.executable, __file__, "--only", database, "--requests", str(requests)]
            subprocess.run(command, check=True, timeout=1800)  # noqa: S603 - this very script
        return 0
    with tempfile.TemporaryDirectory(prefix="pw-cpu-") as tmp:
        folder = Path(tmp)
        if args.only == "sqlite":
            with django_on(f"sqlite:///{folder / 'bench.sqlite3'}", folder):
                bench("sqlite", requests)
        else:
            with postgres_database(PG_CPU_DB) as url, django_on(url, folder):
                bench("postgres", requests)
    return 0


if __name__ == "__main__":
    sys.exit(main())
