"""REST endpoints for revenue and pipeline: an account's revenue, rollups, sales lines,
opportunities and whitespace (readable by whoever may read the account), the programme's
opportunities (the caller's accounts) and the key-account pricing check (directors and
executives)."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from ninja import Path, Query, Router

from accountable.accounts.selectors import account_get_for_user
from accountable.core.api_base import (
    MAX_ID,
    READ_ERRORS,
    IsoDate,
    PageIn,
    QueryIn,
    caller,
    page_of,
)
from accountable.revenue.models import MonthlyRollup, SalesLine
from accountable.revenue.schemas import (
    OpportunityOut,
    OpportunityPageOut,
    PricingReportOut,
    RevenueOut,
    RollupPageOut,
    SalesLinePageOut,
    WhitespaceOut,
)
from accountable.revenue.selectors import (
    opportunity_list_for_account,
    opportunity_list_for_user,
    pricing_check_for_user,
    revenue_summary_for_account,
    whitespace_for_account,
)

router = Router(tags=["revenue"])

AccountId = Path(..., ge=1, le=MAX_ID, description="The account's id.")


@router.get(
    "/accounts/{id}/revenue",
    response={200: RevenueOut, **READ_ERRORS},
    summary="An account's revenue by year, quarter, business unit and product line",
)
def account_revenue(request: HttpRequest, id: int = AccountId) -> dict[str, Any]:
    user = caller(request)
    account = account_get_for_user(user=user, id=id)
    s = revenue_summary_for_account(account=account, user=user)
    return {
        "account_id": account.pk,
        "total": s.total,
        "with_subsidiaries": s.tree_total,
        "by_year": [
            {"year": y, "revenue": own, "with_subsidiaries": tree} for y, own, tree in s.by_year
        ],
        "by_quarter": [
            {"quarter": q, "revenue": own, "with_subsidiaries": tree}
            for q, own, tree in s.by_quarter
        ],
        "by_business_unit": [{"name": n, "revenue": v} for n, v in s.by_business_unit],
        "by_product_line": [{"name": n, "revenue": v} for n, v in s.by_product_line],
    }


@router.get(
    "/accounts/{id}/monthly-rollups",
    response={200: RollupPageOut, **READ_ERRORS},
    summary="An account's monthly rollups (account x month x product line x business unit)",
)
def account_rollups(
    request: HttpRequest, page: Query[PageIn], id: int = AccountId
) -> dict[str, Any]:
    account = account_get_for_user(user=caller(request), id=id)
    queryset = MonthlyRollup.objects.filter(account=account).order_by(
        "month", "product_line_id", "business_unit_id", "id"
    )
    return page_of(request, queryset, page)


class SalesLineFilterIn(QueryIn):
    since: IsoDate | None = None
    until: IsoDate | None = None


@router.get(
    "/accounts/{id}/sales-lines",
    response={200: SalesLinePageOut, **READ_ERRORS},
    summary="An account's sales (invoice) lines, newest first",
)
def account_sales_lines(
    request: HttpRequest,
    filters: Query[SalesLineFilterIn],
    page: Query[PageIn],
    id: int = AccountId,
) -> dict[str, Any]:
    account = account_get_for_user(user=caller(request), id=id)
    queryset = SalesLine.objects.filter(account=account).order_by("-date", "invoice", "line")
    if filters.since:
        queryset = queryset.filter(date__gte=filters.since)
    if filters.until:
        queryset = queryset.filter(date__lte=filters.until)
    return page_of(request, queryset, page)


@router.get(
    "/accounts/{id}/opportunities",
    response={200: list[OpportunityOut], **READ_ERRORS},
    summary="An account's opportunities",
)
def account_opportunities(request: HttpRequest, id: int = AccountId) -> Any:
    account = account_get_for_user(user=caller(request), id=id)
    return list(opportunity_list_for_account(account=account))


@router.get(
    "/opportunities/",
    response={200: OpportunityPageOut, **READ_ERRORS},
    summary="Opportunities of the accounts the caller may see",
)
def opportunity_list(request: HttpRequest, page: Query[PageIn]) -> dict[str, Any]:
    queryset = opportunity_list_for_user(user=caller(request)).order_by("close_date", "id")
    return page_of(request, queryset, page)


@router.get(
    "/accounts/{id}/whitespace",
    response={200: WhitespaceOut, **READ_ERRORS},
    summary="An account's whitespace matrix",
)
def account_whitespace(request: HttpRequest, id: int = AccountId) -> dict[str, Any]:
    account = account_get_for_user(user=caller(request), id=id)
    ws = whitespace_for_account(account=account)
    return {
        "rows": [
            {
                "product_line_id": r.product_line.pk,
                "product_line": r.product_line.name,
                "cells": [
                    {
                        "buying_centre_id": c.buying_centre_id,
                        "status": c.status,
                        "competitor": c.competitor,
                        "potential": c.potential,
                    }
                    for c in r.cells
                    if c is not None
                ],
                "current": r.current,
                "potential": r.potential,
                "untapped": r.untapped,
            }
            for r in ws.rows
        ],
        "current": ws.current,
        "potential": ws.potential,
        "untapped": ws.untapped,
    }


class PeriodIn(QueryIn):
    start: IsoDate | None = None
    end: IsoDate | None = None


def _stats(s: Any) -> dict[str, Any]:
    return {
        "lines": s.lines,
        "quantity": s.quantity,
        "median": s.median,
        "p25": s.p25,
        "p75": s.p75,
        "low": s.low,
        "high": s.high,
    }


@router.get(
    "/pricing-check",
    response={200: PricingReportOut, **READ_ERRORS},
    summary="Key-account pricing check (directors and executives)",
)
def pricing_check(request: HttpRequest, period: Query[PeriodIn]) -> dict[str, Any]:
    report = pricing_check_for_user(user=caller(request), start=period.start, end=period.end)
    return {
        "start": report.start,
        "end": report.end,
        "flagged": report.flagged,
        "products": [
            {
                "product_id": c.product_id,
                "product_code": p.code if p else "",
                "product": p.name if p else "",
                "flagged": c.flagged,
                "gap_pct": c.gap_pct,
                "key_accounts": _stats(c.key),
                "others": _stats(c.other),
            }
            for c, p in report.rows
        ],
    }
