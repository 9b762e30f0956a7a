"""Reading CSV (plain or gzip) and XLSX files as a stream of rows, with the bytes read so far.

A file is never held whole in memory: CSV goes through the `csv` module line by line, XLSX
through openpyxl's read-only mode, which parses the sheet as it is iterated.
"""

from __future__ import annotations

import csv
import datetime as dt
import gzip
import io
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Any

# Salesforce exports may have very long text fields (descriptions, notes).
csv.field_size_limit(16 * 1024 * 1024)


class UnreadableFile(Exception):
    """The file is not a CSV or XLSX file we can read (or is empty)."""


@dataclass
class SourceFile:
    """One file of an import: its name as given, where it is, its header."""

    path: Path
    name: str

    @property
    def size(self) -> int:
        return self.path.stat().st_size

    @property
    def is_xlsx(self) -> bool:
        return self.path.suffix.lower() in (".xlsx", ".xlsm")

    def header(self) -> list[str]:
        for _, header, _ in self._records():
            return header
        raise UnreadableFile(f"{self.name} is empty.")

    def rows(self) -> Iterator[tuple[int, dict[str, str], int]]:
        """(row number, {column: text}, bytes read so far); the header is row 1."""
        header: list[str] | None = None
        for number, values, position in self._records():
            if header is None:
                header = values
                continue
            if not any(v.strip() for v in values):
                continue
            row = dict(zip(header, values, strict=False))
            yield number, row, position

    def _records(self) -> Iterator[tuple[int, list[str], int]]:
        if self.is_xlsx:
            yield from self._xlsx_records()
        else:
            yield from self._csv_records()

    def _csv_records(self) -> Iterator[tuple[int, list[str], int]]:
        try:
            raw: IO[bytes] = self.path.open("rb")
        except OSError as exc:
            raise UnreadableFile(f"{self.name}: {exc.strerror}") from exc
        with raw:
            stream: IO[bytes] = raw
            if self.path.suffix.lower() == ".gz":
                stream = gzip.GzipFile(fileobj=raw)  # type: ignore[assignment]
            # utf-8-sig drops the byte-order mark Salesforce puts before the first column.
            text = io.TextIOWrapper(stream, encoding="utf-8-sig", newline="", errors="strict")
            reader = csv.reader(text)
            try:
                for number, values in enumerate(reader, start=1):
                    if number == 1:
                        values = [v.strip() for v in values]
                    yield number, values, raw.tell()
            except UnicodeDecodeError as exc:
                raise UnreadableFile(
                    f"{self.name} is not UTF-8 text (row {reader.line_num}); save it as "
                    "CSV UTF-8 and import it again."
                ) from exc
            except (csv.Error, gzip.BadGzipFile, EOFError, OSError) as exc:
                raise UnreadableFile(f"{self.name}: not a readable CSV file ({exc}).") from exc

    def _xlsx_records(self) -> Iterator[tuple[int, list[str], int]]:
        from openpyxl import load_workbook

        try:
            book = load_workbook(self.path, read_only=True, data_only=True)
        except Exception as exc:  # openpyxl raises many kinds for a broken file
            raise UnreadableFile(f"{self.name}: not a readable XLSX file ({exc}).") from exc
        try:
            sheet = book.worksheets[0]
            total = self.size
            rows = max(sheet.max_row or 1, 1)
            for number, cells in enumerate(sheet.iter_rows(values_only=True), start=1):
                values = [_cell_text(c) for c in cells]
                if number == 1:
                    values = [v.strip() for v in values]
                yield number, values, min(total, total * number // rows)
        finally:
            book.close()


def _cell_text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, dt.datetime):
        return value.isoformat(sep=" ")
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)
