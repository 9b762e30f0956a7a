"""Saved column mappings: made on the mapping screen from a sample, then used like a preset."""

from __future__ import annotations

import re
from decimal import Decimal
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from accountable.core.errors import ValidationFailed
from accountable.exchange.models import ImportMapping
from accountable.exchange.services import (
    import_execute,
    import_mapping_create,
    import_run_create,
)
from accountable.revenue.models import SalesLine

ERP_ACCOUNTS = "KundenNr,Firma,Land\nK1,Müller GmbH,Germany\nK2,Dupont SA,France\n"
ERP_LINES = (
    "Beleg,Datum,KundenNr,Artikel,Menge,Preis\n"
    "R1,2024-03-01,K1,A-1,2,10.50\n"
    "R1,2024-03-01,K1,A-2,1,99\n"
    "R2,03/15/2024,K2,A-1,5,10\n"
    "R3,2024-04-01,K9,A-1,1,10\n"
    "R4,not a date,K1,A-1,1,10\n"
)


def _mappings(director) -> None:
    import_mapping_create(
        name="erp-accounts", target="accounts", source="erp", actor=director,
        columns={"external_id": "KundenNr", "name": "Firma", "country": "Land"},
        header=["KundenNr", "Firma", "Land"],
    )  # fmt: skip
    import_mapping_create(
        name="erp-lines", target="sales-lines", source="erp", actor=director, currency="EUR",
        columns={"invoice": "Beleg", "date": "Datum", "account_external_id": "KundenNr",
                 "product_code": "Artikel", "quantity": "Menge", "unit_price": "Preis"},
        header=["Beleg", "Datum", "KundenNr", "Artikel", "Menge", "Preis"],
    )  # fmt: skip


def _import(name: str, path: Path, director):
    return import_execute(run=import_run_create(preset=name, paths=[path], actor=director))


def test_a_saved_mapping_imports_accounts_then_their_lines(director, tmp_path):
    # given
    _mappings(director)
    (tmp_path / "kunden.csv").write_text(ERP_ACCOUNTS, encoding="utf-8")
    (tmp_path / "belege.csv").write_text(ERP_LINES, encoding="utf-8")

    # when
    accounts = _import("erp-accounts", tmp_path / "kunden.csv", director)
    lines = _import("erp-lines", tmp_path / "belege.csv", director)
    again = _import("erp-lines", tmp_path / "belege.csv", director)

    # then
    assert accounts.counts["accounts"] == {"created": 2}
    assert lines.counts["sales lines"] == {"created": 3}
    assert [(r.row, r.column) for r in lines.rejects.all()] == [(5, "KundenNr"), (6, "Datum")]
    assert "no account with erp id K9" in lines.rejects.get(row=5).reason
    amounts = sorted(SalesLine.objects.values_list("invoice", "amount"))
    assert amounts == [("R1", Decimal("21")), ("R1", Decimal("99")), ("R2", Decimal("50"))]
    assert again.counts["sales lines"] == {"unchanged": 3}


def test_a_mapping_needs_its_required_columns(director):
    with pytest.raises(ValidationFailed, match="Choose the column for: date"):
        import_mapping_create(
            name="broken", target="sales-lines", source="erp", actor=director,
            columns={"invoice": "Beleg", "account_external_id": "KundenNr", "amount": "Betrag"},
            header=["Beleg", "KundenNr", "Betrag"],
        )  # fmt: skip
    assert not ImportMapping.objects.exists()


def test_a_mapping_cannot_take_a_presets_name(director):
    with pytest.raises(ValidationFailed, match="already a preset"):
        import_mapping_create(
            name="northwind", target="accounts", source="erp", actor=director,
            columns={"external_id": "A", "name": "B"}, header=["A", "B"],
        )  # fmt: skip


def test_the_mapping_screen_previews_the_sample_and_saves_the_mapping(client, director):
    # given
    client.force_login(director)
    sample = SimpleUploadedFile("belege.csv", ERP_LINES.encode(), "text/csv")

    # when: step 1, the sample
    step1 = client.post(
        reverse("exchange:mapping_new"),
        {"name": "erp-lines", "target": "sales-lines", "source": "erp", "currency": "EUR",
         "sample": sample},
    )  # fmt: skip
    html = step1.content.decode()
    payload = re.search(r'name="payload" value="([^"]+)"', html)

    # then: the preview shows the file's first rows, the columns are guessed where they can be
    assert step1.status_code == 200
    assert "<td>R1</td>" in html
    assert payload is not None

    # when: step 2, the columns
    step2 = client.post(
        reverse("exchange:mapping_new"),
        {"payload": payload.group(1), "col_invoice": "Beleg", "col_date": "Datum",
         "col_account_external_id": "KundenNr", "col_product_code": "Artikel",
         "col_quantity": "Menge", "col_unit_price": "Preis"},
    )  # fmt: skip

    # then
    assert step2.status_code == 302
    assert step2.url == reverse("exchange:new") + "?preset=erp-lines"
    mapping = ImportMapping.objects.get()
    assert mapping.columns["date"] == "Datum"
    assert mapping.created_by == director


def test_a_tampered_mapping_form_is_refused(client, director):
    client.force_login(director)
    response = client.post(reverse("exchange:mapping_new"), {"payload": "forged"})
    assert response.status_code == 400
    assert not ImportMapping.objects.exists()
