"""Encryption at rest of what people type beside the packet content: comments, review notes, override reasons,
exhibit titles, issuers and file names, audit details, packet names and the sessions (unsaved step input)."""

import io
from typing import Any

import pytest
from cryptography.fernet import Fernet
from django.contrib.sessions.models import Session
from django.core.exceptions import FieldError
from django.core.management import call_command
from django.db import connection
from django.test import Client

from packets.audit.records import audit_record
from packets.content.services import ExhibitUpload, exhibit_add
from packets.crypto import DecryptionError
from packets.models import AuditEntry, Comment, Exhibit, Packet, ReviewEvent
from packets.review.comments import comment_add
from packets.review.workflow import packet_submit
from packets.session_store import SessionStore
from tests.builders import make_packet, pdf_bytes, upload
from tests.packets.test_crypto import _every_value_in_the_database

TITLE = "Letter from Councillor Oyelaran-Whitby"
ISSUER = "Kestrelmoor Parish Council"
FILE_NAME = "oyelaran-whitby-letter.pdf"
COMMENT = "Ask Dr Thistlewood about the Grimsdyke survey"
NOTE = "Submitted after the Fennimore call"
AUDIT = "exported for Ms Abernethy-Quill"
PACKET_NAME = "Parole for Ignatius Pelletreau"
WORDS = ["Oyelaran", "Kestrelmoor", "oyelaran-whitby", "Thistlewood", "Fennimore", "Abernethy", "Pelletreau"]


def _typed_everywhere(owner: Any) -> tuple[Packet, Exhibit, Comment]:
    packet = make_packet(owner, name=PACKET_NAME)
    exhibit = exhibit_add(
        packet=packet,
        upload=ExhibitUpload(
            file=upload(FILE_NAME, pdf_bytes(), "application/pdf"), kind="other", title=TITLE, issuer=ISSUER
        ),
        by=owner,
    )
    comment = comment_add(packet=packet, by=owner, body=COMMENT, step="project")
    packet_submit(packet=packet, by=owner, note=NOTE)
    audit_record(action="download", description=AUDIT, packet_id=packet.pk, user=owner)
    return packet, exhibit, comment


@pytest.mark.django_db(transaction=True)
def test_it_keeps_titles_file_names_comments_notes_and_audit_details_out_of_a_database_dump(user: Any) -> None:
    packet, exhibit, comment = _typed_everywhere(user)

    dump = _every_value_in_the_database()

    assert [word for word in WORDS if word in dump] == []
    # …while the app reads every one of them back as typed.
    exhibit = Exhibit.objects.get(pk=exhibit.pk)
    assert (exhibit.title, exhibit.issuer, exhibit.original_name) == (TITLE, ISSUER, FILE_NAME)
    assert Comment.objects.get(pk=comment.pk).body == COMMENT
    assert ReviewEvent.objects.get(packet=packet).note == NOTE
    assert AUDIT in [entry.description for entry in AuditEntry.objects.all()]
    assert Packet.objects.get(pk=packet.pk).name == PACKET_NAME


@pytest.mark.django_db
def test_it_rotates_the_typed_text_to_a_new_key_with_the_content(user: Any, settings: Any) -> None:
    old, new = settings.ENCRYPTION_KEYS[0], Fernet.generate_key().decode()
    packet, exhibit, comment = _typed_everywhere(user)

    settings.ENCRYPTION_KEYS = [new, old]
    call_command("rotate_encryption", stdout=io.StringIO())

    settings.ENCRYPTION_KEYS = [new]  # the old key is gone: the text must have been re-encrypted
    assert Exhibit.objects.get(pk=exhibit.pk).title == TITLE
    assert Comment.objects.get(pk=comment.pk).body == COMMENT
    assert ReviewEvent.objects.get(packet=packet).note == NOTE
    assert AUDIT in [entry.description for entry in AuditEntry.objects.all()]
    settings.ENCRYPTION_KEYS = [old]
    with pytest.raises(DecryptionError):
        Comment.objects.get(pk=comment.pk)


@pytest.mark.django_db
def test_it_reads_text_stored_before_encryption_and_encrypts_it_on_rotation(user: Any) -> None:
    packet, _exhibit, comment = _typed_everywhere(user)
    with connection.cursor() as cursor:  # a comment as it was stored before this encryption existed
        cursor.execute("UPDATE packets_comment SET body = %s WHERE id = %s", ["Plain Wolverhampton", comment.pk.hex])

    assert Comment.objects.get(pk=comment.pk).body == "Plain Wolverhampton"
    call_command("rotate_encryption", stdout=io.StringIO())

    assert "Wolverhampton" not in _every_value_in_the_database()
    assert Comment.objects.get(pk=comment.pk).body == "Plain Wolverhampton"


@pytest.mark.django_db
def test_it_refuses_a_database_search_on_encrypted_text_instead_of_finding_nothing(user: Any) -> None:
    _typed_everywhere(user)

    with pytest.raises(FieldError, match="encrypted"):
        list(Comment.objects.filter(body__icontains="Thistlewood"))
    with pytest.raises(FieldError, match="encrypted"):
        Exhibit.objects.get(title=TITLE)
    assert Exhibit.objects.filter(issuer__isnull=False).count() == 1


@pytest.mark.django_db
def test_it_stores_the_session_encrypted_and_reads_it_back(logged_in_client: Client, settings: Any) -> None:
    session = logged_in_client.session
    session["unsaved"] = "Draft about the Quarrendon bridge"
    session.save()

    stored = Session.objects.get(pk=session.session_key).session_data
    assert "Quarrendon" not in stored
    assert stored.startswith("gAAAAA")  # one Fernet token, not Django's readable base64 JSON
    assert SessionStore(session.session_key).load()["unsaved"] == "Draft about the Quarrendon bridge"
    assert logged_in_client.get("/").status_code in (200, 302)  # the signed-in session still works


@pytest.mark.django_db
def test_it_rotates_the_sessions_to_the_new_key(logged_in_client: Client, settings: Any) -> None:
    old, new = settings.ENCRYPTION_KEYS[0], Fernet.generate_key().decode()
    session = logged_in_client.session
    session["unsaved"] = "kept across the rotation"
    session.save()

    settings.ENCRYPTION_KEYS = [new, old]
    call_command("rotate_encryption", stdout=io.StringIO())
    settings.ENCRYPTION_KEYS = [new]

    assert SessionStore(session.session_key).load()["unsaved"] == "kept across the rotation"
