"""Background jobs: an uploaded import runs in the worker, reporting its progress to a file
the status page reads (the run's own row changes only when it commits, all at once)."""

from __future__ import annotations

import json
from pathlib import Path

from django.conf import settings
from django_tasks import task

from accountable.exchange.engine import Progress
from accountable.exchange.models import ImportRun, ImportStatus
from accountable.exchange.services import import_execute, upload_remove
from accountable.history.models import Source
from accountable.history.services import audit_context


def progress_path(run_id: int) -> Path:
    return Path(settings.VAR_DIR) / "imports" / f"import-{run_id}-progress.json"


def progress_read(run_id: int) -> dict[str, int]:
    try:
        return dict(json.loads(progress_path(run_id).read_text(encoding="utf-8")))
    except (OSError, ValueError):
        return {}


def _progress_writer(run_id: int) -> Progress:
    path = progress_path(run_id)
    path.parent.mkdir(parents=True, exist_ok=True)

    def write(done: int, total: int, rows: int) -> None:
        tmp = path.with_suffix(".tmp")
        tmp.write_text(json.dumps({"done": done, "total": total, "rows": rows}), encoding="utf-8")
        tmp.replace(path)

    return write


@task()
def import_run_task(run_id: int) -> int:
    """Carry out a queued import; safe to run twice (a run that already ran is left alone)."""
    run = ImportRun.objects.filter(pk=run_id).select_related("created_by").first()
    if run is None or run.status != ImportStatus.QUEUED:
        return 0
    with audit_context(actor=run.created_by, source=Source.IMPORT):
        try:
            run = import_execute(run=run, actor=run.created_by, progress=_progress_writer(run_id))
        finally:
            upload_remove(run)
    return run.pk
