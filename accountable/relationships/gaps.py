"""Gaps in an account's relationships: pure computation on plain facts (no Django).

What counts as a gap (thresholds are the programme's `RelationshipSettings`):
1. no economic buyer identified among the current stakeholders;
2. no coach;
3. a decider or economic buyer nobody on our side owns, or whose best relationship with us is
   weaker than `weak_below`;
4. a senior stakeholder (vice president or above) whom only junior people of ours reach
   (everyone in contact is below head-of level);
5. a single-threaded account: one contact pair (one of ours, one of theirs) takes part in at
   least `single_thread_share` % of the account's interactions (the "bow-tie"), once there
   are at least `SINGLE_THREAD_MIN` interactions;
6. relationships gone cold: an owned stakeholder with no contact for `cold_after_days`.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

SENIOR = 4  # vice president and above
HEAD = 3  # our account owners' level
SINGLE_THREAD_MIN = 5


@dataclass(frozen=True)
class Facts:
    """What gaps need to know of one current stakeholder."""

    id: int
    name: str
    seniority: int
    buying_role: str
    dmu_role: str
    has_owner: bool
    best_strength: int | None  # the best computed strength with any of our people
    contact_seniorities: tuple[int, ...] = ()  # our people in contact, on the 1-5 scale
    last_contact: dt.date | None = None


@dataclass(frozen=True)
class Thresholds:
    weak_below: int = 40
    cold_after_days: int = 90
    single_thread_share: int = 60


@dataclass(frozen=True)
class Gap:
    kind: str
    message: str
    stakeholder_id: int | None = None
    severity: str = "warning"  # or "danger"


@dataclass
class PairShare:
    """Interactions per contact pair, for the single-thread check."""

    total: int = 0
    pairs: dict[tuple[str, str], int] = field(default_factory=dict)


def gaps_of(
    stakeholders: list[Facts], *, shares: PairShare, today: dt.date, thresholds: Thresholds
) -> list[Gap]:
    gaps: list[Gap] = []
    if not any(s.buying_role == "economic_buyer" for s in stakeholders):
        gaps.append(Gap("no_economic_buyer", "No economic buyer identified.", severity="danger"))
    if not any(s.buying_role == "coach" for s in stakeholders):
        gaps.append(Gap("no_coach", "No coach: nobody inside guides us through the account."))
    for s in stakeholders:
        key = s.buying_role == "economic_buyer" or s.dmu_role == "decider"
        role = "economic buyer" if s.buying_role == "economic_buyer" else "decider"
        if key and not s.has_owner:
            gaps.append(
                Gap("key_unowned", f"{s.name} ({role}) has no owner on our side.", s.id, "danger")
            )
        elif key and (s.best_strength or 0) < thresholds.weak_below:
            gaps.append(
                Gap(
                    "key_weak",
                    f"{s.name} ({role}): our best relationship is only "
                    f"{s.best_strength or 0} of 100.",
                    s.id,
                    "danger",
                )
            )
        if s.seniority >= SENIOR and s.contact_seniorities and max(s.contact_seniorities) < HEAD:
            gaps.append(
                Gap(
                    "senior_by_junior",
                    f"{s.name} is senior but only reached by junior people of ours.",
                    s.id,
                )
            )
        if s.has_owner:
            if s.last_contact is None:
                gaps.append(Gap("cold", f"{s.name}: owned but never contacted.", s.id))
            elif (today - s.last_contact).days > thresholds.cold_after_days:
                days = (today - s.last_contact).days
                gaps.append(Gap("cold", f"{s.name}: no contact for {days} days.", s.id))
    if shares.total >= SINGLE_THREAD_MIN and shares.pairs:
        (ours, theirs), count = max(shares.pairs.items(), key=lambda kv: kv[1])
        share = round(100 * count / shares.total)
        if share >= thresholds.single_thread_share:
            gaps.append(
                Gap(
                    "single_threaded",
                    f"Single-threaded: {ours} and {theirs} take part in {share} % of the "
                    f"account's interactions.",
                    severity="danger",
                )
            )
    return gaps
