"""Plan progress and completeness: pure computation on plain data (no Django).

Progress rolls up in three steps:
1. An initiative's progress is the share of its actions done, cancelled ones left out
   (None when it has no live actions).
2. An objective's progress is its metric's progress when a current value is known,
   (current - baseline) / (target - baseline) clamped to 0..1, since the metric is what the
   objective is about; otherwise the mean of its initiatives' progress; 0 when neither exists.
3. Its standing compares progress with the share of its time gone (from when it was set to
   its due date): on track when no more than 10 points behind, at risk when up to 30 points
   behind, off track beyond that or when the due date has passed short of the target.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal

ON_TRACK = "on_track"
AT_RISK = "at_risk"
OFF_TRACK = "off_track"
ACHIEVED = "achieved"
STANDING_LABELS = {
    ON_TRACK: "On track",
    AT_RISK: "At risk",
    OFF_TRACK: "Off track",
    ACHIEVED: "Achieved",
}
AT_RISK_GAP = 0.10
OFF_TRACK_GAP = 0.30


@dataclass(frozen=True)
class ActionIn:
    status: str  # open, in_progress, done, cancelled
    due_on: dt.date


@dataclass(frozen=True)
class ObjectiveIn:
    baseline: Decimal
    target: Decimal
    current: Decimal | None
    created_on: dt.date
    due_on: dt.date
    initiatives: list[list[ActionIn]] = field(default_factory=list)


@dataclass(frozen=True)
class ObjectiveProgress:
    progress: float  # 0..1
    expected: float  # 0..1, the share of the time gone
    standing: str
    initiatives: list[float | None]
    actions_done: int
    actions_total: int
    actions_overdue: int

    @property
    def percent(self) -> int:
        return round(self.progress * 100)

    @property
    def standing_label(self) -> str:
        return STANDING_LABELS[self.standing]


def action_is_overdue(action: ActionIn, today: dt.date) -> bool:
    return action.status in ("open", "in_progress") and action.due_on < today


def initiative_progress(actions: list[ActionIn]) -> float | None:
    live = [a for a in actions if a.status != "cancelled"]
    if not live:
        return None
    return sum(1 for a in live if a.status == "done") / len(live)


def metric_progress(baseline: Decimal, target: Decimal, current: Decimal | None) -> float | None:
    if current is None or target == baseline:
        return None
    share = float((current - baseline) / (target - baseline))
    return min(1.0, max(0.0, share))


def time_share(start: dt.date, end: dt.date, today: dt.date) -> float:
    if end <= start:
        return 1.0 if today >= end else 0.0
    return min(1.0, max(0.0, (today - start).days / (end - start).days))


def objective_progress(objective: ObjectiveIn, today: dt.date) -> ObjectiveProgress:
    per_initiative = [initiative_progress(actions) for actions in objective.initiatives]
    known = [p for p in per_initiative if p is not None]
    metric = metric_progress(objective.baseline, objective.target, objective.current)
    if metric is not None:
        progress = metric
    elif known:
        progress = sum(known) / len(known)
    else:
        progress = 0.0
    expected = time_share(objective.created_on, objective.due_on, today)
    if progress >= 1.0:
        standing = ACHIEVED
    elif today > objective.due_on or expected - progress > OFF_TRACK_GAP:
        standing = OFF_TRACK
    elif expected - progress > AT_RISK_GAP:
        standing = AT_RISK
    else:
        standing = ON_TRACK
    actions = [a for group in objective.initiatives for a in group]
    return ObjectiveProgress(
        progress=progress,
        expected=expected,
        standing=standing,
        initiatives=per_initiative,
        actions_done=sum(1 for a in actions if a.status == "done"),
        actions_total=sum(1 for a in actions if a.status != "cancelled"),
        actions_overdue=sum(1 for a in actions if action_is_overdue(a, today)),
    )


@dataclass(frozen=True)
class Completeness:
    percent: int
    missing: list[str]  # headings of what is still empty


def plan_completeness(
    sections: dict[str, str],
    headings: dict[str, str],
    *,
    objectives: int,
    actions: int,
    milestones: int,
    risks: int,
) -> Completeness:
    """One point per analysis section with text and per kind of content the plan has
    (objectives, actions, milestones, risks); the percent of points scored."""
    missing = [headings[name] for name, text in sections.items() if not (text or "").strip()]
    for count, heading in (
        (objectives, "Objectives"),
        (actions, "Actions"),
        (milestones, "Milestones"),
        (risks, "Risks"),
    ):
        if count == 0:
            missing.append(heading)
    total = len(sections) + 4
    return Completeness(percent=round(100 * (total - len(missing)) / total), missing=missing)
