"""Page forms for stakeholders, relationship owners, interactions and the settings. Each
collects input for one service; the rules live in the services."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils import timezone

from accountable.accounts.models import Account, BuyingCentre
from accountable.core.forms import FastSelect, StyledForm
from accountable.people.models import BusinessUnit, User
from accountable.relationships.models import (
    Attitude,
    BuyingRole,
    DecisionOrientation,
    Direction,
    DmuRole,
    InteractionKind,
    Reaction,
    Seniority,
    Stakeholder,
)
from accountable.relationships.services import SETTINGS_FIELDS


def _blank(choices: Any, label: str = "—") -> list[tuple[Any, Any]]:
    return [("", label), *choices]


class StakeholderChoiceField(forms.ModelChoiceField):
    widget = FastSelect

    def label_from_instance(self, obj: Any) -> str:
        return f"{obj.name} — {obj.title}" if obj.title else obj.name


class StakeholderForm(StyledForm):
    name = forms.CharField(max_length=200)
    title = forms.CharField(max_length=200, required=False)
    seniority = forms.TypedChoiceField(
        choices=Seniority.choices, coerce=int, initial=Seniority.MANAGER
    )
    buying_centre = forms.ModelChoiceField(
        queryset=BuyingCentre.objects.none(),
        required=False,
        widget=FastSelect,
        label="Department / buying centre",
    )
    reports_to = StakeholderChoiceField(queryset=Stakeholder.objects.none(), required=False)
    buying_role = forms.ChoiceField(choices=_blank(BuyingRole.choices), required=False)
    dmu_role = forms.ChoiceField(
        choices=_blank(DmuRole.choices), required=False, label="Decision-making-unit role"
    )
    influence = forms.TypedChoiceField(
        choices=[(i, str(i)) for i in range(1, 6)],
        coerce=int,
        initial=3,
        help_text="1 (little say) to 5 (decides or sways the decision).",
    )
    attitude = forms.ChoiceField(
        choices=Attitude.choices, initial=Attitude.NEUTRAL, label="Attitude towards us"
    )
    decision_orientation = forms.ChoiceField(
        choices=_blank(DecisionOrientation.choices), required=False
    )
    cares_about = forms.CharField(
        widget=forms.Textarea, required=False, label="What they care about", max_length=20_000
    )
    email = forms.EmailField(required=False)
    phone = forms.CharField(max_length=50, required=False)
    location = forms.CharField(max_length=200, required=False)
    left_at = forms.DateField(
        required=False,
        label="Left the customer on",
        widget=forms.DateInput(attrs={"type": "date"}),
        help_text="Leave empty while they are still there.",
    )
    reason = forms.CharField(max_length=2000, required=False, label="Why (for the history)")

    FIELDS = (
        "name",
        "title",
        "seniority",
        "buying_centre",
        "reports_to",
        "buying_role",
        "dmu_role",
        "influence",
        "attitude",
        "decision_orientation",
        "cares_about",
        "email",
        "phone",
        "location",
        "left_at",
    )

    def __init__(
        self, *args: Any, account: Account, stakeholder: Stakeholder | None = None, **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        self.fields["buying_centre"].queryset = BuyingCentre.objects.filter(account=account)  # type: ignore[attr-defined]
        managers = Stakeholder.objects.filter(account=account).only("id", "name", "title")
        if stakeholder is not None:
            managers = managers.exclude(pk=stakeholder.pk)
        self.fields["reports_to"].queryset = managers  # type: ignore[attr-defined]

    def stakeholder_fields(self) -> dict[str, Any]:
        return {name: self.cleaned_data[name] for name in self.FIELDS}

    @classmethod
    def initial_for(cls, stakeholder: Stakeholder) -> dict[str, Any]:
        initial = {name: getattr(stakeholder, name) for name in cls.FIELDS}
        initial["buying_centre"] = stakeholder.buying_centre_id
        initial["reports_to"] = stakeholder.reports_to_id
        return initial


class OwnerForm(StyledForm):
    user = forms.ModelChoiceField(
        queryset=User.objects.none(), widget=FastSelect, label="Our person"
    )
    is_primary = forms.BooleanField(required=False, label="Primary owner of the relationship")
    assessment = forms.IntegerField(
        min_value=0,
        max_value=100,
        required=False,
        label="Own assessment (0-100)",
        help_text="How strong do they think the relationship is?",
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["user"].queryset = User.objects.filter(is_active=True).order_by(  # type: ignore[attr-defined]
            "last_name", "first_name"
        )


class InteractionForm(StyledForm):
    occurred_on = forms.DateField(
        label="Date", widget=forms.DateInput(attrs={"type": "date"}), initial=timezone.localdate
    )
    kind = forms.ChoiceField(choices=InteractionKind.choices, label="Type")
    direction = forms.ChoiceField(choices=Direction.choices, label="Who initiated")
    participants = forms.ModelMultipleChoiceField(
        queryset=User.objects.none(), label="Our participants"
    )
    stakeholders = forms.ModelMultipleChoiceField(
        queryset=Stakeholder.objects.none(), label="Their stakeholders"
    )
    business_unit = forms.ModelChoiceField(
        queryset=BusinessUnit.objects.all(),
        required=False,
        label="Our business unit",
        help_text="Defaults to yours.",
    )
    summary = forms.CharField(widget=forms.Textarea, max_length=20_000)
    next_steps = forms.CharField(widget=forms.Textarea, required=False, max_length=20_000)
    insight_topic = forms.CharField(
        max_length=200, required=False, label="Insight we brought (topic)"
    )
    insight_value = forms.CharField(
        widget=forms.Textarea, required=False, label="Its value to them", max_length=20_000
    )
    insight_reaction = forms.ChoiceField(
        choices=_blank(Reaction.choices), required=False, label="Their reaction"
    )

    def __init__(self, *args: Any, account: Account, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # Anyone of ours may have taken part: someone outside the team shows a silo (and
        # raises an alert for the owner and the director).
        self.fields["participants"].queryset = User.objects.filter(is_active=True).order_by(  # type: ignore[attr-defined]
            "last_name", "first_name"
        )
        self.fields["stakeholders"].queryset = Stakeholder.objects.filter(  # type: ignore[attr-defined]
            account=account, left_at__isnull=True
        ).order_by("name")
        self.fields["participants"].widget.attrs["size"] = 6
        self.fields["stakeholders"].widget.attrs["size"] = 8

    def insights(self) -> list[dict[str, Any]]:
        topic = self.cleaned_data.get("insight_topic", "").strip()
        if not topic and not self.cleaned_data.get("insight_value", "").strip():
            return []
        return [
            {
                "topic": topic,
                "value_to_them": self.cleaned_data.get("insight_value", ""),
                "reaction": self.cleaned_data.get("insight_reaction", ""),
            }
        ]


class SettingsForm(StyledForm):
    weight_recency = forms.IntegerField(min_value=0, max_value=10_000)
    weight_frequency = forms.IntegerField(min_value=0, max_value=10_000)
    weight_two_way = forms.IntegerField(min_value=0, max_value=10_000, label="Weight two-way")
    weight_depth = forms.IntegerField(min_value=0, max_value=10_000)
    weight_seniority = forms.IntegerField(
        min_value=0, max_value=10_000, label="Weight seniority match"
    )
    half_life_days = forms.IntegerField(min_value=1, max_value=10_000)
    frequency_target = forms.IntegerField(min_value=1, max_value=10_000)
    weak_below = forms.IntegerField(min_value=0, max_value=100, label="Weak below (0-100)")
    cold_after_days = forms.IntegerField(min_value=1, max_value=10_000, label="Cold after (days)")
    single_thread_share = forms.IntegerField(
        min_value=1, max_value=100, label="Single-threaded above (% of interactions)"
    )
    reason = forms.CharField(max_length=2000, required=False)

    def settings_fields(self) -> dict[str, Any]:
        return {name: self.cleaned_data[name] for name in SETTINGS_FIELDS}
