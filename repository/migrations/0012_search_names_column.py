"""The full-text index gains a ``names`` part (organisations and countries), weighted above
summary and body (issue #17). SQLite: the FTS5 table is made again with the new column,
empty: ``reindex_missing`` (run by ``load_micic``, hence ``make setup``) or
``manage.py rebuild_search_index`` fills it. PostgreSQL: the vectors are cleared, to be
rebuilt the same way with the new weights."""

from django.db import migrations

OLD_COLUMNS = "title, summary, body, tags"
NEW_COLUMNS = "title, names, summary, body, tags"
TOKENIZE = "tokenize = 'porter unicode61 remove_diacritics 2'"


def fts_table(columns):
    return f"CREATE VIRTUAL TABLE repository_practice_fts USING fts5({columns}, {TOKENIZE})"


def rebuild(columns):
    def apply(apps, schema_editor):
        vendor = schema_editor.connection.vendor
        if vendor == "sqlite":
            schema_editor.execute("DROP TABLE IF EXISTS repository_practice_fts")
            schema_editor.execute(fts_table(columns))
        elif vendor == "postgresql":
            schema_editor.execute("UPDATE repository_practice SET search_vector = NULL")

    return apply


class Migration(migrations.Migration):
    dependencies = [("repository", "0011_emails_and_single_line_titles")]

    operations = [migrations.RunPython(rebuild(NEW_COLUMNS), rebuild(OLD_COLUMNS))]
