"""gunicorn, started from the checkout as documented, waits longer than the inspection of the files a request carries:
an upload allowed the full INSPECT_WALL_SECONDS is never killed first (a bare 502 and a lost step)."""

import os
import re
import subprocess
import sys
from pathlib import Path

from django.conf import settings

ROOT = Path(__file__).resolve().parent.parent
GUNICORN = Path(sys.executable).with_name("gunicorn")
FILES_ONE_PAGE_POSTS = 2  # the experience step: a CV and a certificate


def gunicorn_timeout(**env: str) -> int:
    """The timeout gunicorn itself resolves when started in the checkout, as the production guide starts it."""
    environment = {**os.environ, **env}
    command = [str(GUNICORN), "--print-config", "parole_wizard.wsgi"]
    printed = subprocess.run(command, cwd=ROOT, env=environment, capture_output=True, text=True, check=True).stdout  # noqa: S603
    found = re.search(r"^timeout\s+=\s+(\d+)$", printed, re.MULTILINE)
    assert found, printed
    return int(found.group(1))


def test_gunicorn_waits_longer_than_every_file_of_a_request_may_be_inspected() -> None:
    assert settings.INSPECT_WALL_SECONDS == 60  # the default the guide's example computes with
    assert gunicorn_timeout() == 150  # 2 × 60 + 30, as docs/production.md says
    assert gunicorn_timeout() > FILES_ONE_PAGE_POSTS * settings.INSPECT_WALL_SECONDS


def test_a_longer_inspection_time_lengthens_gunicorns_timeout_with_it() -> None:
    assert gunicorn_timeout(INSPECT_WALL_SECONDS="200") > FILES_ONE_PAGE_POSTS * 200


def test_no_documented_gunicorn_command_sets_a_shorter_timeout() -> None:
    for document in ("README.md", "docs/production.md"):
        text = (ROOT / document).read_text(encoding="utf-8")
        commands = [line for line in text.splitlines() if "bin/gunicorn" in line]
        assert commands, document
        for line in commands:
            for value in re.findall(r"--timeout[ =](\d+)", line):
                assert int(value) > FILES_ONE_PAGE_POSTS * settings.INSPECT_WALL_SECONDS, (document, line)
