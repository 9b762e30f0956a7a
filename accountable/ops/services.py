"""Backup and restore of the whole database (every table, all history), SQLite or PostgreSQL.

The file format and why it is what it is: `accountable.ops.archive`.
"""

from __future__ import annotations

import errno
import json
import logging
import zipfile
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from importlib.metadata import version
from typing import IO, Any

import django
from django.apps.registry import Apps
from django.core.management import call_command
from django.core.management.color import no_style
from django.db import connections, models, transaction
from django.db.backends.base.base import BaseDatabaseWrapper
from django.db.migrations.executor import MigrationExecutor
from django.db.migrations.graph import MigrationGraph
from django.db.migrations.recorder import MigrationRecorder
from django.utils import timezone

from accountable.core.errors import Conflict, DomainError, ValidationFailed
from accountable.ops import archive

logger = logging.getLogger(__name__)

Progress = Callable[[str, int, int], None]
Node = tuple[str, str]
BATCH = 2000


class StorageFull(DomainError):
    """The disk filled up while writing; what was written has been discarded."""

    status = 507
    code = "insufficient_storage"


@dataclass
class TableEntry:
    model: str  # app_label.model_name
    table: str
    fields: list[str]
    columns: list[str]
    rows: int


@dataclass
class Manifest:
    created_at: str
    accountable_version: str
    django_version: str
    database: str
    migrations: dict[str, list[str]]
    tables: list[TableEntry] = field(default_factory=list)
    format: str = archive.FORMAT
    format_version: int = archive.FORMAT_VERSION

    @property
    def rows(self) -> int:
        return sum(t.rows for t in self.tables)

    def as_json(self) -> bytes:
        data = {**self.__dict__, "tables": [t.__dict__ for t in self.tables]}
        return json.dumps(data, indent=1, ensure_ascii=False).encode()

    @classmethod
    def from_json(cls, raw: bytes) -> Manifest:
        try:
            data = json.loads(raw)
            if data.get("format") != archive.FORMAT:
                raise ValueError("not an Accountable backup")
            if data.get("format_version") != archive.FORMAT_VERSION:
                raise ValidationFailed(
                    f"This backup has format version {data.get('format_version')}; this version "
                    f"of Accountable reads version {archive.FORMAT_VERSION}. Restore it with the "
                    "release that made it."
                )
            data["tables"] = [TableEntry(**t) for t in data["tables"]]
            return cls(**data)
        except (ValueError, TypeError, KeyError) as exc:
            raise ValidationFailed(
                f"This file is not an Accountable backup (its manifest is unreadable: {exc})."
            ) from exc


# --- The schema at a migration state -------------------------------------------------------------


def _applied_nodes(connection: BaseDatabaseWrapper, graph: MigrationGraph) -> set[Node]:
    applied = MigrationRecorder(connection).applied_migrations()
    return {node for node in applied if node in graph.nodes}


def _leaves(graph: MigrationGraph, nodes: set[Node]) -> list[Node]:
    """Per app, the applied migrations none of whose children (in that app) are applied."""
    return sorted(
        node
        for node in nodes
        if not any(
            child.key in nodes and child.key[0] == node[0]
            for child in graph.node_map[node].children
        )
    )


def _models_at(executor: MigrationExecutor, nodes: set[Node]) -> Apps:
    """The models as they were at this migration state (historical models: the tables a backup
    holds may have had other columns than today's models)."""
    state = executor.loader.project_state(_leaves(executor.loader.graph, nodes), at_end=True)
    return state.apps


def _backed_up_models(apps: Apps) -> list[type[models.Model]]:
    """Every table Django manages, many-to-many tables included, in a stable order."""
    found = [
        model
        for model in apps.get_models(include_auto_created=True)
        if model._meta.managed and not model._meta.proxy and not model._meta.swapped
    ]
    return sorted(found, key=lambda m: m._meta.label_lower)


def _columns(model: type[models.Model]) -> list[models.Field]:
    return list(model._meta.local_concrete_fields)


# --- Backup --------------------------------------------------------------------------------------


@contextmanager
def _snapshot(connection: BaseDatabaseWrapper) -> Iterator[None]:
    """Read every table as of one moment while others go on writing.

    PostgreSQL: a REPEATABLE READ, READ ONLY transaction. SQLite: a deferred read transaction,
    which in WAL mode sees one snapshot and blocks no writer. Inside a transaction already
    (tests), that transaction is the snapshot.
    """
    if connection.in_atomic_block:
        yield
    elif connection.vendor == "postgresql":
        with transaction.atomic(using=connection.alias), connection.cursor() as cursor:
            cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY")
            yield
    elif connection.vendor == "sqlite":
        connection.ensure_connection()
        with connection.cursor() as cursor:
            cursor.execute("BEGIN DEFERRED")
            try:
                yield
            finally:
                cursor.execute("COMMIT")
    else:
        with transaction.atomic(using=connection.alias):
            yield


def backup_write(
    *, stream: IO[bytes], using: str = "default", progress: Progress | None = None
) -> Manifest:
    """Write the whole database to `stream` as a backup archive; return its manifest.

    1. Open a snapshot, so that every table is read as of the same moment.
    2. Note the applied migrations, and take the models as they are at that state.
    3. Per table, in primary-key order, stream the rows as JSON lines into the archive.
    4. Write the manifest last: the migration state and the count of every table.
    A full disk raises StorageFull; the caller discards the partial file.
    """
    connection = connections[using]
    executor = MigrationExecutor(connection)
    try:
        with _snapshot(connection):
            applied = _applied_nodes(connection, executor.loader.graph)
            apps = _models_at(executor, applied)
            manifest = Manifest(
                created_at=timezone.now().isoformat(),
                accountable_version=version("accountable"),
                django_version=django.get_version(),
                database=connection.vendor,
                migrations={
                    app: sorted(name for a, name in applied if a == app)
                    for app in sorted({a for a, _ in applied})
                },
            )
            existing = set(connection.introspection.table_names())
            backed_up = [m for m in _backed_up_models(apps) if m._meta.db_table in existing]
            with zipfile.ZipFile(stream, "w", zipfile.ZIP_DEFLATED, compresslevel=6) as out:
                for model in backed_up:
                    manifest.tables.append(_write_table(out, model, using, progress))
                out.writestr(archive.MANIFEST, manifest.as_json())
    except OSError as exc:
        if exc.errno in (errno.ENOSPC, errno.EDQUOT):
            raise StorageFull(
                "The disk filled up while writing the backup; nothing was kept. Free some space "
                "or write the backup elsewhere (--output)."
            ) from exc
        raise
    return manifest


def _write_table(
    out: zipfile.ZipFile, model: type[models.Model], using: str, progress: Progress | None
) -> TableEntry:
    fields = _columns(model)
    rows = model._base_manager.using(using).order_by("pk")
    total = rows.count()
    label = model._meta.label_lower
    written = 0

    def counted() -> Iterator[tuple[Any, ...]]:
        nonlocal written
        for row in rows.values_list(*[f.attname for f in fields]).iterator(chunk_size=BATCH):
            written += 1
            if progress is not None and written % BATCH == 0:
                progress(f"Backing up {label}", written, total)
            yield row

    with out.open(archive.member_name(label), "w", force_zip64=True) as member:
        for chunk in archive.encode_rows(fields, counted()):
            member.write(chunk)
    if progress is not None and written:
        progress(f"Backing up {label}", written, written)
    return TableEntry(
        model=label,
        table=model._meta.db_table,
        fields=[f.name for f in fields],
        columns=[str(f.column) for f in fields],
        rows=written,
    )


def backup_read_manifest(source: str | IO[bytes]) -> Manifest:
    """The manifest of a backup file, checked to be one this version can restore."""
    try:
        with zipfile.ZipFile(source) as archive_file:
            return Manifest.from_json(archive_file.read(archive.MANIFEST))
    except (zipfile.BadZipFile, KeyError) as exc:
        raise ValidationFailed(
            f"This file is not an Accountable backup (not a zip archive with a manifest: {exc})."
        ) from exc


# --- Restore -------------------------------------------------------------------------------------


@dataclass
class RestoreSummary:
    manifest: Manifest
    rows: int
    tables: int
    migrated_forward: list[str]


def database_in_use(using: str = "default") -> dict[str, int]:
    """What shows a database is in use: its people, customer accounts and history events.
    Empty when it has none (a new database, or one that has only been migrated)."""
    from accountable.accounts.models import Account
    from accountable.history.models import Event
    from accountable.people.models import User

    connection = connections[using]
    existing = set(connection.introspection.table_names())
    found: dict[str, int] = {}
    with connection.cursor() as cursor:
        for label, model in (("people", User), ("accounts", Account), ("history events", Event)):
            table = model._meta.db_table
            if table in existing:
                cursor.execute(f"SELECT COUNT(*) FROM {connection.ops.quote_name(table)}")  # noqa: S608
                count = int(cursor.fetchone()[0])
                if count:
                    found[label] = count
    return found


def backup_restore(
    *,
    source: str | IO[bytes],
    using: str = "default",
    force: bool = False,
    progress: Progress | None = None,
) -> RestoreSummary:
    """Replace the database's contents with a backup's: every row, with its original ids.

    1. Read the manifest; refuse a backup made by a newer release (migrations this code lacks).
    2. Refuse a database in use (people, accounts or history) unless `force`.
    3. Migrate the database to the backup's migration state (creating the tables if new).
    4. In one transaction: empty every table, insert every row of the backup, move the id
       sequences past the restored ids, and check every table's count against the manifest;
       any failure rolls the whole load back.
    5. Migrate forward to this release's schema (as an upgrade would have done to the data).
    """
    connection = connections[using]
    manifest = backup_read_manifest(source)
    executor = MigrationExecutor(connection)
    graph = executor.loader.graph
    nodes = {(app, name) for app, names in manifest.migrations.items() for name in names}
    unknown = sorted(f"{app}.{name}" for app, name in nodes - set(graph.nodes))
    if unknown:
        raise ValidationFailed(
            "This backup was made by a newer release of Accountable "
            f"({manifest.accountable_version}): this one lacks its migrations "
            f"{', '.join(unknown[:5])}. Restore it with that release or a later one."
        )
    in_use = database_in_use(using)
    if in_use and not force:
        held = ", ".join(f"{count:,} {label}" for label, count in in_use.items())
        raise Conflict(
            f"The database is not empty (it holds {held}); restoring would replace all of it. "
            "Restore into a new, empty database, or add --force to replace this one."
        )

    _migrate_to(executor, _leaves(graph, nodes))
    apps = _models_at(MigrationExecutor(connection), nodes)
    with zipfile.ZipFile(source) as archive_file, transaction.atomic(using=using):
        _empty_every_table(connection, apps)
        loaded = [
            _load_table(archive_file, apps, entry, connection, progress)
            for entry in manifest.tables
        ]
        with connection.cursor() as cursor:
            for sql in connection.ops.sequence_reset_sql(no_style(), loaded):
                cursor.execute(sql)
        _check_counts(connection, manifest)

    pending = MigrationExecutor(connection).migration_plan(graph.leaf_nodes())
    migrated_forward = [f"{m.app_label}.{m.name}" for m, _ in pending]
    call_command("migrate", database=using, interactive=False, verbosity=0)
    from django.contrib.contenttypes.models import ContentType

    ContentType.objects.clear_cache()
    logger.info(
        "Restored a backup of %s rows in %s tables made %s",
        manifest.rows,
        len(manifest.tables),
        manifest.created_at,
    )
    return RestoreSummary(
        manifest=manifest,
        rows=manifest.rows,
        tables=len(manifest.tables),
        migrated_forward=migrated_forward,
    )


def _migrate_to(executor: MigrationExecutor, targets: list[Node]) -> None:
    """Bring the schema to exactly the backup's migration state."""
    plan = executor.migration_plan(targets)
    directions = {backwards for _, backwards in plan}
    if len(directions) > 1:
        raise Conflict(
            "This database's schema is ahead of the backup's in some parts and behind it in "
            "others; restore into a new, empty database."
        )
    if plan:
        executor.migrate(targets, plan=plan)


def _empty_every_table(connection: BaseDatabaseWrapper, apps: Apps) -> None:
    existing = set(connection.introspection.table_names())
    tables = {m._meta.db_table for m in _backed_up_models(apps)} | set(
        connection.introspection.django_table_names(only_existing=True, include_views=False)
    )
    sql = connection.ops.sql_flush(no_style(), sorted(tables & existing), allow_cascade=False)
    connection.ops.execute_sql_flush(sql)


def _load_table(
    archive_file: zipfile.ZipFile,
    apps: Apps,
    entry: TableEntry,
    connection: BaseDatabaseWrapper,
    progress: Progress | None,
) -> type[models.Model]:
    try:
        model = apps.get_model(entry.model)
    except LookupError as exc:
        raise ValidationFailed(
            f"The backup has a table {entry.model} that its own migration state does not; the "
            "file is damaged or was edited."
        ) from exc
    fields = _columns(model)
    if [f.column for f in fields] != entry.columns:
        raise ValidationFailed(
            f"The columns of {entry.model} in the backup ({', '.join(entry.columns)}) are not "
            "those of its migration state; the file is damaged or was edited."
        )
    quote = connection.ops.quote_name
    sql = "INSERT INTO {} ({}) VALUES ({})".format(  # noqa: S608 - names come from the models
        quote(model._meta.db_table),
        ", ".join(quote(c) for c in entry.columns),
        ", ".join(["%s"] * len(fields)),
    )
    done = 0
    batch: list[list[Any]] = []
    with archive_file.open(archive.member_name(entry.model)) as member, connection.cursor() as cur:
        try:
            for values in archive.decode_rows(fields, member):
                batch.append(
                    [f.get_db_prep_save(v, connection) for f, v in zip(fields, values, strict=True)]
                )
                if len(batch) >= BATCH:
                    cur.executemany(sql, batch)
                    done += len(batch)
                    batch = []
                    if progress is not None:
                        progress(f"Restoring {entry.model}", done, entry.rows)
            if batch:
                cur.executemany(sql, batch)
                done += len(batch)
        except (ValueError, zipfile.BadZipFile) as exc:
            raise ValidationFailed(
                f"The backup's {entry.model} rows cannot be read ({exc}); nothing was restored."
            ) from exc
    if progress is not None and done:
        progress(f"Restoring {entry.model}", done, done)
    return model


def _check_counts(connection: BaseDatabaseWrapper, manifest: Manifest) -> None:
    with connection.cursor() as cursor:
        for entry in manifest.tables:
            cursor.execute(f"SELECT COUNT(*) FROM {connection.ops.quote_name(entry.table)}")  # noqa: S608
            count = int(cursor.fetchone()[0])
            if count != entry.rows:
                raise ValidationFailed(
                    f"{entry.model}: the backup lists {entry.rows:,} rows but {count:,} were "
                    "restored; nothing was restored."
                )


# --- The job queue -------------------------------------------------------------------------------


@transaction.atomic
def task_requeue_abandoned(*, worker_id: str) -> int:
    """Put back in the queue the jobs a worker of this id was running when it died.

    A worker that is stopped finishes or fails its job; one that is killed (SIGKILL, a power
    cut, out of memory) leaves it marked as running for ever. A worker keeps its id across
    restarts (`accountable worker --worker-id`, the systemd unit's instance name), so when it
    starts, whatever that id was running cannot still be running: it is made ready again, and
    as jobs are idempotent (they take ids and call services), running it again is safe.
    """
    from django_tasks.base import TaskResultStatus
    from django_tasks_db.models import DBTaskResult

    running = DBTaskResult.objects.select_for_update().filter(status=TaskResultStatus.RUNNING)
    abandoned = [job for job in running if job.worker_ids and job.worker_ids[-1] == worker_id]
    for job in abandoned:
        job.status = TaskResultStatus.READY
        job.started_at = None
        job.save(update_fields=["status", "started_at"])
        logger.warning(
            "Requeued job %s (%s), abandoned by worker %s", job.id, job.task_path, worker_id
        )
    return len(abandoned)
