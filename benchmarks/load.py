"""Load: many simulated users at once through the whole questionnaire, with uploads, and a render each.

Production-like: gunicorn (2 workers) and a separate ``manage.py db_worker`` on PostgreSQL, in a database created and
dropped here (``pw_load``), files encrypted at rest as in production. Every user, in its own thread: logs in, creates a
packet, walks every step from the first to the last by following the wizard's own redirects (GET the step, POST it
as a browser would), uploads a passport scan (JPEG) on the first step and a PDF on the evidence step, starts a render,
polls it to the end and downloads the PDF. Afterwards every acknowledged save is compared with the database: a value
the server answered "saved" (302) that is not stored is a lost save; so is an acknowledged upload whose exhibit is
missing or differs. Loopback only; every loop is bounded; the server, the worker and the database go whatever happens.

    .venv/bin/python benchmarks/load.py [--users 50] [--render-timeout 900]

Prints throughput, p50/p95/p99 per endpoint and errors. Last line:
    load: users=… requests=… errors=… lost_saves=… p95_ms=…
Targets: errors 0, lost_saves 0.
"""

import argparse
import contextlib
import hashlib
import http.client
import io
import json
import signal
import subprocess
import sys
import tempfile
import threading
import time
from collections import defaultdict
from collections.abc import Iterator
from dataclasses import dataclass, field
from http.cookies import SimpleCookie
from pathlib import Path
from typing import Any
from urllib.parse import urlencode, urlparse

sys.path.insert(0, str(Path(__file__).resolve().parent))

from wizard import (  # noqa: E402 - benchmarks/ is not a package; its helpers are imported from beside this file
    HOST,
    PASSWORD,
    PYTHON,
    ROOT,
    base_env,
    form_fields,
    gunicorn,
    manage,
    percentile,
    postgres_database,
    shell_json,
)

PG_LOAD_DB = "pw_load"  # created and dropped here; never the test suite's `test`
MAX_STEPS = 40  # the questionnaire has 14 steps; a redirect loop must not run forever

SEED = """
from django.contrib.auth import get_user_model
for index in range({users}):
    get_user_model().objects.create_user(username=f"load{{index}}", password={password!r})
print("SEEDED")
"""

READ_BACK = """
import hashlib, json
from packets.models import Exhibit, Packet
packets = {}
for packet in Packet.objects.all():
    exhibits = []
    for exhibit in Exhibit.objects.filter(packet=packet):
        with exhibit.file.open("rb") as handle:
            exhibits.append({"title": exhibit.title, "sha256": hashlib.sha256(handle.read()).hexdigest()})
    packets[str(packet.pk)] = {"name": packet.name, "data": packet.data, "exhibits": exhibits,
                               "versions": packet.versions.count()}
print("STORED" + json.dumps(packets))
"""


# ── the simulated user ────────────────────────────────────────────────────────────────────────────────────────────


def _jpeg(seed: int) -> bytes:
    from PIL import Image, ImageDraw

    image = Image.new("RGB", (1200, 1600), "white")
    draw = ImageDraw.Draw(image)
    draw.rectangle((60, 60, 1140, 1540), outline="black", width=8)
    draw.text((100, 100), f"PASSPORT of load user {seed}", fill="black")
    buffer = io.BytesIO()
    image.save(buffer, format="JPEG", quality=85)
    return buffer.getvalue()


def _pdf(seed: int, pages: int = 3) -> bytes:
    from reportlab.pdfgen import canvas

    buffer = io.BytesIO()
    pdf = canvas.Canvas(buffer, pagesize=(612, 792))
    for number in range(1, pages + 1):
        pdf.drawString(72, 720, f"Letter of support for load user {seed}, page {number}")
        pdf.showPage()
    pdf.save()
    return buffer.getvalue()


def multipart(fields: dict[str, str], files: dict[str, tuple[str, str, bytes]]) -> tuple[bytes, str]:
    boundary = "----pw-load-boundary-5c0e2a"
    body = io.BytesIO()
    for name, value in fields.items():
        body.write(f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"\r\n\r\n{value}\r\n'.encode())
    for name, (filename, content_type, content) in files.items():
        body.write(
            f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"; filename="{filename}"\r\n'
            f"Content-Type: {content_type}\r\n\r\n".encode()
        )
        body.write(content + b"\r\n")
    body.write(f"--{boundary}--\r\n".encode())
    return body.getvalue(), f"multipart/form-data; boundary={boundary}"


@dataclass
class Record:
    timings: dict[str, list[float]] = field(default_factory=lambda: defaultdict(list))
    errors: list[str] = field(default_factory=list)
    lock: threading.Lock = field(default_factory=threading.Lock)

    def add(self, endpoint: str, elapsed_ms: float, error: str | None = None) -> None:
        with self.lock:
            self.timings[endpoint].append(elapsed_ms)
            if error:
                self.errors.append(f"{endpoint}: {error}")


class User:
    """One browser: its own cookies; every request timed under an endpoint name."""

    def __init__(self, index: int, port: int, record: Record) -> None:
        self.index = index
        self.port = port
        self.record = record
        self.cookies: dict[str, str] = {}
        self.packet = ""
        self.acknowledged: dict[str, dict[str, str]] = {}  # section -> field -> value the server said it saved
        self.uploads: dict[str, str] = {}  # what was uploaded -> its sha256
        self.rendered = False

    def request(
        self,
        endpoint: str,
        method: str,
        path: str,
        fields: dict[str, str] | None = None,
        files: dict[str, tuple[str, str, bytes]] | None = None,
        expect: tuple[int, ...] = (200,),
    ) -> tuple[int, str, str]:
        headers = {"Host": f"{HOST}:{self.port}"}
        if self.cookies:
            headers["Cookie"] = "; ".join(f"{key}={value}" for key, value in self.cookies.items())
        payload = None
        if files is not None:
            payload, headers["Content-Type"] = multipart(fields or {}, files)
        elif fields is not None:
            payload = urlencode(fields).encode()
            headers["Content-Type"] = "application/x-www-form-urlencoded"
        connection = http.client.HTTPConnection(HOST, self.port, timeout=120)
        started = time.perf_counter()
        try:
            connection.request(method, path, body=payload, headers=headers)
            response = connection.getresponse()
            body = response.read()
        except OSError as error:
            self.record.add(endpoint, (time.perf_counter() - started) * 1000, f"{type(error).__name__}: {error}")
            return 0, "", ""
        finally:
            connection.close()
        elapsed = (time.perf_counter() - started) * 1000
        for header in response.msg.get_all("Set-Cookie") or []:
            cookie = SimpleCookie()
            cookie.load(header)
            for key, morsel in cookie.items():
                self.cookies[key] = morsel.value
        ok = response.status in expect
        self.record.add(endpoint, elapsed, None if ok else f"status {response.status} for {method} {path}")
        kind = response.getheader("Content-Type", "")
        text = body.decode("utf-8", "replace") if kind.startswith(("text/", "application/json")) else ""
        return response.status, text, response.getheader("Location", "")

    def csrf(self) -> str:
        return self.cookies.get("csrftoken", "")

    def log_in(self) -> None:
        _status, html, _ = self.request("login page", "GET", "/accounts/login/")
        token = form_fields(html).get("csrfmiddlewaretoken", "")
        self.request(
            "login",
            "POST",
            "/accounts/login/",
            {"csrfmiddlewaretoken": token, "username": f"load{self.index}", "password": PASSWORD, "next": "/"},
            expect=(302,),
        )

    def create_packet(self) -> bool:
        self.request("dashboard", "GET", "/")
        status, _html, location = self.request(
            "create packet",
            "POST",
            "/packets/new/",
            {"csrfmiddlewaretoken": self.csrf(), "name": f"Load packet {self.index}"},
            expect=(302,),
        )
        if status != 302 or "/steps/" not in location:
            return False
        self.packet = urlparse(location).path.split("/")[2]
        return True

    def answers(self, step: str) -> tuple[dict[str, str], dict[str, tuple[str, str, bytes]]]:
        """What this user types on ``step`` (unique per user, so a save landing in another packet shows) and uploads."""
        n = self.index
        if step == "beneficiary":
            jpeg = _jpeg(n)
            self.uploads["passport scan"] = hashlib.sha256(jpeg).hexdigest()
            return (
                {
                    "full_name": f"Load Person {n}",
                    "other_names": f"L. Person {n}",
                    "date_of_birth": f"19{50 + n % 49:02d}-0{1 + n % 9}-1{n % 10}",
                    "passport_number": f"P{n:08d}",
                    "passport_country": "Chile",
                    "citizenship": "Chile",
                    "email": f"load{n}@example.org",
                },
                {"passport_file": (f"passport-{n}.jpg", "image/jpeg", jpeg)},
            )
        if step == "organisation":
            return {"name": f"Riverton OEM branch {n}"}, {}
        if step == "project":
            return {"title": f"Seismic assessment {n}", "public_benefit": f"Safer schools, measured ({n}). " * 20}, {}
        if step == "evidence":
            pdf = _pdf(n)
            self.uploads["support letter"] = hashlib.sha256(pdf).hexdigest()
            return (
                {"title": f"Support letter {n}", "kind": "financial", "issuer": "Riverton Bank"},
                {"file": (f"letter-{n}.pdf", "application/pdf", pdf)},
            )
        return {}, {}

    def walk_questionnaire(self) -> None:
        path = f"/packets/{self.packet}/steps/beneficiary/"
        for _ in range(MAX_STEPS):
            step = path.rstrip("/").split("/")[-1]
            status, html, _ = self.request("step GET", "GET", path)
            if status != 200:
                return
            form = form_fields(html, "step-form")
            typed, files = self.answers(step)
            fields = {
                **form,
                **{f"{step}-{name}": value for name, value in typed.items()},
                "csrfmiddlewaretoken": self.csrf(),
                "wizard_action": "next",
            }
            endpoint = "step POST with upload" if files else "step POST"
            uploads = {f"{step}-{name}": file for name, file in files.items()}
            status, _html, location = self.request(endpoint, "POST", path, fields, uploads, expect=(302,))
            if status != 302:
                return
            if typed and step != "evidence":
                self.acknowledged[step] = dict(typed)
            if "/steps/" not in location:
                return  # past the last step (finish page)
            path = urlparse(location).path

    def render(self, timeout: float) -> None:
        status, _html, location = self.request(
            "render start",
            "POST",
            f"/packets/{self.packet}/render/",
            {"csrfmiddlewaretoken": self.csrf()},
            expect=(302,),
        )
        if status != 302:
            return
        job_path = urlparse(location).path
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            status, text, _ = self.request("render status", "GET", job_path + "status/")
            if status != 200:
                return
            state = json.loads(text or "{}")
            if state.get("finished"):
                if state.get("state") != "done":
                    self.record.add("render result", 0, f"render failed: {state.get('message')}")
                    return
                self.request("version download", "GET", urlparse(state["version_url"]).path)
                self.rendered = True
                return
            time.sleep(1)
        self.record.add("render result", 0, f"render of {self.packet} not finished after {timeout:.0f} s")

    def run(self, render_timeout: float) -> None:
        self.log_in()
        if self.create_packet():
            self.walk_questionnaire()
            self.render(render_timeout)


# ── checking what was stored ──────────────────────────────────────────────────────────────────────────────────────


def lost_saves(users: list[User], stored: dict[str, Any]) -> list[str]:
    lost = []
    for user in users:
        packet = stored.get(user.packet)
        if packet is None:
            if user.packet:
                lost.append(f"packet {user.packet} of load{user.index} is missing")
            continue
        for section, values in user.acknowledged.items():
            for name, value in values.items():
                saved = str(packet["data"].get(section, {}).get(name, ""))
                if saved.strip() != value.strip():
                    lost.append(f"load{user.index} {section}.{name}: sent {value[:40]!r}, stored {saved[:40]!r}")
        stored_files = {exhibit["sha256"] for exhibit in packet["exhibits"]}
        for what, digest in user.uploads.items():
            if digest not in stored_files:
                lost.append(f"load{user.index} {what}: not stored, or stored with other bytes")
        if user.rendered and packet["versions"] < 1:
            lost.append(f"load{user.index}: a finished render left no version")
    return lost


# ── the set-up ────────────────────────────────────────────────────────────────────────────────────────────────────


@contextlib.contextmanager
def db_worker(env: dict[str, str]) -> Iterator[subprocess.Popen[bytes]]:
    process = subprocess.Popen(  # noqa: S603 - our own interpreter and manage.py
        [PYTHON, "manage.py", "db_worker", "--no-reload", "--no-startup-delay", "--interval", "0.2"],
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        yield process
    finally:
        process.send_signal(signal.SIGTERM)
        try:
            process.wait(timeout=60)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait(timeout=5)


def report(record: Record, users: list[User], lost: list[str], wall_s: float) -> None:
    every = [value for values in record.timings.values() for value in values]
    print(f"\n{len(users)} users, {len(every)} requests in {wall_s:.1f} s: {len(every) / wall_s:.1f} requests/s")
    print(f"{'endpoint':<24} {'n':>5} {'p50 ms':>9} {'p95 ms':>9} {'p99 ms':>9} {'max ms':>9}")
    for endpoint, values in sorted(record.timings.items()):
        if endpoint == "render result":
            continue
        print(
            f"{endpoint:<24} {len(values):>5} {percentile(values, 0.50):>9.1f} {percentile(values, 0.95):>9.1f} "
            f"{percentile(values, 0.99):>9.1f} {max(values):>9.1f}"
        )
    rendered = sum(user.rendered for user in users)
    print(f"renders finished: {rendered} of {len(users)}")
    for error in record.errors[:10]:
        print(f"  error: {error}")
    for item in lost[:10]:
        print(f"  lost: {item}")
    web = [value for name, values in record.timings.items() if name != "render result" for value in values]
    print(
        f"load: users={len(users)} requests={len(every)} errors={len(record.errors)} lost_saves={len(lost)} "
        f"p95_ms={percentile(web, 0.95):.0f}"
    )


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--users", type=int, default=50, help="simulated users at once (default 50)")
    parser.add_argument("--render-timeout", type=float, default=900, help="seconds a user waits for its render")
    args = parser.parse_args()
    if not 1 <= args.users <= 500:
        parser.error("--users must be between 1 and 500")

    with tempfile.TemporaryDirectory(prefix="pw-load-") as folder, postgres_database(PG_LOAD_DB) as database_url:
        env = base_env(database_url, Path(folder) / "media")
        env["TASK_BACKEND"] = "django_tasks_db.DatabaseBackend"
        manage(env, "migrate", "--noinput", "-v0")
        manage(env, "shell", "-c", SEED.format(users=args.users, password=PASSWORD))
        record = Record()
        with gunicorn(env) as server, db_worker(env):
            users = [User(index, server.port, record) for index in range(args.users)]
            barrier = threading.Barrier(len(users))

            def run(user: User) -> None:
                barrier.wait()
                try:
                    user.run(args.render_timeout)
                except Exception as error:  # noqa: BLE001 - a crashed simulated user is an error to count, not to hide
                    record.add("simulated user", 0, f"{type(error).__name__}: {error}")

            started = time.perf_counter()
            threads = [threading.Thread(target=run, args=(user,)) for user in users]
            for thread in threads:
                thread.start()
            for thread in threads:
                thread.join(timeout=args.render_timeout + 600)
            wall = time.perf_counter() - started
        stored = shell_json(env, READ_BACK, "STORED")
        lost = lost_saves(users, stored)
        report(record, users, lost, wall)
    return 0 if not record.errors and not lost else 1


if __name__ == "__main__":
    sys.exit(main())
