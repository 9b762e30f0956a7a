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

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Literal, TypedDict, cast

import numpy as np

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


class Contribution(TypedDict):
    key: str
    axis: str
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


def _percentile_points(values: np.ndarray, higher_is_better: bool) -> np.ndarray:
    """1-10 by rank: the share of the accounts with a value that have a lower one (ties share
    the lower rank); NaN (no value) stays NaN."""
    known = values[~np.isnan(values)]
    ordered = np.sort(known)
    n = len(ordered)
    points = np.full(values.shape, np.nan)
    if n == 0:
        return points
    mask = ~np.isnan(values)
    if higher_is_better:
        share = np.searchsorted(ordered, values[mask], side="left") / n
    else:
        share = (n - np.searchsorted(ordered, values[mask], side="right")) / n
    points[mask] = np.minimum(10, 1 + np.floor(share * 10))
    return points


def _threshold_points(
    values: np.ndarray, thresholds: tuple[float, ...], higher: bool
) -> np.ndarray:
    points = np.full(values.shape, np.nan)
    mask = ~np.isnan(values)
    reached = np.searchsorted(np.asarray(thresholds, dtype=float), values[mask], side="right")
    points[mask] = 1 + reached if higher else 10 - reached
    return points


def score(
    facts: Mapping[str, Mapping[int, float]],
    factors: Iterable[Factor],
    account_ids: Iterable[int],
) -> dict[int, AccountScore]:
    """Score each account on both axes, explained factor by factor. Whole-array arithmetic:
    100,000 accounts one by one cost seconds."""
    factors = list(factors)
    ids = list(account_ids)
    index = {a: i for i, a in enumerate(ids)}
    n = len(ids)
    values = np.full((len(factors), n), np.nan)
    for row, f in enumerate(factors):
        for a, v in facts.get(f.key, {}).items():
            i = index.get(a)
            if i is not None and v is not None:
                values[row, i] = v
    points = (
        np.vstack(
            [
                _percentile_points(values[row], f.higher_is_better)
                if f.method == "percentile"
                else _threshold_points(values[row], f.thresholds, f.higher_is_better)
                for row, f in enumerate(factors)
            ]
        )
        if factors
        else np.zeros((0, n))
    )
    weights = np.array([f.weight for f in factors], dtype=float)
    present = ~np.isnan(points)
    effective = np.zeros_like(points)
    contribution = np.zeros_like(points)
    axis_score: dict[str, np.ndarray] = {}
    for axis in AXES:
        rows = np.array([f.axis == axis for f in factors], dtype=bool)
        present_weight = (present[rows] * weights[rows, None]).sum(axis=0)
        scale = np.divide(100.0, present_weight, out=np.zeros(n), where=present_weight > 0)
        effective[rows] = np.where(present[rows], weights[rows, None] * scale, 0.0)
        contribution[rows] = np.nan_to_num(points[rows]) * effective[rows] / 100
        axis_score[axis] = np.where(present_weight > 0, contribution[rows].sum(axis=0), np.nan)
    result = {}
    value_list = values.T.tolist()
    points_list = points.T.tolist()
    effective_list = np.round(effective, 4).T.tolist()
    contribution_list = np.round(contribution, 4).T.tolist()
    attractiveness = np.round(axis_score["attractiveness"], 4).tolist()
    strength = np.round(axis_score["strength"], 4).tolist()
    for i, account_id in enumerate(ids):
        vals, pts, eff, con = value_list[i], points_list[i], effective_list[i], contribution_list[i]
        result[account_id] = AccountScore(
            account_id=account_id,
            attractiveness=None if attractiveness[i] != attractiveness[i] else attractiveness[i],
            strength=None if strength[i] != strength[i] else strength[i],
            contributions=[
                {
                    "key": f.key,
                    "axis": f.axis,
                    "value": None if vals[k] != vals[k] else vals[k],
                    "points": None if pts[k] != pts[k] else int(pts[k]),
                    "weight": f.weight,
                    "effective_weight": eff[k],
                    "contribution": con[k],
                }
                for k, f in enumerate(factors)
            ],
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
