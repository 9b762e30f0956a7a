"""Willingness to partner, assessed by several people, and the decision journal."""

from __future__ import annotations

import datetime as dt

import pytest

from accountable.core.errors import Forbidden, ValidationFailed
from accountable.history.models import Event
from accountable.selection.models import PartnershipAssessment, SelectionDecision
from accountable.selection.selectors import partnership_view
from accountable.selection.services import partnership_assessment_save, selection_decision_record

ANSWERS = {
    "integrate": 4,
    "dedicate_team": 3,
    "share_data": 2,
    "joint_funding": 3,
    "strategic_fit": 5,
}


def test_assessors_answers_are_side_by_side_with_where_they_disagree(programme):
    partnership_assessment_save(account=programme.account, assessor=programme.kam, answers=ANSWERS)
    partnership_assessment_save(
        account=programme.account,
        assessor=programme.member,
        answers={**ANSWERS, "share_data": 5, "integrate": 3},
    )

    view = partnership_view(account=programme.account)

    by_name = {q.name: q for q in view.questions}
    assert by_name["share_data"].scores == [5, 2] or by_name["share_data"].scores == [2, 5]
    assert by_name["share_data"].spread == 3 and by_name["share_data"].disagreement
    assert by_name["integrate"].spread == 1 and not by_name["integrate"].disagreement
    assert by_name["strategic_fit"].mean == 5
    assert view.mean == pytest.approx((3.5 + 3 + 3.5 + 3 + 5) / 5)


def test_a_second_assessment_by_the_same_person_revises_theirs_and_is_recorded(programme):
    partnership_assessment_save(account=programme.account, assessor=programme.kam, answers=ANSWERS)

    partnership_assessment_save(
        account=programme.account,
        assessor=programme.kam,
        answers={**ANSWERS, "joint_funding": 1},
        comment="Budget frozen",
    )

    assert PartnershipAssessment.objects.get().joint_funding == 1
    event = Event.objects.filter(object_type="selection.partnershipassessment").latest("pk")
    assert event.changes["joint_funding"] == ["3 — in part", "1 — not at all"]
    assert event.actor == programme.kam and event.account_id == programme.account.pk


def test_someone_outside_the_account_team_cannot_assess(programme):
    with pytest.raises(Forbidden):
        partnership_assessment_save(
            account=programme.account, assessor=programme.executive, answers=ANSWERS
        )
    assert not PartnershipAssessment.objects.exists()


def test_every_question_needs_an_answer_from_1_to_5(programme):
    with pytest.raises(ValidationFailed) as refused:
        partnership_assessment_save(
            account=programme.account,
            assessor=programme.kam,
            answers={**ANSWERS, "share_data": 6, "integrate": None},  # type: ignore[dict-item]
        )
    assert set(refused.value.errors) == {"share_data", "integrate"}
    assert not PartnershipAssessment.objects.exists()


def test_the_journal_keeps_each_decision_with_its_reason_and_review_date(programme):
    review = dt.date.today() + dt.timedelta(days=90)

    selection_decision_record(
        account=programme.account,
        actor=programme.director,
        decision="deferred",
        reason="Wait for their reorganisation",
        review_on=review,
    )

    decision = SelectionDecision.objects.get()
    assert (decision.decision, decision.review_on, decision.decided_by) == (
        "deferred",
        review,
        programme.director,
    )
    assert Event.objects.filter(
        object_type="selection.selectiondecision", reason="Wait for their reorganisation"
    ).exists()


@pytest.mark.parametrize(
    ("decision", "reason", "review_on", "field"),
    [
        ("chosen", "x", None, "decision"),
        ("selected", "  ", None, "reason"),
        ("selected", "x", dt.date(2000, 1, 1), "review_on"),
    ],
)
def test_a_bad_journal_entry_is_refused_with_its_field(
    programme, decision, reason, review_on, field
):
    with pytest.raises(ValidationFailed) as refused:
        selection_decision_record(
            account=programme.account,
            actor=programme.director,
            decision=decision,
            reason=reason,
            review_on=review_on,
        )
    assert refused.value.field == field
    assert not SelectionDecision.objects.exists()


def test_only_a_director_writes_the_journal(programme):
    with pytest.raises(Forbidden):
        selection_decision_record(
            account=programme.account, actor=programme.kam, decision="selected", reason="Mine"
        )


def test_the_tab_shows_the_matrix_and_the_forms_to_who_may_use_them(login, programme):
    partnership_assessment_save(account=programme.account, assessor=programme.kam, answers=ANSWERS)
    partnership_assessment_save(
        account=programme.account, assessor=programme.member, answers={**ANSWERS, "share_data": 5}
    )
    url = f"/selection/accounts/{programme.account.pk}/"

    member_page = login(programme.member).get(url).content.decode()
    executive_page = login(programme.executive).get(url).content.decode()
    director_page = login(programme.director).get(url).content.decode()

    assert 'data-disagreement="yes"' in member_page and "they disagree" in member_page
    assert "Save my assessment" in member_page and "Record a decision" not in member_page
    assert "Save my assessment" not in executive_page
    assert "Record a decision" in director_page


def test_a_bad_assessment_form_shows_errors_and_saves_nothing(login, programme):
    client = login(programme.member)

    response = client.post(
        f"/selection/accounts/{programme.account.pk}/assess/", {**ANSWERS, "share_data": 9}
    )

    assert response.status_code == 200
    assert "Select a valid choice" in response.content.decode()
    assert not PartnershipAssessment.objects.exists()
