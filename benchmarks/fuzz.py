"""Throw at least 1,000 malformed files at the upload and render paths and count crashes and hangs.

    .venv/bin/python benchmarks/fuzz.py [--files 1000] [--seed 6] [--render-batch 10]

Every file is made here from a seed (tests/fuzz/harness.py): the known PDF-parser attack shapes at full size (1 GB
Flate bombs, pixel floods, loops, polyglots, encrypted and truncated files), hostile file names, and mutated copies of
valid PDFs, JPEGs and PNGs. Each goes through ``inspect_upload``; each accepted one is converted as a render does, and
every ``--render-batch`` accepted files are rendered together as one packet. It runs against a throw-away SQLite
database and media folder (or ``--database-url``), with the sandbox limits from the environment (INSPECT_*).

A crash is any exception other than ``UploadRejected`` or a render failure that names its exhibit, a 500, or a render
that ends with the internal-error message; a hang is a call that outlives the wall-clock limit plus 2 s. worst_mb is
the largest peak resident memory a sandbox child reported (VmHWM; children killed by a limit cannot report and are
bounded by INSPECT_MEMORY_MB). The last line reads ``fuzz: files=… crashes=… hangs=… worst_s=… worst_mb=…``.
"""

import argparse
import os
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def _prepare(database_url: str | None) -> None:
    """A throw-away installation: settings come from the environment, so set it before Django starts."""
    work = Path(tempfile.mkdtemp(prefix="fuzz-"))
    os.environ["DATABASE_URL"] = database_url or f"sqlite:///{work / 'fuzz.sqlite3'}"
    os.environ["MEDIA_ROOT"] = str(work / "media")
    os.environ["TASK_BACKEND"] = "django_tasks.backends.immediate.ImmediateBackend"
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "parole_wizard.settings")
    os.environ.setdefault("LOG_LEVEL", "CRITICAL")  # the sandbox logs every refused child; the tally says enough
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0, interactive=False)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--files", type=int, default=1000)
    parser.add_argument("--seed", type=int, default=6)
    parser.add_argument("--render-batch", type=int, default=10)
    parser.add_argument("--database-url", default=None)
    options = parser.parse_args()
    _prepare(options.database_url)

    from django.conf import settings

    from tests.builders import make_user
    from tests.fuzz.harness import (
        HOSTILE_NAMES,
        Tally,
        attack_samples,
        check_inspect,
        check_normalise,
        content_type_of,
        mutated_samples,
        overhead_ms,
    )

    user = make_user("fuzz")
    print(
        f"limits: cpu={settings.INSPECT_CPU_SECONDS}s memory={settings.INSPECT_MEMORY_MB}MB "
        f"wall={settings.INSPECT_WALL_SECONDS}s database={settings.DATABASES['default']['ENGINE'].rsplit('.', 1)[1]}",
        flush=True,
    )
    _print_overhead(overhead_ms)

    tally = Tally()
    started = time.monotonic()
    attacks = attack_samples(big=True)
    samples = [*attacks, *mutated_samples(max(0, options.files - len(attacks) - len(HOSTILE_NAMES)), seed=options.seed)]
    batch: list = []
    renders = {"done": 0, "failed": 0, "worst_s": 0.0}
    for number, sample in enumerate(samples, start=1):
        if check_inspect(tally, sample) and check_normalise(tally, sample, content_type_of(sample.data)):
            batch.append(sample)
        if len(batch) >= options.render_batch:
            _render(tally, user, batch, renders)
            batch = []
        if number % 100 == 0:
            print(f"  {number} files, {time.monotonic() - started:.0f} s: {tally.line()}", file=sys.stderr, flush=True)
    if batch:
        _render(tally, user, batch, renders)
    _names(tally, user, HOSTILE_NAMES)

    for problem in tally.crashes + tally.hangs:
        print(f"  problem: {problem}")
    print(
        f"accepted={tally.accepted} rejected={tally.rejected} render_failed={tally.render_failed} "
        f"killed_by_limits={tally.killed} packet_renders={renders['done']} done, {renders['failed']} failed, "
        f"worst {renders['worst_s']:.1f}s; total {time.monotonic() - started:.0f}s"
    )
    print(tally.line())
    return 1 if tally.crashes or tally.hangs else 0


def _print_overhead(overhead_ms) -> None:  # type: ignore[no-untyped-def]
    from tests.builders import jpeg_bytes, pdf_bytes, png_bytes

    for label, data, content_type in [
        ("pdf 3 pages", pdf_bytes(pages=3), "application/pdf"),
        ("jpeg 800x1000", jpeg_bytes(), "image/jpeg"),
        ("png 800x1000", png_bytes(), "image/png"),
    ]:
        sandboxed, in_process = overhead_ms(data, content_type=content_type, repeat=7)
        print(
            f"overhead {label}: sandboxed {sandboxed:.0f} ms, in process {in_process:.1f} ms, "
            f"overhead {sandboxed - in_process:.0f} ms per upload",
            flush=True,
        )


def _render(tally, user, batch, renders) -> None:  # type: ignore[no-untyped-def]
    """Upload ``batch`` into a new packet through the service and render it with the task a user starts."""
    from packets.content.services import ExhibitUpload, exhibit_add
    from packets.evidence.uploads import UploadRejected
    from packets.models import RenderJob, RenderState
    from packets.rendering.tasks import render_job_start
    from tests.builders import make_packet, upload

    packet = make_packet(user, project={"title": "Fuzz", "summary": "Malformed files."})
    for sample in batch:
        try:
            exhibit_add(
                packet=packet,
                upload=ExhibitUpload(file=upload(sample.name, sample.data), kind="other", title=sample.name[:100]),
                by=user,
            )
        except UploadRejected:
            pass  # the packet budget; the file itself was checked already
        except Exception as error:  # noqa: BLE001 - counting every other exception is the point of a fuzz run
            tally.crashes.append(f"upload {sample.name}: {type(error).__name__}: {error}")
    started = time.monotonic()
    job = RenderJob.objects.get(pk=render_job_start(packet=packet, by=user).pk)
    renders["worst_s"] = max(renders["worst_s"], time.monotonic() - started)
    if job.state == RenderState.DONE:
        renders["done"] += 1
    else:
        renders["failed"] += 1
        if not job.message.startswith("Exhibit "):
            tally.crashes.append(f"render of {[sample.name for sample in batch]}: {job.message}")


def _names(tally, user, names) -> None:  # type: ignore[no-untyped-def]
    """Hostile names through the browser path (a real multipart POST) and through the service; check the storage."""
    import re

    from django.test import Client

    from packets.content.services import ExhibitUpload, exhibit_add
    from packets.models import Exhibit
    from tests.builders import make_packet, pdf_bytes, upload
    from tests.parole_wizard.pages import open_step, step_url

    client = Client()
    client.force_login(user)
    packet = make_packet(user)
    for name in names:
        tally.files += 1
        _response, page = open_step(client, packet, "evidence")
        data = {**page, "evidence-title": "Plan", "evidence-kind": "plan", "wizard_action": "next"}
        data["evidence-file"] = upload(name, pdf_bytes())
        status = client.post(step_url(packet, "evidence"), data).status_code
        if status >= 500:
            tally.crashes.append(f"name {name!r}: HTTP {status}")
        try:
            exhibit_add(
                packet=packet,
                upload=ExhibitUpload(file=upload(name, pdf_bytes()), kind="other", title="Plan"),
                by=user,
            )
        except Exception as error:  # noqa: BLE001 - counting every other exception is the point of a fuzz run
            tally.crashes.append(f"name {name!r} through the service: {type(error).__name__}: {error}")
    generated = re.compile(r"exhibits/[0-9a-f-]{36}/[0-9a-f]{32}")
    for exhibit in Exhibit.objects.filter(packet=packet):
        if not generated.fullmatch(exhibit.file.name or ""):
            tally.crashes.append(f"stored under a name from the user: {exhibit.file.name!r}")
        if not exhibit.original_name.isprintable():
            tally.crashes.append(f"kept a name with control characters: {exhibit.original_name!r}")


if __name__ == "__main__":
    sys.exit(main())
