"""Background jobs of key account selection (django-tasks; the database backend by default)."""

from __future__ import annotations

import datetime as dt

from django_tasks import task

from accountable.history.models import Source
from accountable.history.services import audit_context
from accountable.selection.models import ScoringModel


@task()
def compute_scores(model_id: int, as_of: str) -> int:
    """Score every account by one model version as of a date. Idempotent: a second run
    replaces the first's scores with the same figures."""
    from accountable.selection.services import scores_compute

    model = ScoringModel.objects.filter(pk=model_id).first()
    if model is None:
        return 0
    with audit_context(source=Source.JOB):
        return scores_compute(model=model, as_of=dt.date.fromisoformat(as_of))
