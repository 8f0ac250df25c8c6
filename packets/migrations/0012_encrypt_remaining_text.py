# Encryption at rest for the rest of what people type (packets.crypto): comments, review notes, override reasons,
# exhibit titles, issuers and file names, audit details, packet names, render messages and the exhibit lists kept with
# history and versions become Fernet tokens, like the packet content (0005). An invitation's address too: it is found,
# and kept unique per packet while pending, by a keyed digest instead.

import json
from typing import Any

from django.db import migrations, models

import packets.crypto

# (model, field, holds JSON): every column this migration turns into tokens.
ENCRYPTED = [
    ("auditentry", "description", False),
    ("comment", "body", False),
    ("exhibit", "issuer", False),
    ("exhibit", "original_name", False),
    ("exhibit", "title", False),
    ("findingoverride", "reason", False),
    ("invitation", "email", False),
    ("packet", "name", False),
    ("packetchange", "exhibits", True),
    ("packetversion", "exhibits", True),
    ("renderjob", "message", False),
    ("reviewevent", "note", False),
]


def encrypt_existing(apps: Any, schema_editor: Any) -> None:
    # The fields read text (and JSON) written before this migration as it is, and write tokens. update() bypasses
    # save(), which audit entries and versions refuse: the content stays the same.
    alias = schema_editor.connection.alias
    for model_name, field, _json in ENCRYPTED:
        manager = apps.get_model("packets", model_name).objects.using(alias)
        for pk, value in manager.values_list("pk", field).iterator():
            if value is not None:
                manager.filter(pk=pk).update(**{field: value})
    invitations = apps.get_model("packets", "invitation").objects.using(alias)
    for pk, email in invitations.values_list("pk", "email").iterator():
        invitations.filter(pk=pk).update(email_digest=packets.crypto.lookup_digest(email, purpose="email"))


def decrypt_existing(apps: Any, schema_editor: Any) -> None:
    # The plain value written through a plain text expression, so the (still encrypted) field does not encrypt it.
    alias = schema_editor.connection.alias
    for model_name, field, holds_json in ENCRYPTED:
        manager = apps.get_model("packets", model_name).objects.using(alias)
        for pk, value in list(manager.values_list("pk", field)):
            if value is not None:
                plain = json.dumps(value) if holds_json else value
                manager.filter(pk=pk).update(**{field: models.Value(plain, output_field=models.TextField())})


class Migration(migrations.Migration):

    dependencies = [
        ('packets', '0009_exhibit_markup'),
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
