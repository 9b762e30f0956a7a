"""Revenue pages: an account's Revenue tab (chart, tables, pipeline) and Whitespace tab, and
the key-account pricing check."""

from __future__ import annotations

from collections.abc import Iterable
from decimal import Decimal
from typing import Any

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse, HttpResponseBase
from django.shortcuts import render
from django.urls import reverse

from accountable.accounts.selectors import Access, account_get_for_user
from accountable.accounts.services import current_ownership
from accountable.core.errors import DomainError
from accountable.core.forms import form_add_domain_error
from accountable.core.views import redirect_after_post
from accountable.revenue.exports import table_response
from accountable.revenue.forms import PeriodForm, WhitespaceCellForm
from accountable.revenue.selectors import (
    opportunity_list_for_account,
    pricing_check_for_user,
    revenue_summary_for_account,
    whitespace_for_account,
)
from accountable.revenue.services import whitespace_cell_set


@login_required
def account_revenue(request: HttpRequest, pk: int) -> HttpResponse:
    account = account_get_for_user(user=request.user, id=pk)
    summary = revenue_summary_for_account(account=account, user=request.user)
    return render(
        request,
        "revenue/account_revenue.html",
        {
            "account": account,
            "ownership": current_ownership(account),
            "can_write": account.access >= Access.WRITE,  # type: ignore[attr-defined]
            "is_director": request.user.is_director,  # type: ignore[union-attr]
            "tab": "revenue",
            "summary": summary,
            "opportunities": opportunity_list_for_account(account=account)[:100],
        },
    )


# --- Whitespace ----------------------------------------------------------------------------------


def _whitespace_rows(ws: Any) -> Iterable[list[Any]]:
    names = ["Whole account" if c is None else c.name for c in ws.columns]
    yield [
        "Product line",
        *[f"{n} status" for n in names],
        "Current revenue",
        "Potential",
        "Untapped",
    ]
    for row in ws.rows:
        statuses = [
            (f"{c.get_status_display()}{f' ({c.competitor})' if c.competitor else ''}" if c else "")
            for c in row.cells
        ]
        yield [row.product_line.name, *statuses, row.current, row.potential, row.untapped]
    yield ["Total", *["" for _ in names], ws.current, ws.potential, ws.untapped]


@login_required
def account_whitespace(request: HttpRequest, pk: int) -> HttpResponseBase:
    post = request.method == "POST"
    account = account_get_for_user(user=request.user, id=pk, write=post)
    form = WhitespaceCellForm(request.POST if post else None, account=account)
    if post and form.is_valid():
        data = form.cleaned_data
        try:
            whitespace_cell_set(
                account=account,
                product_line=data["product_line"],
                buying_centre=data["buying_centre"],
                actor=request.user,
                status=data["status"],
                potential=data["potential"],
                competitor=data["competitor"],
            )
        except DomainError as exc:
            form_add_domain_error(form, exc)
        else:
            return redirect_after_post(request, reverse("revenue:whitespace", args=[account.pk]))
    ws = whitespace_for_account(account=account)
    fmt = request.GET.get("format", "")
    if fmt in ("csv", "xlsx"):
        return table_response(_whitespace_rows(ws), filename=f"whitespace-{account.pk}", fmt=fmt)
    return render(
        request,
        "revenue/account_whitespace.html",
        {
            "account": account,
            "ownership": current_ownership(account),
            "can_write": account.access >= Access.WRITE,  # type: ignore[attr-defined]
            "is_director": request.user.is_director,  # type: ignore[union-attr]
            "tab": "whitespace",
            "ws": ws,
            "form": form,
            "action": reverse("revenue:whitespace", args=[account.pk]),
        },
    )


# --- Key-account pricing check -------------------------------------------------------------------


def _num(value: Any) -> str:
    """A decimal without trailing zeros: 150.0000 -> 150, 8.5000 -> 8.5."""
    return format(Decimal(value).normalize(), "f")


def _group_cells(stats: Any) -> list[Any]:
    figures = (stats.quantity, stats.median, stats.p25, stats.p75, stats.low, stats.high)
    return [stats.lines, *map(_num, figures)]


def _pricing_rows(report: Any) -> Iterable[list[Any]]:
    yield [
        "Product code", "Product", "Flagged", "Gap % (others vs key)",
        "Key lines", "Key quantity", "Key median", "Key p25", "Key p75", "Key min", "Key max",
        "Other lines", "Other quantity", "Other median", "Other p25", "Other p75", "Other min",
        "Other max",
    ]  # fmt: skip
    for c in report.checks:
        product = report.products.get(c.product_id)
        yield [
            product.code if product else c.product_id,
            product.name if product else "",
            "yes" if c.flagged else "no",
            c.gap_pct,
            *_group_cells(c.key),
            *_group_cells(c.other),
        ]  # fmt: skip


@login_required
def pricing_check_view(request: HttpRequest) -> HttpResponseBase:
    form = PeriodForm(request.GET or None)
    start = end = None
    if form.is_valid():
        start, end = form.cleaned_data["start"], form.cleaned_data["end"]
    report = pricing_check_for_user(user=request.user, start=start, end=end)
    fmt = request.GET.get("format", "")
    if fmt in ("csv", "xlsx"):
        return table_response(_pricing_rows(report), filename="pricing-check", fmt=fmt)
    return render(
        request,
        "revenue/pricing_check.html",
        {"report": report, "form": form, "query": request.GET.urlencode(), "app": "revenue"},
    )
