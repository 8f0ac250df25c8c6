"""``manage.py runserver_with_worker [ADDRPORT]``: the development server with a background-task worker beside it.

The worker (django_tasks_db's ``db_worker``) runs as a child process with the same Python and settings. It is started
once, by the process that outlives code reloads, restarted if it dies, and stopped when the server stops.
"""

import contextlib
import logging
import os
import signal
import subprocess
import sys
import threading
import time
from types import FrameType
from typing import Any

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandParser

logger = logging.getLogger(__name__)

STOP_TIMEOUT = 10  # seconds a worker gets to finish its current task before it is killed
MAX_BACKOFF = 30  # seconds between restarts of a worker that keeps crashing


class WorkerSupervisor:
    """Runs a command in its own process group, restarts it whenever it exits, stops it (and its children) on demand."""

    def __init__(self, command: list[str], *, env: dict[str, str]) -> None:
        self.command = command
        self.env = env
        self.process: subprocess.Popen[bytes] | None = None
        self.started_at = 0.0
        self._stopping = threading.Event()
        self._thread = threading.Thread(target=self._watch, name="task-worker-supervisor", daemon=True)

    def start(self) -> None:
        self._spawn()
        self._thread.start()

    def stop(self) -> None:
        self._stopping.set()
        process = self.process
        if process is not None and process.poll() is None:
            # The whole group: db_worker's own autoreloader runs the real worker in a grandchild process.
            _signal_group(process, signal.SIGTERM)
            try:
                process.wait(timeout=STOP_TIMEOUT)
            except subprocess.TimeoutExpired:
                _signal_group(process, signal.SIGKILL)
                process.wait()
        self._thread.join(timeout=2)

    def _spawn(self) -> None:
        # A new session: Ctrl-C in the terminal reaches only the server, and stop() decides how the worker ends.
        self.process = subprocess.Popen(self.command, env=self.env, start_new_session=True)  # noqa: S603 - our own argv
        self.started_at = time.monotonic()

    def _watch(self) -> None:
        backoff = 1.0
        while not self._stopping.wait(0.5):
            process = self.process
            if process is None or process.poll() is None:
                continue
            lived = time.monotonic() - self.started_at
            logger.warning("The task worker exited with code %s; restarting it in %.0f s.", process.returncode, backoff)
            if self._stopping.wait(backoff):
                return
            self._spawn()
            # A worker that dies at once (bad settings, database down) is retried ever more slowly.
            backoff = min(backoff * 2, MAX_BACKOFF) if lived < 60 else 1.0


def _signal_group(process: subprocess.Popen[bytes], signum: int) -> None:
    with contextlib.suppress(ProcessLookupError):  # already gone
        os.killpg(process.pid, signum)


def _exit_on_sigterm(signum: int, frame: FrameType | None) -> None:
    # Turn SIGTERM into a normal exit, so the worker is stopped by the `finally` below instead of being orphaned.
    sys.exit(0)


class Command(BaseCommand):
    help = "Run the development server and a background-task worker (db_worker) beside it."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("addrport", nargs="?", default="127.0.0.1:8000", help="Address and port to serve on.")
        parser.add_argument("--noreload", action="store_true", help="Do not restart the server on code changes.")

    def handle(self, *args: Any, addrport: str, noreload: bool, **options: Any) -> None:
        if os.environ.get("RUN_MAIN") == "true":
            # The autoreloader's child: the parent process already runs the worker.
            call_command("runserver", addrport, use_reloader=True)
            return
        signal.signal(signal.SIGTERM, _exit_on_sigterm)
        env = {**os.environ, "DJANGO_SETTINGS_MODULE": settings.SETTINGS_MODULE}
        worker_command = [sys.executable, str(settings.BASE_DIR / "manage.py"), "db_worker"]
        if noreload:
            worker_command.append("--no-reload")
        supervisor = WorkerSupervisor(worker_command, env=env)
        supervisor.start()
        self.stdout.write(f"Task worker started (pid {supervisor.process.pid if supervisor.process else '?'}).")
        try:
            call_command("runserver", addrport, use_reloader=not noreload)
        finally:
            supervisor.stop()
            self.stdout.write("Task worker stopped.")
