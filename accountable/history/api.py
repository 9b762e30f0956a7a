"""REST endpoints for history: an account's, and the whole programme's as far as the caller
may read it."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from ninja import Path, Query, Router

from accountable.accounts.selectors import account_get_for_user
from accountable.core.api_base import MAX_ID, READ_ERRORS, PageIn, caller, page_of
from accountable.history.schemas import EventFilterIn, EventPageOut
from accountable.history.selectors import event_list_for_account, event_list_for_user

router = Router(tags=["history"])


@router.get(
    "/accounts/{id}/history",
    response={200: EventPageOut, **READ_ERRORS},
    summary="An account's history, newest first",
)
def account_history(
    request: HttpRequest, page: Query[PageIn], id: int = Path(..., ge=1, le=MAX_ID)
) -> dict[str, Any]:
    """Every change to the account, its ownership, status, external ids and team."""
    account = account_get_for_user(user=caller(request), id=id)
    return page_of(request, event_list_for_account(account_id=account.pk), page)


@router.get(
    "/history/",
    response={200: EventPageOut, **READ_ERRORS},
    summary="History the caller may read, newest first",
)
def history_list(
    request: HttpRequest, filters: Query[EventFilterIn], page: Query[PageIn]
) -> dict[str, Any]:
    """Directors and executives read everything; others the history of the accounts they can
    see and of their own record."""
    queryset = event_list_for_user(
        user=caller(request), filters=filters.model_dump(exclude_none=True)
    )
    return page_of(request, queryset, page)
