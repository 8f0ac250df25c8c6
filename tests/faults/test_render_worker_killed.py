"""The render worker is killed (SIGKILL) in the middle of a render: real ``db_worker`` processes on a file database.

The killed render's transaction dies with it, so no version (row or file) is left; its job, stuck at "laying out",
is marked failed with a message that says to start again as soon as a worker starts the next render (or the job's
page is viewed), and a new render then succeeds.
"""

import os
import signal
import sqlite3
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

import pytest
from django.conf import settings

from packets.crypto import decrypt_text
from packets.rendering.versions import STALE_MESSAGE

pytestmark = pytest.mark.skipif(not hasattr(signal, "SIGKILL"), reason="needs SIGKILL")

MANAGE = [sys.executable, str(settings.BASE_DIR / "manage.py")]
# Big enough that a render takes seconds, so the kill lands inside it.
SETUP = """
from tests.builders import make_packet, make_user, pdf_bytes, upload
from packets.content.services import ExhibitUpload, exhibit_add
owner = make_user("ana")
packet = make_packet(owner, beneficiary={"full_name": "Marisol Quintero-Vidal", "passport_number": "X9Q7734521"})
for number in range(3):
    content = pdf_bytes(pages=120, text=f"exhibit {number} " * 8)
    file = upload(f"exhibit-{number}.pdf", content, "application/pdf")
    exhibit_add(packet=packet, upload=ExhibitUpload(file=file, kind="other", title=f"Exhibit {number}"), by=owner)
"""
START_RENDER = """
from packets.rendering.tasks import render_job_start
from packets.models import Packet
job = render_job_start(packet=Packet.objects.get(), by=None)
print(job.pk.hex)
"""


def wait_for(condition: Callable[[], object], timeout: float, what: str) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            raise AssertionError(f"gave up after {timeout} s waiting for {what}")
        time.sleep(0.05)


@pytest.fixture
def environment(tmp_path: Path) -> dict[str, str]:
    env = {
        **os.environ,
        "DATABASE_URL": f"sqlite:///{tmp_path / 'db.sqlite3'}",
        "MEDIA_ROOT": str(tmp_path / "media"),
        "ENCRYPTION_KEYS": "dGVzdC1rZXktZm9yLXBhcm9sZS13aXphcmQtdGVzdHM=",
        "PYTHONUNBUFFERED": "1",
    }
    env.pop("TASK_BACKEND", None)  # the database task backend, as in production
    subprocess.run([*MANAGE, "migrate", "--noinput", "-v0"], env=env, check=True, cwd=settings.BASE_DIR)  # noqa: S603
    subprocess.run([*MANAGE, "shell", "-c", SETUP], env=env, check=True, cwd=settings.BASE_DIR)  # noqa: S603
    return env


def start_render(env: dict[str, str]) -> str:
    done = subprocess.run(  # noqa: S603
        [*MANAGE, "shell", "-c", START_RENDER], env=env, check=True, cwd=settings.BASE_DIR, capture_output=True
    )
    return done.stdout.decode().strip().splitlines()[-1]


def start_worker(env: dict[str, str]) -> subprocess.Popen[bytes]:
    return subprocess.Popen(  # noqa: S603
        [*MANAGE, "db_worker", "--no-reload", "--no-startup-delay", "--interval", "0.1"],
        env=env,
        cwd=settings.BASE_DIR,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )


def job(database: Path, job_id: str) -> tuple[str, str]:
    with sqlite3.connect(database) as db:
        row = db.execute("SELECT state, message FROM packets_renderjob WHERE id = ?", [job_id]).fetchone()
    return str(row[0]), decrypt_text(str(row[1]))  # the message is encrypted (it may name an exhibit)


def versions(database: Path) -> int:
    with sqlite3.connect(database) as db:
        return int(db.execute("SELECT count(*) FROM packets_packetversion").fetchone()[0])


def version_files(env: dict[str, str]) -> list[Path]:
    return [path for path in (Path(env["MEDIA_ROOT"]) / "versions").rglob("*") if path.is_file()]


def test_a_render_whose_worker_is_killed_is_marked_failed_and_leaves_no_version(
    environment: dict[str, str], tmp_path: Path
) -> None:
    database = tmp_path / "db.sqlite3"
    killed_job = start_render(environment)
    worker = start_worker(environment)
    try:
        wait_for(lambda: job(database, killed_job)[0] != "queued", 60, "the worker to start the render")
        worker.send_signal(signal.SIGKILL)
        worker.wait(10)
    finally:
        if worker.poll() is None:
            worker.kill()
            worker.wait()

    state, _message = job(database, killed_job)
    assert state in ("laying_out", "placing_exhibits"), f"the render was not killed mid-way (it ended as {state})"
    assert versions(database) == 0
    assert version_files(environment) == []

    # The next render recovers the stale job (any render older than RENDER_STALE_MINUTES; 0 here) and succeeds.
    environment["RENDER_STALE_MINUTES"] = "0"
    next_job = start_render(environment)
    worker = start_worker(environment)
    try:
        wait_for(lambda: job(database, next_job)[0] in ("done", "failed"), 180, "the next render")
    finally:
        worker.send_signal(signal.SIGTERM)
        worker.wait(30)

    assert job(database, next_job) == ("done", "")
    assert job(database, killed_job) == ("failed", STALE_MESSAGE)
    assert versions(database) == 1
    assert len(version_files(environment)) == 1
