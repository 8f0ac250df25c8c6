"""The migration that encrypts what was stored in plaintext before (0012): existing rows become tokens, still read
back as typed, an invitation is still found by its address, and migrating back gives the plain text again."""

from typing import Any

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from packets.models import AuditEntry, Comment, Exhibit, Invitation, Packet
from packets.sharing.services import email_digest
from tests.packets.test_crypto import _every_value_in_the_database

BEFORE = [("packets", "0009_exhibit_markup")]
AFTER = [("packets", "0012_encrypt_remaining_text")]


def _migrate(targets: list[tuple[str, str]]) -> Any:
    executor = MigrationExecutor(connection)
    executor.migrate(targets)
    return MigrationExecutor(connection).loader.project_state(targets).apps


def _plain_rows(apps: Any, owner_id: int) -> dict[str, Any]:
    packet = apps.get_model("packets", "Packet").objects.create(name="Parole for Hildegard Vantongeren")
    exhibit = apps.get_model("packets", "Exhibit").objects.create(
        packet=packet,
        kind="other",
        title="Letter from the Brackenridge clinic",
        issuer="Brackenridge clinic",
        file="exhibits/x/y",
        original_name="brackenridge.pdf",
        content_type="application/pdf",
        size=1,
        page_count=1,
        sha256="0" * 64,
    )
    comment = apps.get_model("packets", "Comment").objects.create(
        packet=packet, author_id=owner_id, step="project", body="Ask about Quillfeather", revision=0
    )
    apps.get_model("packets", "AuditEntry").objects.create(action="download", description="sent to Mr Odenkirk")
    invitation = apps.get_model("packets", "Invitation").objects.create(
        packet=packet,
        email="Counsel@Vantongeren.example",
        role="counsel",
        token_hash="0" * 64,
        expires_at="2030-01-01T00:00Z",
    )
    return {"packet": packet.pk, "exhibit": exhibit.pk, "comment": comment.pk, "invitation": invitation.pk}


@pytest.mark.django_db(transaction=True)
def test_the_migration_encrypts_text_stored_before_it_and_migrating_back_restores_it(user: Any) -> None:
    rows = _plain_rows(_migrate(BEFORE), user.pk)
    assert "Quillfeather" in _every_value_in_the_database()

    _migrate(AFTER)
    dump = _every_value_in_the_database()
    assert [word for word in ("Vantongeren", "Brackenridge", "Quillfeather", "Odenkirk") if word in dump] == []

    old = _migrate(BEFORE)
    assert old.get_model("packets", "Comment").objects.get(pk=rows["comment"]).body == "Ask about Quillfeather"
    assert "Quillfeather" in _every_value_in_the_database()

    executor = MigrationExecutor(connection)
    executor.migrate(executor.loader.graph.leaf_nodes())  # the current models, whatever follows 0012
    exhibit = Exhibit.objects.get(pk=rows["exhibit"])
    assert (exhibit.title, exhibit.issuer, exhibit.original_name) == (
        "Letter from the Brackenridge clinic",
        "Brackenridge clinic",
        "brackenridge.pdf",
    )
    assert Packet.objects.get(pk=rows["packet"]).name == "Parole for Hildegard Vantongeren"
    assert Comment.objects.get(pk=rows["comment"]).body == "Ask about Quillfeather"
    assert [entry.description for entry in AuditEntry.objects.all()] == ["sent to Mr Odenkirk"]
    invitation = Invitation.objects.get(email_digest=email_digest(" counsel@vantongeren.EXAMPLE"))
    assert (invitation.pk, invitation.email) == (rows["invitation"], "Counsel@Vantongeren.example")
