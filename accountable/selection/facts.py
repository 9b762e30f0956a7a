"""Facts about accounts that a scoring model can use, as of a date: reads, no writes.

Each fact is a mapping account id -> number for the accounts asked about; an account without
a value for a fact is simply absent (the scoring leaves the factor out for it). Facts from the
sales data (issue #5's monthly rollups and opportunities) are read only when that app is
installed.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

from django.apps import apps
from django.db.models import Avg, Count, Max, Q, Sum

from accountable.accounts.models import Account, TeamMember
from accountable.selection.models import PartnershipAssessment

Facts = dict[int, float]


@dataclass(frozen=True)
class FactInfo:
    key: str
    label: str
    unit: str
    compute: Callable[[list[int], dt.date], Facts]


def revenue_model(name: str) -> Any:
    """A model of the revenue app (issue #5), looked up by name: this module also runs where
    that app is not installed, and then offers none of its facts."""
    return apps.get_model("revenue", name)


def _customer_revenue(ids: list[int], as_of: dt.date) -> Facts:
    rows = Account.objects.filter(pk__in=ids, annual_revenue__isnull=False)
    return {
        pk: float(v) / 1e6 for pk, v in rows.values_list("pk", "annual_revenue") if v is not None
    }


def _employees(ids: list[int], as_of: dt.date) -> Facts:
    rows = Account.objects.filter(pk__in=ids, employees__isnull=False)
    return {pk: float(v) for pk, v in rows.values_list("pk", "employees") if v is not None}


def _assessment(field: str | None) -> Callable[[list[int], dt.date], Facts]:
    def compute(ids: list[int], as_of: dt.date) -> Facts:
        rows = PartnershipAssessment.objects.filter(
            account_id__in=ids, assessed_at__date__lte=as_of
        )
        if field is None:
            names = ["integrate", "dedicate_team", "share_data", "joint_funding", "strategic_fit"]
            totals: dict[int, list[float]] = defaultdict(list)
            for row in rows.values_list("account_id", *names):
                totals[row[0]].append(sum(row[1:]) / len(names))
            return {a: sum(v) / len(v) for a, v in totals.items()}
        return {
            a: float(v)
            for a, v in rows.values("account_id")
            .annotate(mean=Avg(field))
            .values_list("account_id", "mean")
        }

    return compute


def _team_size(ids: list[int], as_of: dt.date) -> Facts:
    rows = TeamMember.objects.filter(account_id__in=ids).values("account_id")
    return {a: float(n) for a, n in rows.annotate(n=Count("pk")).values_list("account_id", "n")}


def month_start_shifted(day: dt.date, months: int) -> dt.date:
    """The first day of the month `months` after (negative: before) the month of `day`."""
    index = day.year * 12 + day.month - 1 + months
    return dt.date(index // 12, index % 12 + 1, 1)


def _rollup_sum(field: str, start_months: int, end_months: int) -> Callable[..., Facts]:
    """Sum of a monthly rollup field over the months [as_of - start, as_of - end)."""

    def compute(ids: list[int], as_of: dt.date) -> Facts:
        rollup = revenue_model("MonthlyRollup")
        first = month_start_shifted(as_of, 1 - start_months)
        last = month_start_shifted(as_of, 1 - end_months) if end_months else None
        rows = rollup.objects.filter(account_id__in=ids, month__gte=first, month__lte=as_of)
        if last is not None:
            rows = rows.filter(month__lt=last)
        return {
            a: float(v)
            for a, v in rows.values("account_id")
            .annotate(total=Sum(field))
            .values_list("account_id", "total")
            if v is not None
        }

    return compute


def _growth(ids: list[int], as_of: dt.date) -> Facts:
    now = _rollup_sum("revenue", 12, 0)(ids, as_of)
    before = _rollup_sum("revenue", 24, 12)(ids, as_of)
    return {a: (now.get(a, 0.0) / b - 1) * 100 for a, b in before.items() if b > 0}


def _growth_3y(ids: list[int], as_of: dt.date) -> Facts:
    now = _rollup_sum("revenue", 12, 0)(ids, as_of)
    base = _rollup_sum("revenue", 48, 36)(ids, as_of)
    return {
        a: ((now.get(a, 0.0) / b) ** (1 / 3) - 1) * 100
        for a, b in base.items()
        if b > 0 and now.get(a, 0.0) >= 0
    }


def _breadth(ids: list[int], as_of: dt.date) -> Facts:
    rollup = revenue_model("MonthlyRollup")
    first = month_start_shifted(as_of, -11)
    rows = rollup.objects.filter(
        account_id__in=ids, month__gte=first, month__lte=as_of, revenue__gt=0
    ).values("account_id")
    return {
        a: float(n)
        for a, n in rows.annotate(n=Count("product_line", distinct=True)).values_list(
            "account_id", "n"
        )
    }


def _frequency(ids: list[int], as_of: dt.date) -> Facts:
    rollup = revenue_model("MonthlyRollup")
    first = month_start_shifted(as_of, -11)
    rows = rollup.objects.filter(
        account_id__in=ids, month__gte=first, month__lte=as_of, revenue__gt=0
    ).values("account_id")
    return {
        a: float(n)
        for a, n in rows.annotate(n=Count("month", distinct=True)).values_list("account_id", "n")
    }


def _recency(ids: list[int], as_of: dt.date) -> Facts:
    rollup = revenue_model("MonthlyRollup")
    rows = rollup.objects.filter(account_id__in=ids, month__lte=as_of, revenue__gt=0)
    out = {}
    for a, last in (
        rows.values("account_id").annotate(last=Max("month")).values_list("account_id", "last")
    ):
        out[a] = float((as_of.year - last.year) * 12 + as_of.month - last.month)
    return out


def _open_pipeline(ids: list[int], as_of: dt.date) -> Facts:
    opportunity = revenue_model("Opportunity")
    fields = {f.name for f in opportunity._meta.get_fields()}
    rows = opportunity.objects.filter(account_id__in=ids, amount__isnull=False)
    if "stage" in fields:
        stage = opportunity._meta.get_field("stage").related_model
        stage_fields = {f.name for f in stage._meta.get_fields()}
        if "is_closed" in stage_fields:
            rows = rows.filter(stage__is_closed=False)
        elif "closed" in stage_fields:
            rows = rows.filter(stage__closed=False)
    if "created_at" in fields:
        rows = rows.filter(Q(created_at__date__lte=as_of))
    return {
        a: float(v)
        for a, v in rows.values("account_id")
        .annotate(total=Sum("amount"))
        .values_list("account_id", "total")
        if v is not None
    }


def fact_catalogue() -> dict[str, FactInfo]:
    """Every fact a model may use here: the sales facts only with the revenue app."""
    facts = [
        FactInfo("customer_revenue", "Customer's own annual revenue", "M", _customer_revenue),
        FactInfo("employees", "Customer's employees", "", _employees),
        FactInfo("willingness", "Willingness to partner (assessed)", "of 5", _assessment(None)),
        FactInfo("strategic_fit", "Strategic fit (assessed)", "of 5", _assessment("strategic_fit")),
        FactInfo("team_size", "Our account team", "people", _team_size),
    ]
    if apps.is_installed("accountable.revenue"):
        facts += [
            FactInfo(
                "revenue_t12m", "Our revenue, last 12 months", "", _rollup_sum("revenue", 12, 0)
            ),
            FactInfo("margin_t12m", "Our margin, last 12 months", "", _rollup_sum("margin", 12, 0)),
            FactInfo("growth_yoy", "Growth on the year before", "%", _growth),
            FactInfo("growth_3y", "Growth a year over 3 years", "%", _growth_3y),
            FactInfo("breadth", "Product lines bought, last 12 months", "", _breadth),
            FactInfo("frequency", "Months with purchases, last 12", "", _frequency),
            FactInfo("months_since_purchase", "Months since the last purchase", "", _recency),
            FactInfo("open_pipeline", "Open pipeline", "", _open_pipeline),
        ]
    return {f.key: f for f in facts}


def account_facts(
    *, account_ids: Iterable[int], as_of: dt.date, keys: Iterable[str]
) -> dict[str, Facts]:
    catalogue = fact_catalogue()
    ids = list(account_ids)
    return {key: catalogue[key].compute(ids, as_of) for key in set(keys)}
