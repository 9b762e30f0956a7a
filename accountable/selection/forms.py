"""Page forms for key account selection."""

from django import forms

from accountable.core.forms import StyledForm
from accountable.people.models import BusinessUnit
from accountable.selection.models import PARTNERSHIP_QUESTIONS as QUESTIONS
from accountable.selection.models import Decision, Score

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


class PartnershipAssessmentForm(StyledForm):
    integrate = forms.TypedChoiceField(coerce=int, choices=Score.choices, label=QUESTIONS[0][1])
    dedicate_team = forms.TypedChoiceField(coerce=int, choices=Score.choices, label=QUESTIONS[1][1])
    share_data = forms.TypedChoiceField(coerce=int, choices=Score.choices, label=QUESTIONS[2][1])
    joint_funding = forms.TypedChoiceField(coerce=int, choices=Score.choices, label=QUESTIONS[3][1])
    strategic_fit = forms.TypedChoiceField(coerce=int, choices=Score.choices, label=QUESTIONS[4][1])
    comment = forms.CharField(
        required=False, max_length=2000, widget=forms.Textarea(attrs={"rows": 2})
    )


class SelectionDecisionForm(StyledForm):
    decision = forms.ChoiceField(choices=Decision.choices)
    reason = forms.CharField(max_length=2000, widget=forms.Textarea(attrs={"rows": 2}))
    review_on = forms.DateField(
        required=False,
        label="Review on",
        widget=forms.DateInput(attrs={"type": "date"}),
        help_text="When to look at this decision again.",
    )


class PortfolioFilterForm(StyledForm):
    statuses = forms.MultipleChoiceField(
        required=False,
        choices=[
            ("prospect", "Prospects"),
            ("candidate", "Candidates"),
            ("pilot", "Pilots"),
            ("key_account", "Key accounts"),
        ],
        label="Accounts",
    )
    region = forms.CharField(required=False, max_length=60)
    business_unit = forms.ModelChoiceField(
        required=False, queryset=BusinessUnit.objects.order_by("name"), label="Our business unit"
    )
    as_of = forms.DateField(required=False, label="Scores as of")


class BacktestForm(StyledForm):
    cutoff = forms.DateField(
        label="Cut-off (first day of a month)", widget=forms.DateInput(attrs={"type": "date"})
    )
    top = forms.IntegerField(min_value=1, max_value=10_000, initial=20, label="Accounts per group")
    months = forms.IntegerField(min_value=1, max_value=60, initial=12, label="Months compared")
