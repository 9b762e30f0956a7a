"""Demo revenue and pipeline: offerings, two years of invoice lines for the programme's accounts,
opportunities with their stage history, whitespace cells; reproducible (a fixed seed).

Key accounts mostly pay less than other customers, except for two products where they do not,
so that the key-account pricing check has something to show.
"""

from __future__ import annotations

import datetime as dt
import random
from collections.abc import Callable
from decimal import Decimal

from django.utils import timezone

from accountable.accounts.models import OWNED_STATUSES, Account, ProgrammeStatus
from accountable.history.models import Action, Event
from accountable.history.services import audit_context_current, event_record_many, snapshot_of
from accountable.people.models import BusinessUnit
from accountable.revenue.models import (
    Opportunity,
    OpportunityStage,
    OpportunityStageChange,
    Product,
    ProductLine,
    SalesLine,
    WhitespaceCell,
    WhitespaceStatus,
)
from accountable.revenue.services import rollup_refresh

SOURCE = "demo"
MONTHS = 24
# Accounts beyond these are prospects with no revenue: the demo stays quick at 100,000 accounts.
MAX_ACCOUNTS_WITH_REVENUE = 400

OFFERINGS = {
    "Resins": [("RES-100", "Epoxy resin", 42), ("RES-200", "Polyurethane resin", 55)],
    "Coatings": [
        ("COA-100", "Primer", 18),
        ("COA-200", "Topcoat", 26),
        ("COA-300", "Clearcoat", 31),
    ],
    "Adhesives": [("ADH-100", "Structural adhesive", 64), ("ADH-200", "Sealant", 12)],
    "Services": [("SRV-100", "Application training", 950), ("SRV-200", "Line audit", 2400)],
}
# Products whose key-account price is not better than the list price (the pricing check's finds).
NO_KEY_DISCOUNT = {"COA-300", "ADH-200"}
STAGES = [
    ("Prospecting", 10, False, False),
    ("Qualification", 20, False, False),
    ("Needs analysis", 35, False, False),
    ("Proposal", 60, False, False),
    ("Negotiation", 80, False, False),
    ("Closed Won", 100, True, True),
    ("Closed Lost", 0, True, False),
]


def revenue_demo_load(
    *,
    now: dt.datetime | None = None,
    seed: int = 5,
    progress: Callable[[str, int, int], None] | None = None,
) -> int:
    """Write the demo's revenue data for the accounts already loaded; returns sales lines.

    `now` dates it (the demo plan's); the events it records are dated the day before."""
    now = now or timezone.now()
    rng = random.Random(seed)
    first_event = Event.objects.order_by("-id").values_list("id", flat=True).first() or 0
    lines_by_name = {}
    for name in OFFERINGS:
        lines_by_name[name] = ProductLine.objects.create(name=name)
    products: list[tuple[Product, int]] = []
    for line_name, items in OFFERINGS.items():
        for code, name, price in items:
            product = Product.objects.create(
                source=SOURCE, code=code, name=name, product_line=lines_by_name[line_name]
            )
            products.append((product, price))
    stages = [
        OpportunityStage.objects.create(
            name=name, order=n, probability=p, is_closed=closed, is_won=won
        )
        for n, (name, p, closed, won) in enumerate(STAGES, start=1)
    ]
    units = list(BusinessUnit.objects.order_by("code"))
    programme = [ProgrammeStatus.KEY_ACCOUNT, ProgrammeStatus.PILOT, ProgrammeStatus.CANDIDATE]
    accounts = list(
        Account.objects.filter(programme_status__in=programme).order_by("name", "id")[
            :MAX_ACCOUNTS_WITH_REVENUE
        ]
    )
    others = list(
        Account.objects.exclude(programme_status__in=programme).order_by("name", "id")[
            : max(20, MAX_ACCOUNTS_WITH_REVENUE - len(accounts)) // 4
        ]
    )
    today = now.date()
    first = dt.date(today.year - MONTHS // 12, today.month, 1)
    lines: list[SalesLine] = []
    invoice_no = 100000
    for index, account in enumerate([*accounts, *others]):
        key = account.programme_status in OWNED_STATUSES
        size = rng.choice([1, 2, 3, 5]) * (3 if key else 1)
        bought = rng.sample(products, k=rng.randint(3, len(products)))
        for month in range(MONTHS):
            year, mon = divmod(first.month - 1 + month, 12)
            for _ in range(rng.randint(0, 2) + (1 if key else 0)):
                invoice_no += 1
                day = dt.date(first.year + year, mon + 1, rng.randint(1, 28))
                for n, (product, price) in enumerate(rng.sample(bought, k=min(3, len(bought)))):
                    discount = 0 if (not key or product.code in NO_KEY_DISCOUNT) else 0.12
                    # Key accounts get a discount; one-off customers pay list, or a little less
                    # on the two products nobody negotiated.
                    if not key and product.code in NO_KEY_DISCOUNT:
                        discount = 0.08
                    unit = Decimal(str(round(price * (1 - discount) * rng.uniform(0.97, 1.03), 2)))
                    qty = Decimal(rng.randint(1, 20) * size)
                    credit = rng.random() < 0.02
                    lines.append(
                        SalesLine(
                            account=account,
                            date=day,
                            source=SOURCE,
                            invoice=f"{'CN' if credit else 'INV'}{invoice_no}",
                            line=str(n + 1),
                            product=product,
                            product_line_id=product.product_line_id,
                            business_unit=units[index % len(units)] if units else None,
                            quantity=-qty if credit else qty,
                            unit_price=unit,
                            amount=(-qty if credit else qty) * unit,
                            margin=((-qty if credit else qty) * unit * Decimal("0.3")).quantize(
                                Decimal("0.01")
                            ),
                            currency="EUR",
                        )
                    )
        if progress is not None and index % 50 == 0:
            progress("revenue", index, len(accounts) + len(others))
    SalesLine.objects.bulk_create(lines, batch_size=2000)
    _record_lines(lines)
    rollup_refresh(account_ids={line.account_id for line in lines})
    _pipeline(rng, accounts, stages, list(lines_by_name.values()), units, today)
    _whitespace(rng, accounts, list(lines_by_name.values()))
    Event.objects.filter(pk__gt=first_event).update(at=now - dt.timedelta(days=1))
    return len(lines)


def _record_lines(lines: list[SalesLine]) -> None:
    per_account: dict[int, int] = {}
    for line in lines:
        per_account[line.account_id] = per_account.get(line.account_id, 0) + 1
    ctx = audit_context_current()
    now = timezone.now()
    Event.objects.bulk_create(
        [
            Event(
                at=now,
                actor_name=ctx.actor_name(),
                source=ctx.source,
                account_id=account_id,
                object_type="revenue.salesline",
                object_id="demo",
                object_repr="Demo sales lines",
                action=Action.CREATED,
                changes={"lines created": [None, n]},
            )
            for account_id, n in per_account.items()
        ],
        batch_size=2000,
    )


def _pipeline(
    rng: random.Random,
    accounts: list[Account],
    stages: list[OpportunityStage],
    product_lines: list[ProductLine],
    units: list[BusinessUnit],
    today: dt.date,
) -> None:
    opportunities = []
    for account in accounts:
        for n in range(rng.randint(0, 3)):
            stage = rng.choice(stages)
            line = rng.choice(product_lines)
            opportunities.append(
                Opportunity(
                    account=account,
                    name=f"{account.name}: {line.name} {n + 1}",
                    source=SOURCE,
                    stage=stage,
                    amount=Decimal(rng.randrange(5, 400) * 1000),
                    currency="EUR",
                    probability=stage.probability,
                    close_date=today + dt.timedelta(days=rng.randint(-120, 240)),
                    product_line=line,
                    business_unit=rng.choice(units) if units else None,
                )
            )
    Opportunity.objects.bulk_create(opportunities, batch_size=1000)
    event_record_many([(o, Action.CREATED, snapshot_of(o)) for o in opportunities])
    changes = []
    now = dt.datetime.combine(today, dt.time(9), tzinfo=dt.UTC)
    for o in opportunities:
        reached = stages.index(o.stage) if not o.stage.is_closed else 4
        path = stages[: reached + 1] if not o.stage.is_closed else [*stages[:reached], o.stage]
        for step, stage in enumerate(path):
            changes.append(
                OpportunityStageChange(
                    opportunity=o,
                    stage=stage,
                    at=now - dt.timedelta(days=20 * (len(path) - step)),
                    amount=o.amount,
                )
            )
    OpportunityStageChange.objects.bulk_create(changes, batch_size=2000)


def _whitespace(rng: random.Random, accounts: list[Account], lines: list[ProductLine]) -> None:
    cells = []
    for account in accounts:
        if account.programme_status != ProgrammeStatus.KEY_ACCOUNT:
            continue
        for line in lines:
            status = rng.choice(list(WhitespaceStatus))
            cells.append(
                WhitespaceCell(
                    account=account,
                    product_line=line,
                    status=status,
                    competitor="Rival Chemie" if status == WhitespaceStatus.COMPETITOR else "",
                    potential=Decimal(rng.randrange(0, 60) * 5000),
                )
            )
    WhitespaceCell.objects.bulk_create(cells, batch_size=1000)
    event_record_many([(c, Action.CREATED, snapshot_of(c)) for c in cells])
