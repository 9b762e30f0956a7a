"""Tables as CSV or XLSX, written row by row (XLSX through openpyxl's write-only mode)."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable
from decimal import Decimal
from typing import Any

from django.http import HttpResponse, StreamingHttpResponse

from accountable.core.spreadsheets import cell_text

FOUR = Decimal("0.0001")
XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


class _Echo:
    def write(self, value: str) -> str:
        return value


def _plain(value: Any) -> Any:
    if value is None:
        return ""
    if isinstance(value, Decimal):
        # 1096.80000000000 (a sum on SQLite) and 1096.8000 (PostgreSQL) both as 1096.8.
        return format(value.quantize(FOUR).normalize(), "f")
    if isinstance(value, str):
        return cell_text(value)
    if isinstance(value, int | float):
        return value
    return str(value)


def table_response(
    rows: Iterable[Iterable[Any]], *, filename: str, fmt: str
) -> HttpResponse | StreamingHttpResponse:
    """rows (the first is the header) as a CSV (streamed) or XLSX download."""
    if fmt == "xlsx":
        buffer = io.BytesIO()
        table_write_xlsx(rows, buffer)
        response = HttpResponse(buffer.getvalue(), content_type=XLSX_TYPE)
        response["Content-Disposition"] = f'attachment; filename="{filename}.xlsx"'
        return response
    writer = csv.writer(_Echo())
    streaming = StreamingHttpResponse(
        (writer.writerow([_plain(v) for v in row]) for row in rows),
        content_type="text/csv; charset=utf-8",
    )
    streaming["Content-Disposition"] = f'attachment; filename="{filename}.csv"'
    return streaming


def table_write_xlsx(rows: Iterable[Iterable[Any]], target: Any) -> None:
    from openpyxl import Workbook

    book = Workbook(write_only=True)
    sheet = book.create_sheet()
    for row in rows:
        sheet.append([float(v) if isinstance(v, Decimal) else _plain(v) for v in row])
    book.save(target)


def table_write_csv(rows: Iterable[Iterable[Any]], target: Any) -> None:
    writer = csv.writer(target)
    for row in rows:
        writer.writerow([_plain(v) for v in row])
