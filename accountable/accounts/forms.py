"""Page forms for customer accounts. Each collects input for exactly one service; the rules
themselves (one owner, the cap, allowed status moves, stale edits) live in the services."""

from __future__ import annotations

from typing import Any

from django import forms
from django.db.models import Q
from django_countries import countries

from accountable.accounts.models import (
    MONEY_DIGITS,
    Account,
    Area,
    ProgrammeStatus,
    Raci,
    SizeBand,
    TeamKind,
    TeamMember,
    Tier,
)
from accountable.accounts.selectors import account_visible_queryset, kam_load_list
from accountable.accounts.services import ALLOWED_TRANSITIONS, team_member_edit_key
from accountable.core.forms import FastSelect, LookupInput, StyledForm
from accountable.people.models import Position, User

PROFILE_TEXT_FIELDS = (
    "business_model",
    "strategy",
    "core_values",
    "current_initiatives",
    "culture",
    "company_history",
    "decision_process",
)
BASIC_FIELDS = (
    "name",
    "parent",
    "industry",
    "country",
    "region",
    "size_band",
    "employees",
    "annual_revenue",
    "website",
    "tier",
)


def _blank(choices: Any, label: str = "—") -> list[tuple[str, Any]]:
    return [("", label), *choices]


class ParentField(forms.ModelChoiceField):
    """The parent account, chosen by name or number (a select of 100,000 accounts is no use)."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("widget", LookupInput(lookup_url_name="accounts:lookup", model=Account))
        super().__init__(*args, **kwargs)

    def label_from_instance(self, obj: Any) -> str:
        return str(obj)


class KamChoiceField(forms.ModelChoiceField):
    """People who may own accounts, each labelled with what they own against the cap, so a
    director sees the load before choosing."""

    widget = FastSelect

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault(
            "queryset",
            User.objects.filter(is_active=True, position__can_own_accounts=True).order_by(
                "last_name", "first_name"
            ),
        )
        kwargs.setdefault("empty_label", "Choose a KAM…")
        super().__init__(*args, **kwargs)
        self.load: dict[int, tuple[int, int]] = {}

    def label_from_instance(self, obj: Any) -> str:
        owned, cap = self.load.get(obj.pk, (0, 0))
        suffix = f" — owns {owned} pilot/key (cap {cap})" if cap else ""
        return f"{obj}{suffix}"


def _with_kam_load(field: forms.Field) -> None:
    assert isinstance(field, KamChoiceField)
    field.load = {row["person"].pk: (row["owned"], row["cap"]) for row in kam_load_list()}


class AccountFieldsForm(StyledForm):
    """The account's own fields, shared by create and edit."""

    name = forms.CharField(max_length=200)
    parent = ParentField(
        queryset=Account.objects.none(),
        required=False,
        label="Parent account",
        error_messages={"invalid_choice": "There is no account with that number that you can see."},
        help_text="The account one level up in a global account: search by name, or type its "
        "number (shown in its address, /accounts/<number>/). Empty for a top-level account.",
    )
    industry = forms.CharField(max_length=100, required=False)
    country = forms.ChoiceField(required=False)
    region = forms.CharField(max_length=60, required=False)
    size_band = forms.ChoiceField(choices=_blank(SizeBand.choices), required=False, label="Size")
    employees = forms.IntegerField(min_value=0, required=False)
    annual_revenue = forms.DecimalField(
        max_digits=MONEY_DIGITS,
        decimal_places=2,
        min_value=0,
        required=False,
        label="Customer's annual revenue",
        help_text="The customer's own revenue.",
    )
    website = forms.URLField(required=False, assume_scheme="https")
    tier = forms.ChoiceField(choices=_blank(Tier.choices), required=False)

    def __init__(
        self, *args: Any, user: Any, current_parent_id: int | None = None, **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        self.fields["country"].choices = _blank(list(countries))  # type: ignore[attr-defined]
        # Only accounts the user may see can be chosen, plus the current parent (which a KAM
        # may not see) so that saving an unchanged form does not fail.
        parents = Q(pk__in=account_visible_queryset(user=user).values("id"))
        if current_parent_id is not None:
            parents |= Q(pk=current_parent_id)
        self.fields["parent"].queryset = Account.objects.filter(parents).only("id", "name")  # type: ignore[attr-defined]

    def account_fields(self) -> dict[str, Any]:
        data = {name: self.cleaned_data[name] for name in BASIC_FIELDS if name in self.fields}
        for name in PROFILE_TEXT_FIELDS:
            if name in self.fields:
                data[name] = self.cleaned_data[name]
        for name in ("industry", "region", "size_band", "website", "tier", "country"):
            if name in data and data[name] is None:
                data[name] = ""
        return data


class AccountProfileForm(AccountFieldsForm):
    """Edit an account's fields and customer profile; `version` detects a concurrent edit."""

    version = forms.IntegerField(widget=forms.HiddenInput)
    business_model = forms.CharField(
        widget=forms.Textarea,
        required=False,
        help_text="How the customer makes money: products, markets, channels.",
    )
    strategy = forms.CharField(
        widget=forms.Textarea,
        required=False,
        label="Strategy and vision",
        help_text="Where they are heading in the next three years, and why.",
    )
    core_values = forms.CharField(
        widget=forms.Textarea,
        required=False,
        help_text="What they stand for; what they reward in suppliers.",
    )
    current_initiatives = forms.CharField(
        widget=forms.Textarea, required=False, help_text="Their major programmes and projects now."
    )
    culture = forms.CharField(
        widget=forms.Textarea,
        required=False,
        help_text="How they work: formal or informal, fast or careful, central or local.",
    )
    company_history = forms.CharField(
        widget=forms.Textarea,
        required=False,
        label="History",
        help_text="Key moments: mergers, crises, new leaders.",
    )
    decision_process = forms.CharField(
        widget=forms.Textarea,
        required=False,
        label="Decision-making process",
        help_text="Who decides, who influences, how a purchase is approved.",
    )
    reason = forms.CharField(
        required=False,
        max_length=500,
        label="Why (optional)",
        help_text="Kept in the account's history with the change.",
    )

    @classmethod
    def initial_for(cls, account: Account) -> dict[str, Any]:
        initial: dict[str, Any] = {
            name: getattr(account, name)
            for name in (*BASIC_FIELDS, *PROFILE_TEXT_FIELDS)
            if name != "parent"
        }
        initial["parent"] = account.parent_id
        initial["country"] = getattr(account.country, "code", "") or ""
        initial["version"] = account.version
        return initial


class AccountCreateForm(AccountFieldsForm):
    programme_status = forms.ChoiceField(
        label="Programme status",
        choices=[
            (s.value, s.label)
            for s in (ProgrammeStatus.PROSPECT, ProgrammeStatus.CANDIDATE, ProgrammeStatus.EXITED)
        ],
        help_text="A new account starts as a prospect or candidate; it becomes a pilot or key "
        "account through a status change that names its KAM.",
    )
    external_source = forms.CharField(
        max_length=40, required=False, label="Source system", help_text="e.g. crm, erp, salesforce"
    )
    external_value = forms.CharField(max_length=120, required=False, label="Id in that system")
    reason = forms.CharField(required=False, max_length=500, label="Why (optional)")

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if bool(data.get("external_source")) != bool(data.get("external_value")):
            self.add_error("external_value", "Give both the source system and the id, or neither.")
        return data

    def external_ids(self) -> list[tuple[str, str]]:
        source, value = (
            self.cleaned_data.get("external_source"),
            self.cleaned_data.get("external_value"),
        )
        return [(source, value)] if source and value else []


class ReasonForm(StyledForm):
    reason = forms.CharField(widget=forms.Textarea(attrs={"rows": 2}), max_length=2000)


class StatusChangeForm(StyledForm):
    to_status = forms.ChoiceField(label="New status")
    owner = KamChoiceField(
        required=False,
        label="Owner (KAM)",
        help_text="A pilot or key account has exactly one accountable owner: choose its KAM.",
    )
    reason = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 2}),
        max_length=2000,
        help_text="Kept with the status change and shown on the timeline.",
    )
    cap_override_reason = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 2}),
        required=False,
        label="Cap override reason",
        help_text="Only if the KAM is already at the cap: why they should own one more. "
        "Recorded and shown on the account and the KAM's page.",
    )

    def __init__(self, *args: Any, account: Account, has_owner: bool, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        allowed = ALLOWED_TRANSITIONS[account.programme_status]
        self.fields["to_status"].choices = _blank(  # type: ignore[attr-defined]
            [(s.value, s.label) for s in ProgrammeStatus if s.value in allowed], "Choose…"
        )
        if has_owner:
            del self.fields["owner"]
        else:
            _with_kam_load(self.fields["owner"])


class OwnerAssignForm(StyledForm):
    user = KamChoiceField(label="Owner (KAM)")
    reason = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 2}),
        required=False,
        max_length=2000,
        label="Why (optional)",
    )
    cap_override_reason = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 2}),
        required=False,
        label="Cap override reason",
        help_text="Only if this KAM is already at the cap: why they should own one more.",
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        _with_kam_load(self.fields["user"])


class OwnerTransferForm(OwnerAssignForm):
    user = KamChoiceField(label="New owner (KAM)")
    reason = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 2}),
        max_length=2000,
        help_text="Why the account changes hands; kept in its history.",
    )


class OwnerReleaseForm(ReasonForm):
    pass


class TeamMemberFieldsForm(StyledForm):
    position = forms.ModelChoiceField(
        queryset=Position.objects.all(),
        required=False,
        empty_label="Their own position",
        help_text="The position this person holds on this account's team.",
    )
    kind = forms.ChoiceField(choices=TeamKind.choices, label="Team", initial=TeamKind.DIRECT)
    allocation_pct = forms.IntegerField(
        min_value=0,
        max_value=100,
        initial=0,
        label="Allocation %",
        help_text="Share of their time given to this account.",
    )
    responsibilities = forms.CharField(widget=forms.Textarea(attrs={"rows": 2}), required=False)


class TeamMemberAddForm(TeamMemberFieldsForm):
    field_order = ["user", "position", "kind", "allocation_pct", "responsibilities"]
    user = forms.ModelChoiceField(
        queryset=User.objects.none(),
        label="Person",
        widget=LookupInput(lookup_url_name="people:lookup", model=User),
        help_text="Search by name and pick them, or type their number.",
        error_messages={"invalid_choice": "Choose an active person who is not on this team yet."},
    )

    def __init__(self, *args: Any, account: Account, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["user"].queryset = (  # type: ignore[attr-defined]
            User.objects.filter(is_active=True)
            .exclude(team_memberships__account=account)
            .order_by("last_name", "first_name", "username")
        )


class TeamMemberEditForm(TeamMemberFieldsForm):
    position = forms.ModelChoiceField(queryset=Position.objects.all())
    # The key of what the form showed: a save over someone else's change since is refused.
    base = forms.CharField(widget=forms.HiddenInput, required=False)

    @staticmethod
    def initial_for(member: TeamMember) -> dict[str, Any]:
        return {
            "position": member.position_id,
            "kind": member.kind,
            "allocation_pct": member.allocation_pct,
            "responsibilities": member.responsibilities,
            "base": team_member_edit_key(member),
        }

    def member_fields(self) -> dict[str, Any]:
        return {k: v for k, v in self.cleaned_data.items() if k != "base"}


class RaciForm(StyledForm):
    """This member's Responsible / Accountable / Consulted / Informed per area."""

    # The key of the roles the form showed (see TeamMemberEditForm.base).
    base = forms.CharField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for value, label in Area.choices:
            self.fields[value] = forms.ChoiceField(
                choices=_blank(Raci.choices),
                required=False,
                label=label,
            )
            self.fields[value].widget.attrs["class"] = "form-select"

    def roles(self) -> dict[str, str | None]:
        return {area: self.cleaned_data.get(area) or None for area in Area.values}


class RemoveForm(StyledForm):
    reason = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 2}),
        required=False,
        max_length=2000,
        label="Why (optional)",
    )


class ExternalIdAddForm(StyledForm):
    source = forms.CharField(max_length=40, help_text="e.g. crm, erp, salesforce")
    value = forms.CharField(max_length=120, label="Id")
