"""Saved column mappings as presets: accounts or sales lines from any CSV/XLSX export.

A mapping names, for each field, the file's column; `mapping_preset` turns it into a preset
the engine runs like the built-in ones (same validation, idempotence, history).
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from accountable.exchange.engine import (
    CHUNK,
    ImportContext,
    LineRow,
    account_ids_by_external,
    accounts_upsert,
    product_lines_upsert,
    products_upsert,
    sales_lines_upsert,
)
from accountable.exchange.models import ImportMapping, MappingTarget
from accountable.exchange.parsing import parse_date, parse_decimal, parse_optional_decimal
from accountable.exchange.presets.base import FileKind, Preset
from accountable.exchange.presets.countries import country_code
from accountable.exchange.readers import SourceFile

# (field, label, required)
FIELDS: dict[str, tuple[tuple[str, str, bool], ...]] = {
    MappingTarget.ACCOUNTS: (
        ("external_id", "Account id in the source", True),
        ("name", "Name", True),
        ("industry", "Industry", False),
        ("country", "Country", False),
        ("employees", "Employees", False),
        ("annual_revenue", "Customer's annual revenue", False),
        ("website", "Website", False),
    ),
    MappingTarget.SALES_LINES: (
        ("account_external_id", "Account id in the source", True),
        ("date", "Date", True),
        ("invoice", "Invoice or order number", True),
        ("line", "Line number (else: product and position in the invoice)", False),
        ("product_code", "Product code", False),
        ("product_name", "Product name", False),
        ("product_line", "Product line / category", False),
        ("quantity", "Quantity", False),
        ("unit_price", "Unit price", False),
        ("amount", "Amount (else quantity x unit price)", False),
        ("margin", "Margin", False),
        ("currency", "Currency", False),
    ),
}


def required_fields(target: str) -> list[str]:
    return [name for name, _, needed in FIELDS[target] if needed]


class _Row:
    def __init__(self, mapping: ImportMapping, row: dict[str, str]) -> None:
        self.mapping, self.row = mapping, row

    def column(self, field: str) -> str:
        return str(self.mapping.columns.get(field) or field)

    def get(self, field: str) -> str:
        column = self.mapping.columns.get(field)
        return (self.row.get(column) or "").strip() if column else ""

    def need(self, field: str) -> str:
        value = self.get(field)
        if not value:
            raise ValueError("is empty")
        return value


def _accounts(mapping: ImportMapping) -> Any:
    def handler(ctx: ImportContext, state: dict[str, Any], file: SourceFile) -> None:
        rows: dict[str, dict[str, Any]] = {}
        for number, raw, position in file.rows():
            ctx.tick(position)
            row = _Row(mapping, raw)
            field = "external_id"
            try:
                ext = row.need(field)
                field = "name"
                name = row.need(field)
                field = "employees"
                employees = parse_optional_decimal(row.get(field))
                field = "annual_revenue"
                revenue = parse_optional_decimal(row.get(field))
            except ValueError as exc:
                column = row.column(field)
                ctx.reject(file, number, column, f"{column} {exc}")
                continue
            rows[ext] = {
                "name": name[:200],
                "industry": row.get("industry")[:100],
                "country": country_code(row.get("country")),
                "employees": int(employees) if employees is not None and employees >= 0 else None,
                "annual_revenue": revenue,
                "website": row.get("website")[:200],
            }
        accounts_upsert(ctx, source=mapping.source, rows=rows)

    return handler


def _sales_lines(mapping: ImportMapping) -> Any:
    def handler(ctx: ImportContext, state: dict[str, Any], file: SourceFile) -> None:
        occurrences: dict[tuple[str, str], int] = {}
        pending: list[tuple[dict[str, Any], str]] = []

        def flush() -> None:
            accounts = account_ids_by_external(mapping.source, {p["account"] for p, _ in pending})
            lines = product_lines_upsert(ctx, {p["product_line"] for p, _ in pending})
            wanted = {
                p["product_code"]: (
                    p["product_name"] or p["product_code"],
                    lines.get(p["product_line"]),
                )
                for p, _ in pending
                if p["product_code"]
            }
            products = products_upsert(ctx, source=mapping.source, rows=wanted) if wanted else {}
            rows = []
            for p, where in pending:
                account_id = accounts.get(p["account"])
                if account_id is None:
                    column = mapping.columns["account_external_id"]
                    ctx.reject(
                        file,
                        p["number"],
                        column,
                        f"{column}: no account with {mapping.source} id {p['account']}",
                    )
                    continue
                product = products.get(p["product_code"]) if p["product_code"] else None
                rows.append(
                    LineRow(
                        account_id=account_id,
                        date=p["date"],
                        invoice=p["invoice"][:60],
                        line=where[:120],
                        product_id=product[0] if product else None,
                        product_line_id=product[1] if product else lines.get(p["product_line"]),
                        business_unit_id=None,
                        quantity=p["quantity"],
                        unit_price=p["unit_price"],
                        amount=p["amount"],
                        margin=p["margin"],
                        currency=p["currency"],
                    )
                )
            sales_lines_upsert(ctx, source=mapping.source, lines=rows)
            pending.clear()

        for number, raw, position in file.rows():
            ctx.tick(position)
            row = _Row(mapping, raw)
            field = "account_external_id"
            try:
                account = row.need(field)
                field = "date"
                day = parse_date(row.need(field))
                field = "invoice"
                invoice = row.need(field)
                field = "quantity"
                quantity = parse_optional_decimal(row.get(field)) or Decimal(0)
                field = "unit_price"
                price = parse_optional_decimal(row.get(field)) or Decimal(0)
                field = "amount"
                amount = (
                    parse_decimal(row.get(field), what="an amount")
                    if row.get(field) or not (quantity and price)
                    else quantity * price
                )
                field = "margin"
                margin = parse_optional_decimal(row.get(field))
            except ValueError as exc:
                column = row.column(field)
                ctx.reject(file, number, column, f"{column} {exc}")
                continue
            code = row.get("product_code")[:60]
            where = row.get("line")
            if not where:
                key = (invoice, code)
                occurrences[key] = occurrences.get(key, 0) + 1
                where = f"{code}#{occurrences[key]}"
            pending.append(
                (
                    {
                        "number": number,
                        "account": account,
                        "date": day,
                        "invoice": invoice,
                        "product_code": code,
                        "product_name": row.get("product_name"),
                        "product_line": row.get("product_line")[:120],
                        "quantity": quantity,
                        "unit_price": price,
                        "amount": amount,
                        "margin": margin,
                        "currency": (row.get("currency") or mapping.currency)[:3].upper(),
                    },
                    where,
                )
            )
            if len(pending) >= CHUNK:
                flush()
        if pending:
            flush()

    return handler


def mapping_preset(mapping: ImportMapping) -> Preset:
    columns = frozenset(mapping.columns[f] for f in required_fields(mapping.target))
    handler = (
        _accounts(mapping) if mapping.target == MappingTarget.ACCOUNTS else _sales_lines(mapping)
    )
    return Preset(
        name=mapping.name,
        label=f"{mapping.name} (saved mapping: {mapping.get_target_display()})",
        kinds=(FileKind(mapping.get_target_display(), columns, handler),),
    )
