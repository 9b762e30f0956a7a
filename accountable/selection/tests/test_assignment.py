"""The assignment optimiser against brute force, and its rules one by one."""

from __future__ import annotations

import itertools

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from accountable.selection.assignment import (
    AssignmentInfeasible,
    Candidate,
    Kam,
    Weights,
    fit_of,
    solve,
)

INDUSTRIES = ["Retail", "Energy", ""]
REGIONS = ["EMEA", "APAC", ""]


@st.composite
def problems(draw):
    n_kams = draw(st.integers(1, 3))
    kams = [
        Kam(
            user_id=100 + i,
            capacity=draw(st.integers(0, 2)),
            industries={i: draw(st.integers(0, 2)) for i in INDUSTRIES[:2]},
            regions={r: draw(st.integers(0, 2)) for r in REGIONS[:2]},
        )
        for i in range(n_kams)
    ]
    kam_ids = [k.user_id for k in kams]
    candidates = []
    for a in range(draw(st.integers(0, 5))):
        owner = draw(st.sampled_from([None, *kam_ids]))
        candidates.append(
            Candidate(
                account_id=a + 1,
                value=draw(st.integers(0, 1000)) / 10,
                industry=draw(st.sampled_from(INDUSTRIES)),
                region=draw(st.sampled_from(REGIONS)),
                current_owner_id=owner,
                must_stay=owner is not None and draw(st.booleans()),
                team_user_ids=frozenset(draw(st.sets(st.sampled_from(kam_ids)))),
                excluded_user_ids=frozenset(draw(st.sets(st.sampled_from(kam_ids), max_size=1))),
                owner_ids=frozenset(draw(st.sets(st.sampled_from(kam_ids))))
                | ({owner} if owner else set()),
            )
        )
    return candidates, kams, draw(st.booleans())


def brute_force(candidates, kams, cover_all):
    """The best objective over every way of giving each account one KAM or none."""
    weights = Weights()
    best = None
    options = [None, *range(len(kams))]
    for combo in itertools.product(options, repeat=len(candidates)):
        load = [0] * len(kams)
        total = 0.0
        ok = True
        for c, ki in zip(candidates, combo, strict=True):
            if ki is None:
                if cover_all or c.must_stay:
                    ok = False
                    break
                continue
            k = kams[ki]
            if k.user_id in c.excluded_user_ids or (
                c.must_stay and k.user_id != c.current_owner_id
            ):
                ok = False
                break
            load[ki] += 1
            total += c.value * fit_of(k, c, weights)[0]
        if ok and all(load[i] <= max(k.capacity, 0) for i, k in enumerate(kams)):
            best = total if best is None else max(best, total)
    return best


@settings(max_examples=150, deadline=None)
@given(problems())
def test_the_optimiser_finds_the_best_assignment_brute_force_finds(problem):
    candidates, kams, cover_all = problem
    best = brute_force(candidates, kams, cover_all)
    if best is None:
        with pytest.raises(AssignmentInfeasible):
            solve(candidates, kams, cover_all=cover_all)
        return
    result = solve(candidates, kams, cover_all=cover_all)
    assert result.objective == pytest.approx(best, abs=1e-6)
    # and what it returns keeps every rule
    by_kam = {k.user_id: k for k in kams}
    load: dict[int, int] = {}
    for c, choice in zip(candidates, result.choices, strict=True):
        assert choice.account_id == c.account_id
        if choice.user_id is None:
            assert not cover_all and not c.must_stay
            continue
        assert choice.user_id not in c.excluded_user_ids
        if c.must_stay:
            assert choice.user_id == c.current_owner_id
        load[choice.user_id] = load.get(choice.user_id, 0) + 1
    assert all(n <= by_kam[u].capacity for u, n in load.items())


def test_fit_names_each_bonus():
    kam = Kam(user_id=1, capacity=1, industries={"Retail": 2}, regions={"EMEA": 2})
    account = Candidate(
        account_id=9,
        value=10,
        industry="Retail",
        region="EMEA",
        current_owner_id=1,
        team_user_ids=frozenset({1}),
        owner_ids=frozenset({1}),
    )

    fit, reasons = fit_of(kam, account, Weights())

    assert fit == pytest.approx(1.55)
    assert reasons == (
        "industry experience",
        "region experience",
        "already on the account team",
        "current owner",
    )


def test_the_most_valuable_accounts_get_the_kams_when_there_are_too_few():
    kams = [Kam(user_id=1, capacity=1), Kam(user_id=2, capacity=1)]
    accounts = [Candidate(account_id=a, value=v) for a, v in [(1, 5), (2, 50), (3, 20)]]

    result = solve(accounts, kams)

    assigned = {c.account_id for c in result.choices if c.user_id is not None}
    assert assigned == {2, 3}
    assert result.objective == pytest.approx(70)
    assert result.status == "optimal"


def test_a_kam_goes_where_they_fit_best():
    retail = Kam(user_id=1, capacity=1, industries={"Retail": 1})
    energy = Kam(user_id=2, capacity=1, industries={"Energy": 3})
    accounts = [
        Candidate(account_id=10, value=100, industry="Energy"),
        Candidate(account_id=11, value=100, industry="Retail"),
    ]

    result = solve(accounts, [retail, energy]).by_account()

    assert result[10].user_id == 2 and result[11].user_id == 1
    assert result[11].reasons == ("industry experience",)


def test_an_account_that_must_stay_keeps_its_owner_even_at_a_loss():
    owner = Kam(user_id=1, capacity=1)
    other = Kam(user_id=2, capacity=0)
    accounts = [
        Candidate(account_id=1, value=1, current_owner_id=1, must_stay=True),
        Candidate(account_id=2, value=1000),
    ]

    result = solve(accounts, [owner, other]).by_account()

    assert result[1].user_id == 1
    assert result[2].user_id is None


def test_covering_every_account_beyond_the_cap_is_refused_with_the_numbers():
    with pytest.raises(AssignmentInfeasible, match="3 accounts but room for only 2"):
        solve(
            [Candidate(account_id=a, value=1) for a in (1, 2, 3)],
            [Kam(user_id=1, capacity=1), Kam(user_id=2, capacity=1)],
            cover_all=True,
        )


def test_must_stay_with_an_owner_who_is_not_a_kam_here_is_refused():
    with pytest.raises(AssignmentInfeasible, match="must stay with its owner"):
        solve(
            [Candidate(account_id=1, value=1, current_owner_id=7, must_stay=True)],
            [Kam(user_id=1, capacity=1)],
        )


def test_owning_the_account_itself_is_not_industry_experience():
    kam = Kam(user_id=1, capacity=1, industries={"Retail": 1})
    account = Candidate(account_id=9, value=1, industry="Retail", owner_ids=frozenset({1}))

    assert fit_of(kam, account, Weights()) == (1.0, ())
