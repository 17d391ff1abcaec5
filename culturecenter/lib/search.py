"""Substring search that stays fast on PostgreSQL, in Chinese too.

`icontains` compares UPPER(column) with UPPER(text): needed for Latin letters, wasted on
Chinese, which has no case, and the upper-casing alone costs about a third of a table
scan. Text without case therefore uses a plain LIKE. On PostgreSQL both forms have a
trigram index (made by `trigram_indexes` in the apps' migrations), which answers any
search of three or more characters without reading the table: pg_trgm takes CJK
characters as word characters under a UTF-8 locale. Shorter words, and SQLite, scan."""

from django.db.models import Q


def contains(text: str, *fields: str) -> Q:
    """Rows where any of `fields` contains `text`."""
    lookup = "icontains" if text.upper() != text.lower() else "contains"
    match = Q()
    for field in fields:
        match |= Q(**{f"{field}__{lookup}": text})
    return match


def trigram_indexes(*columns: tuple[str, str]):
    """Migration operations: pg_trgm, and for each (table, column) a trigram index on the
    column and one on UPPER(column). Nothing happens on other databases."""
    from django.contrib.postgres.operations import TrigramExtension
    from django.db import migrations

    def index_sql(schema_editor, table, column):
        quote = schema_editor.quote_name
        for suffix, expression in (("trgm", quote(column)), ("upper_trgm", f"UPPER({quote(column)})")):
            yield quote(f"{table}_{column}_{suffix}"), expression

    def create(apps, schema_editor):
        if schema_editor.connection.vendor == "postgresql":
            for table, column in columns:
                for name, expression in index_sql(schema_editor, table, column):
                    quoted_table = schema_editor.quote_name(table)
                    schema_editor.execute(
                        f"CREATE INDEX IF NOT EXISTS {name} ON {quoted_table} USING gin ({expression} gin_trgm_ops)"
                    )

    def drop(apps, schema_editor):
        if schema_editor.connection.vendor == "postgresql":
            for table, column in columns:
                for name, _expression in index_sql(schema_editor, table, column):
                    schema_editor.execute(f"DROP INDEX IF EXISTS {name}")

    return [TrigramExtension(), migrations.RunPython(create, drop)]
