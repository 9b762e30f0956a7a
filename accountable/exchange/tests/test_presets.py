"""The presets against the real exports in ../shared/data: counts, totals computed
independently from the source files, re-import changing nothing, history."""

from __future__ import annotations

import csv
import gzip
from collections import defaultdict
from decimal import Decimal
from pathlib import Path

import pytest
from django.db.models import Sum

from accountable.accounts.models import Account, ExternalId
from accountable.exchange.models import ImportStatus
from accountable.exchange.services import import_execute, import_run_create
from accountable.exchange.tests.conftest import DATA
from accountable.history.models import Event
from accountable.revenue.models import (
    MonthlyRollup,
    Opportunity,
    OpportunityStageChange,
    Product,
    SalesLine,
)
from tests.fingerprint import BOOKKEEPING, database_fingerprint

RUN_TABLES = {**BOOKKEEPING, "exchange.importrun": None, "exchange.importreject": None}
CENT = Decimal("0.01")


def run_import(preset: str, *paths: Path, actor=None, dry_run: bool = False):
    run = import_run_create(preset=preset, paths=list(paths), actor=actor, dry_run=dry_run)
    return import_execute(run=run, actor=actor)


def northwind_revenue_by_customer() -> dict[str, Decimal]:
    """Straight from the CSVs: Σ UnitPrice x Quantity x (1 - Discount) per customer."""
    customer_of = {
        r["OrderID"]: r["CustomerID"]
        for r in csv.DictReader((DATA / "northwind/orders.csv").open(encoding="utf-8"))
    }
    totals: dict[str, Decimal] = defaultdict(Decimal)
    for r in csv.DictReader((DATA / "northwind/order_details.csv").open(encoding="utf-8")):
        totals[customer_of[r["OrderID"]]] += (
            Decimal(r["UnitPrice"]) * Decimal(r["Quantity"]) * (1 - Decimal(r["Discount"]))
        )
    return totals


def stored_revenue_by_external_id(source: str) -> dict[str, Decimal]:
    ids = dict(ExternalId.objects.filter(source=source).values_list("account_id", "value"))
    rows = MonthlyRollup.objects.values("account_id").annotate(total=Sum("revenue"))
    return {ids[r["account_id"]]: Decimal(r["total"]).quantize(CENT) for r in rows}


def test_northwind_imports_whole_with_the_sources_revenue_per_customer(director) -> None:
    # when
    run = run_import("northwind", DATA / "northwind", actor=director)

    # then
    assert run.status == ImportStatus.DONE
    assert run.rejected == 0
    assert run.counts["accounts"] == {"created": 91}
    assert run.counts["sales lines"] == {"created": 2155}
    assert run.counts["products"] == {"created": 77}
    total = SalesLine.objects.aggregate(s=Sum("amount"))["s"]
    assert Decimal(total).quantize(CENT) == Decimal("1265793.04")  # the README's figure
    expected = {k: v.quantize(CENT) for k, v in northwind_revenue_by_customer().items()}
    assert stored_revenue_by_external_id("northwind") == expected
    chai = Product.objects.select_related("product_line").get(source="northwind", code="1")
    assert chai.product_line is not None
    assert chai.product_line.name == "Beverages"


def test_importing_northwind_again_changes_nothing(director) -> None:
    # given
    run_import("northwind", DATA / "northwind", actor=director)
    before = database_fingerprint(ignore=RUN_TABLES)

    # when
    again = run_import("northwind", DATA / "northwind", actor=director)

    # then
    assert again.counts["sales lines"] == {"unchanged": 2155}
    assert again.counts["accounts"] == {"unchanged": 91}
    assert database_fingerprint(ignore=RUN_TABLES) == before


def test_a_dry_run_counts_and_writes_nothing(director) -> None:
    # given
    before = database_fingerprint(ignore=RUN_TABLES)

    # when
    run = run_import("northwind", DATA / "northwind", actor=director, dry_run=True)

    # then
    assert run.counts["sales lines"] == {"created": 2155}
    assert database_fingerprint(ignore=RUN_TABLES) == before


def test_an_import_is_recorded_in_history_with_its_run(director) -> None:
    # when
    run = run_import("northwind", DATA / "northwind", actor=director)

    # then
    account = Account.objects.get(external_ids__source="northwind", external_ids__value="ALFKI")
    events = Event.objects.filter(account_id=account.pk)
    assert {(e.object_type, e.action) for e in events} >= {
        ("accounts.account", "created"),
        ("revenue.salesline", "created"),
    }
    summary = events.get(object_type="revenue.salesline")
    assert summary.actor == director
    assert summary.source == "import"
    assert summary.changes["lines created"] == [None, 12]
    assert summary.reason.startswith(f"Import #{run.pk}")
    assert SalesLine.objects.filter(account=account, import_run=run).count() == 12


def test_salesforce_exports_import_accounts_opportunities_and_stage_history(director) -> None:
    # given
    folders = [DATA / "salesforce/classic_dev_org", DATA / "salesforce/data_cloud_workshop"]

    # when
    run = run_import("salesforce", *folders, actor=director)

    # then
    assert run.rejected == 0
    assert run.counts["accounts"] == {"created": 40}
    assert run.counts["opportunities"] == {"created": 86}
    assert run.counts["stage changes"] == {"created": 48}
    assert "Contact.csv left out" in run.message
    edge = Account.objects.get(name="Edge Communications")
    assert edge.industry == "Electronics"
    assert edge.annual_revenue == Decimal("139000000")
    opp = Opportunity.objects.get(external_id="006Ec00000AieKFIAZ")  # the BOM'd export
    assert opp.amount == Decimal("1124741.15")
    assert str(opp.close_date) == "2024-11-10"
    assert opp.stage.name == "Qualification"
    assert opp.product_line is not None
    assert opp.product_line.name == "Merchant Services"
    assert OpportunityStageChange.objects.filter(opportunity__source="salesforce").count() == 48


def test_salesforce_reimport_changes_nothing(director) -> None:
    # given
    folder = DATA / "salesforce/data_cloud_workshop"
    run_import("salesforce", folder, actor=director)
    before = database_fingerprint(ignore=RUN_TABLES)

    # when
    again = run_import("salesforce", folder, actor=director)

    # then
    assert again.counts["opportunities"] == {"unchanged": 50}
    assert database_fingerprint(ignore=RUN_TABLES) == before


# Online Retail II: a slice of the real file around the end of its first yearly sheet, so that
# the overlapping invoices of 2010-12-01..09 stand twice in it, as in the whole file.
SLICE = (500_000, 550_000)  # data rows: both copies of 2010-12-01..09 (502,939-547,985)
FIRST_SHEET_ROWS = 525_461  # the README: data rows 1-525,461 are the first sheet


@pytest.fixture(scope="module")
def retail_slice(tmp_path_factory) -> Path:
    path = tmp_path_factory.mktemp("retail") / "online_retail_slice.csv"
    with (
        gzip.open(DATA / "online_retail_ii/online_retail_II.csv.gz", "rt", encoding="utf-8") as src,
        path.open("w", encoding="utf-8", newline="") as out,
    ):
        reader = csv.reader(src)
        writer = csv.writer(out)
        writer.writerow(next(reader))
        for number, row in enumerate(reader, start=1):
            if number > SLICE[1]:
                break
            if number > SLICE[0]:
                writer.writerow(row)
    return path


def retail_expected(path: Path) -> dict[str, Decimal]:
    """Per customer, Σ Quantity x Price, with the first sheet's copy of the overlapping days
    (2010-12-01..09) left out, as the README says to count them once."""
    totals: dict[str, Decimal] = defaultdict(Decimal)
    with path.open(encoding="utf-8") as f:
        for offset, r in enumerate(csv.DictReader(f), start=SLICE[0] + 1):
            in_first_sheet = offset <= FIRST_SHEET_ROWS
            if in_first_sheet and r["InvoiceDate"] >= "2010-12-01":
                continue
            if r["Customer ID"]:
                totals[r["Customer ID"]] += Decimal(r["Quantity"]) * Decimal(r["Price"])
    return {k: v.quantize(CENT) for k, v in totals.items()}


def test_online_retail_counts_the_overlapping_sheets_once(director, retail_slice) -> None:
    # when
    run = run_import("online-retail-ii", retail_slice, actor=director)

    # then
    assert run.status == ImportStatus.DONE
    assert run.rejected == 0
    assert run.counts["sales lines"]["unchanged"] > 5000  # the second copies
    assert stored_revenue_by_external_id("online-retail-ii") == retail_expected(retail_slice)
    cancellations = SalesLine.objects.filter(invoice__startswith="C")
    assert cancellations.exists()
    assert not cancellations.filter(amount__gt=0).exists()


def test_online_retail_reimport_changes_nothing(director, retail_slice) -> None:
    # given
    run_import("online-retail-ii", retail_slice, actor=director)
    before = database_fingerprint(ignore=RUN_TABLES)
    lines = SalesLine.objects.count()

    # when
    again = run_import("online-retail-ii", retail_slice, actor=director)

    # then
    assert again.counts["sales lines"]["unchanged"] == again.rows_read - again.skipped
    assert "created" not in again.counts["sales lines"]
    assert SalesLine.objects.count() == lines
    assert database_fingerprint(ignore=RUN_TABLES) == before
