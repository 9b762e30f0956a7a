"""Plan forms: they check the shape of input; the services check the rules."""

from __future__ import annotations

from typing import Any

from django import forms

from accountable.core.forms import FastSelect, StyledForm
from accountable.people.models import User
from accountable.plans.models import SECTIONS, ActionStatus, Indicator, Level

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


def _number(label: str | None = None, *, required: bool = True) -> forms.DecimalField:
    return forms.DecimalField(label=label, required=required, max_digits=15, decimal_places=2)


def _date(label: str, *, required: bool = True, help_text: str = "") -> forms.DateField:
    return forms.DateField(label=label, required=required, widget=DATE, help_text=help_text)


class PeopleChoiceForm(StyledForm):
    """A form with a choice of the account's people (`people`: [(id, name)])."""

    people_fields: tuple[str, ...] = ()
    people_required: tuple[str, ...] = ()

    def __init__(self, *args: Any, people: list[tuple[int, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for name in self.people_fields:
            required = name in self.people_required
            choices = ([] if required else [("", "—")]) + [(str(i), n) for i, n in people]
            if required:
                choices = [("", "Choose…"), *choices]
            self.fields[name] = forms.TypedChoiceField(
                label=self.fields[name].label,
                choices=choices,
                coerce=int,
                required=required,
                empty_value=None,
                widget=FastSelect(attrs={"class": "form-select"}),
            )


class PlanStartForm(StyledForm):
    title = forms.CharField(
        max_length=200, required=False, help_text="Leave empty for the default."
    )
    period_start = _date("Period starts", required=False, help_text="Default: today.")
    period_end = _date("Period ends", required=False, help_text="Default: a year on.")


class PlanForm(StyledForm):
    version = forms.IntegerField(widget=forms.HiddenInput)
    title = forms.CharField(max_length=200)
    period_start = _date("Period starts")
    period_end = _date("Period ends")
    review_cadence_days = forms.IntegerField(
        label="Review every (days)", min_value=7, max_value=366
    )

    def __init__(
        self, *args: Any, sections: list[tuple[str, str, str]] | None = None, **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        for name, heading, question in sections or SECTIONS:
            self.fields[name] = forms.CharField(
                label=heading,
                required=False,
                help_text=question,
                widget=forms.Textarea(attrs={"rows": 3, "class": "form-control"}),
            )
        self.fields["reason"] = forms.CharField(
            required=False, max_length=500, label="Why (optional, kept in history)"
        )

    def plan_fields(self) -> dict[str, Any]:
        return {k: v for k, v in self.cleaned_data.items() if k not in ("version", "reason")}


class ObjectiveForm(StyledForm):
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)
    title = forms.CharField(max_length=200)
    metric = forms.CharField(max_length=200, help_text="What is measured, e.g. share of wallet.")
    unit = forms.CharField(max_length=30, required=False, help_text="e.g. %, EUR, meetings")
    baseline = _number()
    target = _number()
    current = _number("Current value", required=False)
    due_on = _date("Due")
    indicator = forms.ChoiceField(
        choices=Indicator.choices,
        help_text="Lead: relationships, access, insight that come first. Lag: sales results.",
    )

    def objective_fields(self) -> dict[str, Any]:
        return {k: v for k, v in self.cleaned_data.items() if k != "version"}


class InitiativeForm(PeopleChoiceForm):
    people_fields = ("owner",)
    title = forms.CharField(max_length=200)
    description = forms.CharField(required=False, widget=forms.Textarea(attrs={"rows": 2}))
    owner = forms.CharField(required=False)


class ActionForm(PeopleChoiceForm):
    people_fields = ("owner",)
    people_required = ("owner",)
    title = forms.CharField(max_length=200)
    owner = forms.CharField()
    due_on = _date("Due")


class ActionStatusForm(StyledForm):
    status = forms.ChoiceField(choices=ActionStatus.choices)


class MilestoneForm(StyledForm):
    title = forms.CharField(max_length=200)
    due_on = _date("Date")


class RiskForm(PeopleChoiceForm):
    people_fields = ("owner",)
    title = forms.CharField(max_length=200)
    severity = forms.ChoiceField(choices=Level.choices, initial=Level.MEDIUM)
    likelihood = forms.ChoiceField(choices=Level.choices, initial=Level.MEDIUM)
    owner = forms.CharField(required=False)
    mitigation = forms.CharField(required=False, widget=forms.Textarea(attrs={"rows": 2}))


class ReviewForm(StyledForm):
    held_on = _date("Held on")
    attendees = forms.CharField(widget=forms.Textarea(attrs={"rows": 2}))
    changes = forms.CharField(
        required=False, label="What changed", widget=forms.Textarea(attrs={"rows": 3})
    )
    decisions = forms.CharField(required=False, widget=forms.Textarea(attrs={"rows": 3}))
    next_review_on = _date(
        "Next review", required=False, help_text="Default: one review cadence after this one."
    )


class WorkflowForm(StyledForm):
    version = forms.IntegerField(widget=forms.HiddenInput)
    comment = forms.CharField(required=False, widget=forms.Textarea(attrs={"rows": 2}))


class CompareForm(forms.Form):
    left = forms.IntegerField(min_value=1)
    right = forms.IntegerField(min_value=1)


class PlanTemplateForm(StyledForm):
    """The director's plan template: review cadence and each section's guiding question."""

    review_cadence_days = forms.IntegerField(
        label="Review every (days)",
        min_value=7,
        max_value=366,
        help_text="New plans start with this cadence; 91 is quarterly.",
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for name, heading, question in SECTIONS:
            self.fields[f"q_{name}"] = forms.CharField(
                label=f"Guiding question: {heading}",
                required=False,
                max_length=500,
                help_text=f"Empty: “{question}”",
                widget=forms.Textarea(attrs={"rows": 2, "class": "form-control"}),
            )
        self.fields["approvers"] = forms.ModelMultipleChoiceField(
            queryset=User.objects.filter(is_active=True).order_by("last_name", "first_name"),
            required=False,
            label="Delegates who may approve plans",
            help_text="Besides programme directors. A delegate approves the plans of the "
            "accounts they can see (executives see all).",
        )
        self.fields["reason"] = forms.CharField(required=False, max_length=500)

    def questions(self) -> dict[str, str]:
        return {name: self.cleaned_data.get(f"q_{name}", "") for name, _, _ in SECTIONS}
