"""The key-account pricing check's statistics (pure: no Django).

PRODUCT requirement 10: key accounts should pay less than one-off, transactional customers.
For each product we have, per customer group, the distinct unit prices paid with the quantity
bought at each; a volume-weighted median and quartiles summarise them.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal

KEY = "key"
OTHER = "other"


@dataclass(frozen=True)
class PriceStats:
    lines: int
    quantity: Decimal
    median: Decimal
    p25: Decimal
    p75: Decimal
    low: Decimal
    high: Decimal


@dataclass(frozen=True)
class ProductCheck:
    product_id: int
    key: PriceStats
    other: PriceStats

    @property
    def flagged(self) -> bool:
        """One-off customers pay the same or less than key accounts."""
        return self.other.median <= self.key.median

    @property
    def gap_pct(self) -> Decimal:
        """How much more (positive) one-off customers pay than key accounts, in % of key."""
        if not self.key.median:
            return Decimal(0)
        return ((self.other.median - self.key.median) / self.key.median * 100).quantize(
            Decimal("0.1")
        )


def weighted_quantile(points: list[tuple[Decimal, Decimal]], q: float) -> Decimal:
    """The price below which a share `q` of the quantity was bought.

    `points` are (price, quantity) with positive quantities, in any order.
    """
    ordered = sorted(points)
    total = sum(w for _, w in ordered)
    if not ordered or total <= 0:
        raise ValueError("no quantity")
    threshold = Decimal(str(q)) * total
    running = Decimal(0)
    for price, weight in ordered:
        running += weight
        if running >= threshold:
            return price
    return ordered[-1][0]


def price_stats(points: list[tuple[Decimal, Decimal, int]]) -> PriceStats:
    """(price, quantity, lines) -> the group's statistics."""
    weighted = [(p, w) for p, w, _ in points]
    return PriceStats(
        lines=sum(n for _, _, n in points),
        quantity=sum((w for _, w, _ in points), Decimal(0)),
        median=weighted_quantile(weighted, 0.5),
        p25=weighted_quantile(weighted, 0.25),
        p75=weighted_quantile(weighted, 0.75),
        low=min(p for p, _, _ in points),
        high=max(p for p, _, _ in points),
    )


def pricing_check(
    rows: Iterable[tuple[int, str, Decimal, Decimal, int]], *, min_lines: int = 3
) -> list[ProductCheck]:
    """rows: (product id, KEY or OTHER, unit price, quantity, lines). Products bought by both
    groups, with at least `min_lines` lines in each, positive prices and quantities only;
    flagged products first, then by the gap."""
    groups: dict[int, dict[str, list[tuple[Decimal, Decimal, int]]]] = {}
    for product_id, group, price, quantity, lines in rows:
        if price <= 0 or quantity <= 0:
            continue
        groups.setdefault(product_id, {KEY: [], OTHER: []})[group].append(
            (Decimal(price), Decimal(quantity), lines)
        )
    checks = []
    for product_id, by_group in groups.items():
        key, other = by_group[KEY], by_group[OTHER]
        if sum(n for *_, n in key) < min_lines or sum(n for *_, n in other) < min_lines:
            continue
        checks.append(ProductCheck(product_id, price_stats(key), price_stats(other)))
    checks.sort(key=lambda c: (not c.flagged, c.gap_pct, c.product_id))
    return checks
