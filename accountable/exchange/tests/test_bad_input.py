"""Bad rows come back with their row number, column and reason; the good rows of the file are
imported as the report says; a file that breaks half-way leaves nothing written."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from accountable.exchange.models import ImportStatus
from accountable.exchange.services import import_execute, import_run_create
from accountable.revenue.models import SalesLine
from tests.fingerprint import BOOKKEEPING, database_fingerprint

RUN_TABLES = {**BOOKKEEPING, "exchange.importrun": None, "exchange.importreject": None}
HEADER = [
    "Invoice",
    "StockCode",
    "Description",
    "Quantity",
    "InvoiceDate",
    "Price",
    "Customer ID",
    "Country",
]


def write_csv(path: Path, rows: list[list[str]]) -> Path:
    with path.open("w", encoding="utf-8", newline="") as f:
        writer = csv.writer(f)
        writer.writerow(HEADER)
        writer.writerows(rows)
    return path


def line(
    invoice: str = "1001",
    qty: str = "2",
    when: str = "2011-01-05 10:00:00",
    price: str = "1.50",
    customer: str = "12345",
) -> list[str]:
    return [invoice, "85123A", "MUG", qty, when, price, customer, "United Kingdom"]


def test_bad_rows_are_reported_by_row_and_column_and_the_rest_imported(tmp_path, director):
    # given
    path = write_csv(
        tmp_path / "lines.csv",
        [
            line(),  # row 2
            line(qty="two"),  # row 3
            line(invoice="1002", when="31/31/2011"),  # row 4
            line(invoice="1003", price=""),  # row 5
            line(invoice="1004"),  # row 6
        ],
    )

    # when
    run = import_execute(
        run=import_run_create(preset="online-retail-ii", paths=[path], actor=director)
    )

    # then
    assert run.status == ImportStatus.DONE
    rejects = [(r.row, r.column) for r in run.rejects.all()]
    assert rejects == [(3, "Quantity"), (4, "InvoiceDate"), (5, "Price")]
    assert "'two' is not a quantity" in run.rejects.get(row=3).reason
    assert sorted(SalesLine.objects.values_list("invoice", flat=True)) == ["1001", "1004"]
    assert run.counts["sales lines"] == {"created": 2}


def test_a_file_that_breaks_half_way_leaves_nothing_written(tmp_path, director):
    # given: good lines, then bytes that are not UTF-8 far into the file
    path = write_csv(tmp_path / "broken.csv", [line(invoice=str(2000 + i)) for i in range(6000)])
    with path.open("ab") as f:
        f.write(b"3000,85123A,MUG \xff\xfe,2,2011-01-05 10:00:00,1.5,12345,UK\n")
    before = database_fingerprint(ignore=RUN_TABLES)

    # when
    run = import_execute(
        run=import_run_create(preset="online-retail-ii", paths=[path], actor=director)
    )

    # then
    assert run.status == ImportStatus.FAILED
    assert "not UTF-8" in run.message
    assert database_fingerprint(ignore=RUN_TABLES) == before


def test_a_file_the_preset_does_not_know_is_refused_whole(tmp_path, director):
    # given
    path = tmp_path / "other.csv"
    path.write_text("a,b\n1,2\n", encoding="utf-8")

    # when
    run = import_execute(run=import_run_create(preset="northwind", paths=[path], actor=director))

    # then
    assert run.status == ImportStatus.FAILED
    assert "not a file the northwind preset knows" in run.message


def test_the_command_prints_counts_and_the_rejects_report(tmp_path, director, capsys):
    # given
    path = write_csv(tmp_path / "lines.csv", [line(), line(invoice="1002", qty="x")])

    # when
    call_command("import", "online-retail-ii", str(path), "--no-progress")

    # then
    out = capsys.readouterr().out
    assert "sales lines: 1 created" in out
    assert "1 rejected" in out
    report = Path(out.split("Rejected rows: ")[1].strip())
    assert list(csv.reader(report.open(encoding="utf-8"))) == [
        ["file", "row", "column", "reason"],
        ["lines.csv", "3", "Quantity", "Quantity 'x' is not a quantity"],
    ]


def test_the_command_fails_when_nothing_could_be_imported(tmp_path, director):
    # given
    path = write_csv(tmp_path / "lines.csv", [line(qty="x"), line(price="y")])

    # when / then
    with pytest.raises(CommandError, match="Nothing could be imported"):
        call_command("import", "online-retail-ii", str(path), "--no-progress")
    assert not SalesLine.objects.exists()


def test_the_command_refuses_a_missing_file(tmp_path, director):
    with pytest.raises(CommandError, match="is not a file"):
        call_command("import", "northwind", str(tmp_path / "nope.csv"), "--no-progress")
