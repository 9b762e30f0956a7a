"""Scoring accounts for selection: pure computation, no database.

A scoring model has two axes, **attractiveness** (how much the account is worth to us) and
our **relative strength** (how well placed we are to win it), each a list of factors whose
weights sum to 100. Each factor turns one fact about the account into points from 1 to 10:

- `percentile`: the account's rank among the accounts scored (the top tenth gets 10);
- `thresholds`: nine ascending cut points; points are 1 plus the cut points reached.

`higher_is_better = False` turns either the other way round (e.g. months since the last
purchase). An axis score is the weighted mean of its factors' points, 1 to 10. A fact the
account has no value for is left out and the other factors' weights are scaled up to fill its
place; the explanation says so. Every score carries each factor's raw value, points, weight
and contribution, so that it can be explained line by line.
"""

from __future__ import annotations

import bisect
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Literal, cast

Axis = Literal["attractiveness", "strength"]
AXES: tuple[Axis, ...] = ("attractiveness", "strength")


class ModelInvalid(ValueError):
    def __init__(self, message: str, errors: dict[str, list[str]] | None = None) -> None:
        super().__init__(message)
        self.errors = errors or {}


@dataclass(frozen=True)
class Factor:
    key: str
    axis: Axis
    weight: float
    method: Literal["percentile", "thresholds"] = "percentile"
    thresholds: tuple[float, ...] = ()
    higher_is_better: bool = True

    def as_dict(self) -> dict[str, object]:
        return {
            "key": self.key,
            "axis": self.axis,
            "weight": self.weight,
            "method": self.method,
            "thresholds": list(self.thresholds),
            "higher_is_better": self.higher_is_better,
        }

    @classmethod
    def from_dict(cls, data: Mapping[str, object]) -> Factor:
        thresholds = cast(Iterable[float], data.get("thresholds") or ())
        return cls(
            key=str(data["key"]),
            axis=data["axis"],  # type: ignore[arg-type]
            weight=float(data["weight"]),  # type: ignore[arg-type]
            method=data.get("method", "percentile"),  # type: ignore[arg-type]
            thresholds=tuple(float(t) for t in thresholds),
            higher_is_better=bool(data.get("higher_is_better", True)),
        )


def validate(factors: Iterable[Factor], known_facts: Iterable[str]) -> None:
    """Refuse a model that cannot be scored, saying what is wrong with which factor."""
    factors = list(factors)
    known = set(known_facts)
    errors: dict[str, list[str]] = {}
    for f in factors:
        if f.key not in known:
            errors.setdefault(f.key, []).append(f"No fact called {f.key!r}.")
        if f.axis not in AXES:
            errors.setdefault(f.key, []).append("The axis is attractiveness or strength.")
        if f.weight <= 0:
            errors.setdefault(f.key, []).append("A weight is more than 0.")
        if f.method == "thresholds":
            if len(f.thresholds) != 9 or list(f.thresholds) != sorted(f.thresholds):
                errors.setdefault(f.key, []).append("Give nine ascending cut points.")
        elif f.method != "percentile":
            errors.setdefault(f.key, []).append("The method is percentile or thresholds.")
    for axis in AXES:
        on_axis = [f for f in factors if f.axis == axis]
        total = sum(f.weight for f in on_axis)
        if not on_axis:
            errors.setdefault(axis, []).append(f"Give {axis} at least one factor.")
        elif abs(total - 100) > 1e-6:
            errors.setdefault(axis, []).append(
                f"The {axis} weights sum to {total:g}; they must sum to 100."
            )
    if len({(f.axis, f.key) for f in factors}) != len(factors):
        errors.setdefault("factors", []).append("A fact is used twice on one axis.")
    if errors:
        raise ModelInvalid("The scoring model is not valid.", errors)


@dataclass(frozen=True)
class Contribution:
    key: str
    axis: Axis
    value: float | None
    points: int | None  # 1-10; None: no data
    weight: float  # as configured
    effective_weight: float  # after scaling for missing facts
    contribution: float  # points x effective weight / 100


@dataclass
class AccountScore:
    account_id: int
    attractiveness: float | None
    strength: float | None
    contributions: list[Contribution] = field(default_factory=list)


def _percentile_points(values: Mapping[int, float], higher_is_better: bool) -> dict[int, int]:
    """1-10 by rank: the share of accounts with a lower value (ties share the lower rank)."""
    ordered = sorted(values.values())
    n = len(ordered)
    points = {}
    for account_id, value in values.items():
        below = bisect.bisect_left(ordered, value)
        share = below / n if higher_is_better else (n - bisect.bisect_right(ordered, value)) / n
        points[account_id] = min(10, 1 + int(share * 10))
    return points


def _threshold_points(value: float, thresholds: tuple[float, ...], higher: bool) -> int:
    reached = bisect.bisect_right(thresholds, value)
    return 1 + reached if higher else 10 - reached


def score(
    facts: Mapping[str, Mapping[int, float]],
    factors: Iterable[Factor],
    account_ids: Iterable[int],
) -> dict[int, AccountScore]:
    """Score each account on both axes, explained factor by factor."""
    factors = list(factors)
    ids = list(account_ids)
    points: dict[tuple[str, str], dict[int, int]] = {}
    for f in factors:
        values = {a: v for a, v in facts.get(f.key, {}).items() if a in set(ids)}
        if f.method == "percentile":
            points[f.axis, f.key] = _percentile_points(values, f.higher_is_better)
        else:
            points[f.axis, f.key] = {
                a: _threshold_points(v, f.thresholds, f.higher_is_better) for a, v in values.items()
            }
    result = {}
    for account_id in ids:
        contributions = []
        axis_scores: dict[str, float | None] = {}
        for axis in AXES:
            on_axis = [f for f in factors if f.axis == axis]
            present = [f for f in on_axis if account_id in points[f.axis, f.key]]
            present_weight = sum(f.weight for f in present)
            total = 0.0
            for f in on_axis:
                p = points[f.axis, f.key].get(account_id)
                scale = (100 / present_weight) if present_weight else 0.0
                effective = f.weight * scale if p is not None else 0.0
                part = p * effective / 100 if p is not None else 0.0
                total += part
                contributions.append(
                    Contribution(
                        key=f.key,
                        axis=axis,
                        value=facts.get(f.key, {}).get(account_id),
                        points=p,
                        weight=f.weight,
                        effective_weight=round(effective, 4),
                        contribution=round(part, 4),
                    )
                )
            axis_scores[axis] = round(total, 4) if present else None
        result[account_id] = AccountScore(
            account_id=account_id,
            attractiveness=axis_scores["attractiveness"],
            strength=axis_scores["strength"],
            contributions=contributions,
        )
    return result


def quadrant(attractiveness: float, strength: float, middle: float = 5.5) -> str:
    """The portfolio matrix's quadrant (after the classic KAM portfolio): where the account is
    attractive and we are strong it is strategic; attractive but weak, a star to build; not so
    attractive but strong, status (maintain); neither, streamline (serve efficiently)."""
    if attractiveness >= middle:
        return "strategic" if strength >= middle else "star"
    return "status" if strength >= middle else "streamline"


QUADRANT_STRATEGY = {
    "strategic": "Invest: a key account with a full team and a joint plan.",
    "star": "Build our position: relationships, insight, a pilot.",
    "status": "Maintain efficiently: keep the relationship, do not over-invest.",
    "streamline": "Serve through standard channels; reduce the cost to serve.",
}
