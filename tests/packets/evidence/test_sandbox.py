"""The sandbox: uploads are checked, and exhibits converted, in a separate process that limits can stop."""

import io
import os
import tempfile
import time
from typing import Any

import pytest
from django.test import Client, override_settings
from PIL import Image

from packets.content.services import ExhibitUpload, exhibit_add
from packets.evidence import sandbox
from packets.evidence.sandbox import Limits, SandboxFailed, sandbox_run
from packets.evidence.uploads import UploadRejected, inspect_upload
from packets.models import PacketVersion, RenderJob, RenderState
from packets.rendering.tasks import render_job_start
from tests.builders import make_packet, pdf_bytes, png_bytes, upload
from tests.parole_wizard.pages import open_step, step_url

QUICK = Limits(cpu_seconds=1, memory_mb=256, wall_seconds=20)


def _selftest(mode: str, limits: Limits = QUICK) -> SandboxFailed:
    with pytest.raises(SandboxFailed) as failed:
        sandbox_run("selftest", data=b"", args={"mode": mode}, limits=limits)
    return failed.value


def _pixel_flood_png(side: int = 7000) -> bytes:
    """A transparent PNG of side² pixels: 200 kB on disk, hundreds of megabytes once decoded and flattened."""
    buffer = io.BytesIO()
    Image.new("RGBA", (side, side), (255, 255, 255, 0)).save(buffer, "PNG")
    return buffer.getvalue()


def _drawing_pdf() -> bytes:
    """A PDF page with lines on it and no text at all, like a scan saved as PDF."""
    import pikepdf

    pdf = pikepdf.new()
    pdf.add_blank_page(page_size=(612, 792)).obj.Contents = pdf.make_stream(b"72 72 m 500 700 l S")
    buffer = io.BytesIO()
    pdf.save(buffer)
    return buffer.getvalue()


# ── The child and its limits ────────────────────────────────────────────────────────────────────────────────────


def test_an_upload_is_checked_in_a_separate_process() -> None:
    data = pdf_bytes(pages=2)

    with sandbox.recording() as runs:
        inspected = inspect_upload(io.BytesIO(data), size=len(data), name="letter.pdf")

    assert inspected.page_count == 2
    assert [(run.command, run.outcome) for run in runs] == [("inspect", "ok")]
    assert runs[0].max_rss_mb is not None
    assert runs[0].max_rss_mb < 200


def test_the_child_that_checks_an_upload_also_reads_its_text_layer() -> None:
    data = pdf_bytes(pages=2, text="Riverton OEM supports Ana Ruiz.")

    with sandbox.recording() as runs:
        inspected = inspect_upload(io.BytesIO(data), size=len(data), name="letter.pdf")

    assert [run.command for run in runs] == ["inspect"]  # no second process for the text
    assert inspected.text.status == "read"
    assert inspected.text.text is not None and inspected.text.text.count("Riverton OEM supports Ana Ruiz.") == 2


@pytest.mark.parametrize(
    ("name", "data", "status"),
    [
        ("scan.png", png_bytes(), "no_text"),
        ("drawing.pdf", _drawing_pdf(), "no_text"),
    ],
)
def test_a_file_without_a_text_layer_is_accepted_as_having_none(name: str, data: bytes, status: str) -> None:
    inspected = inspect_upload(io.BytesIO(data), size=len(data), name=name)

    assert (inspected.text.status, inspected.text.text) == (status, None)


def test_a_text_layer_too_slow_to_read_is_unreadable_and_the_file_still_accepted(settings: Any) -> None:
    from tests.builders import many_tokens_letter_pdf

    settings.INSPECT_TEXT_CPU_SECONDS = 1
    data = many_tokens_letter_pdf()

    inspected = inspect_upload(io.BytesIO(data), size=len(data), name="tokens.pdf")

    assert inspected.page_count == 1 and inspected.normalised.startswith(b"%PDF-")
    assert (inspected.text.status, inspected.text.text) == ("unreadable", None)


def test_text_that_cannot_be_stored_as_it_is_is_cleaned_and_an_odd_answer_is_unreadable() -> None:
    from packets.evidence.uploads import ExtractedText, _extracted

    assert _extracted({"text_status": "read", "text": "Ana\ud800 Ruiz\x00"}) == ExtractedText("read", "Ana? Ruiz")
    assert _extracted({"text_status": "read", "text": 12}) == ExtractedText("unreadable")
    assert _extracted({"text_status": "read", "text": " \x00 "}) == ExtractedText("unreadable")
    assert _extracted({}) == ExtractedText("unreadable")


def test_the_text_command_reads_a_stored_file_again_in_a_child() -> None:
    from packets.evidence.uploads import text_in_sandbox

    with sandbox.recording() as runs:
        extracted = text_in_sandbox(pdf_bytes(text="Hello Ana"), content_type="application/pdf")

    assert [(run.command, run.outcome) for run in runs] == [("text", "ok")]
    assert extracted.status == "read" and "Hello Ana" in (extracted.text or "")


def test_the_child_sees_none_of_the_web_process_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SECRET_KEY", "a-secret-the-child-must-not-see")
    monkeypatch.setenv("DATABASE_URL", "postgres://someone:secret@db/parole")

    answer = sandbox_run("selftest", data=b"", args={"mode": "environment"}, limits=QUICK).result

    assert set(answer["environment"]) <= {"PATH", "LC_ALL", "PYTHONPATH", "PYTHONHASHSEED", "LC_CTYPE"}
    assert answer["limits"] == [256 * 1024 * 1024, 256 * 1024 * 1024]


def test_a_child_that_burns_cpu_is_stopped_by_the_cpu_limit() -> None:
    started = time.monotonic()

    failure = _selftest("cpu")

    assert failure.reason == "time"
    assert time.monotonic() - started < QUICK.wall_seconds


def test_a_child_that_allocates_without_end_is_stopped_by_the_memory_limit() -> None:
    assert _selftest("memory").reason == "memory"


def test_a_child_that_sleeps_is_killed_at_the_wall_clock_limit() -> None:
    started = time.monotonic()

    failure = _selftest("sleep", Limits(cpu_seconds=30, memory_mb=256, wall_seconds=1))

    assert failure.reason == "time"
    assert time.monotonic() - started < 5


def test_a_crash_and_garbage_output_are_failures_too() -> None:
    assert _selftest("crash").reason == "crash"
    assert _selftest("garbage").reason == "output"


def test_a_killed_child_leaves_no_process_and_no_temporary_folder(tmp_path: Any, monkeypatch: Any) -> None:
    temporary = tmp_path / "tmp"
    temporary.mkdir()
    monkeypatch.setattr(tempfile, "tempdir", str(temporary))

    with sandbox.recording() as runs:
        _selftest("sleep", Limits(cpu_seconds=30, memory_mb=256, wall_seconds=0.5))

    assert list(temporary.iterdir()) == []
    with pytest.raises(ChildProcessError):
        os.waitpid(runs[0].pid, os.WNOHANG)  # already reaped: no zombie left behind


# ── Through inspect_upload, the wizard and the render ─────────────────────────────────────────────────────────────────


def test_an_upload_whose_check_takes_too_long_is_refused_with_one_clear_message(settings: Any) -> None:
    settings.INSPECT_WALL_SECONDS = 0.01  # no check can finish in time
    data = png_bytes()

    with pytest.raises(UploadRejected) as refused:
        inspect_upload(io.BytesIO(data), size=len(data), name="scan.png")

    assert str(refused.value) == (
        "The file “scan.png” could not be checked safely: it took too long to read. Save it again as PDF or scan it, "
        "and upload the copy."
    )


def test_an_upload_that_runs_out_of_memory_while_checked_is_refused(settings: Any) -> None:
    settings.INSPECT_MEMORY_MB = 24  # not even the interpreter and its libraries fit

    data = pdf_bytes()
    with pytest.raises(UploadRejected, match="“letter.pdf” could not be checked safely"):
        inspect_upload(io.BytesIO(data), size=len(data), name="letter.pdf")


def test_a_file_uploaded_on_a_step_is_checked_by_one_child_process(logged_in_client: Client, user: Any) -> None:
    # The form checks the file and the service checks it again before storing it; the second reuses the first.
    packet = make_packet(user)
    _response, page = open_step(logged_in_client, packet, "evidence")
    data = {**page, "evidence-title": "Plan", "evidence-kind": "plan", "wizard_action": "next"}
    data["evidence-file"] = upload("plan.pdf", pdf_bytes())

    with sandbox.recording() as runs:
        response = logged_in_client.post(step_url(packet, "evidence"), data)

    assert response.status_code == 302
    assert [(run.command, run.outcome) for run in runs] == [("inspect", "ok")]


@pytest.mark.django_db
def test_an_exhibit_whose_conversion_is_killed_fails_the_render_naming_the_exhibit(user: Any) -> None:
    packet = make_packet(user, project={"title": "Bridge inspection", "summary": "Inspect the bridge."})
    flood = _pixel_flood_png()
    # Accepted by a server with generous limits at upload time (so the exhibit exists, but its prepared pages were
    # never kept: the upload's transaction is not committed here), then rendered under the normal limits.
    with override_settings(INSPECT_MEMORY_MB=3072):
        exhibit_add(
            packet=packet,
            upload=ExhibitUpload(file=upload("plan.png", flood, "image/png"), kind="other", title="Site plan"),
            by=user,
        )

    with sandbox.recording() as runs:
        job = render_job_start(packet=packet, by=user)

    job = RenderJob.objects.get(pk=job.pk)
    assert job.state == RenderState.FAILED
    assert job.message.startswith("Exhibit A (Site plan) could not be prepared: it needed too much memory to read.")
    assert [(run.command, run.outcome) for run in runs] == [("normalise", "memory")]
    assert not PacketVersion.objects.filter(packet=packet).exists()


@pytest.mark.django_db
def test_an_upload_whose_preparation_needs_too_much_memory_is_refused_and_nothing_is_kept(user: Any) -> None:
    packet = make_packet(user, project={"title": "Bridge inspection"})
    with pytest.raises(UploadRejected, match="needed too much memory to read"):
        exhibit_add(
            packet=packet,
            upload=ExhibitUpload(file=upload("plan.png", _pixel_flood_png(), "image/png"), kind="other", title="Plan"),
            by=user,
        )
    assert not packet.exhibits.exists()
