"""Page forms for the programme's settings."""

from django import forms

from accountable.core.forms import StyledForm


class CapForm(StyledForm):
    key_accounts_per_kam_cap = forms.IntegerField(
        min_value=1,
        max_value=100,
        label="Pilot and key accounts per KAM (cap)",
        help_text="One is the ideal. A director can take a KAM over it for one assignment, "
        "with a reason that is recorded.",
    )
    reason = forms.CharField(required=False, max_length=500, label="Why (optional)")
