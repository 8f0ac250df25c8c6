"""Every user-facing string is marked: README's ``makemessages`` call finds schema, readiness, form and email text."""

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
SAMPLES = {
    "a schema field's direct title": "Left on or before the date required",
    "a schema description": "Street, city, country.",
    "a schema choice label": "Public-safety department (fire, police, EMS)",
    "a schema validator's message": "Enter an email address like name@example.org.",
    "a schema contradiction": "The milestone dated %(date)s falls before the arrival date.",
    "a readiness message": (
        "There is no fixed end date. Parole is temporary: the reviewer must see the day the person leaves. Add the "
        "departure date."
    ),
    "a readiness message with placeholders": (
        "The passport expires on %(expires)s, before the departure on %(departs)s. The person cannot travel on it for "
        "the whole stay: renew the passport first."
    ),
    "a readiness message from the empty-answer table": "No housing plan is given.",
    "a form error": "Give the certificate a title, for example: PE licence, Chile.",
    "an email sentence": "Any further edit needs a new approval.",
    "an email with placeholders": (
        "%(actor)s approved “%(packet)s” at revision %(revision)s. The final PDF can now be rendered from this "
        "revision."
    ),
}


def _readme_makemessages() -> list[str]:
    """The arguments of the makemessages call README gives (its "Translations" section)."""
    line = next(line for line in (ROOT / "README.md").read_text().splitlines() if "manage.py makemessages" in line)
    return line.split("manage.py ", 1)[1].split()


def _msgids(po: str) -> set[str]:
    """Every msgid of a .po file, its wrapped lines joined."""
    ids, current = set(), None
    for line in po.splitlines():
        if line.startswith("msgid "):
            current = [line[len("msgid ") :]]
        elif current is not None and line.startswith('"'):
            current.append(line)
        elif current is not None:
            ids.add("".join(part[1:-1] for part in current).replace('\\"', '"').replace("\\n", "\n"))
            current = None
    return ids


def _copy_of_the_project(target: Path) -> None:
    """The code and templates makemessages reads, and manage.py, so it writes its catalogue there and not in locale/."""
    ignore = shutil.ignore_patterns("__pycache__", "*.pyc")
    for folder in ("packets", "parole_wizard", "templates"):
        shutil.copytree(ROOT / folder, target / folder, ignore=ignore)
    shutil.copy(ROOT / "manage.py", target / "manage.py")
    (target / "locale").mkdir()


def test_readmes_makemessages_call_extracts_every_kind_of_user_facing_string(tmp_path: Path) -> None:
    for tool in ("xgettext", "msgmerge", "msguniq"):
        if shutil.which(tool) is None:
            pytest.fail(f"{tool} is not installed; makemessages needs GNU gettext: apt-get install gettext")
    _copy_of_the_project(tmp_path)
    arguments = _readme_makemessages()
    assert arguments[:3] == ["makemessages", "-l", "es"]
    # The copy's settings put LOCALE_PATHS in the copy: the repository's locale/ is never written.
    run = subprocess.run([sys.executable, "manage.py", *arguments], cwd=tmp_path, capture_output=True, text=True)  # noqa: S603
    assert run.returncode == 0, run.stderr
    catalogue = _msgids((tmp_path / "locale" / "es" / "LC_MESSAGES" / "django.po").read_text(encoding="utf-8"))
    missing = {what: text for what, text in SAMPLES.items() if text not in catalogue}
    assert not missing
    # Found by --keyword=text, --keyword=long_text and --keyword=optional_date, not only by gettext_noop.
    assert {"Visa or status", "Why now", "Passport expiry date"} <= catalogue
