"""A small compiled message catalogue for a test, so a test can see a string actually translated (GNU gettext)."""

import shutil
import subprocess
from pathlib import Path
from typing import Any

import pytest


def _quoted(text: str) -> str:
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'


def install_catalogue(settings: Any, folder: Path, language: str, translations: dict[str, str]) -> None:
    """Compile ``translations`` (English → ``language``) under ``folder`` and make it the only LOCALE_PATHS entry, with
    ``language`` among the languages a request may choose. Django forgets the catalogues it loaded when these
    settings change (django.test.signals), and again when the test's settings are restored."""
    msgfmt = shutil.which("msgfmt")
    if msgfmt is None:
        pytest.fail("msgfmt is not installed; the translation tests need GNU gettext: apt-get install gettext")
    messages = folder / language / "LC_MESSAGES"
    messages.mkdir(parents=True)
    header = 'msgid ""\nmsgstr ""\n"Content-Type: text/plain; charset=UTF-8\\n"\n'
    entries = [f"msgid {_quoted(english)}\nmsgstr {_quoted(text)}\n" for english, text in translations.items()]
    (messages / "django.po").write_text("\n".join([header, *entries]), encoding="utf-8")
    subprocess.run([msgfmt, "-o", str(messages / "django.mo"), str(messages / "django.po")], check=True)  # noqa: S603
    settings.LOCALE_PATHS = [folder]
    settings.LANGUAGES = [("en", "English"), (language, language)]
