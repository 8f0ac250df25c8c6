"""The canary: one word, new on every run, typed into everything a person can type — every free-text field of every
step, a packet's name, an exhibit's title, issuer and file name (and the letter's own text), a comment, a reply, review
notes, an override's reason, an invitation — the app used end to end through its pages, one packet rendered; then the
database's bytes, every file under ``MEDIA_ROOT``, the cache and the log hold that word 0 times.

A new free-text field is covered by adding what types it to ``JOURNEY`` (a function of the ``Journey``, using its
clients and ``typed``); a field added to a questionnaire step is covered already (``answer_every_step`` types into
every text control the step page shows). Where the word may rest is read by ``_at_rest``: a new store (a cache
backend, a second database) goes there.
"""

import base64
import logging
import os
import secrets
import shutil
import string
import subprocess
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from html.parser import HTMLParser
from pathlib import Path
from typing import Any
from uuid import UUID

import pytest
from django.conf import settings
from django.contrib.sessions.models import Session
from django.core.cache import caches
from django.core.cache.backends.filebased import FileBasedCache
from django.core.cache.backends.locmem import LocMemCache
from django.db import connection
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from packets.crypto import is_token
from packets.models import CaseDocument, Filing, Membership, Packet, PacketVersion
from packets.review.readiness import Severity, packet_readiness
from parole_wizard.steps import STEPS
from tests.builders import make_user, pdf_bytes, upload
from tests.case_records import add_every_case_record
from tests.parole_wizard.pages import form_values, step_url

# ── the journey ────────────────────────────────────────────────────────────────────────────────────────────────────


@dataclass
class Journey:
    canary: str
    owner: Client
    counsel: Client
    packet_id: UUID | None = None
    typed: list[str] = field(default_factory=list)  # where the canary went, for the failure message

    def word(self, where: str) -> str:
        """Text holding the canary, as a person might type it into ``where``."""
        self.typed.append(where)
        return f"Notes {self.canary} here"

    @property
    def packet(self) -> Packet:
        return Packet.objects.get(pk=self.packet_id)

    def url(self, name: str, **kwargs: Any) -> str:
        return reverse(name, kwargs={"packet_id": self.packet_id, **kwargs})


class _TextControls(HTMLParser):
    """The names and types of the text controls of the step form (what a person can type a word into)."""

    TYPED = {"text": "text", "search": "text", "email": "email", "url": "url"}

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.inside = False
        self.controls: dict[str, str] = {}
        self.dates: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = {key: value or "" for key, value in attrs}
        if tag == "form":
            self.inside = a.get("id") == "step-form"
        elif self.inside and tag == "textarea" and a.get("name"):
            self.controls[a["name"]] = "text"
        elif self.inside and tag == "input" and a.get("name") and a.get("type", "text") in self.TYPED:
            self.controls[a["name"]] = self.TYPED[a.get("type", "text")]
        elif self.inside and tag == "input" and a.get("name") and a.get("type") == "date":
            self.dates.append(a["name"])

    def handle_endtag(self, tag: str) -> None:
        if tag == "form":
            self.inside = False


def _typed_value(journey: Journey, name: str, kind: str) -> str:
    if kind == "email":
        journey.typed.append(name)
        return f"{journey.canary}@example.org"
    if kind == "url":
        journey.typed.append(name)
        return f"https://{journey.canary}.example.org/"
    return journey.word(name)


def create_the_packet(journey: Journey) -> None:
    response = journey.owner.post(reverse("packet_new"), {"name": journey.word("packet name")})
    assert response.status_code == 302
    journey.packet_id = UUID(response["Location"].split("/packets/")[1].split("/")[0])


def _typed_step(journey: Journey, step: str) -> tuple[dict[str, Any], _TextControls]:
    """The step's form as the page would submit it, with the canary typed into every text control."""
    page = journey.owner.get(step_url(journey.packet, step))
    assert page.status_code == 200, step
    reader = _TextControls()
    reader.feed(page.content.decode())
    data = form_values(page)
    for name, kind in reader.controls.items():
        data[name] = _typed_value(journey, name, kind)
    return data, reader


def answer_every_step(journey: Journey) -> None:
    """Every text control of every step (the organisation step too: the requestor is an organisation)."""
    requestor = form_values(journey.owner.get(step_url(journey.packet, "requestor")))
    requestor["requestor-requested_by"] = "organisation"
    requestor["wizard_action"] = "save"
    journey.owner.post(step_url(journey.packet, "requestor"), requestor)
    for step in STEPS:
        if step.name == "evidence":
            continue  # its text fields describe an upload: upload_evidence
        data, _reader = _typed_step(journey, step.name)
        data["wizard_action"] = "save"
        journey.owner.post(step_url(journey.packet, step.name), data)
    content = journey.packet.data
    typed_into = [name for name in content if isinstance(content[name], dict) and journey.canary in str(content[name])]
    assert len(typed_into) >= 10, f"the canary was saved in only {typed_into}"


def leave_a_step_unsaved(journey: Journey) -> None:
    """A step that fails validation (a date that is no date): what was typed is kept as an unsaved draft."""
    data, reader = _typed_step(journey, "beneficiary")
    assert reader.dates, "the beneficiary step has no date field to get wrong"
    data[reader.dates[0]] = "not a date"
    data["wizard_action"] = "save"
    response = journey.owner.post(step_url(journey.packet, "beneficiary"), data)
    assert response.status_code == 400  # shown again with the error, not saved


def upload_evidence(journey: Journey) -> None:
    """A PDF whose title, issuer, file name and own text hold the canary (its text is read and kept at upload)."""
    page = journey.owner.get(step_url(journey.packet, "evidence"))
    data = form_values(page)
    data.update(
        {
            "evidence-title": journey.word("exhibit title"),
            "evidence-issuer": journey.word("exhibit issuer"),
            "evidence-kind": "other",
            "evidence-file": upload(
                f"{journey.canary}-letter.pdf", pdf_bytes(text=f"Letter about {journey.canary}"), "application/pdf"
            ),
            "wizard_action": "save",
        }
    )
    journey.typed.append("file name and file text")
    journey.owner.post(step_url(journey.packet, "evidence"), data)
    exhibit = journey.packet.exhibits.get()
    assert journey.canary in exhibit.title and journey.canary in exhibit.original_name
    assert journey.canary in (exhibit.text or "")


def comment_and_reply(journey: Journey) -> None:
    journey.counsel.post(journey.url("comment_create"), {"body": journey.word("comment"), "step": "project"})
    comment = journey.packet.comments.get()
    journey.owner.post(
        journey.url("comment_action", comment_id=comment.pk, action="reply"), {"body": journey.word("reply")}
    )
    assert journey.packet.comments.count() == 2


def invite_someone(journey: Journey) -> None:
    journey.typed.append("invited address")
    response = journey.owner.post(
        journey.url("packet_members"), {"email": f"{journey.canary}@example.org", "role": "viewer"}
    )
    assert response.status_code == 302
    assert journey.packet.invitations.count() == 1


def review_with_notes(journey: Journey) -> None:
    journey.owner.post(journey.url("packet_transition", transition="submit"), {"note": journey.word("submit note")})
    blocker = next(item for item in packet_readiness(packet=journey.packet) if item.severity is Severity.BLOCKER)
    journey.counsel.post(
        journey.url("finding_override_create"),
        {"rule": blocker.rule, "step": blocker.step, "field": blocker.field, "reason": journey.word("override reason")},
    )
    journey.counsel.post(
        journey.url("packet_transition", transition="request_changes"),
        {"note": journey.word("changes requested"), "revision": journey.packet.revision},
    )
    assert journey.packet.finding_overrides.count() == 1
    assert journey.packet.review_events.count() == 2


def fill_in_profiles(journey: Journey) -> None:
    for who, client in (("owner", journey.owner), ("counsel", journey.counsel)):
        response = client.post(
            reverse("profile"),
            {
                "full_name": journey.word(f"{who} full name"),
                "firm": journey.word(f"{who} firm"),
                "bar_number": journey.word(f"{who} bar number"),
            },
        )
        assert response.status_code == 302, response.content.decode()


def render_the_packet(journey: Journey) -> None:
    response = journey.owner.post(journey.url("packet_render"))
    assert response.status_code == 302
    assert PacketVersion.objects.filter(packet_id=journey.packet_id).exists(), journey.packet.render_jobs.first()


def record_the_case(journey: Journey) -> None:
    """The case after filing: the rendered packet is filed, then every record of the case holds the canary — the
    receipt notice and the other case documents (title, file name, text), the log, an RFE with its items, answers,
    comment and review notes, an amendment, the response and report PDFs, the decision, its reporting condition and
    report, the closing report. Through the services and models (the case's pages are built beside this test)."""
    packet = journey.packet
    owner = Membership.objects.get(packet=packet, role="owner").user
    counsel = Membership.objects.get(packet=packet, role="counsel").user
    Filing.objects.create(
        packet=packet,
        filed_on=timezone.localdate(),
        method="lockbox",
        receipt_number="IOE0123456789",
        filed_version=PacketVersion.objects.filter(packet=packet).first(),
        recorded_by=counsel,
    )
    add_every_case_record(packet, owner, counsel, secret=journey.word("every record of the case"))
    assert all(journey.canary in document.title for document in CaseDocument.objects.filter(packet=packet))
    assert any(journey.canary in (document.text or "") for document in CaseDocument.objects.filter(packet=packet))


# In order; each step may use what the ones before it made. Add new free-text fields here.
JOURNEY: list[Callable[[Journey], None]] = [
    create_the_packet,
    answer_every_step,
    upload_evidence,
    leave_a_step_unsaved,
    comment_and_reply,
    invite_someone,
    review_with_notes,
    fill_in_profiles,
    render_the_packet,
    record_the_case,
]

# ── where the canary might rest ────────────────────────────────────────────────────────────────────────────────────


def _database_bytes() -> Iterator[tuple[str, bytes]]:
    connection.ensure_connection()
    if connection.vendor == "sqlite":
        if connection.is_in_memory_db():
            # The database's pages exactly as a file would hold them, free pages (deleted rows) included.
            yield "the SQLite database", connection.connection.serialize()
            return
        name = Path(connection.settings_dict["NAME"])
        for path in (name, Path(f"{name}-wal"), Path(f"{name}-journal")):
            if path.exists():
                yield str(path), path.read_bytes()
        return
    assert connection.vendor == "postgresql", f"teach the canary to read a {connection.vendor} database"
    pg_dump = shutil.which("pg_dump")
    assert pg_dump, "pg_dump is needed to read the PostgreSQL database (apt-get install postgresql-client)"
    db = connection.settings_dict
    environment = {**os.environ, "PGPASSWORD": str(db.get("PASSWORD") or "")}
    command = [pg_dump, "--no-owner", "--dbname", db["NAME"], "--host", db.get("HOST") or "localhost"]
    command += ["--port", str(db.get("PORT") or 5432), "--username", db.get("USER") or "postgres"]
    yield "pg_dump", subprocess.run(command, env=environment, check=True, capture_output=True).stdout  # noqa: S603


def _media_files() -> Iterator[tuple[str, bytes]]:
    for path in Path(settings.MEDIA_ROOT).rglob("*"):
        if path.is_file():
            yield str(path), path.read_bytes()


def _cache_entries() -> Iterator[tuple[str, bytes]]:
    for alias in settings.CACHES:
        cache = caches[alias]
        if isinstance(cache, LocMemCache):
            for key, value in cache._cache.items():  # values are pickled as they would be stored anywhere
                yield f"cache {alias}", key.encode() + b"\0" + value
        elif isinstance(cache, FileBasedCache):
            for path in Path(cache._dir).rglob("*"):
                if path.is_file():
                    yield f"cache {alias}: {path}", path.read_bytes()
        else:
            assert "DatabaseCache" in type(cache).__name__, f"teach the canary to read the cache {alias}"


def _at_rest() -> Iterator[tuple[str, bytes]]:
    yield from _database_bytes()
    yield from _media_files()
    yield from _cache_entries()


def _readable_forms(canary: str) -> list[bytes]:
    """The canary as bytes, in either case, and as base64 (the middle that does not depend on what comes before)."""
    forms = [canary.encode(), canary.upper().encode(), canary.title().encode()]
    for offset in range(3):
        for encode in (base64.b64encode, base64.urlsafe_b64encode):
            encoded = encode(b"\0" * offset + canary.encode())
            forms.append(encoded[4 if offset else 0 : -4])
    return forms


def _found(canary: str, places: Iterator[tuple[str, bytes]]) -> list[str]:
    forms = _readable_forms(canary)
    return sorted({place for place, data in places if any(form in data for form in forms)})


@pytest.mark.django_db(transaction=True)
def test_a_word_typed_everywhere_is_nowhere_at_rest(client: Client, caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.DEBUG)
    canary = "zq" + "".join(secrets.choice(string.ascii_lowercase) for _ in range(14))
    owner, counsel = make_user("ana"), make_user("cora", email="cora@example.org")
    journey = Journey(canary=canary, owner=Client(), counsel=Client())
    journey.owner.force_login(owner)
    journey.counsel.force_login(counsel)
    for action in JOURNEY:
        action(journey)
        if action is create_the_packet:
            Membership.objects.create(packet=journey.packet, user=counsel, role="counsel")

    # The scan reads the test database and the stored files: a plain value the app keeps (an account's address) is
    # there to be found, and so are the exhibit, the rendered packet and the render caches.
    assert _found("cora@example.org", _database_bytes()) != []
    assert {"exhibits", "versions", "cache", "case", "case-renders"} <= {
        Path(name).relative_to(settings.MEDIA_ROOT).parts[0] for name, _ in _media_files()
    }
    assert _found(canary, _at_rest()) == [], f"typed into: {journey.typed}"
    assert canary not in caplog.text
    assert all(is_token(data) for data in Session.objects.values_list("session_data", flat=True))
    # The app still shows what was typed: the word is encrypted, not lost.
    assert canary in journey.owner.get(journey.url("packet_detail")).content.decode()
