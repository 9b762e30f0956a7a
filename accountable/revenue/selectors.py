"""Reads of revenue and pipeline: an account's revenue (and its global account's), opportunities,
whitespace and the key-account pricing check. Revenue is read from the monthly rollups."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.db.models import Count, QuerySet, Sum

from accountable.accounts.models import Account
from accountable.accounts.selectors import account_visible_queryset
from accountable.people.models import BusinessUnit
from accountable.revenue.models import (
    MonthlyRollup,
    Opportunity,
    Product,
    ProductLine,
    SalesLine,
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


# --- Key-account pricing check -------------------------------------------------------------------


@dataclass
class PricingReport:
    start: dt.date | None
    end: dt.date | None
    checks: list[Any]  # pricing.ProductCheck
    products: dict[int, Any]

    @property
    def flagged(self) -> int:
        return sum(1 for c in self.checks if c.flagged)

    @property
    def rows(self) -> list[tuple[Any, Any]]:
        return [(c, self.products.get(c.product_id)) for c in self.checks]


def pricing_period_default() -> tuple[dt.date | None, dt.date | None]:
    """The last 12 months of the sales lines on record (imported data may be years old)."""
    from django.db.models import Max

    latest = SalesLine.objects.aggregate(m=Max("date"))["m"]
    if latest is None:
        return None, None
    return latest - dt.timedelta(days=365), latest


def pricing_check_for_user(
    *, user: Any, start: dt.date | None = None, end: dt.date | None = None, min_lines: int = 3
) -> PricingReport:
    """Unit prices paid by key accounts (pilot and key account status) against everyone
    else's, per product. Prices across all customers: programme directors and executives."""
    from django.core.exceptions import PermissionDenied

    from accountable.accounts.models import OWNED_STATUSES
    from accountable.revenue.pricing import KEY, OTHER, pricing_check

    if not getattr(user, "reads_everything", False):
        raise PermissionDenied(
            "Only programme directors and executives see prices across customers."
        )
    if start is None and end is None:
        start, end = pricing_period_default()
    lines = SalesLine.objects.filter(product__isnull=False, quantity__gt=0, unit_price__gt=0)
    if start is not None:
        lines = lines.filter(date__gte=start)
    if end is not None:
        lines = lines.filter(date__lte=end)
    grouped = (
        lines.values("product_id", "account__programme_status", "unit_price")
        .annotate(qty=Sum("quantity"), n=Count("id"))
        .order_by()
    )
    key_statuses = {str(s) for s in OWNED_STATUSES}
    rows = (
        (
            g["product_id"],
            KEY if g["account__programme_status"] in key_statuses else OTHER,
            Decimal(g["unit_price"]),
            Decimal(g["qty"]),
            g["n"],
        )
        for g in grouped
    )
    checks = pricing_check(rows, min_lines=min_lines)
    products = Product.objects.in_bulk([c.product_id for c in checks])
    return PricingReport(start=start, end=end, checks=checks, products=products)


# --- Whitespace ----------------------------------------------------------------------------------


@dataclass
class WhitespaceRow:
    product_line: ProductLine
    cells: list[Any]  # WhitespaceCell or None, one per column
    current: Decimal
    potential: Decimal
    untapped: Decimal


@dataclass
class Whitespace:
    columns: list[Any]  # None (the whole account) then the buying centres
    rows: list[WhitespaceRow]
    current: Decimal
    potential: Decimal
    untapped: Decimal
    period: tuple[dt.date, dt.date] | None
    suggestions: list[tuple[ProductLine, int, int]]  # (line, peers buying it, peers)


def whitespace_for_account(*, account: Account) -> Whitespace:
    """Our product lines x the account's buying centres: status, competitor, potential (entered),
    current revenue over the last 12 months on record (from the rollups, per product line, for
    the whole account: sales lines do not name a buying centre), untapped = potential - current.
    Also the product lines that similar accounts (same industry) buy and this one does not."""
    from django.db.models import Max

    from accountable.accounts.models import BuyingCentre
    from accountable.revenue.models import WhitespaceCell

    columns: list[Any] = [None, *BuyingCentre.objects.filter(account=account).order_by("name")]
    lines = list(ProductLine.objects.all())
    cells = {
        (c.product_line_id, c.buying_centre_id): c
        for c in WhitespaceCell.objects.filter(account=account)
    }
    latest = MonthlyRollup.objects.aggregate(m=Max("month"))["m"]
    current: dict[int | None, Decimal] = defaultdict(Decimal)
    period = None
    if latest is not None:
        start = dt.date(latest.year - 1, latest.month, 1)
        period = (start, latest)
        for r in (
            MonthlyRollup.objects.filter(account=account, month__gt=start, month__lte=latest)
            .values("product_line_id")
            .annotate(total=Sum("revenue"))
            .order_by()
        ):
            current[r["product_line_id"]] += Decimal(r["total"] or 0)
    rows = []
    for line in lines:
        row_cells = [cells.get((line.pk, col.pk if col else None)) for col in columns]
        potential = sum((c.potential or Decimal(0) for c in row_cells if c), Decimal(0))
        now = _cents(current.get(line.pk))
        rows.append(
            WhitespaceRow(
                product_line=line,
                cells=row_cells,
                current=now,
                potential=_cents(potential),
                untapped=_cents(max(potential - now, Decimal(0))),
            )
        )
    # Similar accounts: same industry (all accounts when the industry is not known).
    peers = Account.objects.exclude(pk=account.pk)
    if account.industry:
        peers = peers.filter(industry=account.industry)
    peer_ids = peers.values("id")
    bought = (
        MonthlyRollup.objects.filter(account_id__in=peer_ids, product_line__isnull=False)
        .values("product_line_id")
        .annotate(n=Count("account_id", distinct=True))
        .order_by("-n")
    )
    peer_count = MonthlyRollup.objects.filter(account_id__in=peer_ids).aggregate(
        n=Count("account_id", distinct=True)
    )["n"]
    own = set(
        MonthlyRollup.objects.filter(account=account).values_list("product_line_id", flat=True)
    )
    by_id = {line.pk: line for line in lines}
    suggestions = [
        (by_id[b["product_line_id"]], b["n"], peer_count)
        for b in bought
        if b["product_line_id"] not in own and b["product_line_id"] in by_id
    ][:10]
    return Whitespace(
        columns=columns,
        rows=rows,
        current=_cents(sum((r.current for r in rows), Decimal(0))),
        potential=_cents(sum((r.potential for r in rows), Decimal(0))),
        untapped=_cents(sum((r.untapped for r in rows), Decimal(0))),
        period=period,
        suggestions=suggestions,
    )
