"""Every write of revenue data that is not an import: rollups, offerings, whitespace."""

from __future__ import annotations

from collections.abc import Iterable
from decimal import Decimal
from typing import Any

from django.db import transaction
from django.db.models import Count, Sum
from django.db.models.functions import TruncMonth

from accountable.core.errors import ValidationFailed
from accountable.history.services import audit_context
from accountable.revenue.models import (
    MonthlyRollup,
    ProductLine,
    SalesLine,
    WhitespaceCell,
    WhitespaceStatus,
)

FOUR = Decimal("0.0001")
BATCH = 500


def _four(value: Any) -> Decimal | None:
    return None if value is None else Decimal(value).quantize(FOUR)


@transaction.atomic
def rollup_refresh(*, account_ids: Iterable[int] | None = None) -> int:
    """Rebuild the monthly rollups of these accounts (all accounts when None) from their sales
    lines; returns how many rollup rows there are now for them.

    1. Delete the accounts' rollups.
    2. Group their sales lines by account x month x product line x business unit in the
       database (one query per batch of accounts) and insert the sums.
    """
    if account_ids is None:
        ids = list(SalesLine.objects.values_list("account_id", flat=True).distinct())
        MonthlyRollup.objects.all().delete()
    else:
        ids = sorted(set(account_ids))
    written = 0
    for start in range(0, len(ids), BATCH):
        chunk = ids[start : start + BATCH]
        MonthlyRollup.objects.filter(account_id__in=chunk).delete()
        groups = (
            SalesLine.objects.filter(account_id__in=chunk)
            .annotate(month=TruncMonth("date"))
            .values("account_id", "month", "product_line_id", "business_unit_id")
            .annotate(
                revenue=Sum("amount"),
                margin_sum=Sum("margin"),
                quantity_sum=Sum("quantity"),
                orders=Count("invoice", distinct=True),
                lines=Count("id"),
            )
            .order_by()
        )
        rows = [
            MonthlyRollup(
                account_id=g["account_id"],
                month=g["month"],
                product_line_id=g["product_line_id"],
                business_unit_id=g["business_unit_id"],
                revenue=_four(g["revenue"]) or Decimal(0),
                margin=_four(g["margin_sum"]),
                quantity=Decimal(g["quantity_sum"] or 0).quantize(Decimal("0.0001")),
                orders=g["orders"],
                lines=g["lines"],
            )
            for g in groups
        ]
        MonthlyRollup.objects.bulk_create(rows, batch_size=1000)
        written += len(rows)
    return written


@transaction.atomic
def product_line_create(*, name: str, actor: Any, description: str = "") -> ProductLine:
    name = (name or "").strip()
    if not name:
        raise ValidationFailed("A product line needs a name.", field="name")
    if ProductLine.objects.filter(name=name).exists():
        raise ValidationFailed(f"There is already a product line {name!r}.", field="name")
    with audit_context(actor=actor):
        return ProductLine.objects.create(name=name[:120], description=description)


@transaction.atomic
def whitespace_cell_set(
    *,
    account: Any,
    product_line: ProductLine,
    buying_centre: Any,
    actor: Any,
    status: str,
    potential: Decimal | None = None,
    competitor: str = "",
) -> WhitespaceCell:
    """Set one cell of an account's whitespace matrix (status, competitor, potential)."""
    if status not in WhitespaceStatus.values:
        raise ValidationFailed(f"Unknown status {status!r}.", field="status")
    if buying_centre is not None and buying_centre.account_id != account.pk:
        raise ValidationFailed(
            "That buying centre belongs to another account.", field="buying_centre"
        )
    competitor = (competitor or "").strip()
    if status == WhitespaceStatus.COMPETITOR and not competitor:
        raise ValidationFailed("Name the competitor that holds it.", field="competitor")
    if potential is not None and (potential < 0 or potential >= Decimal(10) ** 13):
        raise ValidationFailed("Potential must be between 0 and 10^13.", field="potential")
    with audit_context(actor=actor):
        cell = (
            # No ordering: the default one joins the (nullable) buying centre, and PostgreSQL
            # cannot lock the nullable side of an outer join.
            WhitespaceCell.objects.select_for_update(of=("self",))
            .filter(account=account, product_line=product_line, buying_centre=buying_centre)
            .order_by("pk")
            .first()
        ) or WhitespaceCell(account=account, product_line=product_line, buying_centre=buying_centre)
        cell.status = status
        cell.competitor = competitor[:120]
        cell.potential = potential
        cell.save()
    return cell
