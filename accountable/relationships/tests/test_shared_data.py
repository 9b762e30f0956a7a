"""The contacts of the real Salesforce exports and Northwind (../shared/data/) loaded into
stakeholders through the services: every contact kept, titles and departments as given, and the
org chart exactly as the data's reports-to says. (The import feature itself belongs to the
data-exchange work; this proves the stakeholder model and services take real data.)"""

from __future__ import annotations

import csv
import json
from pathlib import Path
from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.core.validators import validate_email

from accountable.accounts.services import account_create
from accountable.relationships import services
from accountable.relationships.models import Stakeholder

DATA = Path(__file__).resolve().parents[3] / ".." / "shared" / "data"

pytestmark = pytest.mark.skipif(not DATA.is_dir(), reason="../shared/data is not here")


PROBLEMS: list[tuple[str, str]] = []


def rows(*parts: str) -> list[dict[str, str]]:
    with open(DATA.joinpath(*parts), encoding="utf-8-sig", newline="") as stream:
        return list(csv.DictReader(stream))


def load_contacts(
    account: Any, actor: Any, contacts: list[dict[str, str]], *, source: str, id_key: str,
    manager_key: str | None, name: Any, title_key: str,
) -> dict[str, Stakeholder]:  # fmt: skip
    """Two passes: everyone first, then who reports to whom (a manager may come later).
    An address that is not a valid email (the data has `j.davis@expressl&t.net`) is left out
    and reported, rather than losing the person."""
    made: dict[str, Stakeholder] = {}
    for row in contacts:
        email = row.get("Email", "").strip()
        try:
            validate_email(email) if email else None
        except ValidationError:
            PROBLEMS.append((row[id_key], f"not an email address: {email}"))
            email = ""
        made[row[id_key]] = services.stakeholder_create(
            account=account,
            actor=actor,
            name=name(row),
            title=row.get(title_key, "").strip(),
            email=email,
            phone=row.get("Phone", "").strip()[:50],
            source=source,
            source_id=row[id_key],
        )
    if manager_key:
        for row in contacts:
            manager = made.get(row.get(manager_key, "").strip())
            if manager is not None:
                services.stakeholder_update(
                    stakeholder=made[row[id_key]], actor=actor, reports_to=manager
                )
    return made


def test_northwind_employees_build_their_org_chart(programme, login):
    # given
    employees = rows("northwind", "employees.csv")
    account = account_create(actor=programme.director, name="Northwind Traders")

    # when
    made = load_contacts(
        account, programme.director, employees, source="northwind", id_key="EmployeeID",
        manager_key="ReportsTo", name=lambda r: f"{r['FirstName']} {r['LastName']}",
        title_key="Title",
    )  # fmt: skip

    # then: the chart is the data's, checked against the CSV itself
    assert len(made) == 9
    for row in employees:
        s = Stakeholder.objects.get(pk=made[row["EmployeeID"]].pk)
        expected = made[row["ReportsTo"]].pk if row["ReportsTo"] else None
        assert s.reports_to_id == expected, s.name
    fuller = Stakeholder.objects.get(name="Andrew Fuller")
    assert fuller.reports_to is None
    assert fuller.title == "Vice President, Sales"
    assert sorted(fuller.reports.values_list("name", flat=True)) == [
        "Janet Leverling", "Laura Callahan", "Margaret Peacock", "Nancy Davolio", "Steven Buchanan",
    ]  # fmt: skip
    assert sorted(Stakeholder.objects.get(name="Steven Buchanan").reports.values_list(
        "name", flat=True
    )) == ["Anne Dodsworth", "Michael Suyama", "Robert King"]  # fmt: skip

    # and the relationship map draws the same tree
    page = login(programme.director).get(f"/accounts/{account.pk}/relationship-map/")
    html = page.content.decode()
    start = html.index(">", html.index('id="org-chart-data"')) + 1
    nodes = json.loads(html[start : html.index("</script>", start)])["nodes"]
    roots = [n["name"] for n in nodes if n["parent"] is None]
    assert roots == ["Andrew Fuller"]
    assert len(nodes) == 9


def test_salesforce_contacts_become_stakeholders_of_their_accounts(programme):
    # given: the classic developer org's accounts and contacts
    PROBLEMS.clear()
    sf_accounts = rows("salesforce", "classic_dev_org", "Account.csv")
    contacts = rows("salesforce", "classic_dev_org", "Contact.csv")
    accounts = {
        a["Id"]: account_create(actor=programme.director, name=a["Name"]) for a in sf_accounts
    }

    # when
    for account_id, account in accounts.items():
        load_contacts(
            account, programme.director, [c for c in contacts if c["AccountId"] == account_id],
            source="salesforce", id_key="Id", manager_key="ReportsToId",
            name=lambda r: r["Name"] or f"{r['FirstName']} {r['LastName']}".strip(),
            title_key="Title",
        )  # fmt: skip

    # then every contact with a known account is a stakeholder, with its title; the two
    # addresses with an "&" in their domain are reported, not stored
    bad = {c["Id"] for c in contacts if "&" in c["Email"] and c["AccountId"] in accounts}
    assert {row_id for row_id, _ in PROBLEMS} == bad
    assert len(bad) == 2
    with_account = [c for c in contacts if c["AccountId"] in accounts]
    assert Stakeholder.objects.count() == len(with_account) > 0
    rose = Stakeholder.objects.get(source="salesforce", source_id=with_account[0]["Id"])
    assert rose.title == with_account[0]["Title"]
    assert rose.account == accounts[with_account[0]["AccountId"]]
    # the export has no reports-to: nobody is made up a manager
    assert not Stakeholder.objects.filter(reports_to__isnull=False).exists()


def test_a_second_load_of_the_same_contact_is_refused_not_duplicated(programme):
    contacts = rows("salesforce", "data_cloud_workshop", "Contact.csv")
    placed = [c for c in contacts if c["AccountId"]][:1]
    account = account_create(actor=programme.director, name="Workshop account")
    kwargs: dict[str, Any] = dict(
        source="salesforce", id_key="Id", manager_key="ReportsToId",
        name=lambda r: r["Name"], title_key="Title",
    )  # fmt: skip
    load_contacts(account, programme.director, placed, **kwargs)
    from accountable.core.errors import Conflict

    with pytest.raises(Conflict):
        load_contacts(account, programme.director, placed, **kwargs)
    assert Stakeholder.objects.count() == 1
