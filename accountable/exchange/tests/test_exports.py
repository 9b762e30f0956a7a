"""`accountable export`: accounts, opportunities, sales lines and rollups as CSV or XLSX."""

from __future__ import annotations

import csv
import io
from decimal import Decimal

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from openpyxl import load_workbook

from accountable.exchange.services import import_execute, import_run_create
from accountable.exchange.tests.conftest import DATA
from accountable.exchange.tests.test_presets import CENT, northwind_revenue_by_customer


@pytest.fixture
def northwind(director):
    return import_execute(
        run=import_run_create(preset="northwind", paths=[DATA / "northwind"], actor=director)
    )


def test_rollups_export_one_row_per_account_month_and_product_line(northwind, tmp_path):
    # given
    out = tmp_path / "rollups.csv"

    # when
    call_command("export", "rollups", "--output", str(out))

    # then
    rows = list(csv.DictReader(out.open(encoding="utf-8")))
    keys = [(r["account_id"], r["month"], r["product_line"]) for r in rows]
    assert len(keys) == len(set(keys))
    expected = northwind_revenue_by_customer()
    alfki = sum(
        (Decimal(r["revenue"]) for r in rows if r["account_external_ids"] == "northwind:ALFKI"),
        Decimal(0),
    )
    assert alfki.quantize(CENT) == expected["ALFKI"].quantize(CENT)
    total = sum(float(r["revenue"]) for r in rows)
    assert round(total, 2) == 1265793.04


def test_sales_lines_export_filters_by_date(northwind, capsys):
    # when
    call_command("export", "sales-lines", "--since", "1998-05-01")

    # then
    rows = list(csv.DictReader(io.StringIO(capsys.readouterr().out)))
    assert rows
    assert min(r["date"] for r in rows) >= "1998-05-01"
    assert {r["source"] for r in rows} == {"northwind"}


def test_accounts_export_as_xlsx_with_external_ids(northwind, tmp_path):
    # given
    out = tmp_path / "accounts.xlsx"

    # when
    call_command("export", "accounts", "--format", "xlsx", "--output", str(out))

    # then
    sheet = load_workbook(out, read_only=True).worksheets[0]
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0][:2] == ("id", "name")
    assert len(rows) == 92
    assert ("Alfreds Futterkiste", "northwind:ALFKI") in {(r[1], r[-1]) for r in rows}


def test_an_xlsx_export_needs_an_output_file(db):
    with pytest.raises(CommandError, match="needs --output"):
        call_command("export", "accounts", "--format", "xlsx")
