"""Parsing of untrusted files in a separate process with CPU-time, memory and wall-clock limits.

Every uploaded file comes from a stranger, and PDF and image parsers are large C/C++ libraries: a crafted file can
loop, allocate gigabytes or crash them. So the parsing runs in a child process (the same Python running ``python -m
packets.evidence.sandbox``) that starts with a clean, minimal environment (no secrets, no database), reads the file
from a private temporary folder and writes a JSON result there. The parent waits at most the wall-clock limit; the
kernel enforces the CPU and address-space limits (``RLIMIT_CPU``, ``RLIMIT_AS``). Whatever happens in the child — a
kill by a limit, a timeout, a crash or garbage output — reaches the caller as one ``SandboxFailed`` with a plain
reason, never as a stuck or dead web process.

Commands the child understands:

- ``inspect``: ``packets.evidence.uploads.inspect_content`` (what an upload is and whether we can use it), and for a
  file we can use, ``normalise`` too (output in a file) and ``text``: the upload then pays once for what every render
  and every readiness review needs.
- ``text``: ``packets.evidence.uploads.extract_text`` (a PDF's text layer, within its own CPU budget; read, no text
  layer or unreadable), for exhibits stored before the upload read it (``manage.py extract_exhibit_text``).
- ``normalise``: ``packets.assembly.exhibits.normalise`` (an exhibit as Letter pages), output in a file.
- ``selftest``: burns CPU, allocates, sleeps, writes garbage or crashes on purpose, or shows its environment, so
  tests can prove each limit.
"""

import contextlib
import json
import logging
import os
import resource
import select
import signal
import subprocess
import sys
import sysconfig
import tempfile
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal

logger = logging.getLogger(__name__)

Reason = Literal["time", "memory", "crash", "output"]
Outcome = Literal["ok", "time", "memory", "crash", "output"]

INPUT_NAME = "input"
OUTPUT_NAME = "output"
REQUEST_NAME = "request.json"
RESULT_NAME = "result.json"
PEAK_NAME = "peak"
MAX_RESULT_BYTES = 1024 * 1024
MEMORY_EXIT = 3  # the child ran out of its address space and said so
PROJECT_ROOT = Path(__file__).resolve().parents[2]


class SandboxFailed(Exception):
    """The child did not produce a result: it was killed by a limit, timed out, crashed or wrote nonsense."""

    def __init__(self, reason: Reason, detail: str = "") -> None:
        super().__init__(f"{reason}: {detail}" if detail else reason)
        self.reason = reason

    def explanation(self) -> str:
        """Why, in words a user can read after "could not be checked safely: "."""
        from django.utils.translation import gettext as _

        return {
            "time": _("it took too long to read"),
            "memory": _("it needed too much memory to read"),
            "crash": _("the program reading it stopped with an error"),
            "output": _("the program reading it gave no usable answer"),
        }[self.reason]


@dataclass(frozen=True)
class Limits:
    cpu_seconds: int
    memory_mb: int
    wall_seconds: float

    @classmethod
    def from_settings(cls) -> "Limits":
        from django.conf import settings

        return cls(
            cpu_seconds=settings.INSPECT_CPU_SECONDS,
            memory_mb=settings.INSPECT_MEMORY_MB,
            wall_seconds=settings.INSPECT_WALL_SECONDS,
        )


@dataclass(frozen=True)
class SandboxRun:
    """One child process, as measured by the kernel: for benchmarks and tests."""

    command: str
    pid: int
    seconds: float
    cpu_seconds: float
    # The child's own peak resident memory, as it reported it; None when it was killed before it could. (wait4's
    # ru_maxrss cannot be used: Linux carries the parent's peak over into the child across fork and exec.)
    max_rss_mb: float | None
    outcome: Outcome


@dataclass(frozen=True)
class SandboxResult:
    result: dict[str, Any]
    output: bytes | None


# Process-wide, not per thread: a render normalises its exhibits in a thread pool, and a benchmark wants those too.
_recorders: list[list[SandboxRun]] = []
_recorders_lock = threading.Lock()


@contextmanager
def recording() -> Iterator[list[SandboxRun]]:
    """Collect a ``SandboxRun`` for every child that ends inside the ``with`` block, from any thread."""
    runs: list[SandboxRun] = []
    with _recorders_lock:
        _recorders.append(runs)
    try:
        yield runs
    finally:
        with _recorders_lock:  # by identity: two recordings with equal lists are still two
            _recorders[:] = [other for other in _recorders if other is not runs]


def sandbox_run(command: str, *, data: bytes, args: dict[str, Any], limits: Limits | None = None) -> SandboxResult:
    """Run ``command`` on ``data`` in a limited child process; raise ``SandboxFailed`` if it gives no result."""
    limits = limits or Limits.from_settings()
    with tempfile.TemporaryDirectory(prefix="sandbox-") as folder:
        workdir = Path(folder)
        (workdir / INPUT_NAME).write_bytes(data)
        (workdir / REQUEST_NAME).write_text(json.dumps(args))
        started = time.monotonic()
        pid, status, usage, timed_out = _run_child(command, workdir, limits)
        elapsed = time.monotonic() - started
        cpu = usage.ru_utime + usage.ru_stime
        outcome = _outcome(status, cpu=cpu, timed_out=timed_out, limits=limits)
        result = _read_result(workdir) if outcome == "ok" else None
        if outcome == "ok" and result is None:
            outcome = "output"
        run = SandboxRun(
            command=command,
            pid=pid,
            seconds=elapsed,
            cpu_seconds=cpu,
            max_rss_mb=_read_peak_mb(workdir),
            outcome=outcome,
        )
        with _recorders_lock:
            for runs in _recorders:
                runs.append(run)
        if outcome != "ok" or result is None:
            stderr = (workdir / "stderr").read_bytes()[-2000:].decode(errors="replace")
            logger.warning(
                "sandbox %s failed (%s after %.1f s, status %s): %s", command, outcome, elapsed, status, stderr
            )
            raise SandboxFailed("output" if outcome == "ok" else outcome, f"status {status}")
        output_path = workdir / OUTPUT_NAME
        output = output_path.read_bytes() if output_path.exists() else None
    return SandboxResult(result=result, output=output)


def _run_child(command: str, workdir: Path, limits: Limits) -> tuple[int, int, Any, bool]:
    """Start the child, wait for it at most the wall-clock limit, and reap it with its resource usage."""
    # A clean environment: the child sees none of the web process's secrets (SECRET_KEY, DATABASE_URL, keys).
    env = {"PATH": "/usr/bin:/bin", "LC_ALL": "C.UTF-8", "PYTHONPATH": _child_path(), "PYTHONHASHSEED": "0"}
    with open(workdir / "stderr", "wb") as stderr:
        try:
            process = subprocess.Popen(  # noqa: S603 - our own interpreter and module, no shell, no user input in argv
                # -S: no site module, so no .pth file runs code; the path above names the project and its packages.
                [sys.executable, "-S", "-B", "-m", "packets.evidence.sandbox_child", command, str(workdir)],
                cwd=workdir,
                env=env,
                stdin=subprocess.DEVNULL,
                stdout=subprocess.DEVNULL,
                stderr=stderr,
                close_fds=True,
                start_new_session=True,  # its own process group: a kill reaches anything it started
                # Only setrlimit runs between fork and exec, which is safe even in a threaded web process.
                preexec_fn=_limiter(limits),  # noqa: PLW1509
            )
        except (OSError, subprocess.SubprocessError) as error:  # no process could be started (fork failed)
            raise SandboxFailed("crash", f"could not start: {error}") from error
    reaped = False
    try:
        status, usage, timed_out = _wait(process.pid, limits.wall_seconds)
        reaped = True
    finally:
        if not reaped:  # interrupted while waiting (e.g. the web worker is shutting down): leave no child behind
            _kill_group(process.pid)
            os.wait4(process.pid, 0)
    # We reaped the child ourselves (wait4 gives its resource usage); tell Popen so it does not try again.
    process.returncode = os.waitstatus_to_exitcode(status)
    return process.pid, status, usage, timed_out


def _child_path() -> str:
    paths = sysconfig.get_paths()
    return os.pathsep.join(dict.fromkeys([str(PROJECT_ROOT), paths["purelib"], paths["platlib"]]))


def _limiter(limits: Limits) -> Callable[[], None]:
    memory = limits.memory_mb * 1024 * 1024
    cpu = max(1, limits.cpu_seconds)

    def limit() -> None:
        # At the soft CPU limit the kernel sends SIGXCPU, one second later SIGKILL.
        resource.setrlimit(resource.RLIMIT_CPU, (cpu, cpu + 1))
        resource.setrlimit(resource.RLIMIT_AS, (memory, memory))
        resource.setrlimit(resource.RLIMIT_CORE, (0, 0))
        # Nothing it writes (a converted PDF, its error output) can be larger than its memory: no filling the disk.
        resource.setrlimit(resource.RLIMIT_FSIZE, (memory, memory))

    return limit


def _wait(pid: int, timeout: float) -> tuple[int, Any, bool]:
    """Wait for ``pid`` to end, killing its group after ``timeout`` seconds; returns (status, rusage, killed)."""
    deadline = time.monotonic() + timeout
    timed_out = not _exited_within(pid, deadline)
    if timed_out:
        _kill_group(pid)
    _pid, status, usage = os.wait4(pid, 0)
    return status, usage, timed_out


def _kill_group(pid: int) -> None:
    with contextlib.suppress(ProcessLookupError):  # it ended in the very last moment
        os.killpg(pid, signal.SIGKILL)


def _exited_within(pid: int, deadline: float) -> bool:
    try:
        descriptor = os.pidfd_open(pid)
    except (AttributeError, OSError):
        return _poll_until(pid, deadline)
    try:
        remaining = max(0.0, deadline - time.monotonic())
        readable, _writable, _errors = select.select([descriptor], [], [], remaining)
        return bool(readable)
    finally:
        os.close(descriptor)


def _poll_until(pid: int, deadline: float) -> bool:
    """Without pidfd (old kernels): look at the child now and then without reaping it."""
    delay = 0.002
    while time.monotonic() < deadline:
        try:
            info = os.waitid(os.P_PID, pid, os.WEXITED | os.WNOHANG | os.WNOWAIT)
        except ChildProcessError:
            return True
        if info is not None:
            return True
        time.sleep(min(delay, max(0.0, deadline - time.monotonic())))
        delay = min(delay * 2, 0.05)
    return False


def _outcome(status: int, *, cpu: float, timed_out: bool, limits: Limits) -> Outcome:
    if timed_out:
        return "time"
    if os.WIFSIGNALED(status):
        signum = os.WTERMSIG(status)
        if signum == signal.SIGXCPU or (signum == signal.SIGKILL and cpu >= limits.cpu_seconds):
            return "time"
        return "crash"
    code = os.WEXITSTATUS(status)
    if code == MEMORY_EXIT:
        return "memory"
    return "ok" if code == 0 else "crash"


def _read_peak_mb(workdir: Path) -> float | None:
    try:
        return int((workdir / PEAK_NAME).read_text()[:20]) / 1024
    except (OSError, ValueError):
        return None


def _read_result(workdir: Path) -> dict[str, Any] | None:
    path = workdir / RESULT_NAME
    try:
        if path.stat().st_size > MAX_RESULT_BYTES:
            return None
        result = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    return result if isinstance(result, dict) else None
