"""Microsoft's Northwind sample: categories, products, customers, orders and order details.

Orders give each order line its customer and date, so `orders.csv` comes with
`order_details.csv` (any order not in the run is looked up among orders imported before it,
through the sales lines already stored, and otherwise the line is rejected).
"""

from __future__ import annotations

import datetime as dt
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
from accountable.exchange.parsing import parse_date, parse_decimal
from accountable.exchange.presets.base import FileKind, Preset, required
from accountable.exchange.presets.countries import country_code
from accountable.exchange.readers import SourceFile
from accountable.revenue.models import Product

SOURCE = "northwind"
CURRENCY = "USD"


def categories(ctx: ImportContext, state: dict[str, Any], file: SourceFile) -> None:
    names: dict[str, str] = {}
    for number, row, position in file.rows():
        ctx.tick(position)
        try:
            names[required(row, "CategoryID")] = required(row, "CategoryName")
        except ValueError as exc:
            column = "CategoryID" if not (row.get("CategoryID") or "").strip() else "CategoryName"
            ctx.reject(file, number, column, f"{column} {exc}")
    ids = product_lines_upsert(ctx, names.values())
    state["categories"] = {cid: ids[name] for cid, name in names.items()}


def products(ctx: ImportContext, state: dict[str, Any], file: SourceFile) -> None:
    lines: dict[str, int] = state.get("categories", {})
    rows: dict[str, tuple[str, int | None]] = {}
    for number, row, position in file.rows():
        ctx.tick(position)
        try:
            column = "ProductID"
            code = required(row, column)
            column = "ProductName"
            name = required(row, column)
        except ValueError as exc:
            ctx.reject(file, number, column, f"{column} {exc}")
            continue
        category = (row.get("CategoryID") or "").strip()
        if category and lines and category not in lines:
            ctx.reject(
                file, number, "CategoryID", f"CategoryID {category} is not in the categories"
            )
            continue
        line_id = lines.get(category)
        if line_id is None and not lines:  # categories imported earlier: keep the product's line
            line_id = (
                Product.objects.filter(source=SOURCE, code=code)
                .values_list("product_line_id", flat=True)
                .first()
            )
        rows[code] = (name, line_id)
    state["products"] = products_upsert(ctx, source=SOURCE, rows=rows)


def customers(ctx: ImportContext, state: dict[str, Any], file: SourceFile) -> None:
    rows: dict[str, dict[str, Any]] = {}
    for number, row, position in file.rows():
        ctx.tick(position)
        try:
            column = "CustomerID"
            cid = required(row, column)
            column = "CompanyName"
            name = required(row, column)
        except ValueError as exc:
            ctx.reject(file, number, column, f"{column} {exc}")
            continue
        rows[cid] = {"name": name[:200], "country": country_code(row.get("Country") or "")}
    state["customers"] = accounts_upsert(ctx, source=SOURCE, rows=rows)


def orders(ctx: ImportContext, state: dict[str, Any], file: SourceFile) -> None:
    found: dict[str, tuple[str, dt.date]] = {}
    for number, row, position in file.rows():
        ctx.tick(position)
        try:
            column = "OrderID"
            oid = required(row, column)
            column = "CustomerID"
            cid = required(row, column)
            column = "OrderDate"
            day = parse_date(row.get(column) or "")
        except ValueError as exc:
            ctx.reject(file, number, column, f"{column} {exc}")
            continue
        found[oid] = (cid, day)
    customers = state.get("customers") or {}
    missing = {cid for cid, _ in found.values() if cid not in customers}
    customers.update(account_ids_by_external(SOURCE, missing))
    state["customers"] = customers
    state["orders"] = found


def order_details(ctx: ImportContext, state: dict[str, Any], file: SourceFile) -> None:
    orders_by_id: dict[str, tuple[str, dt.date]] = state.get("orders", {})
    customers: dict[str, int] = state.get("customers", {})
    products_by_code: dict[str, tuple[int, int | None]] = state.get("products") or {
        p.code: (p.pk, p.product_line_id) for p in Product.objects.filter(source=SOURCE)
    }
    pending: list[LineRow] = []
    for number, row, position in file.rows():
        ctx.tick(position)
        try:
            column = "OrderID"
            oid = required(row, column)
            column = "ProductID"
            code = required(row, column)
            column = "UnitPrice"
            price = parse_decimal(row.get(column) or "", what="a price")
            column = "Quantity"
            quantity = parse_decimal(row.get(column) or "", what="a quantity")
            column = "Discount"
            discount = parse_decimal(row.get(column) or "0", what="a discount")
            if not Decimal(0) <= discount <= Decimal(1):
                raise ValueError(f"{discount} is not between 0 and 1")
        except ValueError as exc:
            ctx.reject(file, number, column, f"{column} {exc}")
            continue
        order = orders_by_id.get(oid)
        if order is None:
            ctx.reject(file, number, "OrderID", f"order {oid} is not in the orders file")
            continue
        account_id = customers.get(order[0])
        if account_id is None:
            ctx.reject(file, number, "OrderID", f"order {oid}'s customer {order[0]} is unknown")
            continue
        product = products_by_code.get(code)
        if product is None:
            ctx.reject(file, number, "ProductID", f"product {code} is unknown")
            continue
        pending.append(
            LineRow(
                account_id=account_id,
                date=order[1],
                invoice=oid,
                line=code,
                product_id=product[0],
                product_line_id=product[1],
                business_unit_id=None,
                quantity=quantity,
                unit_price=price,
                amount=price * quantity * (1 - discount),
                margin=None,
                currency=CURRENCY,
            )
        )
        if len(pending) >= CHUNK:
            sales_lines_upsert(ctx, source=SOURCE, lines=pending)
            pending = []
    if pending:
        sales_lines_upsert(ctx, source=SOURCE, lines=pending)


PRESET = Preset(
    name="northwind",
    label="Northwind (customers, orders, order details, products, categories)",
    kinds=(
        FileKind("categories", frozenset({"CategoryID", "CategoryName"}), categories),
        FileKind("products", frozenset({"ProductID", "ProductName", "CategoryID"}), products),
        FileKind("customers", frozenset({"CustomerID", "CompanyName", "Country"}), customers),
        FileKind("orders", frozenset({"OrderID", "CustomerID", "OrderDate"}), orders),
        FileKind(
            "order details",
            frozenset({"OrderID", "ProductID", "UnitPrice", "Quantity", "Discount"}),
            order_details,
        ),
    ),
    ignored=(
        (frozenset({"EmployeeID", "LastName", "FirstName"}), "our own people, not customer data"),
        (frozenset({"SupplierID", "CompanyName"}), "suppliers are not customers"),
        (frozenset({"ShipperID"}), "shippers are not customers"),
        (frozenset({"TerritoryID"}), "sales territories are not imported"),
        (frozenset({"RegionID"}), "sales regions are not imported"),
    ),
)
