"""Relationship strength, 0 to 100, of one stakeholder and one of our people: pure computation.

The formula (weights and constants are the programme's `RelationshipSettings`):

1. Every interaction both took part in counts with a *decay* `0.5 ** (age_days / half_life)`:
   an interaction `half_life` days old counts half, twice that a quarter.
2. Five components, each 0 to 1:  # noqa: RUF003
   - recency   = decay of the latest interaction;
   - frequency = min(1, sum decay / frequency_target): enough recent contact saturates it;
   - two-way   = min(1, 2 * share of the decayed weight initiated by *them*): a relationship
                 where they reach out as often as we do scores 1, one we always chase scores 0;
   - depth     = decay-weighted mean of the depth of each kind (business review 1.0, visit 1.0,
                 meeting 0.9, call 0.6, email 0.3): face to face beats a call beats an email;
   - seniority = 1 - |their seniority - ours| / 4 (both on 1-5): we meet them at their level.
3. strength = round(100 * sum weight * component / sum weights). No interaction at all: 0.

Decay makes strength fall by itself as time passes without contact, so a job recomputes it
(`accountable strength`) rather than it being updated only when someone logs an interaction.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass

DEPTH = {
    "business_review": 1.0,
    "visit": 1.0,
    "meeting": 0.9,
    "call": 0.6,
    "email": 0.3,
}


@dataclass(frozen=True)
class Weights:
    recency: float = 30
    frequency: float = 25
    two_way: float = 15
    depth: float = 20
    seniority: float = 10
    half_life_days: float = 90
    frequency_target: float = 6


@dataclass(frozen=True)
class Contact:
    """One interaction as strength sees it."""

    on: dt.date
    kind: str
    theirs: bool  # they initiated it


@dataclass(frozen=True)
class Strength:
    score: int
    recency: float
    frequency: float
    two_way: float
    depth: float
    seniority: float
    last_contact: dt.date | None
    count: int


NONE = Strength(0, 0.0, 0.0, 0.0, 0.0, 0.0, None, 0)


def decay(age_days: float, half_life_days: float) -> float:
    """1 today, ½ after one half-life; future dates count as today."""
    return float(0.5 ** (max(age_days, 0.0) / half_life_days))


def seniority_match(theirs: int, ours: int) -> float:
    return 1.0 - min(abs(int(theirs) - int(ours)), 4) / 4.0


def strength_of(
    contacts: Iterable[Contact],
    *,
    today: dt.date,
    their_seniority: int,
    our_seniority: int,
    weights: Weights,
) -> Strength:
    """The strength of one pair from the interactions they shared (see the module docstring)."""
    total = 0.0
    theirs = 0.0
    depth_sum = 0.0
    latest: dt.date | None = None
    count = 0
    for contact in contacts:
        w = decay((today - contact.on).days, weights.half_life_days)
        total += w
        if contact.theirs:
            theirs += w
        depth_sum += w * DEPTH.get(contact.kind, 0.5)
        if latest is None or contact.on > latest:
            latest = contact.on
        count += 1
    if count == 0 or latest is None:
        return NONE
    recency = decay((today - latest).days, weights.half_life_days)
    frequency = min(1.0, total / weights.frequency_target)
    two_way = min(1.0, 2.0 * theirs / total) if total > 0 else 0.0
    depth = depth_sum / total if total > 0 else 0.0
    seniority = seniority_match(their_seniority, our_seniority)
    parts = (
        (weights.recency, recency),
        (weights.frequency, frequency),
        (weights.two_way, two_way),
        (weights.depth, depth),
        (weights.seniority, seniority),
    )
    weight_sum = sum(w for w, _ in parts)
    score = round(100 * sum(w * v for w, v in parts) / weight_sum) if weight_sum > 0 else 0
    return Strength(
        score=max(0, min(100, score)),
        recency=recency,
        frequency=frequency,
        two_way=two_way,
        depth=depth,
        seniority=seniority,
        last_contact=latest,
        count=count,
    )
