"""UCI Online Retail II: every invoice line of a wholesaler, as published (CSV or XLSX).

Quirks handled:
- cancellations (invoices starting with C) are negative lines, kept;
- lines with no customer cannot be put on an account: skipped, and counted;
- the two yearly sheets overlap (invoices of 2010-12-01..09 stand twice): a line's identity is
  (invoice, stock code, quantity, price, time, n-th such line at that time), so the second copy
  is the same line and counted once, while a genuinely repeated line in one invoice is kept.
"""

from __future__ import annotations

from typing import Any

from accountable.exchange.engine import (
    CHUNK,
    ImportContext,
    LineRow,
    accounts_upsert,
    products_upsert,
    sales_lines_upsert,
)
from accountable.exchange.parsing import parse_datetime, parse_decimal
from accountable.exchange.presets.base import FileKind, Preset, required
from accountable.exchange.presets.countries import country_code
from accountable.exchange.readers import SourceFile

SOURCE = "online-retail-ii"
CURRENCY = "GBP"


def _customer(text: str) -> str:
    value = text.strip()
    return value[:-2] if value.endswith(".0") else value


def invoice_lines(ctx: ImportContext, state: dict[str, Any], file: SourceFile) -> None:
    accounts: dict[str, int] = state.setdefault("accounts", {})
    products: dict[str, tuple[int, int | None]] = state.setdefault("products", {})
    occurrences: dict[tuple[str, str, str, str], int] = {}
    stamp = ""
    pending: list[dict[str, Any]] = []

    def flush() -> None:
        new_customers = {p["customer"]: p["country"] for p in pending}.items()
        unknown = {
            c: {"name": f"Online Retail customer {c}", "country": country_code(n)}
            for c, n in new_customers
            if c not in accounts
        }
        if unknown:
            accounts.update(accounts_upsert(ctx, source=SOURCE, rows=unknown, update_fields=()))
        new_products: dict[str, tuple[str, int | None]] = {}
        for p in pending:
            if p["code"] not in products and p["code"] not in new_products:
                new_products[p["code"]] = (p["description"] or p["code"], None)
        if new_products:
            products.update(products_upsert(ctx, source=SOURCE, rows=new_products, update=False))
        lines = []
        for p in pending:
            product_id, line_id = products[p["code"]]
            lines.append(
                LineRow(
                    account_id=accounts[p["customer"]],
                    date=p["at"].date(),
                    invoice=p["invoice"],
                    line=p["line"],
                    product_id=product_id,
                    product_line_id=line_id,
                    business_unit_id=None,
                    quantity=p["quantity"],
                    unit_price=p["price"],
                    amount=p["quantity"] * p["price"],
                    margin=None,
                    currency=CURRENCY,
                )
            )
        sales_lines_upsert(ctx, source=SOURCE, lines=lines)
        pending.clear()

    for number, row, position in file.rows():
        ctx.tick(position)
        parsed: dict[str, Any] = {}
        try:
            column = "Invoice"
            parsed["invoice"] = required(row, column)
            column = "StockCode"
            parsed["code"] = required(row, column)
            column = "Quantity"
            parsed["quantity"] = parse_decimal(row.get(column, ""), what="a quantity")
            column = "Price"
            parsed["price"] = parse_decimal(row.get(column, ""), what="a price")
            column = "InvoiceDate"
            parsed["at"] = parse_datetime(row.get(column, ""))
        except ValueError as exc:
            ctx.reject(file, number, column, f"{column} {exc}")
            continue
        customer = _customer(row.get("Customer ID", ""))
        if not customer:
            ctx.skipped += 1
            ctx.count("sales lines", "skipped (no customer)")
            continue
        time_text = (row.get("InvoiceDate") or "").strip()
        if time_text != stamp:
            stamp = time_text
            occurrences.clear()
        content = (
            parsed["invoice"],
            parsed["code"],
            str(parsed["quantity"]),
            str(parsed["price"]),
        )
        occurrences[content] = occurrences.get(content, 0) + 1
        parsed["line"] = "|".join(
            (*content[1:], parsed["at"].strftime("%Y%m%d%H%M"), str(occurrences[content]))
        )[:120]
        parsed["customer"] = customer
        parsed["country"] = (row.get("Country") or "").strip()
        parsed["description"] = (row.get("Description") or "").strip()
        pending.append(parsed)
        if len(pending) >= CHUNK:
            flush()
    if pending:
        flush()


PRESET = Preset(
    name="online-retail-ii",
    label="UCI Online Retail II (invoice lines)",
    kinds=(
        FileKind(
            "invoice lines",
            frozenset({"Invoice", "StockCode", "Quantity", "InvoiceDate", "Price", "Customer ID"}),
            invoice_lines,
        ),
    ),
)
