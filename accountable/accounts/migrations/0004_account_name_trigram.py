"""A trigram index for the account list's name search on PostgreSQL.

`name__icontains` is `UPPER(name::text) LIKE UPPER('%…%')`: no b-tree helps, so 100,000
accounts were read for every search (~45 ms, twice: the page and its count). pg_trgm's GIN
index on the same expression serves it. SQLite has no such index and needs none at this size
(its scan is ~15 ms). pg_trgm is a trusted extension (PostgreSQL 13+): the database's owner may
create it; where that is refused the search works as before, only slower, and we say so.
"""

import sys

from django.db import DatabaseError, migrations, transaction

INDEX = "account_name_trgm"


def create(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    try:
        with transaction.atomic(using=schema_editor.connection.alias):
            schema_editor.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
    except DatabaseError as exc:
        sys.stderr.write(
            f"\nNote: pg_trgm could not be created ({exc}); account search will not use "
            "an index. A superuser can run CREATE EXTENSION pg_trgm and migrate again.\n"
        )
        return
    schema_editor.execute(
        f"CREATE INDEX IF NOT EXISTS {INDEX} ON accounts_account "
        "USING gin ((UPPER(name::text)) gin_trgm_ops)"
    )


def drop(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(f"DROP INDEX IF EXISTS {INDEX}")


class Migration(migrations.Migration):
    dependencies = [("accounts", "0003_buying_centre")]
    operations = [migrations.RunPython(create, drop, elidable=False)]
