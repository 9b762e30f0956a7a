"""The read replica: page and API reads go to it when it is safe, everything else to the primary.

Configured by REPLICA_DATABASE_URL (a PostgreSQL streaming replica of DATABASE_URL). Without it
this router sends everything to `default`, as if it were not there.

Reads go to the replica only inside `replica_reads(True)`, which ReplicaReadsMiddleware opens
for a GET or HEAD from a browser that has not written in the last few seconds. Everything else
reads the primary: a POST (a service reads, checks and writes in one transaction, and must
read what it locks), commands, jobs, and anything that runs outside a request.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from typing import Any

from django.db import transaction

REPLICA = "replica"
# Set after a write; while present, this browser reads the primary (read-your-writes).
PIN_COOKIE = "acc_primary"

_replica_reads: ContextVar[bool] = ContextVar("replica_reads", default=False)


@contextmanager
def replica_reads(allowed: bool) -> Iterator[None]:
    token = _replica_reads.set(allowed)
    try:
        yield
    finally:
        _replica_reads.reset(token)


class ReplicaRouter:
    """Reads to the replica when allowed and no transaction is open on the primary; writes,
    migrations and everything else to the primary."""

    def db_for_read(self, model: type[Any], **hints: Any) -> str | None:
        if not _replica_reads.get():
            return "default"
        # Inside a transaction the primary's own snapshot is the one to read.
        if transaction.get_connection("default").in_atomic_block:
            return "default"
        return REPLICA

    def db_for_write(self, model: type[Any], **hints: Any) -> str | None:
        return "default"

    def allow_relation(self, obj1: Any, obj2: Any, **hints: Any) -> bool | None:
        # The replica holds the same rows as the primary.
        return True

    def allow_migrate(self, db: str, app_label: str, **hints: Any) -> bool | None:
        # The replica's schema comes from the primary by replication.
        return db == "default"
