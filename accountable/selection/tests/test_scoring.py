"""Scoring: points, weights, missing facts, explanations (pure)."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from accountable.selection.scoring import Factor, ModelInvalid, quadrant, score, validate


def value(x: float | None) -> float:
    assert x is not None
    return x


MODEL = [
    Factor("revenue", "attractiveness", 60),
    Factor("growth", "attractiveness", 40, "thresholds", tuple(range(0, 90, 10))),
    Factor("willingness", "strength", 100, "thresholds", (1.5, 2, 2.5, 3, 3.5, 4, 4.25, 4.5, 4.75)),
]


def test_each_score_is_explained_factor_by_factor_and_adds_up():
    facts = {
        "revenue": {1: 10.0, 2: 20.0, 3: 30.0, 4: 40.0, 5: 50.0},
        "growth": {1: 5.0, 2: 35.0, 3: -10.0, 4: 85.0, 5: 0.0},
        "willingness": {1: 4.8, 2: 1.0, 3: 3.2, 4: 3.0, 5: 2.1},
    }

    scores = score(facts, MODEL, [1, 2, 3, 4, 5])

    # revenue percentile: 1 -> 1 point, 5 -> 9 points (4 of 5 below it)
    s4 = scores[4]
    revenue = next(c for c in s4.contributions if c.key == "revenue")
    growth = next(c for c in s4.contributions if c.key == "growth")
    assert (revenue.points, growth.points) == (7, 10)  # 3 of 5 below; 85 passes all nine
    assert s4.attractiveness == pytest.approx(7 * 0.6 + 10 * 0.4)
    assert s4.attractiveness == pytest.approx(
        sum(c.contribution for c in s4.contributions if c.axis == "attractiveness")
    )
    assert scores[1].strength == 10 and scores[2].strength == 1
    assert scores[3].contributions[1].points == 1  # growth -10 reaches no cut point


def test_a_missing_fact_is_left_out_and_the_others_fill_its_weight():
    facts = {"revenue": {1: 10.0, 2: 20.0}, "growth": {2: 50.0}, "willingness": {}}

    scores = score(facts, MODEL, [1, 2])

    only_revenue = scores[1]
    assert only_revenue.attractiveness == pytest.approx(1.0)  # revenue points 1, weight 100
    growth = next(c for c in only_revenue.contributions if c.key == "growth")
    assert growth.points is None and growth.effective_weight == 0
    assert only_revenue.strength is None  # no fact at all on that axis


def test_lower_is_better_turns_the_points_round():
    factor = Factor("months_since_purchase", "attractiveness", 100, higher_is_better=False)
    other = Factor("x", "strength", 100)
    facts = {"months_since_purchase": {1: 0.0, 2: 12.0}, "x": {1: 1.0, 2: 1.0}}

    scores = score(facts, [factor, other], [1, 2])

    assert value(scores[1].attractiveness) > value(scores[2].attractiveness)


@given(st.dictionaries(st.integers(1, 500), st.floats(-1e9, 1e9), min_size=1, max_size=60))
def test_points_are_always_between_1_and_10_and_follow_the_values(values):
    factors = [
        Factor("v", "attractiveness", 100),
        Factor("v", "strength", 100, "thresholds", tuple(range(9))),
    ]

    scores = score({"v": values}, factors, list(values))

    for a, b in [(a, b) for a in values for b in values if values[a] < values[b]][:200]:
        assert value(scores[a].attractiveness) <= value(scores[b].attractiveness)
    assert all(
        1 <= value(s.attractiveness) <= 10 and 1 <= value(s.strength) <= 10 for s in scores.values()
    )


def test_a_model_whose_weights_do_not_sum_to_100_is_refused_with_the_sum():
    with pytest.raises(ModelInvalid) as refused:
        validate(
            [Factor("revenue", "attractiveness", 70), Factor("willingness", "strength", 100)],
            ["revenue", "willingness"],
        )
    assert refused.value.errors == {
        "attractiveness": ["The attractiveness weights sum to 70; they must sum to 100."]
    }


def test_unknown_facts_and_bad_cut_points_are_named():
    with pytest.raises(ModelInvalid) as refused:
        validate(
            [
                Factor("nope", "attractiveness", 100),
                Factor("revenue", "strength", 100, "thresholds", (3, 2, 1)),
            ],
            ["revenue"],
        )
    assert refused.value.errors == {
        "nope": ["No fact called 'nope'."],
        "revenue": ["Give nine ascending cut points."],
    }


@pytest.mark.parametrize(
    ("attractiveness", "strength", "expected"),
    [(8, 8, "strategic"), (8, 2, "star"), (2, 8, "status"), (2, 2, "streamline")],
)
def test_quadrants(attractiveness, strength, expected):
    assert quadrant(attractiveness, strength) == expected
