"""The sandboxed child: what runs in the process ``packets.evidence.sandbox`` starts (``python -m
packets.evidence.sandbox_child COMMAND WORKDIR``), under its CPU, memory and wall-clock limits.

It reads its request and input from WORKDIR, runs one command, and writes the result (and any output file) there.
The parent imports nothing from here: it only names this module on the child's command line, so the parsers the
commands use (uploads, exhibit preparation) never load into a web process by way of the sandbox.
"""

import dataclasses
import json
import os
import resource
import signal
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from packets.evidence.sandbox import (
    INPUT_NAME,
    MEMORY_EXIT,
    OUTPUT_NAME,
    PEAK_NAME,
    PROJECT_ROOT,
    REQUEST_NAME,
    RESULT_NAME,
)


def _setup_django(language: str) -> None:
    """Just enough Django for gettext: no project settings (they read the environment), no apps, no database. Once
    per child: ``inspect`` runs ``normalise`` after itself, in the language it was set up with."""
    from django.apps import apps
    from django.conf import settings
    from django.utils import translation

    if settings.configured:
        return
    settings.configure(
        USE_I18N=True,
        LANGUAGE_CODE=language or "en-us",
        LOCALE_PATHS=[str(PROJECT_ROOT / "locale")],
        INSTALLED_APPS=[],
    )
    # apps.populate instead of django.setup(): setup also imports the URL machinery, which costs time on every upload.
    apps.populate([])
    translation.activate(language or "en-us")


def _inspect(workdir: Path, args: dict[str, Any]) -> dict[str, Any]:
    _setup_django(str(args.get("language", "")))
    from packets.evidence.uploads import UploadRejected, inspect_content

    data = (workdir / INPUT_NAME).read_bytes()
    try:
        pages, markup = inspect_content(data, content_type=str(args["content_type"]), name=str(args["name"]))
    except UploadRejected as rejected:
        return {"rejected": str(rejected)}
    placed = _normalise(workdir, args)
    if "error" in placed:
        # What went wrong, as a word the parent has a sentence for: the parser's own message is not for people.
        return {"unplaceable": placed["problem"]}
    return {"pages": pages, "markup": dataclasses.asdict(markup), **_text(workdir, args)}


def _text(workdir: Path, args: dict[str, Any]) -> dict[str, Any]:
    from packets.evidence.uploads import extract_text

    data = (workdir / INPUT_NAME).read_bytes()
    extracted = extract_text(data, content_type=str(args["content_type"]), seconds=float(args["text_seconds"]))
    return {"text_status": extracted.status, "text": extracted.text}


def _normalise(workdir: Path, args: dict[str, Any]) -> dict[str, Any]:
    _setup_django("")
    import img2pdf
    import pikepdf

    from packets.assembly.exhibits import ExhibitError, normalise

    data = (workdir / INPUT_NAME).read_bytes()
    try:
        pdf = normalise(data, str(args["content_type"]))
    except ExhibitError as error:
        return {"error": str(error)[:500], "problem": error.problem}
    except (pikepdf.PdfError, img2pdf.ImageOpenError, OSError, ValueError) as error:
        return {"error": str(error)[:500], "problem": "damaged"}
    (workdir / OUTPUT_NAME).write_bytes(pdf)
    return {"ok": True}


def _selftest(workdir: Path, args: dict[str, Any]) -> dict[str, Any]:
    mode = args["mode"]
    if mode == "cpu":
        while True:
            pass
    if mode == "memory":
        hog = []
        while True:
            hog.append(bytearray(16 * 1024 * 1024))
    if mode == "sleep":
        time.sleep(3600)
    if mode == "garbage":
        (workdir / RESULT_NAME).write_bytes(b"\x00not json{")
        sys.exit(0)
    if mode == "crash":
        os.kill(os.getpid(), signal.SIGSEGV)
    if mode == "environment":
        return {"environment": sorted(os.environ), "limits": resource.getrlimit(resource.RLIMIT_AS)}
    return {"echo": (workdir / INPUT_NAME).read_bytes().decode(errors="replace")}


COMMANDS: dict[str, Callable[[Path, dict[str, Any]], dict[str, Any]]] = {
    "inspect": _inspect,
    "normalise": _normalise,
    "text": _text,
    "selftest": _selftest,
}


def main(argv: list[str]) -> int:
    command, workdir = argv[0], Path(argv[1])
    args = json.loads((workdir / REQUEST_NAME).read_text(encoding="utf-8"))
    try:
        result = COMMANDS[command](workdir, args)
    except MemoryError:
        # The command's frames are gone, and their memory with them: there is room to write the peak again.
        _write_peak(workdir)
        os._exit(MEMORY_EXIT)  # "memory", said through the exit code
    _write_peak(workdir)
    (workdir / RESULT_NAME).write_text(json.dumps(result), encoding="utf-8")
    return 0


def _write_peak(workdir: Path) -> None:
    """This process's peak resident memory in kB (VmHWM counts only what this program used after exec)."""
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            (workdir / PEAK_NAME).write_text(line.split()[1])


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
