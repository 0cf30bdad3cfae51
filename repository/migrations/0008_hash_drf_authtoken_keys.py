"""Existing partner keys keep working: the clear-text keys of Django REST framework's
`authtoken` app become hashed API tokens, and its table is then dropped (the app is no
longer installed). Irreversible by design: the clear keys are not kept anywhere."""

import hashlib

from django.db import migrations

DRF_TABLE = "authtoken_token"


def hash_drf_keys(apps, schema_editor):
    connection = schema_editor.connection
    if DRF_TABLE not in connection.introspection.table_names():
        return
    ApiToken = apps.get_model("repository", "ApiToken")
    table = connection.ops.quote_name(DRF_TABLE)
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT {connection.ops.quote_name('key')}, user_id, created FROM {table}")
        rows = cursor.fetchall()
    for key, user_id, created in rows:
        ApiToken.objects.get_or_create(
            digest=hashlib.sha256(key.encode()).hexdigest(),
            defaults={
                "user_id": user_id,
                "name": "Migrated token",
                "prefix": key[:8],
                "created_at": created,
            },
        )
    with connection.cursor() as cursor:
        cursor.execute(f"DROP TABLE {table}")
        cursor.execute("DELETE FROM django_migrations WHERE app = %s", ["authtoken"])


class Migration(migrations.Migration):
    dependencies = [("repository", "0007_api_tokens")]

    operations = [migrations.RunPython(hash_drf_keys, migrations.RunPython.noop)]
