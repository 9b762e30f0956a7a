"""Backup and restore: a restore into an empty database gives back every record and all history,
a database in use is refused unless forced, a damaged or newer file is refused with nothing
changed, an older backup is migrated forward, and a full disk leaves no file behind."""

from __future__ import annotations

import errno
import io
import json
import zipfile
from pathlib import Path

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from accountable.accounts import services as account_services
from accountable.accounts.models import Account
from accountable.core.errors import Conflict, ValidationFailed
from accountable.history.models import Event
from accountable.ops import archive
from accountable.ops.services import (
    StorageFull,
    backup_read_manifest,
    backup_restore,
    backup_write,
)
from tests.fingerprint import database_fingerprint

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


def _drop_everything() -> None:
    """Leave the database as a new one: no tables at all, not even django_migrations."""
    quote = connection.ops.quote_name
    cascade = " CASCADE" if connection.vendor == "postgresql" else ""
    with connection.constraint_checks_disabled(), connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            cursor.execute("PRAGMA foreign_keys = OFF")
        for table in connection.introspection.table_names():
            cursor.execute(f"DROP TABLE IF EXISTS {quote(table)}{cascade}")
        if connection.vendor == "sqlite":
            cursor.execute("PRAGMA foreign_keys = ON")
    assert connection.introspection.table_names() == []


def test_a_restore_into_a_new_database_gives_back_every_record_and_all_history(rich, tmp_path):
    # given
    before = database_fingerprint()
    path = tmp_path / "backup.zip"
    with open(path, "wb") as stream:
        manifest = backup_write(stream=stream)
    _drop_everything()

    # when
    summary = backup_restore(source=str(path))

    # then
    after = database_fingerprint()
    assert after == before
    assert summary.rows == manifest.rows == sum(len(rows) for rows in before.values())
    assert Event.objects.count() == len(before["history.event"]) > 20
    assert summary.migrated_forward == []


def test_the_manifest_counts_every_table_and_records_the_migration_state(rich, tmp_path):
    # given
    stream = io.BytesIO()

    # when
    manifest = backup_write(stream=stream)

    # then
    counts = {t.model: t.rows for t in manifest.tables}
    assert counts["accounts.account"] == Account.objects.count() == 3
    assert counts["history.event"] == Event.objects.count()
    assert counts["people.user_groups"] == 1
    assert counts["django_tasks_database.dbtaskresult"] == 1
    assert manifest.migrations["accounts"][-1] == "0005_account_owner_sort"
    assert manifest.database == connection.vendor
    with zipfile.ZipFile(stream) as written:
        names = set(written.namelist())
        assert archive.MANIFEST in names
        assert {archive.member_name(t.model) for t in manifest.tables} <= names
    assert backup_read_manifest(stream).rows == manifest.rows


def test_a_database_in_use_is_refused_with_a_clear_message_and_not_changed(rich, tmp_path):
    # given
    path = tmp_path / "backup.zip"
    with open(path, "wb") as stream:
        backup_write(stream=stream)
    account_services.account_create(actor=rich.director, name="Made after the backup")
    before = database_fingerprint()

    # when
    with pytest.raises(Conflict) as refused:
        backup_restore(source=str(path))

    # then
    assert refused.value.message == (
        "The database is not empty (it holds 6 people, 4 accounts, "
        f"{Event.objects.count():,} history events); restoring would replace all of it. "
        "Restore into a new, empty database, or add --force to replace this one."
    )
    assert database_fingerprint() == before


def test_force_replaces_what_the_database_holds_with_the_backup(rich, tmp_path):
    # given
    before = database_fingerprint()
    path = tmp_path / "backup.zip"
    with open(path, "wb") as stream:
        backup_write(stream=stream)
    account_services.account_create(actor=rich.director, name="Made after the backup")
    account_services.account_update(
        account=Account.objects.get(pk=rich.account.pk),
        actor=rich.director,
        data={"name": "Renamed after the backup"},
    )

    # when
    backup_restore(source=str(path), force=True)

    # then
    assert database_fingerprint() == before
    # ids carry on after the restored ones
    new = account_services.account_create(actor=rich.director, name="After the restore")
    assert new.pk > max(row[0] for row in before["accounts.account"])


def _rewritten(path: Path, target: Path, change) -> Path:
    """A copy of a backup with one member changed by `change(name, bytes) -> bytes`."""
    with zipfile.ZipFile(path) as source, zipfile.ZipFile(target, "w") as out:
        for name in source.namelist():
            out.writestr(name, change(name, source.read(name)))
    return target


def test_a_backup_whose_rows_do_not_match_its_manifest_restores_nothing(rich, tmp_path):
    # given a backup missing one history event, restored over a database with other data
    path = tmp_path / "backup.zip"
    with open(path, "wb") as stream:
        backup_write(stream=stream)

    def drop_an_event(name: str, data: bytes) -> bytes:
        if name == archive.member_name("history.event"):
            return b"\n".join(data.splitlines()[1:]) + b"\n"
        return data

    damaged = _rewritten(path, tmp_path / "damaged.zip", drop_an_event)
    account_services.account_create(actor=rich.director, name="Kept")
    before = database_fingerprint()

    # when
    with pytest.raises(ValidationFailed, match=r"history\.event: the backup lists"):
        backup_restore(source=str(damaged), force=True)

    # then
    assert database_fingerprint() == before


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"not a zip at all", "not a zip archive with a manifest"),
        (None, "its manifest is unreadable"),
    ],
    ids=["not a zip", "not ours"],
)
def test_a_file_that_is_not_a_backup_is_refused(programme, tmp_path, content, message):
    # given
    path = tmp_path / "other.zip"
    if content is None:
        with zipfile.ZipFile(path, "w") as other:
            other.writestr(archive.MANIFEST, json.dumps({"format": "something-else"}))
    else:
        path.write_bytes(content)
    before = database_fingerprint()

    # when
    with pytest.raises(ValidationFailed, match=message):
        backup_restore(source=str(path), force=True)

    # then
    assert database_fingerprint() == before


def test_a_backup_from_a_newer_release_is_refused(programme, tmp_path):
    # given a backup whose schema has a migration this code does not know
    path = tmp_path / "backup.zip"
    with open(path, "wb") as stream:
        backup_write(stream=stream)

    def newer(name: str, data: bytes) -> bytes:
        if name == archive.MANIFEST:
            manifest = json.loads(data)
            manifest["migrations"]["accounts"].append("0099_from_the_future")
            manifest["accountable_version"] = "9.0.0"
            return json.dumps(manifest).encode()
        return data

    future = _rewritten(path, tmp_path / "future.zip", newer)

    # when
    with pytest.raises(ValidationFailed) as refused:
        backup_restore(source=str(future), force=True)

    # then
    assert refused.value.message == (
        "This backup was made by a newer release of Accountable (9.0.0): this one lacks its "
        "migrations accounts.0099_from_the_future. Restore it with that release or a later one."
    )


def test_a_backup_made_by_an_older_release_is_restored_then_migrated_forward(rich, tmp_path):
    # given a backup made when accounts had no owner sort key yet (before migration 0005)
    before = database_fingerprint()
    executor = MigrationExecutor(connection)
    executor.migrate([("accounts", "0004_account_name_trigram")])
    path = tmp_path / "old.zip"
    with open(path, "wb") as stream:
        manifest = backup_write(stream=stream)
    call_command("migrate", verbosity=0)
    _drop_everything()

    # when
    summary = backup_restore(source=str(path))

    # then the data migration rebuilt the sort keys the old release did not have
    assert manifest.migrations["accounts"][-1] == "0004_account_name_trigram"
    assert "owner_sort" not in next(
        t.fields for t in manifest.tables if t.model == "accounts.account"
    )
    # (apps whose migrations depend on the latest accounts' go back and forth with it)
    accounts_forward = [m for m in summary.migrated_forward if m.startswith("accounts.")]
    assert accounts_forward == ["accounts.0005_account_owner_sort"]
    assert database_fingerprint() == before
    assert Account.objects.get(pk=rich.account.pk).owner_sort == "Owner Kim"


# --- The command, and a full disk ---------------------------------------------------------------


class FillsUp(io.RawIOBase):
    """A file that takes `room` bytes and then fails as a full disk does."""

    def __init__(self, inner, room: int) -> None:
        self.inner, self.room = inner, room

    def writable(self) -> bool:
        return True

    def write(self, data) -> int:
        if self.room < len(data):
            raise OSError(errno.ENOSPC, "No space left on device")
        self.room -= len(data)
        return self.inner.write(data)

    def tell(self) -> int:
        return self.inner.tell()

    def seekable(self) -> bool:
        return False

    def flush(self) -> None:
        self.inner.flush()

    def fileno(self) -> int:
        return self.inner.fileno()

    def close(self) -> None:
        if not self.closed:
            super().close()
            self.inner.close()


def test_a_full_disk_during_a_backup_fails_cleanly_with_nothing_left_behind(
    rich, tmp_path, monkeypatch
):
    # given a disk with room for half the backup
    from accountable.ops.management.commands import backup as command

    whole = io.BytesIO()
    backup_write(stream=whole)
    room = len(whole.getvalue()) // 2

    def small_disk(path, mode="r", *args, **kwargs):
        return FillsUp(open(path, mode, *args, **kwargs), room=room)

    monkeypatch.setattr(command, "open", small_disk, raising=False)
    target = tmp_path / "backups" / "nightly.zip"

    # when
    with pytest.raises(CommandError) as failed:
        call_command("backup", output=str(target), stderr=io.StringIO())

    # then
    assert str(failed.value) == (
        "The disk filled up while writing the backup; nothing was kept. Free some space or "
        "write the backup elsewhere (--output)."
    )
    assert list(target.parent.iterdir()) == []


def test_the_service_reports_a_full_disk_as_storage_full(rich):
    with pytest.raises(StorageFull):
        backup_write(stream=FillsUp(io.BytesIO(), room=1_000))  # type: ignore[arg-type]


def test_backup_and_restore_commands_round_trip(rich, tmp_path):
    # given
    before = database_fingerprint()
    target = tmp_path / "nightly.zip"
    out = io.StringIO()

    # when
    call_command("backup", output=str(target), stdout=out, stderr=io.StringIO())
    refused = pytest.raises(CommandError, match="The database is not empty")
    with refused:
        call_command("restore", str(target), stdout=io.StringIO(), stderr=io.StringIO())
    restored = io.StringIO()
    call_command("restore", str(target), force=True, stdout=restored, stderr=io.StringIO())

    # then
    rows = sum(len(r) for r in before.values())
    assert out.getvalue().startswith(f"Backed up {rows:,} rows of {len(before)} tables to ")
    assert restored.getvalue().startswith(f"Restored {rows:,} rows in {len(before)} tables from ")
    assert database_fingerprint() == before


def test_restore_names_a_missing_file(db, tmp_path):
    with pytest.raises(CommandError, match="There is no backup file at"):
        call_command("restore", str(tmp_path / "missing.zip"))
