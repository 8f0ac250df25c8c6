# Encryption at rest (packets.crypto): the packet content and its copies become Fernet tokens stored as text.

from typing import Any

from django.db import migrations

import packets.crypto
import packets.models

# (model, field): every place that holds a copy of the packet content.
ENCRYPTED = [("packet", "data"), ("packetchange", "snapshot"), ("packetversion", "data")]


def encrypt_existing(apps: Any, schema_editor: Any) -> None:
    # The field reads plain JSON written before this migration as it is, and writes tokens.
    for model_name, field in ENCRYPTED:
        model = apps.get_model("packets", model_name)
        for pk, value in model.objects.using(schema_editor.connection.alias).values_list("pk", field).iterator():
            if value is not None:
                model.objects.using(schema_editor.connection.alias).filter(pk=pk).update(**{field: value})


def decrypt_existing(apps: Any, schema_editor: Any) -> None:
    import json

    connection = schema_editor.connection
    for model_name, field in ENCRYPTED:
        model = apps.get_model("packets", model_name)
        table, quote = model._meta.db_table, connection.ops.quote_name
        rows = list(model.objects.using(connection.alias).values_list("pk", field))
        with connection.cursor() as cursor:
            for pk, value in rows:
                if value is not None:
                    cursor.execute(
                        f"UPDATE {quote(table)} SET {quote(field)} = %s WHERE {quote('id')} = %s",  # noqa: S608 - names are ours
                        [json.dumps(value), model._meta.pk.get_db_prep_value(pk, connection)],
                    )


class Migration(migrations.Migration):
    dependencies = [
        ("packets", "0004_sharing"),
    ]

    operations = [
        migrations.AlterField(
            model_name="packet",
            name="data",
            field=packets.crypto.EncryptedJSONField(default=packets.models._empty_packet_data),
        ),
        migrations.AlterField(
            model_name="packetchange",
            name="snapshot",
            field=packets.crypto.EncryptedJSONField(blank=True, null=True),
        ),
        migrations.AlterField(
            model_name="packetversion",
            name="data",
            field=packets.crypto.EncryptedJSONField(),
        ),
        migrations.RunPython(encrypt_existing, decrypt_existing),
    ]
