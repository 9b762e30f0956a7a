"""REST endpoints for imports: the runs, and each run's rejected rows (programme directors).

Files are imported with `accountable import` or on the Imports page; the API reports on them.
"""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from ninja import Path, Query, Router

from accountable.core.api_base import MAX_ID, READ_ERRORS, PageIn, caller, page_of
from accountable.exchange.models import ImportRun
from accountable.exchange.schemas import ImportRejectPageOut, ImportRunOut, ImportRunPageOut
from accountable.exchange.selectors import (
    import_rejects,
    import_run_get_for_user,
    import_run_list_for_user,
)

router = Router(tags=["imports"])

RunId = Path(..., ge=1, le=MAX_ID, description="The import's id.")


@router.get("/imports/", response={200: ImportRunPageOut, **READ_ERRORS}, summary="Imports")
def import_list(request: HttpRequest, page: Query[PageIn]) -> dict[str, Any]:
    return page_of(request, import_run_list_for_user(user=caller(request)), page)


@router.get("/imports/{id}", response={200: ImportRunOut, **READ_ERRORS}, summary="An import")
def import_detail(request: HttpRequest, id: int = RunId) -> ImportRun:
    return import_run_get_for_user(user=caller(request), id=id)


@router.get(
    "/imports/{id}/rejects",
    response={200: ImportRejectPageOut, **READ_ERRORS},
    summary="An import's rejected rows: file, row, column, reason",
)
def import_reject_list(request: HttpRequest, page: Query[PageIn], id: int = RunId) -> Any:
    run = import_run_get_for_user(user=caller(request), id=id)
    return page_of(request, import_rejects(run=run), page)
