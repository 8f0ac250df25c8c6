"""``manage.py runserver_with_worker`` as ``make run`` uses it: real processes, a real port, real signals (Linux)."""

import os
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from django.conf import settings

pytestmark = pytest.mark.skipif(not Path("/proc/self/stat").exists(), reason="reads the process table from /proc")


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def children_running_db_worker(parent: int) -> list[int]:
    found = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text()
            command = (entry / "cmdline").read_bytes()
        except OSError:  # the process ended while we looked
            continue
        fields = stat.rsplit(")", 1)[1].split()
        if int(fields[1]) == parent and fields[0] != "Z" and b"db_worker" in command:
            found.append(int(entry.name))
    return found


def wait_for(condition: Callable[[], object], timeout: float = 30) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            raise AssertionError(f"gave up waiting after {timeout} s")
        time.sleep(0.2)


def answers(url: str) -> bool:
    try:
        with urllib.request.urlopen(url, timeout=2) as response:  # noqa: S310 - our own local server
            return bool(response.status == 200)
    except OSError:
        return False


def is_gone(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return True
    return False


@pytest.fixture
def environment(tmp_path: Path) -> dict[str, str]:
    env = {
        **os.environ,
        "DATABASE_URL": f"sqlite:///{tmp_path / 'db.sqlite3'}",
        "MEDIA_ROOT": str(tmp_path / "media"),
        "PYTHONUNBUFFERED": "1",
    }
    env.pop("TASK_BACKEND", None)  # the database backend, as `make run` uses it
    manage = [sys.executable, str(settings.BASE_DIR / "manage.py")]
    subprocess.run([*manage, "migrate", "--noinput", "-v0"], env=env, check=True, cwd=settings.BASE_DIR)  # noqa: S603
    return env


@pytest.fixture
def server(environment: dict[str, str], tmp_path: Path) -> Iterator[tuple[subprocess.Popen[bytes], int, Path]]:
    port = free_port()
    log = tmp_path / "server.log"
    with log.open("wb") as output:
        process = subprocess.Popen(  # noqa: S603 - our own command line
            [sys.executable, "manage.py", "runserver_with_worker", f"127.0.0.1:{port}", "--noreload"],
            cwd=settings.BASE_DIR,
            env=environment,
            stdout=output,
            stderr=subprocess.STDOUT,
            # Its own process group, as a terminal gives it, and Ctrl-C not ignored even when the tests run in the
            # background.
            process_group=0,
            preexec_fn=lambda: signal.signal(signal.SIGINT, signal.SIG_DFL),
        )
    try:
        yield process, port, log
    finally:
        if process.poll() is None:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait()
        for pid in children_running_db_worker(process.pid):
            os.killpg(pid, signal.SIGKILL)


def test_it_serves_with_a_worker_restarts_a_dead_worker_and_stops_it_on_ctrl_c(
    server: tuple[subprocess.Popen[bytes], int, Path],
) -> None:
    process, port, log = server
    wait_for(lambda: answers(f"http://127.0.0.1:{port}/accounts/login/"))
    wait_for(lambda: children_running_db_worker(process.pid))
    [first] = children_running_db_worker(process.pid)

    os.kill(first, signal.SIGKILL)
    wait_for(lambda: [pid for pid in children_running_db_worker(process.pid) if pid != first])
    [second] = children_running_db_worker(process.pid)

    os.killpg(process.pid, signal.SIGINT)  # what Ctrl-C in the terminal does
    assert process.wait(timeout=30) == 0
    assert is_gone(second)
    output = log.read_text()
    assert "The task worker exited with code -9; restarting it" in output
    assert "Task worker stopped." in output


def test_it_stops_the_worker_when_the_server_is_terminated(
    server: tuple[subprocess.Popen[bytes], int, Path],
) -> None:
    process, port, _log = server
    wait_for(lambda: answers(f"http://127.0.0.1:{port}/accounts/login/"))
    wait_for(lambda: children_running_db_worker(process.pid))
    [worker] = children_running_db_worker(process.pid)

    process.terminate()

    assert process.wait(timeout=30) == 0
    assert is_gone(worker)
