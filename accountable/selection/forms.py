"""Page forms for key account selection."""

from django import forms

from accountable.core.forms import StyledForm

STATUS_CHOICES = [
    ("candidate", "Candidates"),
    ("pilot", "Pilot accounts"),
    ("key_account", "Key accounts"),
]


class AssignmentRunForm(StyledForm):
    statuses = forms.MultipleChoiceField(
        choices=STATUS_CHOICES,
        initial=["pilot", "key_account"],
        widget=forms.CheckboxSelectMultiple,
        label="Accounts to assign",
    )
    keep_current_owners = forms.BooleanField(
        required=False,
        label="Accounts keep their current owners",
        help_text="Only accounts without an owner get one; the rest stay as they are.",
    )
    cover_all = forms.BooleanField(
        required=False,
        initial=True,
        label="Every account must get an owner",
        help_text="Refused with the reason when the cap leaves too little room.",
    )
    industry = forms.FloatField(
        min_value=0, max_value=5, initial=0.15, label="Bonus: industry experience"
    )
    region = forms.FloatField(min_value=0, max_value=5, initial=0.10, label="Bonus: region")
    relationship = forms.FloatField(
        min_value=0, max_value=5, initial=0.20, label="Bonus: already on the team"
    )
    continuity = forms.FloatField(
        min_value=0, max_value=5, initial=0.10, label="Bonus: current owner"
    )


class DecisionForm(StyledForm):
    reason = forms.CharField(max_length=1000, label="Why", widget=forms.Textarea(attrs={"rows": 2}))
