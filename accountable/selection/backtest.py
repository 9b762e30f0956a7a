"""The backtest: would the scoring model have chosen better key accounts than past revenue?

Pure computation. Given, for the accounts that bought before a cut-off date, their scores by
the model (computed from data before the cut-off only) and their revenue in the months before
and after it, take the top N by the model and the top N by past revenue alone, and compare
what each group's revenue did next: total before and after, growth, and the accounts that
stopped buying (no revenue after).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field


@dataclass(frozen=True)
class Pick:
    account_id: int
    label: str  # an external id, or the name when the account has none
    name: str
    rank_value: float
    before: float
    after: float

    @property
    def growth_pct(self) -> float | None:
        return (self.after / self.before - 1) * 100 if self.before > 0 else None

    @property
    def churned(self) -> bool:
        return self.after <= 0


@dataclass
class Group:
    name: str
    picks: list[Pick] = field(default_factory=list)

    @property
    def before(self) -> float:
        return sum(p.before for p in self.picks)

    @property
    def after(self) -> float:
        return sum(p.after for p in self.picks)

    @property
    def growth_pct(self) -> float | None:
        return (self.after / self.before - 1) * 100 if self.before > 0 else None

    @property
    def churned(self) -> int:
        return sum(1 for p in self.picks if p.churned)

    def as_dict(self) -> dict[str, object]:
        return {
            "name": self.name,
            "revenue_before": round(self.before, 2),
            "revenue_after": round(self.after, 2),
            "growth_pct": None if self.growth_pct is None else round(self.growth_pct, 2),
            "churned": self.churned,
            "accounts": [
                {
                    "external_id": p.label,
                    "name": p.name,
                    "revenue_before": round(p.before, 2),
                    "revenue_after": round(p.after, 2),
                    "growth_pct": None if p.growth_pct is None else round(p.growth_pct, 2),
                }
                for p in self.picks
            ],
        }


def model_rank(attractiveness: float | None, strength: float | None) -> float | None:
    """What the model ranks by: the mean of the axes it could score (a key account is one
    that is attractive and where we are strong)."""
    axes = [v for v in (attractiveness, strength) if v is not None]
    return sum(axes) / len(axes) if axes else None


def compare(
    *,
    ranks: Mapping[int, float | None],
    before: Mapping[int, float],
    after: Mapping[int, float],
    labels: Mapping[int, tuple[str, str]],
    top: int,
) -> tuple[Group, Group]:
    """The model's top N and past revenue's top N among the accounts with revenue before.
    Ties go to the larger past revenue, then the smaller id, so the result is reproducible."""
    eligible = [a for a, v in before.items() if v > 0]

    def pick(account_id: int, rank_value: float) -> Pick:
        label, name = labels.get(account_id, (str(account_id), str(account_id)))
        return Pick(
            account_id=account_id,
            label=label,
            name=name,
            rank_value=rank_value,
            before=before.get(account_id, 0.0),
            after=after.get(account_id, 0.0),
        )

    scored = [a for a in eligible if ranks.get(a) is not None]
    by_model = sorted(scored, key=lambda a: (-(ranks[a] or 0.0), -before[a], a))[:top]
    by_revenue = sorted(eligible, key=lambda a: (-before[a], a))[:top]
    return (
        Group("model", [pick(a, ranks[a] or 0.0) for a in by_model]),
        Group("past revenue", [pick(a, before[a]) for a in by_revenue]),
    )
