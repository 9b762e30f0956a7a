"""Salesforce data exports (Data Loader / Data Export CSVs): Account, Opportunity and
OpportunityHistory, exactly as they come: byte-order marks, 18-character ids, ParentId
hierarchies, US dates (02/03/24) or ISO ones, deleted rows (IsDeleted) left out.

Contacts, tasks and account-contact relations belong to stakeholders and interactions, which
this preset does not import (yet): such files are reported as left out, not as errors.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from accountable.accounts.models import Account
from accountable.accounts.services import account_update
from accountable.core.errors import DomainError
from accountable.exchange.engine import (
    ImportContext,
    account_ids_by_external,
    accounts_upsert,
    product_lines_upsert,
)
from accountable.exchange.parsing import (
    parse_bool,
    parse_datetime,
    parse_optional_date,
    parse_optional_decimal,
    parse_percent,
)
from accountable.exchange.presets.base import FileKind, Preset, required
from accountable.exchange.presets.countries import country_code
from accountable.exchange.readers import SourceFile
from accountable.revenue.models import Opportunity, OpportunityStage, OpportunityStageChange

SOURCE = "salesforce"
DEFAULT_CURRENCY = "USD"


def _deleted(row: dict[str, str]) -> bool:
    return parse_bool(row.get("IsDeleted") or "")


def accounts(ctx: ImportContext, state: dict[str, Any], file: SourceFile) -> None:
    rows: dict[str, dict[str, Any]] = {}
    parents: dict[str, tuple[str, int]] = {}
    for number, row, position in file.rows():
        ctx.tick(position)
        if _deleted(row):
            ctx.count("accounts", "skipped (deleted in Salesforce)")
            ctx.skipped += 1
            continue
        try:
            column = "Id"
            sid = required(row, column)
            column = "Name"
            name = required(row, column)
            column = "AnnualRevenue"
            revenue = parse_optional_decimal(row.get(column) or "")
            column = "NumberOfEmployees"
            employees = parse_optional_decimal(row.get(column) or "")
            if employees is not None and employees < 0:
                raise ValueError("is negative")
        except ValueError as exc:
            ctx.reject(file, number, column, f"{column} {exc}")
            continue
        website = (row.get("Website") or "").strip()
        if website and "://" not in website:
            website = f"https://{website}"
        rows[sid] = {
            "name": name[:200],
            "industry": (row.get("Industry") or "").strip()[:100],
            "country": country_code(row.get("BillingCountry") or ""),
            "annual_revenue": revenue,
            "employees": int(employees) if employees is not None else None,
            "website": website[:200],
        }
        parent = (row.get("ParentId") or "").strip()
        if parent:
            parents[sid] = (parent, number)
    known = accounts_upsert(ctx, source=SOURCE, rows=rows)
    # Parents after every account of the file exists (a child may come before its parent).
    parent_ids = account_ids_by_external(SOURCE, {p for p, _ in parents.values()})
    for sid, (parent_sid, number) in parents.items():
        parent_id = parent_ids.get(parent_sid)
        if parent_id is None:
            ctx.reject(file, number, "ParentId", f"ParentId {parent_sid} is not a known account")
            continue
        account = Account.objects.get(pk=known[sid])
        if account.parent_id == parent_id:
            continue
        try:
            account_update(
                account=account,
                actor=ctx.actor,
                data={"parent": Account.objects.get(pk=parent_id)},
            )
        except DomainError as exc:
            ctx.reject(file, number, "ParentId", exc.message)
            continue
        ctx.count("accounts", "parent set")


def _stage(state: dict[str, Any], name: str, row: dict[str, str]) -> int:
    stages: dict[str, int] = state.setdefault("stages", {})
    if name in stages:
        return stages[name]
    stage = OpportunityStage.objects.filter(name=name).first()
    if stage is None:
        closed = parse_bool(row.get("IsClosed") or "") or name.lower().startswith("closed")
        won = parse_bool(row.get("IsWon") or "") or name.lower() == "closed won"
        stage = OpportunityStage.objects.create(
            name=name[:80],
            order=OpportunityStage.objects.count() + 1,
            probability=parse_percent(row.get("Probability") or "") or 0,
            is_closed=closed or won,
            is_won=won,
        )
    stages[name] = stage.pk
    return stage.pk


OPPORTUNITY_FIELDS = (
    "account_id",
    "name",
    "stage_id",
    "amount",
    "currency",
    "probability",
    "close_date",
    "owner_name",
    "product_line_id",
)


def opportunities(ctx: ImportContext, state: dict[str, Any], file: SourceFile) -> None:
    parsed: list[tuple[int, dict[str, Any], str]] = []
    for number, row, position in file.rows():
        ctx.tick(position)
        if _deleted(row):
            ctx.count("opportunities", "skipped (deleted in Salesforce)")
            ctx.skipped += 1
            continue
        try:
            column = "Id"
            sid = required(row, column)
            column = "Name"
            name = required(row, column)
            column = "StageName"
            stage_name = required(row, column)
            column = "Amount"
            amount = parse_optional_decimal(row.get(column) or "")
            column = "Probability"
            probability = parse_percent(row.get(column) or "")
            column = "CloseDate"
            close = parse_optional_date(row.get(column) or "")
            column = "AccountId"
            account_sid = required(row, column)
        except ValueError as exc:
            ctx.reject(file, number, column, f"{column} {exc}")
            continue
        fields: dict[str, Any] = {
            "name": name[:255],
            "stage_id": _stage(state, stage_name, row),
            "amount": amount.quantize(Decimal("0.01")) if amount is not None else None,
            "currency": (row.get("CurrencyIsoCode") or DEFAULT_CURRENCY).strip()[:3],
            "probability": probability,
            "close_date": close,
            "owner_name": (row.get("OwnerId") or "").strip()[:150],
            "product_line": (row.get("Product__c") or "").strip(),
        }
        parsed.append((number, {**fields, "external_id": sid}, account_sid))
    account_ids = account_ids_by_external(SOURCE, {a for _, _, a in parsed})
    lines = product_lines_upsert(ctx, {f["product_line"] for _, f, _ in parsed})
    existing = {
        o.external_id: o
        for o in Opportunity.objects.filter(
            source=SOURCE, external_id__in=[f["external_id"] for _, f, _ in parsed]
        )
    }
    for number, fields, account_sid in parsed:
        account_id = account_ids.get(account_sid)
        if account_id is None:
            ctx.reject(
                file,
                number,
                "AccountId",
                f"AccountId {account_sid} is not a known account (import Account.csv first, "
                "or with it)",
            )
            continue
        fields["account_id"] = account_id
        fields["product_line_id"] = lines.get(fields.pop("product_line"))
        opportunity = existing.get(fields["external_id"])
        if opportunity is None:
            opportunity = Opportunity(source=SOURCE, import_run=ctx.run, **fields)
            opportunity.save()
            existing[opportunity.external_id] = opportunity
            ctx.count("opportunities", "created")
            continue
        changed = [n for n in OPPORTUNITY_FIELDS if getattr(opportunity, n) != fields[n]]
        if not changed:
            ctx.count("opportunities", "unchanged")
            continue
        for name in changed:
            setattr(opportunity, name, fields[name])
        opportunity.import_run = ctx.run
        opportunity.save()
        ctx.count("opportunities", "updated")
    state["opportunities"] = {sid: o.pk for sid, o in existing.items()}


def opportunity_history(ctx: ImportContext, state: dict[str, Any], file: SourceFile) -> None:
    known: dict[str, int] = dict(state.get("opportunities", {}))
    rows: list[tuple[int, dict[str, Any], str]] = []
    for number, row, position in file.rows():
        ctx.tick(position)
        if _deleted(row):
            ctx.skipped += 1
            continue
        try:
            column = "Id"
            sid = required(row, column)
            column = "OpportunityId"
            opp = required(row, column)
            column = "StageName"
            stage_name = required(row, column)
            column = "CreatedDate"
            at = parse_datetime(row.get(column) or "")
            column = "Amount"
            amount = parse_optional_decimal(row.get(column) or "")
        except ValueError as exc:
            ctx.reject(file, number, column, f"{column} {exc}")
            continue
        rows.append(
            (
                number,
                {
                    "external_id": sid,
                    "stage_id": _stage(state, stage_name, row),
                    "at": at,
                    "amount": amount.quantize(Decimal("0.01")) if amount is not None else None,
                },
                opp,
            )
        )
    missing = {o for _, _, o in rows if o not in known}
    known.update(
        Opportunity.objects.filter(source=SOURCE, external_id__in=missing).values_list(
            "external_id", "id"
        )
    )
    stored = set(
        OpportunityStageChange.objects.filter(
            source=SOURCE, external_id__in=[r["external_id"] for _, r, _ in rows]
        ).values_list("external_id", flat=True)
    )
    new = []
    for number, fields, opp in rows:
        if opp not in known:
            ctx.reject(file, number, "OpportunityId", f"OpportunityId {opp} is not known")
            continue
        if fields["external_id"] in stored:
            ctx.count("stage changes", "unchanged")
            continue
        stored.add(fields["external_id"])
        new.append(OpportunityStageChange(opportunity_id=known[opp], source=SOURCE, **fields))
    OpportunityStageChange.objects.bulk_create(new)
    ctx.count("stage changes", "created", len(new))


PRESET = Preset(
    name="salesforce",
    label="Salesforce exports (Account, Opportunity, OpportunityHistory)",
    kinds=(
        FileKind("Account", frozenset({"Id", "Name", "ParentId", "BillingCity"}), accounts),
        FileKind("Opportunity", frozenset({"Id", "AccountId", "StageName", "Name"}), opportunities),
        FileKind(
            "OpportunityHistory",
            frozenset({"Id", "OpportunityId", "StageName", "CreatedDate"}),
            opportunity_history,
        ),
    ),
    ignored=(
        (frozenset({"Id", "CaseNumber"}), "cases are not imported"),
        (frozenset({"Id", "NumberSent"}), "campaigns are not imported"),
        (frozenset({"Id", "AccountId", "ContactId"}), "contacts belong to stakeholders"),
        (frozenset({"Id", "WhoId"}), "tasks belong to interactions"),
        (frozenset({"Id", "Email", "LastName"}), "contacts and leads belong to stakeholders"),
        (frozenset({"StageName", "Count"}), "a report, not an export"),
        (frozenset({"Id"}), "not an Account, Opportunity or OpportunityHistory export"),
    ),
)
