"""The tables `accountable export` writes: each a header and rows, read in chunks from the
database (never the whole table in memory)."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterator
from typing import Any

from django.db.models import QuerySet

from accountable.accounts.models import Account, ExternalId
from accountable.revenue.models import MonthlyRollup, Opportunity, SalesLine

CHUNK = 2000


def _external_ids(account_ids: set[int]) -> dict[int, str]:
    found: dict[int, list[str]] = defaultdict(list)
    ids = sorted(account_ids)
    for start in range(0, len(ids), 900):
        for account_id, source, value in ExternalId.objects.filter(
            account_id__in=ids[start : start + 900]
        ).values_list("account_id", "source", "value"):
            found[account_id].append(f"{source}:{value}")
    return {k: " ".join(sorted(v)) for k, v in found.items()}


def _chunks(queryset: QuerySet[Any]) -> Iterator[list[Any]]:
    chunk: list[Any] = []
    for row in queryset.iterator(chunk_size=CHUNK):
        chunk.append(row)
        if len(chunk) >= CHUNK:
            yield chunk
            chunk = []
    if chunk:
        yield chunk


def _dated(qs: QuerySet[Any], field: str, since: dt.date | None, until: dt.date | None) -> Any:
    if since:
        qs = qs.filter(**{f"{field}__gte": since})
    if until:
        qs = qs.filter(**{f"{field}__lte": until})
    return qs


def accounts_rows(**filters: Any) -> Iterator[list[Any]]:
    yield [
        "id",
        "name",
        "parent_id",
        "programme_status",
        "tier",
        "industry",
        "country",
        "employees",
        "annual_revenue",
        "external_ids",
    ]
    qs = Account.objects.order_by("id").values_list(
        "id",
        "name",
        "parent_id",
        "programme_status",
        "tier",
        "industry",
        "country",
        "employees",
        "annual_revenue",
    )
    if filters.get("account"):
        qs = qs.filter(pk=filters["account"])
    for chunk in _chunks(qs):
        ids = _external_ids({r[0] for r in chunk})
        for r in chunk:
            yield [*r, ids.get(r[0], "")]


def opportunities_rows(**filters: Any) -> Iterator[list[Any]]:
    yield [
        "id",
        "account_id",
        "account_external_ids",
        "name",
        "stage",
        "amount",
        "currency",
        "probability",
        "close_date",
        "owner",
        "product_line",
        "source",
        "external_id",
    ]
    qs = _dated(
        Opportunity.objects.order_by("id").values_list(
            "id",
            "account_id",
            "name",
            "stage__name",
            "amount",
            "currency",
            "probability",
            "close_date",
            "owner__username",
            "owner_name",
            "product_line__name",
            "source",
            "external_id",
        ),
        "close_date",
        filters.get("since"),
        filters.get("until"),
    )
    if filters.get("account"):
        qs = qs.filter(account_id=filters["account"])
    for chunk in _chunks(qs):
        ids = _external_ids({r[1] for r in chunk})
        for r in chunk:
            owner = r[8] or r[9]
            yield [r[0], r[1], ids.get(r[1], ""), *r[2:8], owner, *r[10:]]


def sales_lines_rows(**filters: Any) -> Iterator[list[Any]]:
    yield [
        "account_id",
        "account_external_ids",
        "date",
        "source",
        "invoice",
        "line",
        "product_code",
        "product_line",
        "business_unit",
        "quantity",
        "unit_price",
        "amount",
        "margin",
        "currency",
        "import_run_id",
    ]
    qs = _dated(
        SalesLine.objects.order_by("id").values_list(
            "account_id",
            "date",
            "source",
            "invoice",
            "line",
            "product__code",
            "product_line__name",
            "business_unit__code",
            "quantity",
            "unit_price",
            "amount",
            "margin",
            "currency",
            "import_run_id",
        ),
        "date",
        filters.get("since"),
        filters.get("until"),
    )
    if filters.get("account"):
        qs = qs.filter(account_id=filters["account"])
    for chunk in _chunks(qs):
        ids = _external_ids({r[0] for r in chunk})
        for r in chunk:
            yield [r[0], ids.get(r[0], ""), *r[1:]]


def rollups_rows(**filters: Any) -> Iterator[list[Any]]:
    """One row per account x month x product line (business units added together)."""
    from django.db.models import Sum

    yield [
        "account_id",
        "account_external_ids",
        "month",
        "product_line",
        "revenue",
        "margin",
        "quantity",
        "orders",
        "lines",
    ]
    qs = _dated(
        MonthlyRollup.objects.values("account_id", "month", "product_line__name")
        .annotate(
            r=Sum("revenue"), m=Sum("margin"), q=Sum("quantity"), o=Sum("orders"), n=Sum("lines")
        )
        .order_by("account_id", "month", "product_line__name")
        .values_list("account_id", "month", "product_line__name", "r", "m", "q", "o", "n"),
        "month",
        filters.get("since"),
        filters.get("until"),
    )
    if filters.get("account"):
        qs = qs.filter(account_id=filters["account"])
    for chunk in _chunks(qs):
        ids = _external_ids({r[0] for r in chunk})
        for r in chunk:
            yield [r[0], ids.get(r[0], ""), *r[1:]]


EXPORTS = {
    "accounts": accounts_rows,
    "opportunities": opportunities_rows,
    "sales-lines": sales_lines_rows,
    "rollups": rollups_rows,
}
