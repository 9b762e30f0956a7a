"""What the readiness probe reads: can this app server do its work right now?"""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from typing import Any

from django.conf import settings
from django.db import DatabaseError, connections
from django.db.migrations.executor import MigrationExecutor
from django.utils import timezone

from accountable.ops.routers import REPLICA

# Once every migration is applied it stays applied for the life of this process (a deploy
# that brings new migrations also restarts the app servers), so the migration files are read
# until then and not on every probe.
_migrations_current: dict[str, bool] = {}


@dataclass
class Readiness:
    ready: bool = True
    checks: dict[str, dict[str, Any]] = field(default_factory=dict)

    def add(self, name: str, ok: bool, **details: Any) -> None:
        self.checks[name] = {"ok": ok, **details}
        self.ready = self.ready and ok


def _database_check(alias: str) -> tuple[bool, dict[str, Any]]:
    started = time.perf_counter()
    try:
        with connections[alias].cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except DatabaseError as exc:
        connections[alias].close()  # reconnect on the next probe
        return False, {"error": f"{type(exc).__name__}: {str(exc).strip()[:200]}"}
    return True, {"ms": round((time.perf_counter() - started) * 1000, 1)}


def _pending_migrations(alias: str) -> list[str]:
    if _migrations_current.get(alias):
        return []
    executor = MigrationExecutor(connections[alias])
    plan = executor.migration_plan(executor.loader.graph.leaf_nodes())
    pending = [f"{migration.app_label}.{migration.name}" for migration, _ in plan]
    _migrations_current[alias] = not pending
    return pending


def _queue_check() -> tuple[bool, dict[str, Any]]:
    """The job queue (django-tasks' database backend): reachable, how many jobs wait and for
    how long. A long wait means no worker is running; that is reported, not failed, since
    this app server can still serve pages."""
    from django_tasks.base import TaskResultStatus
    from django_tasks_db.models import DBTaskResult

    now = timezone.now()
    try:
        waiting = DBTaskResult.objects.filter(status=TaskResultStatus.READY, run_after__lte=now)
        count = waiting.count()
        oldest = waiting.order_by("enqueued_at").values_list("enqueued_at", flat=True).first()
    except DatabaseError as exc:
        return False, {"error": f"{type(exc).__name__}: {str(exc).strip()[:200]}"}
    age = (now - oldest).total_seconds() if oldest else 0.0
    return True, {"waiting": count, "oldest_waiting_s": round(age, 1)}


def readiness_report() -> Readiness:
    """1. The primary database answers. 2. Its migrations are all applied (an app server whose
    code is ahead of its database must not take traffic). 3. The job queue's table answers.
    4. The replica answers, if one is configured (reads fall back to nothing without it)."""
    report = Readiness()
    ok, details = _database_check("default")
    report.add("database", ok, **details)
    if not ok:
        report.add("migrations", False, error="database unreachable")
        report.add("queue", False, error="database unreachable")
    else:
        try:
            pending = _pending_migrations("default")
        except DatabaseError as exc:
            report.add("migrations", False, error=f"{type(exc).__name__}: {exc}"[:200])
        else:
            report.add("migrations", not pending, pending=pending[:20])
        ok, details = _queue_check()
        report.add("queue", ok, **details)
    if getattr(settings, "REPLICA_DATABASE", ""):
        ok, details = _database_check(REPLICA)
        report.add("replica", ok, **details)
    return report
