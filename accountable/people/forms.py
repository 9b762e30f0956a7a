"""Page forms for the people side of the programme: positions and business units."""

from django import forms

from accountable.core.forms import StyledForm


class PositionForm(StyledForm):
    name = forms.CharField(max_length=100, label="Position")
    can_own_accounts = forms.BooleanField(
        required=False,
        label="May own accounts (KAM)",
        help_text="People in this position may be the accountable owner of a pilot or key account.",
    )


class BusinessUnitForm(StyledForm):
    name = forms.CharField(max_length=100)
    code = forms.CharField(max_length=20, help_text="A short code, e.g. IND.")


class ApiTokenCreateForm(StyledForm):
    name = forms.CharField(
        max_length=100,
        label="What it is for",
        help_text="e.g. CRM sync, or my laptop: so that you know which to revoke.",
    )
