# Encryption at rest for the rest of what people type (packets.crypto): comments, review notes, override reasons,
# exhibit titles, issuers and file names, audit details, packet names, render messages and the exhibit lists kept with
# history and versions become Fernet tokens, like the packet content (0005). An invitation's address too: it is found,
# and kept unique per packet while pending, by a keyed digest instead.

import json
from collections.abc import Iterator
from typing import Any

from django.db import migrations, models

import packets.crypto

# model: its fields this migration turns into tokens (JSON fields marked), each row rewritten in one UPDATE: on
# PostgreSQL a row updated twice in the transaction leaves foreign-key checks pending, and a later ALTER TABLE or
# CREATE INDEX on that table is refused.
ENCRYPTED = {
    "auditentry": ["description"],
    "comment": ["body"],
    "exhibit": ["issuer", "original_name", "title"],
    "findingoverride": ["reason"],
    "invitation": ["email"],  # and its digest, in the same UPDATE
    "packet": ["name"],
    "packetchange": ["exhibits:json"],
    "packetversion": ["exhibits:json"],
    "renderjob": ["message"],
    "reviewevent": ["note"],
}


def _rows(apps: Any, alias: str, model_name: str) -> tuple[Any, list[str], Iterator[tuple[Any, ...]]]:
    fields = [name.removesuffix(":json") for name in ENCRYPTED[model_name]]
    manager = apps.get_model("packets", model_name).objects.using(alias)
    return manager, fields, manager.values_list("pk", *fields).iterator()


def encrypt_existing(apps: Any, schema_editor: Any) -> None:
    # The fields read text (and JSON) written before this migration as it is, and write tokens. update() bypasses
    # save(), which audit entries and versions refuse: the content stays the same.
    for model_name in ENCRYPTED:
        manager, fields, rows = _rows(apps, schema_editor.connection.alias, model_name)
        for pk, *values in rows:
            changes = {name: value for name, value in zip(fields, values, strict=True) if value is not None}
            if model_name == "invitation":
                changes["email_digest"] = packets.crypto.lookup_digest(changes["email"], purpose="email")
            if changes:
                manager.filter(pk=pk).update(**changes)


def decrypt_existing(apps: Any, schema_editor: Any) -> None:
    # The plain value written through a plain text expression, so the (still encrypted) field does not encrypt it.
    for model_name, names in ENCRYPTED.items():
        manager, fields, rows = _rows(apps, schema_editor.connection.alias, model_name)
        for pk, *values in list(rows):
            changes = {
                field: models.Value(json.dumps(value) if name.endswith(":json") else value, models.TextField())
                for name, field, value in zip(names, fields, values, strict=True)
                if value is not None
            }
            if changes:
                manager.filter(pk=pk).update(**changes)


class Migration(migrations.Migration):

    dependencies = [
        ('packets', '0011_counsel_loop'),
    ]

    operations = [
        migrations.RemoveConstraint(
            model_name="invitation",
            name="one_pending_invitation_per_packet_and_address",
        ),
        migrations.AddField(
            model_name="invitation",
            name="email_digest",
            field=models.CharField(default="", editable=False, max_length=64),
            preserve_default=False,
        ),
        migrations.AlterField(
            model_name="invitation",
            name="email",
            field=packets.crypto.EncryptedCharField(max_length=254, verbose_name="email address"),
        ),
        migrations.AlterField(
            model_name='auditentry',
            name='description',
            field=packets.crypto.EncryptedCharField(max_length=300),
        ),
        migrations.AlterField(
            model_name='comment',
            name='body',
            field=packets.crypto.EncryptedTextField(),
        ),
        migrations.AlterField(
            model_name='exhibit',
            name='issuer',
            field=packets.crypto.EncryptedCharField(blank=True, max_length=200, verbose_name='issued by'),
        ),
        migrations.AlterField(
            model_name='exhibit',
            name='original_name',
            field=packets.crypto.EncryptedCharField(max_length=255),
        ),
        migrations.AlterField(
            model_name='exhibit',
            name='title',
            field=packets.crypto.EncryptedCharField(max_length=200, verbose_name='title'),
        ),
        migrations.AlterField(
            model_name='findingoverride',
            name='reason',
            field=packets.crypto.EncryptedTextField(),
        ),
        migrations.AlterField(
            model_name='packet',
            name='name',
            field=packets.crypto.EncryptedCharField(max_length=120, verbose_name='name'),
        ),
        migrations.AlterField(
            model_name='packetchange',
            name='exhibits',
            field=packets.crypto.EncryptedJSONField(blank=True, null=True),
        ),
        migrations.AlterField(
            model_name='packetversion',
            name='exhibits',
            field=packets.crypto.EncryptedJSONField(default=list),
        ),
        migrations.AlterField(
            model_name='renderjob',
            name='message',
            field=packets.crypto.EncryptedTextField(blank=True),
        ),
        migrations.AlterField(
            model_name='reviewevent',
            name='note',
            field=packets.crypto.EncryptedTextField(blank=True),
        ),
        migrations.RunPython(encrypt_existing, decrypt_existing),
        migrations.AddConstraint(
            model_name="invitation",
            constraint=models.UniqueConstraint(
                models.F("email_digest"),
                models.F("packet"),
                condition=models.Q(("accepted_at__isnull", True), ("revoked_at__isnull", True)),
                name="one_pending_invitation_per_packet_and_address",
            ),
        ),
    ]
