"""Every user-facing string is marked: README's ``makemessages`` call finds schema, readiness, form and email text."""

import shutil
import subprocess
import sys
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from django.utils import translation

from packets.content.schema import PacketData
from packets.review.readiness import PacketFacts, review
from tests.builders import make_packet
from tests.catalogue import install_catalogue
from tests.parole_wizard.pages import submit_step

ROOT = Path(__file__).resolve().parent.parent
SAMPLES = {
    "a schema field's direct title": "Left on or before the date required",
    "a schema description": "Street, city, country.",
    "a hint given to a field helper": "For example: B-1 visitor, ESTA, J-1.",
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


# ── Marked strings are translated in the request's language ────────────────────────────────────────────────────────

SPANISH = {
    "Enter an email address like name@example.org.": "Escriba un correo electrónico como nombre@example.org.",
    "There is no fixed end date. Parole is temporary: the reviewer must see the day the person leaves. Add the "
    "departure date.": "No hay fecha de salida fija.",
    "The stay lasts %(days)s days, more than 12 months. A reviewer expects the stay to be as short as the work needs: "
    "shorten it, or explain in the timeline why the work needs this long.": "La estancia dura %(days)s días.",
    "No housing plan is given.": "No se indica dónde vivirá.",
}


@pytest.fixture
def spanish(settings: Any, tmp_path: Path) -> None:
    install_catalogue(settings, tmp_path / "locale", "es", SPANISH)


def test_a_schema_validation_message_is_shown_in_the_users_language(spanish, logged_in_client, user) -> None:
    packet = make_packet(user)
    logged_in_client.defaults["HTTP_ACCEPT_LANGUAGE"] = "es"

    response = submit_step(logged_in_client, packet, "beneficiary", {"email": "lucia.example.org"})

    assert response.status_code == 400
    assert "Escriba un correo electrónico como nombre@example.org." in response.content.decode()


def test_readiness_findings_are_written_in_the_active_language(spanish) -> None:
    content = PacketData.model_validate(
        {"timeline": {"arrival_date": "2027-01-10", "departure_date": "2028-03-01"}, "logistics": {"housing": ""}}
    )
    facts = PacketFacts(content=content, exhibits=[], today=date(2026, 11, 1))

    with translation.override("es"):
        spanish_findings = {finding.rule: finding.message for finding in review(facts)}
    english_findings = {finding.rule: finding.message for finding in review(facts)}

    assert spanish_findings["stay-too-long"] == "La estancia dura 417 días."
    assert spanish_findings["no-housing"] == "No se indica dónde vivirá."
    assert english_findings["stay-too-long"].startswith("The stay lasts 417 days, more than 12 months.")
    facts = PacketFacts(content=PacketData(), exhibits=[], today=date(2026, 11, 1))
    with translation.override("es"):
        assert "No hay fecha de salida fija." in [finding.message for finding in review(facts)]
