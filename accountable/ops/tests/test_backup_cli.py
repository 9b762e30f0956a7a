"""`accountable restore` from the command line into a brand-new database (no tables at all), on
SQLite and on PostgreSQL, including across them: a backup of this test database is restored
into the new one, backed up again from there, and the two backups hold the same rows.

PostgreSQL targets need a server: the test database's own when the suite runs on PostgreSQL,
else POSTGRES_SCRATCH_URL (e.g. postgres://accountable:accountable@127.0.0.1:5432/postgres) if
set; without either they are skipped."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import zipfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import psycopg
import pytest
from django.db import connection

from accountable.ops import archive
from accountable.ops.services import backup_write

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)

ACCOUNTABLE = str(Path(sys.executable).parent / "accountable")


def _postgres_server() -> dict[str, Any] | None:
    if connection.vendor == "postgresql":
        params = connection.get_connection_params()
        return {k: params[k] for k in ("host", "port", "user", "password") if params.get(k)}
    url = os.environ.get("POSTGRES_SCRATCH_URL")
    if not url:
        return None
    info = psycopg.conninfo.conninfo_to_dict(url)
    return {k: info[k] for k in ("host", "port", "user", "password") if info.get(k)}


@pytest.fixture(params=["sqlite", "postgresql"])
def new_database(request, tmp_path: Path) -> Iterator[str]:
    """The URL of a database that has never been migrated."""
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path / 'new.sqlite3'}"
        return
    server = _postgres_server()
    if server is None:
        pytest.skip("no PostgreSQL server to make a database on")
    name = (
        f"{connection.settings_dict['NAME']}_new"[:63]
        if connection.vendor == "postgresql"
        else ("acc_restore_test")
    )
    with psycopg.connect(dbname="postgres", autocommit=True, **server) as admin:
        admin.execute(f'DROP DATABASE IF EXISTS "{name}"')
        admin.execute(f'CREATE DATABASE "{name}"')
    try:
        user = server.get("user", "")
        password = server.get("password", "")
        yield (
            f"postgres://{user}:{password}@{server.get('host', '127.0.0.1')}:"
            f"{server.get('port', 5432)}/{name}"
        )
    finally:
        with psycopg.connect(dbname="postgres", autocommit=True, **server) as admin:
            admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def _run(*args: str, database_url: str, var_dir: Path) -> subprocess.CompletedProcess[str]:
    env = {
        "PATH": os.environ["PATH"],
        "HOME": os.environ.get("HOME", "/tmp"),
        "DJANGO_SETTINGS_MODULE": "accountable.config.settings",
        "DATABASE_URL": database_url,
        "ACCOUNTABLE_VAR_DIR": str(var_dir),
        "SECRET_KEY": "backup-cli-test-key-0123456789-0123456789-0123456789",
        "LOG_FORMAT": "plain",
    }
    return subprocess.run(
        [ACCOUNTABLE, *args], env=env, capture_output=True, text=True, timeout=300
    )


def _rows(path: Path) -> dict[str, list[Any]]:
    """Every table's rows, parsed (JSON objects compare equal whatever their key order)."""
    with zipfile.ZipFile(path) as backup:
        manifest = json.loads(backup.read(archive.MANIFEST))
        return {
            table["model"]: [
                json.loads(line)
                for line in backup.read(archive.member_name(table["model"])).splitlines()
            ]
            for table in manifest["tables"]
        }


def test_restore_on_the_command_line_into_a_new_database_gives_back_every_row(
    rich, tmp_path: Path, new_database: str
) -> None:
    # given a backup of this database
    original = tmp_path / "original.zip"
    with open(original, "wb") as stream:
        backup_write(stream=stream)

    # when it is restored into a new database, and that one backed up in turn
    restored = _run("restore", str(original), database_url=new_database, var_dir=tmp_path)
    again = tmp_path / "again.zip"
    backed_up = _run("backup", "--output", str(again), database_url=new_database, var_dir=tmp_path)

    # then
    assert restored.returncode == 0, restored.stderr
    assert restored.stdout.startswith("Restored ")
    assert backed_up.returncode == 0, backed_up.stderr
    before, after = _rows(original), _rows(again)
    assert after == before
    assert len(after["history.event"]) > 20
    assert sum(len(rows) for rows in after.values()) > 100
