import datetime as dt
from typing import Any

from accountable.relationships.gaps import Facts, PairShare, Thresholds, gaps_of

TODAY = dt.date(2026, 6, 1)


def facts(**kw):
    base: dict[str, Any] = dict(
        id=1,
        name="A",
        seniority=2,
        buying_role="",
        dmu_role="",
        has_owner=True,
        best_strength=80,
        last_contact=TODAY,
    )
    base.update(kw)
    return Facts(**base)


def kinds(stakeholders, shares=None, **thresholds):
    return [
        g.kind
        for g in gaps_of(
            stakeholders,
            shares=shares or PairShare(),
            today=TODAY,
            thresholds=Thresholds(**thresholds),
        )
    ]


COVERED = [facts(id=1, buying_role="economic_buyer"), facts(id=2, buying_role="coach")]


def test_a_well_covered_account_has_no_gaps():
    assert kinds(COVERED) == []


def test_missing_economic_buyer_and_coach_are_gaps():
    assert kinds([facts()]) == ["no_economic_buyer", "no_coach"]


def test_an_unowned_decider_and_a_weak_economic_buyer_are_gaps():
    got = kinds(
        [
            facts(id=1, buying_role="economic_buyer", best_strength=20),
            facts(id=2, buying_role="coach"),
            facts(id=3, dmu_role="decider", has_owner=False, best_strength=None, last_contact=None),
        ]
    )
    assert got == ["key_weak", "key_unowned"]


def test_a_senior_reached_only_by_juniors_is_a_gap():
    got = kinds([*COVERED, facts(id=3, seniority=5, contact_seniorities=(2, 2))])
    assert got == ["senior_by_junior"]
    assert kinds([*COVERED, facts(id=3, seniority=5, contact_seniorities=(2, 3))]) == []


def test_a_relationship_gone_cold_after_n_days_is_a_gap():
    old = facts(id=3, last_contact=TODAY - dt.timedelta(days=91))
    assert kinds([*COVERED, old], cold_after_days=90) == ["cold"]
    assert kinds([*COVERED, old], cold_after_days=91) == []


def test_one_pair_carrying_most_interactions_is_single_threaded():
    shares = PairShare(total=10, pairs={("Kim", "Frank"): 7, ("Mia", "Pia"): 3})
    assert kinds(COVERED, shares, single_thread_share=60) == ["single_threaded"]
    assert kinds(COVERED, shares, single_thread_share=80) == []
