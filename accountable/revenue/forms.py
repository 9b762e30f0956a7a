from __future__ import annotations

from typing import Any

from django import forms

from accountable.accounts.models import Account, BuyingCentre
from accountable.revenue.models import ProductLine, WhitespaceStatus


class WhitespaceCellForm(forms.Form):
    product_line = forms.ModelChoiceField(queryset=ProductLine.objects.all())
    buying_centre = forms.ModelChoiceField(
        queryset=BuyingCentre.objects.none(), required=False, empty_label="Whole account"
    )
    status = forms.ChoiceField(choices=WhitespaceStatus.choices)
    competitor = forms.CharField(max_length=120, required=False)
    potential = forms.DecimalField(max_digits=15, decimal_places=2, min_value=0, required=False)

    def __init__(self, *args: Any, account: Account, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["buying_centre"].queryset = BuyingCentre.objects.filter(  # type: ignore[attr-defined]
            account=account
        )


class PeriodForm(forms.Form):
    start = forms.DateField(required=False, widget=forms.DateInput(attrs={"type": "date"}))
    end = forms.DateField(required=False, widget=forms.DateInput(attrs={"type": "date"}))
