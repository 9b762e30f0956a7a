"""Revenue pages: the Revenue tab of an account (chart, tables) and its pipeline."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from accountable.accounts.selectors import Access, account_get_for_user
from accountable.accounts.services import current_ownership
from accountable.revenue.selectors import (
    opportunity_list_for_account,
    revenue_summary_for_account,
)


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
