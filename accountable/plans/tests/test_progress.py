import datetime as dt
from decimal import Decimal

from hypothesis import given
from hypothesis import strategies as st

from accountable.plans.progress import (
    ACHIEVED,
    AT_RISK,
    OFF_TRACK,
    ON_TRACK,
    ActionIn,
    ObjectiveIn,
    initiative_progress,
    metric_progress,
    objective_progress,
    plan_completeness,
)

TODAY = dt.date(2026, 6, 1)
START = dt.date(2026, 1, 1)


def _objective(current=None, initiatives=(), due=dt.date(2026, 12, 31)) -> ObjectiveIn:
    return ObjectiveIn(
        baseline=Decimal("10"),
        target=Decimal("20"),
        current=current,
        created_on=START,
        due_on=due,
        initiatives=[list(i) for i in initiatives],
    )


def test_initiative_progress_leaves_cancelled_actions_out() -> None:
    actions = [
        ActionIn("done", TODAY),
        ActionIn("open", TODAY),
        ActionIn("cancelled", TODAY),
    ]
    assert initiative_progress(actions) == 0.5
    assert initiative_progress([ActionIn("cancelled", TODAY)]) is None


def test_metric_progress_works_for_targets_below_the_baseline_too() -> None:
    assert metric_progress(Decimal("10"), Decimal("20"), Decimal("15")) == 0.5
    assert metric_progress(Decimal("30"), Decimal("10"), Decimal("25")) == 0.25
    assert metric_progress(Decimal("10"), Decimal("20"), Decimal("40")) == 1.0
    assert metric_progress(Decimal("10"), Decimal("20"), None) is None


def test_the_metric_outranks_the_actions_when_it_is_measured() -> None:
    objective = _objective(
        current=Decimal("19"), initiatives=[[ActionIn("open", TODAY + dt.timedelta(days=3))]]
    )
    result = objective_progress(objective, TODAY)
    assert result.progress == 0.9
    assert result.standing == ON_TRACK


def test_standing_compares_progress_with_time_gone() -> None:
    # 151 of 364 days gone: ~41% expected
    behind_a_little = _objective(current=Decimal("12.5"))  # 25%: 16 points behind
    behind_a_lot = _objective(current=Decimal("10.5"))  # 5%: 36 points behind
    assert objective_progress(behind_a_little, TODAY).standing == AT_RISK
    assert objective_progress(behind_a_lot, TODAY).standing == OFF_TRACK
    assert objective_progress(_objective(current=Decimal("20")), TODAY).standing == ACHIEVED


def test_a_passed_due_date_short_of_target_is_off_track() -> None:
    late = _objective(current=Decimal("19.9"), due=TODAY - dt.timedelta(days=1))
    assert objective_progress(late, TODAY).standing == OFF_TRACK


def test_overdue_counts_only_open_actions_past_their_date() -> None:
    yesterday = TODAY - dt.timedelta(days=1)
    objective = _objective(
        initiatives=[
            [ActionIn("open", yesterday), ActionIn("done", yesterday)],
            [ActionIn("in_progress", yesterday), ActionIn("open", TODAY)],
        ]
    )
    result = objective_progress(objective, TODAY)
    assert result.actions_overdue == 2
    assert (result.actions_done, result.actions_total) == (1, 4)
    assert result.initiatives == [0.5, 0.0]
    assert result.progress == 0.25


@given(
    st.lists(
        st.lists(st.sampled_from(["open", "in_progress", "done", "cancelled"]), max_size=6),
        max_size=5,
    ),
    st.one_of(st.none(), st.decimals(min_value=-100, max_value=100, places=2)),
)
def test_progress_is_always_between_0_and_1(groups, current) -> None:
    objective = _objective(
        current=current, initiatives=[[ActionIn(s, TODAY) for s in g] for g in groups]
    )
    result = objective_progress(objective, TODAY)
    assert 0.0 <= result.progress <= 1.0
    assert result.actions_done <= result.actions_total


def test_completeness_names_what_is_empty() -> None:
    result = plan_completeness(
        {"a": "text", "b": "  ", "c": ""},
        {"a": "Alpha", "b": "Beta", "c": "Gamma"},
        objectives=2,
        actions=0,
        milestones=1,
        risks=0,
    )
    assert result.missing == ["Beta", "Gamma", "Actions", "Risks"]
    assert result.percent == 43  # 3 of 7
