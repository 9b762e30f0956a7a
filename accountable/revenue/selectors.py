"""Reads of revenue and pipeline: an account's revenue (and its global account's), opportunities,
whitespace and the key-account pricing check. Revenue is read from the monthly rollups."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.db.models import QuerySet, Sum

from accountable.accounts.models import Account
from accountable.accounts.selectors import account_visible_queryset
from accountable.people.models import BusinessUnit
from accountable.revenue.models import (
    MonthlyRollup,
    Opportunity,
    ProductLine,
)

CENT = Decimal("0.01")


def _cents(value: Any) -> Decimal:
    return Decimal(value or 0).quantize(CENT)


def subtree_ids(account: Account) -> list[int]:
    """The account and every account below it in its global-account tree (one query)."""
    rows = Account.objects.filter(root_id=account.root_id or account.pk).values_list(
        "id", "parent_id"
    )
    children: dict[int, list[int]] = defaultdict(list)
    for child, parent in rows:
        if parent is not None:
            children[parent].append(child)
    found, frontier = [account.pk], [account.pk]
    while frontier:
        for child in children.get(frontier.pop(), []):
            found.append(child)
            frontier.append(child)
    return found


@dataclass
class RevenueSummary:
    """What the Revenue tab shows."""

    total: Decimal
    tree_total: Decimal
    by_year: list[tuple[int, Decimal, Decimal]]  # (year, this account, with subsidiaries)
    by_quarter: list[tuple[str, Decimal, Decimal]]
    by_business_unit: list[tuple[str, Decimal]]
    by_product_line: list[tuple[str, Decimal]]
    subsidiaries: list[tuple[Account, Decimal]]  # direct children the user may see
    currency_note: str = ""
    chart: dict[str, Any] = field(default_factory=dict)


def revenue_summary_for_account(*, account: Account, user: Any) -> RevenueSummary:
    """Revenue of an account the caller may read (checked by the caller), by year, quarter,
    business unit and product line, alone and with its subsidiaries. Five queries."""
    ids = subtree_ids(account)
    monthly = (
        MonthlyRollup.objects.filter(account_id__in=ids)
        .values("account_id", "month")
        .annotate(total=Sum("revenue"))
        .order_by()
    )
    own_q: dict[str, Decimal] = defaultdict(Decimal)
    tree_q: dict[str, Decimal] = defaultdict(Decimal)
    own_y: dict[int, Decimal] = defaultdict(Decimal)
    tree_y: dict[int, Decimal] = defaultdict(Decimal)
    per_account: dict[int, Decimal] = defaultdict(Decimal)
    for row in monthly:
        month: dt.date = row["month"]
        value = Decimal(row["total"] or 0)
        quarter = f"{month.year} Q{(month.month - 1) // 3 + 1}"
        tree_q[quarter] += value
        tree_y[month.year] += value
        per_account[row["account_id"]] += value
        if row["account_id"] == account.pk:
            own_q[quarter] += value
            own_y[month.year] += value
    by_bu = (
        MonthlyRollup.objects.filter(account_id=account.pk)
        .values("business_unit_id")
        .annotate(total=Sum("revenue"))
        .order_by()
    )
    bu_names = dict(BusinessUnit.objects.values_list("id", "name"))
    by_line = (
        MonthlyRollup.objects.filter(account_id=account.pk)
        .values("product_line_id")
        .annotate(total=Sum("revenue"))
        .order_by()
    )
    line_names = dict(ProductLine.objects.values_list("id", "name"))
    children = list(
        account_visible_queryset(user=user).filter(parent_id=account.pk).order_by("name")
    )
    # A subsidiary's figure includes its own subsidiaries.
    parent_of = dict(Account.objects.filter(pk__in=ids).values_list("id", "parent_id"))

    def top_child(node: int) -> int | None:
        while node in parent_of and parent_of[node] != account.pk:
            node = parent_of[node]  # type: ignore[assignment]
            if node is None:
                return None
        return node if parent_of.get(node) == account.pk else None

    child_totals: dict[int, Decimal] = defaultdict(Decimal)
    for acc_id, value in per_account.items():
        if acc_id != account.pk:
            top = top_child(acc_id)
            if top is not None:
                child_totals[top] += value
    quarters = sorted(tree_q)
    return RevenueSummary(
        total=_cents(sum(own_y.values())),
        tree_total=_cents(sum(tree_y.values())),
        by_year=[(y, _cents(own_y[y]), _cents(tree_y[y])) for y in sorted(tree_y)],
        by_quarter=[(q, _cents(own_q[q]), _cents(tree_q[q])) for q in quarters],
        by_business_unit=sorted(
            (
                (bu_names.get(r["business_unit_id"], "No business unit"), _cents(r["total"]))
                for r in by_bu
            ),
            key=lambda x: -x[1],
        ),
        by_product_line=sorted(
            (
                (line_names.get(r["product_line_id"], "No product line"), _cents(r["total"]))
                for r in by_line
            ),
            key=lambda x: -x[1],
        ),
        subsidiaries=[(c, _cents(child_totals.get(c.pk))) for c in children],
        chart={
            "quarters": quarters,
            "own": [float(_cents(own_q[q])) for q in quarters],
            "tree": [float(_cents(tree_q[q])) for q in quarters],
            "has_subsidiaries": len(ids) > 1,
        },
    )


def opportunity_list_for_account(*, account: Account) -> QuerySet[Opportunity]:
    return Opportunity.objects.filter(account=account).select_related(
        "stage", "owner", "product_line"
    )


def opportunity_list_for_user(*, user: Any) -> QuerySet[Opportunity]:
    return Opportunity.objects.filter(
        account__in=account_visible_queryset(user=user)
    ).select_related("stage", "account", "owner", "product_line")
