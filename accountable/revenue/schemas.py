"""API shapes for revenue and pipeline."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from ninja import Field, Schema

from accountable.core.api_base import Page


class YearOut(Schema):
    year: int
    revenue: Decimal
    with_subsidiaries: Decimal


class QuarterOut(Schema):
    quarter: str = Field(description="e.g. 2024 Q3")
    revenue: Decimal
    with_subsidiaries: Decimal


class NamedTotalOut(Schema):
    name: str
    revenue: Decimal


class RevenueOut(Schema):
    """An account's revenue from the monthly rollups, alone and with its subsidiaries."""

    account_id: int
    total: Decimal
    with_subsidiaries: Decimal
    by_year: list[YearOut]
    by_quarter: list[QuarterOut]
    by_business_unit: list[NamedTotalOut]
    by_product_line: list[NamedTotalOut]


class RollupOut(Schema):
    account_id: int
    month: dt.date
    product_line_id: int | None
    business_unit_id: int | None
    revenue: Decimal
    margin: Decimal | None
    quantity: Decimal
    orders: int
    lines: int


class RollupPageOut(Page[RollupOut]):
    pass


class SalesLineOut(Schema):
    id: int
    account_id: int
    date: dt.date
    source: str
    invoice: str
    line: str
    product_id: int | None
    product_line_id: int | None
    business_unit_id: int | None
    quantity: Decimal
    unit_price: Decimal
    amount: Decimal
    margin: Decimal | None
    currency: str
    import_run_id: int | None


class SalesLinePageOut(Page[SalesLineOut]):
    pass


class OpportunityOut(Schema):
    id: int
    account_id: int
    name: str
    source: str
    external_id: str
    stage: str = Field(alias="stage.name")
    stage_is_closed: bool = Field(alias="stage.is_closed")
    stage_is_won: bool = Field(alias="stage.is_won")
    amount: Decimal | None
    currency: str
    probability: int | None
    close_date: dt.date | None
    owner_id: int | None
    owner_name: str
    product_line_id: int | None
    business_unit_id: int | None


class OpportunityPageOut(Page[OpportunityOut]):
    pass


class WhitespaceCellOut(Schema):
    buying_centre_id: int | None = Field(description="Null: the whole account.")
    status: str
    competitor: str
    potential: Decimal | None


class WhitespaceRowOut(Schema):
    product_line_id: int
    product_line: str
    cells: list[WhitespaceCellOut]
    current: Decimal
    potential: Decimal
    untapped: Decimal


class WhitespaceOut(Schema):
    rows: list[WhitespaceRowOut]
    current: Decimal
    potential: Decimal
    untapped: Decimal


class PriceStatsOut(Schema):
    lines: int
    quantity: Decimal
    median: Decimal
    p25: Decimal
    p75: Decimal
    low: Decimal
    high: Decimal


class PricingCheckOut(Schema):
    product_id: int
    product_code: str
    product: str
    flagged: bool = Field(description="Other customers pay the same or less than key accounts.")
    gap_pct: Decimal
    key_accounts: PriceStatsOut
    others: PriceStatsOut


class PricingReportOut(Schema):
    start: dt.date | None
    end: dt.date | None
    flagged: int
    products: list[PricingCheckOut]
