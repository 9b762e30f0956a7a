"""The import engine: one run of a preset over its files, all or nothing.

How a run goes (`import_execute`):
1. The preset sorts the files into kinds by their header (a Salesforce Account export, a
   Northwind order_details file, …) and orders them so that what others refer to comes first.
2. Each file is streamed row by row; a row that cannot be read or refers to nothing is
   rejected with its row number, column and reason; valid rows are written in chunks,
   each compared with what is stored under the same source id: created, updated, unchanged.
3. The monthly rollups of every account whose sales lines changed are rebuilt, and history
   records the changes (per row for accounts and opportunities, per import and account for
   sales lines, which carry the run's id).
4. All of it happens in one transaction: an error rolls back everything; a dry run rolls back
   on purpose and keeps only the counts and the rejected rows.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any, NamedTuple

from django.db import connection, models, transaction
from django.db.models import F
from django.utils import timezone
from django_countries import countries

from accountable.accounts.models import Account, ExternalId, ProgrammeStatus, ProgrammeStatusChange
from accountable.exchange.models import ImportReject, ImportRun
from accountable.exchange.readers import SourceFile
from accountable.history.models import Action, Event
from accountable.history.services import audit_context_current, event_record_many, snapshot_of
from accountable.revenue.models import Product, ProductLine, SalesLine

CHUNK = 5000
# SQLite allows 999 parameters per query in old builds; stay under it for `IN (...)` lists.
IN_BATCH = 900
FOUR = Decimal("0.0001")

Progress = Callable[[int, int, int], None]  # (bytes read, bytes total, rows read)


class DryRunRollback(Exception):
    """Raised at the end of a dry run to roll its writes back."""


@dataclass
class Reject:
    file: str
    row: int
    column: str
    reason: str


@dataclass
class ImportContext:
    """What a run has done so far; presets write through its helpers."""

    run: ImportRun
    actor: Any
    progress: Progress | None = None
    counts: dict[str, Counter[str]] = field(default_factory=lambda: defaultdict(Counter))
    rejects: list[Reject] = field(default_factory=list)
    skipped: int = 0
    rows_read: int = 0
    bytes_done: int = 0  # of the files already finished
    bytes_total: int = 0
    touched_accounts: set[int] = field(default_factory=set)
    # account id → [lines created, lines updated], for the history summary.
    line_changes: dict[int, list[int]] = field(default_factory=dict)
    notes: list[str] = field(default_factory=list)
    _last_tick: int = 0

    def reject(self, file: SourceFile, row: int, column: str, reason: str) -> None:
        self.rejects.append(Reject(file.name, row, column, reason))

    def count(self, kind: str, what: str, n: int = 1) -> None:
        self.counts[kind][what] += n

    def tick(self, position: int) -> None:
        self.rows_read += 1
        if self.progress is not None and self.rows_read - self._last_tick >= 2000:
            self._last_tick = self.rows_read
            self.progress(self.bytes_done + position, self.bytes_total, self.rows_read)


def batched(items: list[Any], size: int = IN_BATCH) -> Iterable[list[Any]]:
    for start in range(0, len(items), size):
        yield items[start : start + size]


# --- Accounts ------------------------------------------------------------------------------------


ACCOUNT_FIELDS = ("name", "industry", "country", "employees", "annual_revenue", "website")


def accounts_upsert(
    ctx: ImportContext,
    *,
    source: str,
    rows: dict[str, dict[str, Any]],
    update_fields: tuple[str, ...] | None = None,
) -> dict[str, int]:
    """Create or update accounts known by `source` ids; returns {external id: account id}.

    Only the fields given are compared and changed (a blank field in the file leaves what a
    person entered alone).
    """
    ids = list(rows)
    known: dict[str, int] = {}
    for chunk in batched(ids):
        known.update(
            ExternalId.objects.filter(source=source, value__in=chunk).values_list(
                "value", "account_id"
            )
        )
    existing = {
        a.pk: a
        for chunk in batched(list(known.values()))
        for a in Account.objects.filter(pk__in=chunk)
    }
    for ext, fields in rows.items():
        if ext not in known:
            continue
        account = existing[known[ext]]
        changed = {
            name: value
            for name, value in fields.items()
            if (update_fields is None or name in update_fields)
            and value not in (None, "")
            and getattr(account, name) != value
        }
        if changed:
            for name, value in changed.items():
                setattr(account, name, value)
            account.version = F("version") + 1  # type: ignore[assignment]
            account.save(update_fields=[*changed, "version", "updated_at"])
            ctx.count("accounts", "updated")
        else:
            ctx.count("accounts", "unchanged")
    new = [ext for ext in ids if ext not in known]
    if not new:
        return known
    now = timezone.now()
    accounts = [
        Account(**{k: v for k, v in rows[ext].items() if v is not None}, created_at=now)
        for ext in new
    ]
    Account.objects.bulk_create(accounts, batch_size=500)
    for chunk in batched([a.pk for a in accounts]):
        Account.objects.filter(pk__in=chunk).update(root_id=F("id"))
    for account in accounts:
        account.root_id = account.pk
    externals = [
        ExternalId(account_id=a.pk, source=source, value=ext)
        for ext, a in zip(new, accounts, strict=True)
    ]
    ExternalId.objects.bulk_create(externals, batch_size=500)
    actor = ctx.actor if getattr(ctx.actor, "is_authenticated", False) else None
    ProgrammeStatusChange.objects.bulk_create(
        [
            ProgrammeStatusChange(
                account_id=a.pk,
                from_status="",
                to_status=a.programme_status,
                at=now,
                actor=actor,
                actor_name=audit_context_current().actor_name(),
                reason=f"Imported from {source} (import #{ctx.run.pk})",
            )
            for a in accounts
        ],
        batch_size=500,
    )
    event_record_many([(a, Action.CREATED, _account_snapshot(a)) for a in accounts])
    event_record_many(
        [
            (e, Action.CREATED, {"source": [None, source], "value": [None, e.value]})
            for e in externals
        ]
    )
    ctx.count("accounts", "created", len(accounts))
    known.update({ext: a.pk for ext, a in zip(new, accounts, strict=True)})
    return known


def _account_snapshot(account: Account) -> dict[str, list[Any]]:
    """What `snapshot_of` records for a new account, without its per-row lookups (the
    country's name, the status label): thousands of accounts come in one import."""
    changes: dict[str, list[Any]] = {
        "name": [None, account.name],
        "programme_status": [None, str(ProgrammeStatus(account.programme_status).label)],
    }
    for name in ("industry", "website"):
        if getattr(account, name):
            changes[name] = [None, getattr(account, name)]
    if account.country:
        changes["country"] = [None, str(countries.name(str(account.country)))]
    for name in ("employees", "annual_revenue"):
        value = getattr(account, name)
        if value is not None:
            changes[name] = [None, value if isinstance(value, int) else str(value)]
    return changes


def account_ids_by_external(source: str, values: Iterable[str]) -> dict[str, int]:
    found: dict[str, int] = {}
    for chunk in batched(list(set(values))):
        found.update(
            ExternalId.objects.filter(source=source, value__in=chunk).values_list(
                "value", "account_id"
            )
        )
    return found


# --- Offerings -----------------------------------------------------------------------------------


def product_lines_upsert(ctx: ImportContext, names: Iterable[str]) -> dict[str, int]:
    wanted = {n.strip() for n in names if n.strip()}
    known = dict(ProductLine.objects.filter(name__in=wanted).values_list("name", "id"))
    ctx.count("product lines", "unchanged", len(known))
    for name in sorted(wanted - set(known)):
        known[name] = ProductLine.objects.create(name=name).pk
        ctx.count("product lines", "created")
    return known


def products_upsert(
    ctx: ImportContext,
    *,
    source: str,
    rows: dict[str, tuple[str, int | None]],
    update: bool = True,
) -> dict[str, tuple[int, int | None]]:
    """{code: (name, product line id)} → {code: (product id, product line id)}.

    With `update=False` a known product keeps its name (Online Retail II spells one product's
    description several ways; the first one seen stays).
    """
    codes = list(rows)
    found: dict[str, Product] = {}
    for chunk in batched(codes):
        found.update({p.code: p for p in Product.objects.filter(source=source, code__in=chunk)})
    result: dict[str, tuple[int, int | None]] = {}
    new: list[Product] = []
    for code in codes:
        name, line_id = rows[code]
        product = found.get(code)
        if product is None:
            new.append(Product(source=source, code=code, name=name[:200], product_line_id=line_id))
            continue
        if update and (product.name != name[:200] or product.product_line_id != line_id):
            product.name = name[:200]
            product.product_line_id = line_id
            product.save()
            ctx.count("products", "updated")
        else:
            ctx.count("products", "unchanged")
        result[code] = (product.pk, product.product_line_id)
    if new:
        Product.objects.bulk_create(new, batch_size=500)
        event_record_many([(p, Action.CREATED, snapshot_of(p)) for p in new])
        ctx.count("products", "created", len(new))
        result.update({p.code: (p.pk, p.product_line_id) for p in new})
    return result


# --- Sales lines ---------------------------------------------------------------------------------

LINE_FIELDS = (
    "account_id",
    "date",
    "product_id",
    "product_line_id",
    "business_unit_id",
    "quantity",
    "unit_price",
    "amount",
    "margin",
    "currency",
)
MONEY_FIELDS = ("quantity", "unit_price", "amount", "margin")


class LineRow(NamedTuple):
    """A sales line read from a file, before it is written (plain values: a model instance
    per line would cost more than the rest of the import)."""

    account_id: int
    date: dt.date
    invoice: str
    line: str
    product_id: int | None
    product_line_id: int | None
    business_unit_id: int | None
    quantity: Decimal
    unit_price: Decimal
    amount: Decimal
    margin: Decimal | None
    currency: str

    def values(self) -> tuple[Any, ...]:
        """LINE_FIELDS' values, money to 4 decimals (as stored)."""
        return (
            self.account_id,
            self.date,
            self.product_id,
            self.product_line_id,
            self.business_unit_id,
            self.quantity.quantize(FOUR),
            self.unit_price.quantize(FOUR),
            self.amount.quantize(FOUR),
            None if self.margin is None else self.margin.quantize(FOUR),
            self.currency,
        )


def _columns(names: Iterable[str]) -> str:
    quote = connection.ops.quote_name
    columns = []
    for name in names:
        field = SalesLine._meta.get_field(name)
        assert isinstance(field, models.Field) and field.column
        columns.append(quote(field.column))
    return ", ".join(columns)


def sales_lines_upsert(ctx: ImportContext, *, source: str, lines: list[LineRow]) -> None:
    """Write a chunk of sales lines keyed by (source, invoice, line): new ones are created,
    changed ones updated, the same ones left alone (so that a re-import changes nothing and
    overlapping files count a line once).

    Inserts and updates go straight to the cursor (COPY on PostgreSQL, executemany on SQLite):
    Django's bulk_create spent most of an import's time preparing values field by field.
    """
    by_key: dict[tuple[str, str], tuple[Any, ...]] = {}
    for row in lines:
        key = (row.invoice, row.line)
        if key in by_key:
            ctx.count("sales lines", "unchanged")  # the same line twice in one chunk
        by_key[key] = row.values()
    invoices = list({k[0] for k in by_key})
    stored: dict[tuple[str, str], tuple[int, tuple[Any, ...]]] = {}
    for chunk in batched(invoices):
        for found in SalesLine.objects.filter(source=source, invoice__in=chunk).values_list(
            "id", "invoice", "line", *LINE_FIELDS
        ):
            values = tuple(
                Decimal(v).quantize(FOUR) if name in MONEY_FIELDS and v is not None else v
                for name, v in zip(LINE_FIELDS, found[3:], strict=True)
            )
            stored[(found[1], found[2])] = (found[0], values)
    create: list[tuple[Any, ...]] = []
    update: list[tuple[Any, ...]] = []
    for key, values in by_key.items():
        old = stored.get(key)
        account_id = values[0]
        if old is None:
            create.append((source, key[0], key[1], *values, ctx.run.pk))
            ctx.line_changes.setdefault(account_id, [0, 0])[0] += 1
        elif old[1] == values:
            ctx.count("sales lines", "unchanged")
            continue
        else:
            update.append((*values, ctx.run.pk, old[0]))
            ctx.touched_accounts.add(old[1][0])  # the account it was on, if it moved
            ctx.line_changes.setdefault(account_id, [0, 0])[1] += 1
        ctx.touched_accounts.add(account_id)
    table = connection.ops.quote_name(SalesLine._meta.db_table)
    if create:
        names = ["source", "invoice", "line", *LINE_FIELDS, "import_run_id"]
        marks = ", ".join(["%s"] * len(names))
        with connection.cursor() as cursor:
            if connection.vendor == "postgresql":
                # COPY: one stream, not a statement per row.
                with cursor.cursor.copy(f"COPY {table} ({_columns(names)}) FROM STDIN") as copy:
                    for values in create:
                        copy.write_row(values)
            else:
                cursor.executemany(
                    f"INSERT INTO {table} ({_columns(names)}) VALUES ({marks})",  # noqa: S608
                    create,
                )
        ctx.count("sales lines", "created", len(create))
    if update:
        names = [*LINE_FIELDS, "import_run_id"]
        sets = ", ".join(f"{c} = %s" for c in _columns(names).split(", "))
        with connection.cursor() as cursor:
            cursor.executemany(
                f"UPDATE {table} SET {sets} WHERE {connection.ops.quote_name('id')} = %s",  # noqa: S608
                update,
            )
        ctx.count("sales lines", "updated", len(update))


def sales_line_history_record(ctx: ImportContext) -> None:
    """One history event per account whose sales lines an import created or changed."""
    audit = audit_context_current()
    actor = audit.actor if getattr(audit.actor, "is_authenticated", False) else None
    now = timezone.now()
    events = [
        Event(
            at=now,
            actor=actor,
            actor_name=audit.actor_name(),
            source=audit.source,
            account_id=account_id,
            object_type="revenue.salesline",
            object_id=f"import-{ctx.run.pk}",
            object_repr=f"Sales lines of import #{ctx.run.pk} ({ctx.run.preset})",
            action=Action.CREATED if not updated else Action.UPDATED,
            changes={"lines created": [None, created], "lines updated": [None, updated]},
            reason=audit.reason,
        )
        for account_id, (created, updated) in sorted(ctx.line_changes.items())
    ]
    Event.objects.bulk_create(events, batch_size=2000)


# --- Running -------------------------------------------------------------------------------------


def rejects_save(run: ImportRun, rejects: list[Reject]) -> None:
    ImportReject.objects.bulk_create(
        [
            ImportReject(run=run, file=r.file, row=r.row, column=r.column, reason=r.reason[:2000])
            for r in rejects
        ],
        batch_size=2000,
    )


def parse_day(value: dt.date | dt.datetime) -> dt.date:
    return value.date() if isinstance(value, dt.datetime) else value


def transaction_for_run() -> Any:
    return transaction.atomic()
